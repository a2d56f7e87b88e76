/**
 * Checkpoints are public: anyone holding one learns the tree size, and a partner that polls them
 * learns how many entries (releases to others, approvals, imports) the hub made between two
 * polls. Signed at every batch of work, sizes would move release by release and time each one.
 * So the hub signs in fixed steps: the checkpoint due at `now` covers exactly the entries dated
 * before the start of the current interval (epoch-aligned), whoever signs it and whenever. Sizes
 * then move once an interval, and tell a watcher only how many entries each interval held.
 */
export interface CheckpointSchedule {
  /** Interval length; 0 signs the whole tree whenever asked (tests, demos: sizes then leak). */
  intervalMs: number;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** The start of the interval `now` falls in: the instant the due checkpoint covers entries before. */
export function checkpointBoundary(now: Date, intervalMs: number): Date {
  const t = now.getTime();
  return new Date(t - (((t % intervalMs) + intervalMs) % intervalMs));
}
