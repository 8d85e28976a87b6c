import type { HttpModuleOptions } from '@nestjs/axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AppConfig } from '../config/app-config.js';

// Status polls and health probes share these (the follower runs at most 32 polls at once).
const READ_SOCKETS = 40;
// Answers are a few hundred bytes; a body past this is not the Call API talking.
const MAX_BODY_BYTES = 1 << 20;

// How long an idle kept-alive socket may wait for reuse. Node's agent also honours the server's
// `Keep-Alive: timeout=N` hint (closing at N-1 s), but only when a timeout is set here: without one,
// a socket the server was closing at that very moment could be reused, and the dial on it failed
// with ECONNRESET before the server read it, recorded as outcome-unknown.
const IDLE_SOCKET_MS = 30_000;

/** A keep-alive agent of `maxSockets` for the Call API's scheme, closing idle sockets before the server does. */
export function keepAliveAgent(config: AppConfig, maxSockets: number): HttpAgent {
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS };
  return config.callApiUrl.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
}

/**
 * The axios defaults of the Call API client (HttpModule.registerAsync). Every request goes through
 * the read agent unless it names its own: dials do (CallApiClient), so a dial never queues behind
 * status polls for a socket.
 */
export function callApiHttpOptions(config: AppConfig): HttpModuleOptions {
  const readAgent = keepAliveAgent(config, READ_SOCKETS);
  return {
    headers: { Accept: 'application/json' },
    // The whole exchange, not just an idle socket, must finish within CALL_API_TIMEOUT_MS.
    timeout: config.callApiTimeoutMs,
    httpAgent: readAgent,
    httpsAgent: readAgent,
    maxContentLength: MAX_BODY_BYTES,
    maxRedirects: 0,
    // Read text and decide ourselves: error pages may be HTML, and no status is an exception here.
    responseType: 'text',
    transformResponse: (raw: string) => raw,
    validateStatus: () => true,
  };
}
