import { CALL_API_STREAM, decide, DEFAULT_POLICY, evolve, initialState, SCHEMA_VERSIONS, type CallCommand, type CallState } from '#domain';
import { ProjectionFolder, type FoldRow, type StreamHistory } from './projection-folder.js';

const T0 = new Date('2026-03-01T09:00:00.000Z');

/** A log built the way the service writes it: commands through decide + evolve, positions in order. */
class Log {
  readonly rows: FoldRow[] = [];
  readonly states = new Map<string, CallState>();

  run(id: string, ...commands: CallCommand[]): this {
    let state = this.states.get(id) ?? initialState(id);
    for (const command of commands) {
      for (const event of decide(command, state, T0, DEFAULT_POLICY)) {
        state = evolve(state, event);
        this.rows.push({
          position: this.rows.length + 1,
          streamId: id,
          version: state.version,
          type: event.type,
          schemaVersion: SCHEMA_VERSIONS[event.type],
          data: JSON.stringify(event.data),
          occurredAt: event.occurredAt,
        });
      }
    }
    this.states.set(id, state);
    return this;
  }
}

const schedule: CallCommand = { type: 'ScheduleCall', phoneNumber: '+1 415 555 0100' };
const cancel: CallCommand = { type: 'CancelCall', reason: 'customer asked' };
const noHistory: StreamHistory = () => Promise.reject(new Error('history not expected'));

async function fold(rows: readonly FoldRow[], history = noHistory): Promise<ProjectionFolder> {
  const folder = new ProjectionFolder();
  await folder.applyPage(rows, history);
  return folder;
}

describe('ProjectionFolder', () => {
  it('folds to the states the decider reached, holding only unfinished calls', async () => {
    const log = new Log().run('a', schedule).run('b', schedule, cancel);
    const folder = await fold(log.rows);
    expect(folder.events).toBe(log.rows.length);
    expect(folder.openCalls).toBe(1);
    // The cancelled call is final: its row is due now; the open one only at the end.
    expect([...folder.dirty.keys()]).toEqual(['b']);
    expect(folder.dirty.get('b')).toEqual(log.states.get('b'));
    folder.flushOpen();
    const { append, replace } = folder.takeDirty();
    expect(replace).toEqual([]);
    expect(append).toEqual(expect.arrayContaining([log.states.get('a'), log.states.get('b')]));
    expect(folder.dirty.size).toBe(0);
  });

  it('leaves the Call API availability stream out of the projection', async () => {
    const rows: FoldRow[] = [
      { position: 1, streamId: CALL_API_STREAM, version: 1, type: 'CallApiUnavailable', schemaVersion: 1, data: '{}', occurredAt: T0.toISOString() },
    ];
    const folder = await fold(rows);
    expect(folder.events).toBe(0);
    expect(folder.openCalls).toBe(0);
  });

  it('re-reads a finished stream that turns up again, and marks its row for replacing', async () => {
    const log = new Log().run('a', schedule, cancel);
    const folder = await fold(log.rows);
    folder.takeDirty();
    // A later event of the same stream (a log this code did not write).
    const late: FoldRow = { ...log.rows[0], position: 10, version: 3 };
    const asked: [string, number][] = [];
    await folder.applyPage([late], (streamId, before) => {
      asked.push([streamId, before]);
      return Promise.resolve(log.rows);
    });
    expect(asked).toEqual([['a', 10]]);
    folder.flushOpen();
    expect(folder.takeDirty().replace.map((s) => s.id)).toEqual(['a']);
  });

  it('counts anomalies and goes on: a version gap, an unknown type, unreadable data', async () => {
    const log = new Log().run('a', schedule);
    const first = log.rows[0];
    const rows: FoldRow[] = [
      first,
      { ...first, position: 2, version: 3, type: 'CallRescheduled' },
      // The fold counts on from the row it took (version 2): these follow on, each wrong in one way.
      { ...first, position: 3, version: 3, type: 'SomethingNew' },
      { ...first, position: 4, version: 4, type: 'CallCancelled', data: '{' },
    ];
    const folder = await fold(rows);
    expect(folder.anomalies).toBe(3);
    expect(folder.firstAnomalies.map((a) => a.position)).toEqual([2, 3, 4]);
    expect(folder.firstAnomalies[0].message).toBe('version 3 follows version 1');
    expect(folder.firstAnomalies[1].message).toBe('unknown event type SomethingNew');
    expect(folder.firstAnomalies[2].message).toMatch(/^cannot read the event/);
  });

  it('while catching up, every touched call replaces its row', async () => {
    const log = new Log().run('a', schedule);
    const folder = await fold(log.rows);
    folder.flushOpen();
    folder.takeDirty();
    folder.startCatchUp();
    log.run('a', cancel);
    await folder.applyPage(log.rows.slice(1), noHistory);
    const { append, replace } = folder.takeDirty();
    expect(append).toEqual([]);
    expect(replace).toEqual([log.states.get('a')]);
  });
});
