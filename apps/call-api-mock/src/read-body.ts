import type { IncomingMessage } from 'node:http';

// The real API would take any size; a cap keeps a runaway test from eating the stand-in's memory.
export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body, 'too-large' past the cap (drained, not kept), or 'aborted'. */
export function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks, size)));
    req.on('error', () => resolve('aborted'));
    req.on('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}
