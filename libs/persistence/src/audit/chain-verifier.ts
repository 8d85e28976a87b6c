import { canonicalRow, chainHash, GENESIS_HASH, hashCanonical } from '../hash-chain.js';
import type { EventRow } from '../event-row.js';

/** What a broken log looks like, as far as the evidence tells. */
export type ProblemKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'version' | 'malformed' | 'anchor';

/** The first thing wrong with the log: where, what, and why we think so. */
export interface Problem {
  position: number;
  kind: ProblemKind;
  message: string;
}

/** A row that failed one of the checks, with the evidence classify() needs. */
export interface Finding {
  position: number;
  // The position the row should have had (the previous row's + 1).
  expected: number;
  // chainHash(row.prevHash, row) === row.hash: the row is what was hashed when it was written.
  selfOk: boolean;
  // row.prevHash === the hash of the row before it in the log.
  linkOk: boolean;
  // Position of a recent row whose hash is row.prevHash (the row it was chained to), if seen.
  linksTo: number | null;
  // Set when the stream's version does not follow on: the version expected instead.
  versionExpected: number | null;
  row: EventRow | null;
  // Malformed input (offline file): what was wrong with which line.
  malformed?: string;
}

/** A hash recorded earlier (e.g. printed by a past verify): the row at `position` must still have it. */
export interface Anchor {
  position: number;
  hash: string;
}

/** Where a verification ended. */
export interface ChainSummary {
  events: number;
  streams: number;
  headPosition: number;
  headHash: string;
}

// Enough findings to tell a swap from a shift from a deletion; past this we stop reading.
export const MAX_FINDINGS = 8;
// How far back a row's prevHash is looked up among recent rows (to spot inserted rows).
const RECENT = 1024;
// Positions tried around a moved row before the whole range is searched.
const NEAR = 64;
// Whole-range searches are ~1 µs per position; only the first findings get one.
const FULL_SEARCHES = 3;

/**
 * Checks a log row by row in position order, in constant memory apart from one small number per
 * stream (its last version): positions gapless from 1, each row's hash over its own fields and its
 * predecessor's hash, stream versions 1, 2, 3…. Pure: the caller feeds rows from a database or a file.
 */
export class ChainVerifier {
  readonly findings: Finding[] = [];
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private events = 0;
  private headPosition = 0;
  private readonly versions = new Map<string, number>();
  private readonly recentHashes: string[] = new Array<string>(RECENT).fill('');
  private readonly recentPositions: number[] = new Array<number>(RECENT).fill(0);
  private recentNext = 0;
  private anchorSeen: string | null = null;

  constructor(private readonly anchor: Anchor | null = null) {}

  /** True once enough findings are in to classify the first one: stop feeding rows. */
  get done(): boolean {
    return this.findings.length >= MAX_FINDINGS;
  }

  push(row: EventRow): void {
    const expected = this.expected;
    const selfOk = chainHash(row.prevHash, row) === row.hash;
    const linkOk = row.prevHash === this.prevHash;
    const lastVersion = this.versions.get(row.streamId) ?? 0;
    const versionOk = row.version === lastVersion + 1;
    if (row.position !== expected || !selfOk || !linkOk || !versionOk) {
      this.findings.push({
        position: row.position,
        expected,
        selfOk,
        linkOk,
        linksTo: linkOk ? expected - 1 : this.findRecent(row.prevHash),
        versionExpected: versionOk ? null : lastVersion + 1,
        row,
      });
    }
    if (row.position === this.anchor?.position) this.anchorSeen = row.hash;
    // Resynchronise on the row as stored, so one bad row yields one finding, not a cascade.
    this.versions.set(row.streamId, row.version);
    this.prevHash = row.hash;
    this.expected = row.position + 1;
    this.headPosition = row.position;
    this.events += 1;
    const slot = this.recentNext++ % RECENT;
    this.recentHashes[slot] = row.hash;
    this.recentPositions[slot] = row.position;
  }

  /** A line of an exported file that is not an event row at all. */
  pushMalformed(line: number, reason: string): void {
    this.findings.push({
      position: this.expected,
      expected: this.expected,
      selfOk: false,
      linkOk: false,
      linksTo: null,
      versionExpected: null,
      row: null,
      malformed: `line ${line}: ${reason}`,
    });
  }

  summary(): ChainSummary {
    return { events: this.events, streams: this.versions.size, headPosition: this.headPosition, headHash: this.prevHash };
  }

  /** The first problem, classified; null when every row checked out. `lastPosition` bounds the search for moved rows. */
  firstProblem(lastPosition = this.headPosition): Problem | null {
    if (this.findings.length > 0) return classify(this.findings, Math.max(lastPosition, this.headPosition));
    return this.anchor ? this.anchorProblem(this.anchor) : null;
  }

  // A chain that checks out can still have lost its tail, or been rewritten from some row on with
  // every hash recomputed: only a hash recorded earlier tells.
  private anchorProblem(anchor: Anchor): Problem | null {
    if (this.anchorSeen === null) {
      return {
        position: this.headPosition + 1,
        kind: 'deleted',
        message: `the log ends at position ${this.headPosition}, before the anchor at ${anchor.position}: its tail was deleted`,
      };
    }
    if (this.anchorSeen !== anchor.hash) {
      return {
        position: anchor.position,
        kind: 'anchor',
        message: `row ${anchor.position} has hash ${this.anchorSeen}, not the anchored ${anchor.hash}: the log up to it was rewritten and re-hashed`,
      };
    }
    return null;
  }

  private findRecent(hash: string): number | null {
    const i = this.recentHashes.indexOf(hash);
    return i < 0 ? null : this.recentPositions[i];
  }
}

/** Names the first finding's problem, using the findings after it as further evidence. */
export function classify(findings: readonly Finding[], lastPosition: number): Problem {
  const searcher = new MoveSearch(lastPosition);
  const [f, ...rest] = findings;
  const q = f.position;
  if (f.malformed || !f.row) return { position: q, kind: 'malformed', message: f.malformed ?? 'malformed row' };

  if (q > f.expected) {
    const missing = q - f.expected;
    const range = missing === 1 ? `position ${f.expected} is` : `positions ${f.expected}–${q - 1} are`;
    return {
      position: f.expected,
      kind: 'deleted',
      message: `${range} missing: ${missing} row(s) deleted (the next row, ${q}, does not link to ${f.expected - 1})`,
    };
  }
  if (q < f.expected) {
    return { position: q, kind: 'reordered', message: `position ${q} comes after position ${f.expected - 1}: rows are out of order or duplicated` };
  }

  const next = rest.find((g) => g.position === q + 1);
  if (!f.selfOk) {
    const writtenAt = searcher.originalPosition(f.row);
    if (writtenAt === null) {
      if (next && insertedBefore(next, searcher) === q) return insertedProblem(q);
      return {
        position: q,
        kind: 'edited',
        message: `row ${q} (stream ${f.row.streamId} v${f.row.version}, ${f.row.type}) does not match its hash: its content or hash was edited`,
      };
    }
    if (writtenAt === q - 1 && f.linksTo === q - 2) return insertedProblem(q - 1);
    if (writtenAt > q && next?.row && !next.selfOk && searcher.originalPosition(next.row) === writtenAt + 1) {
      const gone = writtenAt - q;
      return {
        position: q,
        kind: 'deleted',
        message: `${gone} row(s) deleted at position ${q} and the later rows renumbered (the row now at ${q} was written at ${writtenAt})`,
      };
    }
    const partner = rest.find((g) => g.position === writtenAt && g.row && !g.selfOk && searcher.originalPosition(g.row) === q);
    const swapped = partner ? `: rows ${q} and ${writtenAt} swapped places` : '';
    return { position: q, kind: 'reordered', message: `the row at position ${q} was written at position ${writtenAt}${swapped}` };
  }
  if (!f.linkOk) {
    if (f.linksTo === q - 2) return insertedProblem(q - 1);
    return { position: q - 1, kind: 'edited', message: `row ${q - 1} was rewritten with a recomputed hash: row ${q} still links to the original` };
  }
  return {
    position: q,
    kind: 'version',
    message: `stream ${f.row.streamId}: version ${f.row.version} at position ${q} where version ${f.versionExpected} was due (versions must run 1, 2, 3…)`,
  };
}

function insertedProblem(position: number): Problem {
  return {
    position,
    kind: 'inserted',
    message: `row ${position} is not part of the chain: the next row links to row ${position - 1}, so a row was inserted here`,
  };
}

// The position a row was inserted before, judging by this (following) row, or null.
function insertedBefore(g: Finding, searcher: MoveSearch): number | null {
  if (!g.row || g.linksTo !== g.position - 2) return null;
  if (g.selfOk) return g.position - 1;
  return searcher.originalPosition(g.row) === g.position - 1 ? g.position - 1 : null;
}

/** Finds the position a row was hashed at, when only its position changed (a moved row). */
class MoveSearch {
  private readonly memo = new Map<EventRow, number | null>();
  private fullSearches = 0;

  constructor(private readonly lastPosition: number) {}

  originalPosition(row: EventRow): number | null {
    const known = this.memo.get(row);
    if (known !== undefined) return known;
    const found = this.search(row);
    this.memo.set(row, found);
    return found;
  }

  private search(row: EventRow): number | null {
    // The canonical row is a JSON array starting with the position: hash "[" + p + rest for each p.
    const rest = canonicalRow({ ...row, position: 0 }).slice(2);
    const matches = (p: number) => p >= 1 && p !== row.position && hashCanonical(row.prevHash, `[${p}${rest}`) === row.hash;
    for (let d = 1; d <= NEAR; d++) {
      if (matches(row.position - d)) return row.position - d;
      if (matches(row.position + d)) return row.position + d;
    }
    if (this.fullSearches++ >= FULL_SEARCHES) return null;
    const end = Math.max(this.lastPosition, row.position) + NEAR;
    for (let p = 1; p <= end; p++) if (Math.abs(p - row.position) > NEAR && matches(p)) return p;
    return null;
  }
}
