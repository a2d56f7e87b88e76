import { describe, expect, it } from 'vitest';
import { type LoopDelayWindow, watchLoopDelay } from './loop-delay-watch.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // holds the event loop, as a synchronous pass on the serving thread would
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event-loop delay watch', () => {
  it('reports a window in which the loop was held, with how long', async () => {
    const seen: LoopDelayWindow[] = [];
    const stop = watchLoopDelay((w) => seen.push(w), { windowMs: 300, reportAtMs: 100 });
    try {
      await sleep(50);
      busy(400);
      await sleep(700);
    } finally {
      stop();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen.map((w) => w.maxMs))).toBeGreaterThanOrEqual(300);
  });
});
