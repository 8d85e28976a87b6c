import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '../common/clock.js';
import { loadConfig } from '../config/app-config.js';
import { CallApiClient, parseRetryAfter } from './call-api.client.js';
import { callApiHttpOptions } from './call-api.http.js';

// The client against a tiny real HTTP server whose answer each test chooses: the classification
// (certain / uncertain, retryable / final) is what keeps a call from being dialled twice.

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const TIMEOUT_MS = 300;
const CALL = {
  created_at: '2025-11-01T14:00:00.123456',
  duration: null,
  id: '3f1c8c5e-4a8b-4d2e-9b7a-0c1d2e3f4a5b',
  phone_number: '+14155550100',
  status: 'initiated',
  updated_at: '2025-11-01T14:00:00.123456',
};

const json =
  (status: number, value: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value) + '\n');
  };
const html =
  (status: number, title: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>\n<html lang=en>\n<title>${title}</title>\n<h1>${title}</h1>\n`);
  };

describe('CallApiClient', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  let requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  let client: CallApiClient;

  const clients: CallApiClient[] = [];
  const clientFor = (callApiUrl: string, env: Record<string, string> = {}) => {
    const config = loadConfig({ CALL_API_URL: callApiUrl, CALL_API_TIMEOUT_MS: String(TIMEOUT_MS), ...env });
    // As HttpModule.registerAsync builds it in DispatchModule.
    const created = new CallApiClient(new HttpService(axios.create(callApiHttpOptions(config))), config, new Clock());
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = [];
    client = clientFor(url);
  });

  afterEach(() => server.closeAllConnections());

  afterAll(async () => {
    for (const created of clients) created.onApplicationShutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('placeCall', () => {
    it('sends the phone number as JSON with the Idempotency-Key', async () => {
      handler = json(201, { call: CALL, success: true });
      await client.placeCall('+14155550100', 'call-1:1');
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ method: 'POST', url: '/api/call' });
      expect(requests[0].headers['idempotency-key']).toBe('call-1:1');
      expect(requests[0].headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(requests[0].body)).toEqual({ phone_number: '+14155550100' });
    });

    it('accepts a 201 with a call id as placed', async () => {
      handler = json(201, { call: CALL, success: true });
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: true,
        providerCallId: CALL.id,
        providerStatus: 'initiated',
      });
    });

    it('treats a 201 without a call id as uncertain: the call may exist', async () => {
      handler = json(201, { success: true });
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: false,
        retryable: true,
        reason: expect.stringContaining('201 without a call id') as unknown,
      });
    });

    it('treats a 201 whose body is not JSON as uncertain', async () => {
      handler = html(201, 'Created');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toMatchObject({ ok: false, certain: false, retryable: true });
    });

    it("treats 503 as unavailable: nothing was placed, not the call's fault", async () => {
      handler = html(503, '503 Service Unavailable');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: true,
        reason: 'HTTP 503: 503 Service Unavailable',
        retryAfterMs: null,
      });
    });

    it.each([502, 504])("treats a gateway's %i as unavailable", async (status) => {
      handler = html(status, 'Bad Gateway');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toMatchObject({ ok: false, unavailable: true });
    });

    it('treats 429 as unavailable and honours its Retry-After in seconds', async () => {
      handler = (_req, res) => res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': '7' }).end('<title>429 Too Many Requests</title>');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: true,
        reason: 'HTTP 429: 429 Too Many Requests',
        retryAfterMs: 7000,
      });
    });

    it('treats 500 as uncertain: the provider may have dialled before it failed', async () => {
      handler = html(500, '500 Internal Server Error');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: false,
        retryable: true,
        reason: 'HTTP 500: 500 Internal Server Error',
      });
    });

    it('treats a 400 JSON error as final, keeping the provider’s words', async () => {
      handler = json(400, { error: 'Invalid phone number' });
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: true,
        retryable: false,
        reason: 'HTTP 400: Invalid phone number',
      });
    });

    it('treats a 400 HTML page as final without choking on it', async () => {
      handler = html(400, '400 Bad Request');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: true,
        retryable: false,
        reason: 'HTTP 400: 400 Bad Request',
      });
    });

    it('treats 404 as final (a wrong CALL_API_URL, not a transient fault)', async () => {
      handler = html(404, '404 Not Found');
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: true,
        retryable: false,
        reason: 'HTTP 404: 404 Not Found',
      });
    });

    it('treats an empty error body as final with just the status', async () => {
      handler = (_req, res) => res.writeHead(422).end();
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: true,
        retryable: false,
        reason: 'HTTP 422',
      });
    });

    it('gives up on a provider that does not answer within CALL_API_TIMEOUT_MS, as uncertain', async () => {
      handler = () => undefined; // hang
      const started = Date.now();
      const result = await client.placeCall('+14155550100', 'k');
      const elapsed = Date.now() - started;
      expect(result).toEqual({
        ok: false,
        unavailable: false,
        certain: false,
        retryable: true,
        reason: expect.stringMatching(/no answer within the timeout/) as unknown,
      });
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
    });

    it('treats a connection dropped after the request went out as uncertain', async () => {
      handler = (req) => req.socket.destroy();
      await expect(client.placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: false,
        certain: false,
        retryable: true,
        reason: expect.stringMatching(/ECONNRESET|socket hang up/) as unknown,
      });
    });

    it('treats a refused connection as unavailable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      await expect(clientFor(`http://127.0.0.1:${port}`).placeCall('+14155550100', 'k')).resolves.toEqual({
        ok: false,
        unavailable: true,
        reason: expect.stringContaining('ECONNREFUSED') as unknown,
        retryAfterMs: null,
      });
    });
  });

  describe('parseRetryAfter', () => {
    it('reads seconds and HTTP dates, caps long waits, and ignores junk', () => {
      const now = Date.parse('2026-12-01T21:00:00Z');
      expect(parseRetryAfter('3', now)).toBe(3000);
      expect(parseRetryAfter('Tue, 01 Dec 2026 21:00:30 GMT', now)).toBe(30_000);
      expect(parseRetryAfter('Tue, 01 Dec 2026 20:00:00 GMT', now)).toBe(0);
      expect(parseRetryAfter('999999', now)).toBe(600_000);
      expect(parseRetryAfter('soon', now)).toBeNull();
      expect(parseRetryAfter(null, now)).toBeNull();
    });
  });

  describe('probe', () => {
    it('passes on a 2xx from /health and fails on anything else', async () => {
      handler = json(200, { status: 'healthy' });
      await expect(client.probe()).resolves.toMatchObject({ ok: true });
      expect(requests.at(-1)).toMatchObject({ method: 'GET', url: '/health' });
      handler = html(503, 'down');
      await expect(client.probe()).resolves.toMatchObject({ ok: false, reason: 'HTTP 503' });
    });
  });

  describe('getCall', () => {
    it('reads the provider status and duration', async () => {
      handler = json(200, { call: { ...CALL, status: 'completed', duration: 10 }, success: true });
      await expect(client.getCall(CALL.id)).resolves.toEqual({ ok: true, status: 'completed', duration: 10 });
      expect(requests[0]).toMatchObject({ method: 'GET', url: `/api/call/${CALL.id}` });
    });

    it('passes an unknown status on as data', async () => {
      handler = json(200, { call: { ...CALL, status: 'voicemail' }, success: true });
      await expect(client.getCall(CALL.id)).resolves.toEqual({ ok: true, status: 'voicemail', duration: null });
    });

    it('escapes the provider id in the path', async () => {
      handler = json(404, { error: 'Call not found' });
      await client.getCall('a/b?c');
      expect(requests[0].url).toBe('/api/call/a%2Fb%3Fc');
    });

    it('reports 404 as not found', async () => {
      handler = json(404, { error: 'Call not found' });
      await expect(client.getCall(CALL.id)).resolves.toEqual({ ok: false, notFound: true, reason: expect.stringContaining('404') as unknown });
    });

    it('reports a 500 page as a passing failure, not as not found', async () => {
      handler = html(500, '500 Internal Server Error');
      await expect(client.getCall(CALL.id)).resolves.toEqual({
        ok: false,
        notFound: false,
        reason: 'HTTP 500: 500 Internal Server Error',
      });
    });

    it('reports a 200 without a status as a failure', async () => {
      handler = json(200, { success: true });
      await expect(client.getCall(CALL.id)).resolves.toMatchObject({ ok: false, notFound: false });
    });

    it('reports a timeout as a passing failure', async () => {
      handler = () => undefined;
      await expect(client.getCall(CALL.id)).resolves.toEqual({
        ok: false,
        notFound: false,
        reason: expect.stringMatching(/no answer within the timeout/) as unknown,
      });
    });
  });
});
