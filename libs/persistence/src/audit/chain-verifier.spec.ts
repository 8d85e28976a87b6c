import type { EventRow } from '../event-row.js';
import { chainHash, GENESIS_HASH } from '../hash-chain.js';
import { ChainVerifier, type Problem } from './chain-verifier.js';

/** A well-formed log of `n` rows over two streams, chained as EventStore writes it. */
function log(n: number): EventRow[] {
  const rows: EventRow[] = [];
  const versions = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  for (let position = 1; position <= n; position++) {
    const streamId = position % 2 === 0 ? 'call-b' : 'call-a';
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    rows.push(
      chained({
        position,
        eventId: `e${position}`,
        streamId,
        version,
        type: 'CallScheduled',
        schemaVersion: 1,
        data: `{"n":${position}}`,
        metadata: '{}',
        occurredAt: '2026-03-01T09:00:00.000Z',
        prevHash,
        hash: '',
      }),
    );
    prevHash = rows[rows.length - 1].hash;
  }
  return rows;
}

function chained(row: EventRow): EventRow {
  return { ...row, hash: chainHash(row.prevHash, row) };
}

/** Re-chains rows from index `from` on (a forger recomputing every later hash). */
function rechain(rows: EventRow[], from: number): EventRow[] {
  const out = rows.slice(0, from);
  for (const row of rows.slice(from)) out.push(chained({ ...row, prevHash: out.length > 0 ? out[out.length - 1].hash : GENESIS_HASH }));
  return out;
}

// Jest types its asymmetric matchers `any`; as `unknown` they sit in toMatchObject's expected shape.
function containing(text: string): unknown {
  return expect.stringContaining(text);
}

function check(rows: EventRow[], anchor: { position: number; hash: string } | null = null): Problem | null {
  const verifier = new ChainVerifier(anchor);
  for (const row of rows) {
    verifier.push(row);
    if (verifier.done) break;
  }
  return verifier.firstProblem();
}

describe('ChainVerifier', () => {
  it('passes an intact log and sums it up', () => {
    const rows = log(10);
    const verifier = new ChainVerifier();
    for (const row of rows) verifier.push(row);
    expect(verifier.firstProblem()).toBeNull();
    expect(verifier.summary()).toEqual({ events: 10, streams: 2, headPosition: 10, headHash: rows[9].hash });
  });

  it('names an edited row', () => {
    const rows = log(10);
    rows[4] = { ...rows[4], data: '{"n":"forged"}' };
    expect(check(rows)).toMatchObject({ position: 5, kind: 'edited' });
  });

  it('names a row rewritten with a recomputed hash by the next row that still links to the original', () => {
    const rows = log(10);
    rows[4] = chained({ ...rows[4], data: '{"n":"forged"}' });
    expect(check(rows)).toMatchObject({ position: 5, kind: 'edited' });
  });

  it('names deleted rows and how many', () => {
    const rows = log(10);
    rows.splice(3, 2);
    expect(check(rows)).toMatchObject({ position: 4, kind: 'deleted', message: containing('2 row(s) deleted') });
  });

  it('names two swapped rows', () => {
    const rows = log(10);
    const [a, b] = [rows[3], rows[6]];
    rows[3] = { ...b, position: 4 };
    rows[6] = { ...a, position: 7 };
    expect(check(rows)).toMatchObject({ position: 4, kind: 'reordered', message: containing('swapped') });
  });

  it('names an inserted row', () => {
    const rows = log(10);
    const intruder = chained({ ...rows[4], eventId: 'x', streamId: 'call-c', version: 1, prevHash: rows[4].hash, position: 6 });
    const after = rows.slice(5).map((row) => ({ ...row, position: row.position + 1 }));
    expect(check([...rows.slice(0, 5), intruder, ...after])).toMatchObject({ position: 6, kind: 'inserted' });
  });

  it('names a stream whose versions do not run 1, 2, 3…', () => {
    const rows = log(6);
    rows[5] = { ...rows[5], version: 5 };
    expect(check(rechain(rows, 5))).toMatchObject({ position: 6, kind: 'version', message: containing('version 3 was due') });
  });

  it('needs an anchor to notice a lost tail or a log re-hashed from some row on', () => {
    const rows = log(10);
    const anchor = { position: 8, hash: rows[7].hash };
    expect(check(rows.slice(0, 6))).toBeNull();
    expect(check(rows.slice(0, 6), anchor)).toMatchObject({ position: 7, kind: 'deleted' });
    const rewritten = rows.slice();
    rewritten[2] = { ...rewritten[2], data: '{"n":"forged"}' };
    const rehashed = rechain(rewritten, 2);
    expect(check(rehashed)).toBeNull();
    expect(check(rehashed, anchor)).toMatchObject({ position: 8, kind: 'anchor' });
  });

  it('reports a malformed line of a file as such', () => {
    const verifier = new ChainVerifier();
    verifier.push(log(1)[0]);
    verifier.pushMalformed(2, 'not valid JSON');
    expect(verifier.firstProblem()).toMatchObject({ position: 2, kind: 'malformed', message: 'line 2: not valid JSON' });
  });
});
