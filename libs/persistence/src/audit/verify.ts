import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Database } from '../database.js';
import type { SealLag } from '../dialect.js';
import { ChainVerifier, type Anchor, type ChainSummary, type Problem } from './chain-verifier.js';
import { eventPages, lastPosition, type PageOptions } from '../event-log.js';
import { parseNdjsonLine } from './ndjson.js';

export interface VerifyOptions extends Pick<PageOptions, 'pageSize' | 'yieldBetweenPages' | 'turn'> {
  anchor?: Anchor | null;
  // Called after each page (database) or every 10,000 lines (file) with the rows checked so far.
  onProgress?: (checked: number) => void;
}

/** The outcome of a verification: intact (problem null) or the first bad position and what is wrong. */
export interface VerifyReport extends ChainSummary {
  ok: boolean;
  problem: Problem | null;
  // How many rows failed a check before reading stopped (at most MAX_FINDINGS).
  findings: number;
  seconds: number;
  eventsPerSecond: number;
  // The database's unsealed tail (PostgreSQL: committed, not yet placed in the log, so not verified
  // yet); null for a file.
  unsealed: SealLag | null;
}

/**
 * Streams the whole log from the database and checks the chain, positions and stream versions of
 * the sealed events (the log proper); reports the unsealed tail beside it.
 */
export async function verifyDatabase(db: Database, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const verifier = new ChainVerifier(options.anchor ?? null);
  for await (const page of eventPages(db, options)) {
    for (const row of page) {
      verifier.push(row);
      if (verifier.done) break;
    }
    options.onProgress?.(verifier.summary().events);
    if (verifier.done) break;
  }
  // Stopped early: moved rows may come from anywhere up to the real end of the log.
  const last = verifier.findings.length > 0 ? await lastPosition(db) : undefined;
  return { ...report(verifier, started, last), unsealed: await db.read((m) => db.dialect.sealLag(m)) };
}

/** Checks an exported NDJSON file offline, without the database: the same checks as verifyDatabase. */
export async function verifyFile(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const verifier = new ChainVerifier(options.anchor ?? null);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const row = parseNdjsonLine(line);
      if (typeof row === 'string') verifier.pushMalformed(lineNumber, row);
      else verifier.push(row);
      if (verifier.done) break;
      if (lineNumber % 10_000 === 0) options.onProgress?.(verifier.summary().events);
    }
  } finally {
    lines.close();
  }
  return report(verifier, started);
}

function report(verifier: ChainVerifier, started: number, last?: number): VerifyReport {
  const seconds = (performance.now() - started) / 1000;
  const summary = verifier.summary();
  const problem = verifier.firstProblem(last);
  return {
    ok: problem === null,
    problem,
    findings: verifier.findings.length,
    ...summary,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(summary.events / seconds) : 0,
    unsealed: null,
  };
}

/** "1000000:ab12…" (as printed by verify) → an anchor; throws on anything else. */
export function parseAnchor(text: string): Anchor {
  const match = /^(\d+):([0-9a-f]{64})$/i.exec(text.trim());
  if (!match) throw new Error(`an anchor is POSITION:HASH (64 hex digits), got "${text}"`);
  return { position: Number(match[1]), hash: match[2].toLowerCase() };
}
