import { BadRequestException, Injectable } from '@nestjs/common';
import { parseAnchor, verifyDatabase, type VerifyReport } from '#persistence/audit';
import { Database, SerialLock } from '#persistence';
import { LongReadGate, type HeaderSink } from '../log/long-read-gate.js';

// Rows per page. Hashing is the per-row cost (no JSON parse): a page of 500 takes a few ms.
const VERIFY_PAGE = 500;

@Injectable()
export class AuditService {
  // Concurrent requests for the same check share one scan.
  private readonly running = new Map<string, Promise<VerifyReport>>();
  // Different checks run one after the other: two scans at once would each take twice as long and
  // give the dispatcher nothing back (pages take turns anyway).
  private readonly oneAtATime = new SerialLock();

  constructor(
    private readonly db: Database,
    private readonly gate: LongReadGate,
  ) {}

  /**
   * Verifies the whole log in small pages, each in the long reads' rotation (LongReadGate), so
   * requests and the dispatcher keep running while a long log is checked. A new scan counts as a
   * long read of `client` (429/503 with Retry-After on `res` when there are too many).
   */
  verify(anchorText: string | undefined, client: string, res: HeaderSink): Promise<VerifyReport> {
    let anchor = null;
    if (anchorText) {
      try {
        anchor = parseAnchor(anchorText);
      } catch (error) {
        const message = (error as Error).message;
        throw new BadRequestException({ message, fields: { anchor: [message] } });
      }
    }
    const key = anchorText ?? '';
    const existing = this.running.get(key);
    if (existing) return existing;
    const read = this.gate.admit(client, res);
    const run = this.oneAtATime
      .run(async () => {
        await read.started;
        return verifyDatabase(this.db, { pageSize: VERIFY_PAGE, turn: (page) => read.page(page), anchor });
      })
      .finally(() => {
        read.release();
        this.running.delete(key);
      });
    this.running.set(key, run);
    return run;
  }
}
