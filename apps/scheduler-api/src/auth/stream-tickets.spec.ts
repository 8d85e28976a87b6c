import type { Principal } from './api-key.js';
import type { ApiKeysService } from './api-keys.service.js';
import { StreamTickets, TICKET_TTL_MS } from './stream-tickets.js';

// Tickets against a clock the test moves, and a key store the test controls.
describe('StreamTickets', () => {
  const alice: Principal = { name: 'alice', role: 'viewer', via: 'key' };
  let now: number;
  let live: Map<string, string>;
  let tickets: StreamTickets;

  beforeEach(() => {
    now = Date.parse('2026-12-01T09:00:00Z');
    live = new Map([['alice', 'hash-of-alices-key']]);
    const keys = {
      ticketSigner: (name: string) => Promise.resolve(live.has(name) ? { principal: alice, secret: live.get(name)! } : null),
    } as unknown as ApiKeysService;
    tickets = new StreamTickets(keys, { now: () => new Date(now) });
  });

  it('is valid once', async () => {
    const { ticket, expiresAt } = await tickets.issue(alice);
    expect(Date.parse(expiresAt)).toBe(now + TICKET_TTL_MS);
    expect(await tickets.redeem(ticket)).toEqual(alice);
    expect(await tickets.redeem(ticket)).toBeNull();
  });

  it('expires after 60 s', async () => {
    const { ticket } = await tickets.issue(alice);
    now += TICKET_TTL_MS;
    expect(await tickets.redeem(ticket)).toBeNull();
  });

  it('is refused when its key was revoked, or re-signed by anyone else', async () => {
    const { ticket } = await tickets.issue(alice);
    const [payload] = ticket.split('.');
    expect(await tickets.redeem(`${payload}.forged`)).toBeNull();
    const second = await tickets.issue(alice);
    live.delete('alice');
    expect(await tickets.redeem(second.ticket)).toBeNull();
  });

  it('rejects garbage without throwing', async () => {
    for (const junk of ['', '.', 'a.b.c', 'not-base64!.x', `${Buffer.from('{"n":1}').toString('base64url')}.x`]) {
      expect(await tickets.redeem(junk)).toBeNull();
    }
  });
});
