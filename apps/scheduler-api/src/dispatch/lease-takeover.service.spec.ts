import { Subject } from 'rxjs';
import type { CallView } from '#domain';
import type { CallViewRepository, Database, StoredEvent } from '#persistence';
import type { ClusterService } from '../cluster/cluster.service.js';
import type { CallCommandsService } from '../commands/call-commands.service.js';
import { loadConfig } from '../config/app-config.js';
import type { DispatcherService } from './dispatcher.service.js';
import { LeaseTakeoverService } from './lease-takeover.service.js';
import type { StatusFollowerService } from './status-follower.service.js';

// What an instance does with a 'dispatching' call whose lease it owns but nobody here works on:
// an attempt it never dialled goes back to pending; one that may have been placed is judged lost.

const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const HERE = 'dispatcher@host-a:101';

function setup(options: { startedBy: string; sent: boolean }) {
  const adopted$ = new Subject<string[]>();
  const released: string[] = [];
  const commands: { type: string; reason?: string }[] = [];
  const call = { id: 'c1', status: 'dispatching', attempts: 1, updatedAt: new Date(NOW - 60_000).toISOString() } as CallView;
  const history = [
    { type: 'CallScheduled', metadata: { actor: 'api' } },
    { type: 'CallDispatchStarted', metadata: { actor: options.startedBy } },
  ] as unknown as StoredEvent[];
  const service = new LeaseTakeoverService(
    {
      adopted$,
      lost$: new Subject(),
      reportLoad: () => undefined,
      release: (id: string) => released.push(id),
      hold: () => undefined,
    } as unknown as ClusterService,
    { metadata: { actor: HERE }, isDialling: () => false, hasSent: () => options.sent, inFlightCount: 0 } as unknown as DispatcherService,
    { unfollow: () => undefined, followingCount: 0 } as unknown as StatusFollowerService,
    { findByIds: () => Promise.resolve(new Map([[call.id, call]])) } as unknown as CallViewRepository,
    {
      load: () => Promise.resolve({ state: {}, history }),
      execute: (_id: string, command: { type: string; reason?: string }) => {
        commands.push(command);
        return Promise.resolve({ state: {}, events: [] });
      },
    } as unknown as CallCommandsService,
    { lastOutageEndedAt: null } as Database,
    { now: () => new Date(NOW) },
    loadConfig({}),
  );
  service.onApplicationBootstrap();
  const adopt = async () => {
    adopted$.next([call.id]);
    for (let i = 0; i < 10 && released.length === 0; i++) await new Promise((r) => setImmediate(r));
  };
  return { service, adopt, commands, released };
}

describe('LeaseTakeoverService with a dispatching call nobody here works on', () => {
  it('gives back an attempt this process claimed and never dialled (its claim commit outlived the connection)', async () => {
    const { service, adopt, commands, released } = setup({ startedBy: HERE, sent: false });
    await adopt();
    expect(commands.map((c) => c.type)).toEqual(['RecordDispatchUnavailable']);
    expect(commands[0].reason).toMatch(/^not dialled: /);
    expect(released).toEqual(['c1']);
    service.onModuleDestroy();
  });

  it('judges lost an attempt this process dialled without recording the answer: it may have been placed', async () => {
    const { service, adopt, commands } = setup({ startedBy: HERE, sent: true });
    await adopt();
    expect(commands.map((c) => c.type)).toEqual(['RecordLostAttempt']);
    service.onModuleDestroy();
  });

  it('judges lost an attempt another process started (it died, perhaps mid-dial)', async () => {
    const { service, adopt, commands } = setup({ startedBy: 'dispatcher@host-b:202', sent: false });
    await adopt();
    expect(commands.map((c) => c.type)).toEqual(['RecordLostAttempt']);
    service.onModuleDestroy();
  });
});
