import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Database, openDataSource } from '#persistence';

/** Opens the database the service uses (DATABASE_URL, default sqlite:data/calls.db), migrations included. */
export async function openDatabase(): Promise<Database> {
  return new Database(await openDataSource(process.env.DATABASE_URL));
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Returns a callback that runs a full garbage collection every `every` rows. Folding a long log
 * promotes short-lived strings (each event's fields, held by an open call until its next event),
 * and V8 lets ~100 MB of that garbage pile up before it collects; a collection every 100,000 events
 * (~15 ms) keeps peak RSS flat. (--expose-gc at run time, as Jest does for --logHeapUsage.)
 */
export function periodicGc(every = 100_000): (done: number) => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let next = every;
  return (done) => {
    if (done < next) return;
    gc();
    next = done + every;
  };
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Progress on stdout: a redrawn bar when it is a terminal, otherwise a plain line every few seconds
 * (logs and CI output stay readable).
 */
export class Progress {
  // Typed boolean, but undefined when stdout is not a terminal.
  private readonly tty = (process.stdout.isTTY as boolean | undefined) === true;
  private last = 0;
  private drawn = false;

  constructor(private readonly label: string) {}

  update(done: number, total: number, perSecond: number, extra = ''): void {
    const now = performance.now();
    if (now - this.last < (this.tty ? 100 : 2000)) return;
    this.last = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const rate = `${fmt(perSecond)} events/s`;
    if (this.tty) {
      const width = 30;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
      process.stdout.write(`\r${this.label} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(total)} ${rate}${extra}\x1b[K`);
      this.drawn = true;
    } else {
      process.stdout.write(`${this.label}: ${fmt(done)}/${fmt(total)} (${(share * 100).toFixed(0)}%) ${rate}${extra}\n`);
    }
  }

  /** Ends the bar's line so the summary starts on a fresh one. */
  done(): void {
    if (this.drawn) process.stdout.write('\n');
    this.drawn = false;
  }
}

/** Runs a CLI body: exit code from its result, 2 with the message on any error. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/** A subcommand's body: the arguments after its name in, the exit code out. */
export type Command = (args: string[]) => Promise<number>;

/**
 * Runs a CLI of subcommands (`npm run audit -- verify …`): the one named first gets the rest of the
 * arguments; none, `--help` or an unknown name prints the usage on stderr (exit 0, 0 and 2).
 */
export function runCommands(usage: string, commands: Record<string, Command>): void {
  runCli(async () => {
    const args = process.argv.slice(2);
    const name = args.at(0);
    if (name !== undefined && Object.hasOwn(commands, name)) return commands[name](args.slice(1));
    process.stderr.write(`${usage}\n`);
    return name === undefined || name === '--help' ? 0 : 2;
  });
}
