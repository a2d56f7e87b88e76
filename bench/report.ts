/**
 * One figure of a benchmark, printed as a JSON line for bench/run.mjs. `baseline` is the same
 * metric for the baseline measured in the same run; `ratio` = value / baseline.
 */
export interface BenchFigure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: string;
  met?: boolean;
}

export function report(figure: BenchFigure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Runs fn `runs` times and returns the median duration in milliseconds. */
export function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
