import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One window of the serving thread's event-loop delay. */
export interface LoopDelayWindow {
  p99Ms: number;
  maxMs: number;
}

/**
 * Watches how long the serving thread's event loop is held (perf_hooks' histogram of timer
 * lateness) and reports each window whose worst delay reaches `reportAtMs`: every request waits
 * at least that long then, whatever it asks. Returns the stop function.
 */
export function watchLoopDelay(
  onDelayed: (w: LoopDelayWindow) => void,
  opts: { windowMs?: number; reportAtMs?: number } = {},
): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    const w = { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    histogram.reset();
    if (w.maxMs >= (opts.reportAtMs ?? 100)) onDelayed(w);
  }, opts.windowMs ?? 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}
