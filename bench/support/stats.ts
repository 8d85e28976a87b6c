import { cpus, loadavg, totalmem } from 'node:os';

/** The p-th percentile (0–100) of already sorted numbers, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** What the figures were measured on. */
export function machine(): string {
  const model = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const gib = totalmem() / 1024 ** 3;
  return `${cpus().length} CPU(s) (nproc), ${model}, ${gib.toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** One printed figure: measured value per run, the median, and the goal it is held against. */
export interface Figure {
  name: string;
  unit: string;
  runs: number[];
  goal?: { op: '>=' | '<='; value: number };
  digits?: number;
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) {
    const med = median(f.runs);
    const goal = f.goal ? `goal ${f.goal.op} ${f.goal.value} ${f.unit}` : '';
    const verdict = f.goal ? ((f.goal.op === '>=' ? med >= f.goal.value : med <= f.goal.value) ? 'met' : 'MISSED') : '';
    console.log(
      `  ${f.name.padEnd(width)}  median ${fmt(med, f.digits).padStart(9)} ${f.unit.padEnd(7)}` +
        `  runs [${f.runs.map((r) => fmt(r, f.digits)).join(', ')}]  ${goal}${verdict ? ` (${verdict})` : ''}`,
    );
  }
}
