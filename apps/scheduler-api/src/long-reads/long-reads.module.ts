import { Module } from '@nestjs/common';
import { LongReadGate } from './long-read-gate.js';

/** The one LongReadGate shared by SSE catch-up, NDJSON export and audit verify. */
@Module({
  providers: [{ provide: LongReadGate, useFactory: () => new LongReadGate() }],
  exports: [LongReadGate],
})
export class LongReadsModule {}
