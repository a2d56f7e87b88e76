import type { ImportSummary } from '../ingest/import-summary.js';

/** A one-line progress display on a terminal (objects/s, ETA when the size is known); silent otherwise. */
export function createProgress(totalBytes: number | undefined): {
  update(s: ImportSummary, bytes: number): void;
  done(): void;
} {
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(s, bytes) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < 200) return;
      lastDraw = now;
      const secs = Math.max((now - start) / 1000, 0.001);
      const rate = Math.round(s.read / secs);
      let eta = '';
      if (totalBytes && bytes > 0) {
        const left = ((totalBytes - bytes) / bytes) * secs;
        eta = ` ETA ${Math.max(0, Math.round(left))}s`;
        const pct = Math.min(100, Math.floor((bytes / totalBytes) * 100));
        eta = ` ${pct}%${eta}`;
      }
      process.stderr.write(`\r${s.read} objects, ${rate}/s${eta}   `);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
