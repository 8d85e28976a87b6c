import type { CallView } from '#domain';
import { DatabaseUnavailableError, type CallViewRepository } from '#persistence';
import type { CallCommandsService } from '../commands/call-commands.service.js';
import type { Clock } from '../common/clock.js';
import { loadConfig } from '../config/app-config.js';
import type { CallApiClient } from './call-api.client.js';
import { StatusFollowerService } from './status-follower.service.js';

// The follower through a database outage, everything around it faked.

const outage = () => new DatabaseUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(options: { views?: Partial<CallViewRepository>; commands?: Partial<CallCommandsService>; callApi?: Partial<CallApiClient>; clock?: Clock }) {
  const config = loadConfig({ FOLLOW_INTERVAL_MS: '10', FOLLOW_MAX_INTERVAL_MS: '20', FOLLOW_NOT_FOUND_LIMIT: '1' });
  return new StatusFollowerService(
    options.commands as CallCommandsService,
    options.views as CallViewRepository,
    options.callApi as CallApiClient,
    config,
    options.clock ?? { now: () => new Date() },
    // One instance (SQLite): nothing is leased.
    { enabled: false, hold: () => undefined, release: () => undefined } as never,
  );
}

describe('StatusFollowerService during a database outage', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let follower: StatusFollowerService | undefined;

  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });

  afterEach(() => {
    follower?.beforeApplicationShutdown();
    process.off('unhandledRejection', onUnhandled);
  });

  it('starts although the database is down, and re-follows live calls once it is back', async () => {
    let reads = 0;
    const live = { id: 'c1', providerCallId: 'p1' } as CallView;
    const views = { inStatuses: async () => (++reads === 1 ? Promise.reject(outage()) : [live]) };
    const callApi = { getCall: () => new Promise<never>(() => undefined) };
    follower = setup({ views, callApi: callApi });

    await expect(follower.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(follower.followingCount).toBe(0);
    await sleep(1200);
    expect(reads).toBe(2);
    expect(follower.followingCount).toBe(1);
  });

  it('catches a failed LoseTracking and tries again at the next poll', async () => {
    const commands: string[] = [];
    const executeWithRetry = (_id: string, command: { type: string }) => {
      commands.push(command.type);
      if (commands.length === 1) return Promise.reject(outage());
      return Promise.resolve({ state: { status: 'outcome-unknown' }, events: [] });
    };
    const callApi = { getCall: () => Promise.resolve({ ok: false, notFound: true, reason: 'the Call API does not know it' }) };
    follower = setup({ commands: { executeWithRetry } as unknown as CallCommandsService, callApi: callApi as unknown as CallApiClient });

    follower.follow('c1', 'p1');
    await sleep(200);
    expect(commands).toEqual(['LoseTracking', 'LoseTracking']);
    expect(follower.followingCount).toBe(0);
    expect(unhandled).toEqual([]);
  });

  it('gives a call up after FOLLOW_GIVE_UP_MS by the Clock, not by the wall time', async () => {
    const commands: string[] = [];
    const executeWithRetry = (_id: string, command: { type: string }) => {
      commands.push(command.type);
      return Promise.resolve({ state: { status: command.type === 'LoseTracking' ? 'untracked' : 'ringing' }, events: [] });
    };
    const callApi = { getCall: () => Promise.resolve({ ok: true, status: 'ringing', duration: null }) };
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };
    follower = setup({ commands: { executeWithRetry } as unknown as CallCommandsService, callApi: callApi as unknown as CallApiClient, clock });

    follower.follow('c1', 'p1');
    await sleep(60);
    expect(commands).not.toContain('LoseTracking');
    now += loadConfig({}).followGiveUpMs + 1;
    await sleep(60);
    expect(commands).toContain('LoseTracking');
    expect(follower.followingCount).toBe(0);
  });
});
