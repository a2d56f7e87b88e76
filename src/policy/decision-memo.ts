import type { CedarAnswer, CedarEngine, CedarRequest, IntelAttrs } from './cedar-engine.js';

/**
 * Memoises Cedar answers on the full request: policy set handle, partner attributes, context and
 * the intel projection. Policies cannot see anything else (the resource uid is fixed and operator
 * policies may not name objects), so a hit equals what Cedar would answer. Cost grows with
 * distinct projections, not with objects.
 */
export class DecisionMemo {
  readonly #answers = new Map<string, CedarAnswer>();
  hits = 0;
  misses = 0;

  constructor(
    readonly engine: CedarEngine,
    /** Beyond this many entries the memo starts again, bounding memory on pathological inputs. */
    readonly maxEntries = 200_000,
  ) {}

  authorize(handle: string, req: CedarRequest): CedarAnswer {
    return this.authorizeKeyed(handle, req, req.intel);
  }

  /** As `authorize`, for callers that keep the principal part of the request across objects. */
  authorizeKeyed(
    handle: string,
    principal: Omit<CedarRequest, 'intel'>,
    intel: IntelAttrs,
    /** formatMemoPrefix(handle, principal), when the caller keeps it across objects. */
    prefix = formatMemoPrefix(handle, principal),
  ): CedarAnswer {
    const key = prefix + formatMemoIntel(intel);
    const found = this.#answers.get(key);
    if (found !== undefined) {
      this.hits++;
      return found;
    }
    this.misses++;
    const answer = this.engine.authorize(handle, { ...principal, intel });
    if (this.#answers.size >= this.maxEntries) this.#answers.clear();
    this.#answers.set(key, answer);
    return answer;
  }

  get hitRate(): number {
    const total = this.hits + this.misses;
    return total === 0 ? 0 : this.hits / total;
  }
}

// \u0001 and \u0002 cannot appear in STIX types, ids or condition ids; labels are length-prefixed.
export function formatMemoKey(handle: string, req: Omit<CedarRequest, 'intel'>, i: IntelAttrs): string {
  return formatMemoPrefix(handle, req) + formatMemoIntel(i);
}

/** The partner part of a memo key: the same for every object one decider decides. */
export function formatMemoPrefix(handle: string, req: Omit<CedarRequest, 'intel'>): string {
  return `${[handle, req.partnerId, req.enabled ? 1 : 0, req.unmetConditions.join('\u0002'), req.agreementState].join('\u0001')}\u0001`;
}

function formatMemoIntel(i: IntelAttrs): string {
  let labels = '';
  for (const l of i.labels) labels += `${l.length}:${l}`;
  return `${i.stix_type}\u0001${i.marking_state}\u0001${i.tlp}\u0001${labels}\u0001${i.in_neighbourhood ? 1 : 0}\u0001${i.in_location ? 1 : 0}`;
}
