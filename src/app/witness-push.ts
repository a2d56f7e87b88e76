import { openCosignatures } from '../ledger/ledger-cosignature.js';
import { formatAddCheckpoint } from '../ledger/ledger-witness-request.js';
import type { CosignatureStore } from '../store/hub/cosignature-store.js';
import type { LedgerService } from '../store/ledger-service.js';
import { type PostAddCheckpoint, postAddCheckpoint } from '../witness/witness-client.js';
import type { WitnessTarget } from './witness-config.js';

export type WitnessPushResult =
  | { witness: string; ok: true; size: number; cosignedUnix: number; fresh: boolean }
  | {
      witness: string;
      ok: false;
      /**
       * 'inconsistent' and 'witness-ahead' are alarms, not outages: the witness holds a tree this
       * checkpoint does not extend (the ledger was rolled back, say from an old backup, or the
       * hub's key signed another history).
       */
      code:
        | 'no-checkpoint'
        | 'unreachable'
        | 'refused'
        | 'inconsistent'
        | 'bad-cosignature'
        | 'witness-ahead'
        | 'conflict-loop'
        | 'proof';
      message: string;
    };

export interface WitnessPushDeps {
  ledger: LedgerService;
  cosignatures: CosignatureStore;
  witnesses: readonly WitnessTarget[];
  now: () => Date;
  post?: PostAddCheckpoint;
  /** One pusher per witness across processes (the SQL port's runExclusive). */
  exclusive?: <T>(key: string, work: () => Promise<T>) => Promise<{ ran: true; result: T } | { ran: false }>;
  timeoutMs?: number;
  /**
   * Background pushes in flight at once. Each may hold a database connection for its lock while
   * it waits on a witness (PostgreSQL), so this stays well below a serving process's pool.
   */
  maxConcurrent?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** Every push that did something, for the log. */
  onResult?: (result: WitnessPushResult & { retryInMs?: number }) => void;
}

export interface WitnessStatus {
  name: string;
  url: string;
  failures: number;
  nextAttemptAt: number;
  lastError?: string;
}

/** Re-sending after a 409 twice more covers a witness that moved on meanwhile; more is a loop. */
const MAX_TRIES = 3;

/**
 * Gets the hub's latest checkpoint cosigned by each configured witness (C2SP tlog-witness): sends
 * it with a consistency proof from the size the witness holds, re-sends from the size a 409 names,
 * keeps each cosignature that verifies under the configured key. In the background (start/wake)
 * each witness is pushed on its own, never awaited by the hub's work; a witness that fails is
 * retried with exponential back-off. The latest checkpoint only: intermediate ones a witness
 * missed need no cosignature, the consistency proof covers them.
 */
export class WitnessPusher {
  readonly #deps: WitnessPushDeps;
  readonly #status = new Map<string, WitnessStatus>();
  /** The size each witness told us it holds (409), or cosigned for us. */
  readonly #held = new Map<string, number>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: WitnessPushDeps) {
    this.#deps = deps;
    for (const w of deps.witnesses)
      this.#status.set(w.key, { name: w.name, url: w.url, failures: 0, nextAttemptAt: 0 });
  }

  /** Pushes the latest checkpoint to one witness now, whatever its back-off. */
  async pushTo(w: WitnessTarget): Promise<WitnessPushResult> {
    const { ledger, cosignatures } = this.#deps;
    const failed = (
      code: Extract<WitnessPushResult, { ok: false }>['code'],
      message: string,
    ): WitnessPushResult => ({
      witness: w.name,
      ok: false,
      code,
      message,
    });
    let latest = await cosignatures.latestCheckpoint();
    if (!latest) return failed('no-checkpoint', 'the hub has signed no checkpoint yet');
    const stored = await cosignatures.heldSize(w.key);
    if (stored === latest.size) {
      const have = (await cosignatures.linesFor(latest.size)).find((c) => c.witnessKey === w.key);
      if (have)
        return {
          witness: w.name,
          ok: true,
          size: latest.size,
          cosignedUnix: have.cosignedUnix,
          fresh: false,
        };
    }
    let old = this.#held.get(w.key) ?? stored ?? 0;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      if (old > latest.size) {
        // Another process may have signed a newer checkpoint since: look once more.
        latest = (await cosignatures.latestCheckpoint()) ?? latest;
        if (old > latest.size)
          return failed(
            'witness-ahead',
            `the witness holds size ${old}, more than the hub's latest checkpoint (${latest.size}): it was shown a tree this hub never signed, or the ledger lost entries`,
          );
      }
      let proof: Uint8Array[] = [];
      if (old > 0 && old < latest.size) {
        const proved = await ledger.proveConsistency(old, latest.size);
        if (!proved.ok)
          return failed('proof', `consistency proof ${old} -> ${latest.size}: ${proved.message}`);
        proof = proved.proof;
      }
      const reply = await (this.#deps.post ?? postAddCheckpoint)(
        w.url,
        formatAddCheckpoint(old, proof, latest.note),
        {
          timeoutMs: this.#deps.timeoutMs ?? 10_000,
          signal: this.#abort.signal,
        },
      );
      if (reply.kind === 'unreachable') return failed('unreachable', reply.message);
      if (reply.kind === 'refused') {
        // 422: the checkpoint does not extend what the witness cosigned before.
        return failed(
          reply.status === 422 ? 'inconsistent' : 'refused',
          `the witness refused checkpoint ${latest.size} (HTTP ${reply.status}): ${reply.message}`,
        );
      }
      if (reply.kind === 'conflict') {
        if (reply.size === old)
          return failed('conflict-loop', `the witness answered 409 naming the size sent (${old})`);
        old = reply.size;
        this.#held.set(w.key, old);
        continue;
      }
      const opened = openCosignatures(`${latest.note}${reply.body}`, [w.verifier]);
      const cosignature = opened.ok ? opened.cosignatures[0] : undefined;
      if (!cosignature || cosignature.timestamp <= 0) {
        return failed(
          'bad-cosignature',
          opened.ok
            ? `the witness answered 200 without a cosignature by its configured key ${w.name}`
            : `the witness's answer: ${opened.message}`,
        );
      }
      await cosignatures.save(
        {
          size: latest.size,
          witnessKey: w.key,
          witnessName: w.name,
          cosignedUnix: cosignature.timestamp,
          line: cosignature.line,
        },
        this.#deps.now(),
      );
      this.#held.set(w.key, latest.size);
      return {
        witness: w.name,
        ok: true,
        size: latest.size,
        cosignedUnix: cosignature.timestamp,
        fresh: true,
      };
    }
    return failed('conflict-loop', `the witness kept answering 409 (last: it holds ${old})`);
  }

  /** Every witness at once (the CLI after it signs): waits for all, each bounded by the timeout. */
  pushAll(): Promise<WitnessPushResult[]> {
    return Promise.all(this.#deps.witnesses.map((w) => this.pushTo(w)));
  }

  /** Pushes in the background every `intervalMs` and on wake(), until stop(). */
  start(intervalMs = 2000): void {
    this.#timer = setInterval(() => this.wake(), intervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Starts a push to every witness that is idle and not backing off; returns at once. */
  wake(): void {
    if (this.#abort.signal.aborted) return;
    const now = Date.now();
    const max = this.#deps.maxConcurrent ?? 3;
    for (const w of this.#deps.witnesses) {
      const status = this.#status.get(w.key) as WitnessStatus;
      if (this.#running.size >= max) break;
      if (this.#running.has(w.key) || now < status.nextAttemptAt) continue;
      const run = this.#pushInBackground(w, status).finally(() => this.#running.delete(w.key));
      this.#running.set(w.key, run);
    }
  }

  async #pushInBackground(w: WitnessTarget, status: WitnessStatus): Promise<void> {
    let result: WitnessPushResult;
    try {
      const exclusive = this.#deps.exclusive;
      const ran = exclusive ? await exclusive(`witness-push:${w.key}`, () => this.pushTo(w)) : undefined;
      if (ran && !ran.ran) return; // another process is pushing to this witness
      result = ran?.ran ? ran.result : await this.pushTo(w);
    } catch (err) {
      result = { witness: w.name, ok: false, code: 'unreachable', message: (err as Error).message };
    }
    if (this.#abort.signal.aborted) return;
    if (result.ok) {
      status.failures = 0;
      status.nextAttemptAt = 0;
      delete status.lastError;
      if (result.fresh) this.#deps.onResult?.(result);
      return;
    }
    if (result.code === 'no-checkpoint') return;
    status.failures++;
    const { baseMs, maxMs } = this.#deps.backoff ?? { baseMs: 1000, maxMs: 300_000 };
    // Exponential, with jitter so that a witness coming back is not hit by every hub at once.
    const delay =
      Math.min(maxMs, baseMs * 2 ** (status.failures - 1)) * (0.5 + (this.#deps.random ?? Math.random)() / 2);
    status.nextAttemptAt = Date.now() + delay;
    status.lastError = result.message;
    this.#deps.onResult?.({ ...result, retryInMs: Math.round(delay) });
  }

  status(): WitnessStatus[] {
    return [...this.#status.values()].map((s) => ({ ...s }));
  }

  /** Stops the timer, aborts requests in flight and waits for them to settle. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#abort.abort();
    await Promise.allSettled(this.#running.values());
  }
}
