import type { ServerResponse } from 'node:http';
import type { LongRead } from './long-read-gate.js';

// A reader that takes nothing for this long while its socket is full holds a long-read slot for
// nobody: it is cut off (an SSE client reconnects with Last-Event-ID and carries on).
export const STALL_MS = 30_000;

export interface PageText {
  // What to write for this page (may be empty).
  text: string;
  // No page after this one.
  done: boolean;
}

/**
 * Writes a long read to `res` page by page: each page is read and serialised in the gate's turn,
 * then written; when the socket's buffer is full the next page waits for 'drain', so a slow reader
 * costs a socket buffer, never the whole log in memory. Returns false when the client went away
 * (or stalled and was cut off) before the end.
 */
export async function pipePages(read: LongRead, res: ServerResponse, nextPage: () => Promise<PageText>, isClosed: () => boolean): Promise<boolean> {
  for (;;) {
    if (isClosed()) return false;
    const page = await read.page(nextPage);
    if (isClosed()) return false;
    if (page.text !== '' && !res.write(page.text) && !(await drained(res))) {
      res.end();
      return false;
    }
    if (page.done) return true;
  }
}

/** Resolves true on 'drain', false when the socket closes or stays full for STALL_MS. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), STALL_MS);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
