/** One line of the scheduler's JSON log (pino): level name, ISO time, context, msg, and any fields. */
export interface LogRecord {
  level: string;
  time: string;
  msg: string;
  context?: string;
  requestId?: string;
  err?: { message?: string; stack?: string };
  [field: string]: unknown;
}

/** Every JSON line of a process's output; anything else (a crash's plain text) is left out. */
export function logRecords(output: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line) as LogRecord);
    } catch {
      // a line cut off by the process's end
    }
  }
  return records;
}

/**
 * The output as a person reads it: `ERROR [Context] message` for each JSON line (with an error's
 * stack), plain lines as they are. For tests that look for words in what the scheduler said.
 */
export function logText(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      const [record] = line.startsWith('{') ? logRecords(line) : [];
      if (!record) return line;
      const stack = record.err?.stack ? `\n${record.err.stack}` : '';
      return `${record.level.toUpperCase()} [${record.context ?? ''}] ${record.msg ?? ''}${stack}`;
    })
    .join('\n');
}
