import { createServer, get, type Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/app-config.js';
import { keepAliveAgent } from './call-api.http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const idleSockets = (agent: Agent) => Object.values(agent.freeSockets).flat().length;

// A socket reused at the moment the server closes it fails the request with ECONNRESET before the
// server reads it; for a dial that reads as "may have been placed". The agent must let go first.
describe('keepAliveAgent', () => {
  it("closes an idle socket before the server's announced keep-alive timeout", async () => {
    const server = createServer((_req, res) => res.end('ok'));
    // Announced to clients as `Keep-Alive: timeout=2`.
    server.keepAliveTimeout = 2000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const agent = keepAliveAgent(loadConfig({ CALL_API_URL: url }), 4);
    try {
      const keepAlive = await new Promise<string>((resolve, reject) =>
        get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.headers['keep-alive'])));
        }).on('error', reject),
      );
      expect(keepAlive).toBe('timeout=2');
      await sleep(50);
      expect(idleSockets(agent)).toBe(1);
      // Past the hint less a second, before the server's own two seconds.
      await sleep(1400);
      expect(idleSockets(agent)).toBe(0);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
