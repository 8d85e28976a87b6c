import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCreateCall } from './create-call-request.js';
import { sendHtmlError, sendJson, sendOptions } from './flask-responses.js';
import { handleAdmin } from './mock-admin.js';
import type { MockBehaviour } from './mock-options.js';
import { MockState } from './mock-state.js';
import { ParkedResponses } from './parked-responses.js';
import { readBody } from './read-body.js';

export interface CallApiServer {
  server: Server;
  state: MockState;
  /** Stops listening and drops every open connection, hung ones included. */
  close(): Promise<void>;
}

export interface CallApiServerDeps {
  /** Microseconds since the epoch; tests may pass a fake clock. */
  clock?: () => number;
}

/** The Call API stand-in, not yet listening. Options not given take the real API's behaviour. */
export function createCallApiServer(options: Partial<MockBehaviour> = {}, deps: CallApiServerDeps = {}): CallApiServer {
  const state = new MockState(options, deps.clock);
  const parked = new ParkedResponses();
  const server = createServer((req, res) => {
    route(req, res, state, parked).catch((error: unknown) => {
      // A bug here must not take the whole stand-in down in the middle of a benchmark.
      console.error('call-api-mock: unexpected error', error);
      if (!res.headersSent) sendHtmlError(res, 500);
      else res.destroy();
    });
  });

  // Plain server.close() must also work for callers that never heard of close() below.
  const closeServer = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    parked.dropAll();
    return closeServer(callback);
  };

  return {
    server,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, state: MockState, parked: ParkedResponses): Promise<void> {
  const path = decodePath(req.url ?? '/');
  const method = req.method ?? 'GET';
  const read = method === 'HEAD' ? 'GET' : method;

  if (path === '/api/call') {
    if (read === 'POST') return createCall(req, res, state, parked);
    answerOtherMethod(req, res, 'OPTIONS, POST');
    return;
  }
  if (path.startsWith('/api/call/')) {
    const id = path.slice('/api/call/'.length);
    // Flask's default converter matches one non-empty path segment.
    if (id === '' || id.includes('/')) {
      sendHtmlError(res, 404);
      return;
    }
    if (read === 'GET') return getCall(res, id, state, parked);
    answerOtherMethod(req, res, 'GET, HEAD, OPTIONS');
    return;
  }
  if (path === '/health') {
    if (read === 'GET') {
      sendJson(res, 200, { status: 'healthy' });
      return;
    }
    answerOtherMethod(req, res, 'GET, HEAD, OPTIONS');
    return;
  }
  if (path.startsWith('/__mock/')) return handleAdmin(req, res, path, state);
  sendHtmlError(res, 404);
}

async function createCall(req: IncomingMessage, res: ServerResponse, state: MockState, parked: ParkedResponses): Promise<void> {
  const body = await readBody(req);
  if (body === 'aborted') return;
  // The request has reached the provider; even if the client gives up meanwhile, it is processed.
  const { latencyMs } = state.behaviour;
  if (latencyMs > 0) await parked.delay(res, latencyMs);

  const behaviour = state.behaviour;
  const draw = state.drawFault();
  if (draw < behaviour.failRate) {
    // Overloaded or rate limited: refused before anything is dialled, so a retry is safe.
    const retry = behaviour.failStatus === 429 || behaviour.failStatus === 503 ? { 'Retry-After': '1' } : undefined;
    sendHtmlError(res, behaviour.failStatus, { headers: retry });
    return;
  }
  if (body === 'too-large') {
    sendHtmlError(res, 413);
    return;
  }

  const input = parseCreateCall(req.headers['content-type'], body);
  if (input.kind === 'json-error') {
    sendJson(res, input.status, { error: input.error });
    return;
  }
  if (input.kind === 'html-error') {
    sendHtmlError(res, input.status, { description: input.description });
    return;
  }

  const header = req.headers['idempotency-key'];
  const key = behaviour.idempotent && typeof header === 'string' && header !== '' ? header : null;
  let record = key === null ? undefined : state.registry.findByIdempotencyKey(key);
  if (record && record.phoneNumber !== input.phoneNumber) {
    // What Stripe-like providers do: a key names one request, reusing it for another is a client bug.
    sendJson(res, 422, { error: 'Idempotency-Key was already used for another phone_number' });
    return;
  }
  // A replayed key returns the first call and dials nobody; the fault draw below still applies.
  record ??= state.registry.dial({
    phoneNumber: input.phoneNumber,
    outcome: state.pickOutcome(),
    timeScale: behaviour.timeScale,
    idempotencyKey: key,
  });

  if (draw < behaviour.failRate + behaviour.failAfterDialRate) {
    sendHtmlError(res, 500);
    return;
  } // dialled, answer lost
  if (draw < behaviour.failRate + behaviour.failAfterDialRate + behaviour.hangRate) {
    parked.hang(res);
    return;
  } // dialled, no answer
  sendJson(res, 201, { call: state.registry.snapshot(record), success: true });
}

async function getCall(res: ServerResponse, id: string, state: MockState, parked: ParkedResponses): Promise<void> {
  const { latencyMs } = state.behaviour;
  if (latencyMs > 0) await parked.delay(res, latencyMs);
  const record = state.registry.find(id);
  if (!record) {
    sendJson(res, 404, { error: 'Call not found' });
    return;
  }
  sendJson(res, 200, { call: state.registry.snapshot(record), success: true });
}

function answerOtherMethod(req: IncomingMessage, res: ServerResponse, allow: string): void {
  if (req.method === 'OPTIONS') return sendOptions(res, allow, req.headers['access-control-request-headers']);
  sendHtmlError(res, 405, { headers: { Allow: allow } });
}

// Werkzeug matches routes on the percent-decoded path and ignores the query string.
function decodePath(url: string): string {
  const q = url.indexOf('?');
  const raw = q === -1 ? url : url.slice(0, q);
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
