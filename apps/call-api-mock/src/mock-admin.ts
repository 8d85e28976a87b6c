import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendEmpty, sendJson, sendOptions } from './flask-responses.js';
import { MockOptionsError } from './mock-options.js';
import type { MockState } from './mock-state.js';
import { readBody } from './read-body.js';

// The test-only side door, under /__mock/ so it can never clash with the real API's routes.
// It ignores latency and faults: a test must always be able to read counters and flip options.
//   GET  /__mock/dials   {"total": N, "byNumber": {...}}
//   POST /__mock/reset   forget calls, keys and counters (204)
//   GET  /__mock/config  the current options
//   POST /__mock/config  merge options (camelCase JSON); 400 naming every bad key

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, state: MockState): Promise<void> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const route = ADMIN_ROUTES[path];
  if (!route) {
    sendJson(res, 404, { error: `no mock admin route ${path}` });
    return;
  }
  if (method === 'OPTIONS') {
    sendOptions(res, route.allow, req.headers['access-control-request-headers']);
    return;
  }

  if (path === '/__mock/dials' && method === 'GET') {
    sendJson(res, 200, state.registry.dials());
    return;
  }
  if (path === '/__mock/reset' && method === 'POST') {
    state.reset();
    sendEmpty(res, 204);
    return;
  }
  if (path === '/__mock/config' && method === 'GET') {
    sendJson(res, 200, state.behaviour);
    return;
  }
  if (path === '/__mock/config' && method === 'POST') return configure(req, res, state);
  sendJson(res, 405, { error: `${req.method} is not allowed on ${path}` }, { Allow: route.allow });
}

const ADMIN_ROUTES: Partial<Record<string, { allow: string }>> = {
  '/__mock/dials': { allow: 'GET, HEAD, OPTIONS' },
  '/__mock/reset': { allow: 'OPTIONS, POST' },
  '/__mock/config': { allow: 'GET, HEAD, OPTIONS, POST' },
};

async function configure(req: IncomingMessage, res: ServerResponse, state: MockState): Promise<void> {
  const body = await readBody(req);
  if (body === 'aborted') return;
  if (body === 'too-large') {
    sendJson(res, 413, { error: 'body too large' });
    return;
  }
  let patch: unknown;
  try {
    patch = JSON.parse(body.toString('utf8'));
  } catch {
    sendJson(res, 400, { error: 'the body must be a JSON object of options', invalid: [] });
    return;
  }
  try {
    sendJson(res, 200, state.configure(patch));
  } catch (error) {
    if (!(error instanceof MockOptionsError)) throw error;
    sendJson(res, 400, { error: error.problems.join('; '), invalid: error.invalidKeys });
  }
}
