import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { parseAnchor, verifyDatabase, type VerifyReport } from '../../../../libs/persistence/src/audit/index.js';
import { Database } from '../../../../libs/persistence/src/index.js';

@Injectable()
export class AuditService {
  // One scan at a time: concurrent requests for the same check share it.
  private readonly running = new Map<string, Promise<VerifyReport>>();

  constructor(@Inject(Database) private readonly db: Database) {}

  /**
   * Verifies the whole log in small pages, yielding to the event loop between them, so requests
   * and the dispatcher keep running while a long log is checked.
   */
  verify(anchorText?: string): Promise<VerifyReport> {
    let anchor = null;
    if (anchorText) {
      try {
        anchor = parseAnchor(anchorText);
      } catch (error) {
        throw new BadRequestException((error as Error).message);
      }
    }
    const key = anchorText ?? '';
    const existing = this.running.get(key);
    if (existing) return existing;
    const run = verifyDatabase(this.db, { pageSize: 1000, yieldBetweenPages: true, anchor }).finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }
}
