import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Requests whose handlers have not finished, so a server can close its database only after the
 * last of them. A request counts from Fastify's onRequest until its reply is about to be written
 * (onSend): not until the response is sent, because a client that gave up leaves a handler
 * running that Node never reports as finished, and it is that handler which would then meet a
 * closed database. Pages the fast path serves count while it works on them.
 */
export class RequestTracker {
  #inFlight = 0;
  #closing = false;
  #waiters: (() => void)[] = [];

  /** Set once shutdown begins: the fast path then leaves every request to Fastify, which refuses it with 503. */
  get closing(): boolean {
    return this.#closing;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  enter(): void {
    this.#inFlight++;
  }

  leave(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) for (const w of this.#waiters.splice(0)) w();
  }

  beginClosing(): void {
    this.#closing = true;
  }

  /** Resolves true once nothing is in flight, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }
}

const TRACKED = Symbol('tearline.tracked');
const trackers = new WeakMap<FastifyInstance, RequestTracker>();

/** Counts the app's requests in `tracker` (call before any other hook is added). */
export function trackRequests(app: FastifyInstance, tracker: RequestTracker): void {
  trackers.set(app, tracker);
  const leave = (request: FastifyRequest) => {
    const r = request as FastifyRequest & { [TRACKED]?: boolean };
    if (!r[TRACKED]) return;
    r[TRACKED] = false;
    tracker.leave();
  };
  app.addHook('onRequest', (request, reply, done) => {
    (request as FastifyRequest & { [TRACKED]?: boolean })[TRACKED] = true;
    tracker.enter();
    // A hijacked reply (the console's event stream) never reaches onSend: it leaves when it ends
    // (sent is true for it, false for a handler still working after its client left).
    const ended = () => {
      if (reply.sent) leave(request);
    };
    reply.raw.once('finish', ended);
    reply.raw.once('close', ended);
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    leave(request);
    done(null, payload);
  });
}

export interface ShutdownReport {
  /** Requests still in flight when the drain time ran out (0: all finished). */
  abandoned: number;
}

/**
 * Closes a server built by buildServer: stops accepting (new connections are refused, new
 * requests on open ones get 503 with Connection: close), waits up to `drainMs` for the requests
 * in flight to finish, then closes every connection left. The database may close afterwards.
 */
export async function closeServer(app: FastifyInstance, drainMs: number): Promise<ShutdownReport> {
  const tracker = trackers.get(app);
  tracker?.beginClosing();
  const closed = app.close();
  const drained = tracker ? await tracker.idle(drainMs) : true;
  const abandoned = drained ? 0 : (tracker?.inFlight ?? 0);
  // Keep-alive connections would otherwise hold the close open until their timeout (72 s).
  app.server.closeAllConnections();
  await closed;
  return { abandoned };
}
