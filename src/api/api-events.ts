import type { FastifyInstance } from 'fastify';
import { loadPartnerFacts } from '../release/release-facts.js';
import type { ConsoleContext } from './api-context.js';

/** What the console redraws on: each part changes when its stamp does. */
export interface ChangeStamps {
  intel: string;
  queue: string;
  conditions: string;
  /** The settings in force (serve re-reads them when a file changes or on SIGHUP). */
  settings: string;
  /** Partner submissions received or reviewed. */
  submissions: string;
}

/**
 * Condition statuses change by an event (attestation, suspension, agreement, feedback) or by
 * time passing a `changes_at`. They are evaluated again only then: evaluation reads each
 * partner's whole neighbourhood, too much to do every second.
 */
export class ConditionStamp {
  #key = '';
  #nextChangeMs = Number.POSITIVE_INFINITY;
  #value = '';

  async read(ctx: ConsoleContext): Promise<string> {
    const { state } = ctx.hub;
    const now = ctx.hub.clock.now().getTime();
    const key = await ctx.stamps.conditionInputs();
    if (key === this.#key && now < this.#nextChangeMs) return this.#value;
    this.#key = key;
    this.#nextChangeMs = Number.POSITIVE_INFINITY;
    const parts: string[] = [];
    for (const p of await state.partners.list()) {
      const states = (await loadPartnerFacts(state, p, now)).conditions;
      for (const c of states) {
        const at = c.changes_at ? Date.parse(c.changes_at) : Number.NaN;
        if (at > now) this.#nextChangeMs = Math.min(this.#nextChangeMs, at);
      }
      parts.push(`${p.id}:${states.map((c) => c.status).join(',')}`);
    }
    this.#value = parts.join(';');
    return this.#value;
  }
}

export async function readStamps(ctx: ConsoleContext, conditions: ConditionStamp): Promise<ChangeStamps> {
  const { stamps } = ctx;
  const intel = await stamps.intel();
  const queue = await stamps.queue();
  const settings = ctx.policy.current();
  const submissions = await stamps.submissions();
  return {
    intel,
    queue,
    conditions: await conditions.read(ctx),
    settings: `${settings.digest}/${settings.error?.at ?? ''}`,
    submissions,
  };
}

/**
 * Server-Sent Events at /api/events: one `change` event naming the parts that changed, checked
 * every `intervalMs` by one timer for all listeners (the checks are a few indexed counts).
 */
export function registerEventRoutes(app: FastifyInstance, ctx: ConsoleContext, intervalMs: number): void {
  // Each listener compares with the stamps it had when it connected, so a change that lands
  // between a page's connection and the next tick is still announced to it.
  const listeners = new Map<(data: string) => void, { last: ChangeStamps }>();
  const conditions = new ConditionStamp();
  let checking = false;
  const check = async () => {
    const now = await readStamps(ctx, conditions);
    for (const [send, state] of listeners) {
      const changed = (Object.keys(now) as (keyof ChangeStamps)[]).filter((k) => now[k] !== state.last[k]);
      if (changed.length > 0) send(JSON.stringify({ changed }));
      state.last = now;
    }
  };
  const timer = setInterval(() => {
    // One check at a time: a slow one is not overlapped by the next tick.
    if (listeners.size === 0 || checking) return;
    checking = true;
    check()
      .catch((err: unknown) => app.log.error({ err: (err as Error).message }, 'console events check failed'))
      .finally(() => {
        checking = false;
      });
  }, intervalMs);
  timer.unref();
  const open = new Set<NodeJS.WritableStream>();
  // Streams never end by themselves: end them first, or closing the server would wait forever.
  app.addHook('preClose', async () => {
    clearInterval(timer);
    for (const res of open) res.end();
  });

  app.get('/api/events', { config: { action: 'read' } }, async (request, reply) => {
    // The stamps the page is compared with are read before the stream opens.
    const last = await readStamps(ctx, conditions);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    res.write(': tearline console events\n\n');
    const send = (data: string) => res.write(`event: change\ndata: ${data}\n\n`);
    listeners.set(send, { last });
    open.add(res);
    request.raw.on('close', () => {
      listeners.delete(send);
      open.delete(res);
    });
  });
}
