import type { JsonObject } from '../stix/types.js';
import type { LatestObjectReader } from '../store/read-ports.js';
import { dependencyRefsOf } from '../tearline/tearline-batch.js';
import {
  type DecisionInput,
  decideReleases,
  type ReleaseDecision,
  type ReleaseTerms,
} from './release-decision.js';
import type { DecisionRound } from './release-terms.js';

/** Reads the latest versions of objects by id; ids the hub does not hold are left out. */
export type LatestObjects = (ids: readonly string[]) => Promise<JsonObject[]>;

export function latestObjectsOf(reads: LatestObjectReader): LatestObjects {
  return (ids) => reads.latestObjectsOf(ids);
}

/**
 * The objects one request reads, shared by every partner it decides for: each object is read
 * and projected once.
 */
export class ObjectCache {
  readonly #inputs = new Map<string, DecisionInput | null>();
  constructor(
    readonly round: DecisionRound,
    readonly read: LatestObjects,
  ) {}

  async get(ids: readonly string[]): Promise<Map<string, DecisionInput>> {
    const missing = ids.filter((id) => !this.#inputs.has(id));
    if (missing.length > 0) {
      for (const object of await this.read(missing))
        this.#inputs.set(object.id as string, this.round.input(object));
      for (const id of missing) if (!this.#inputs.has(id)) this.#inputs.set(id, null);
    }
    const out = new Map<string, DecisionInput>();
    for (const id of ids) {
      const found = this.#inputs.get(id);
      if (found) out.set(id, found);
    }
    return out;
  }
}

/**
 * One object decided for one partner exactly as a pass over the whole store decides it: the
 * objects it reaches through references that its tearline depends on (stopping at those the
 * policy withholds, which never enter the tearline batch) are decided with it. Undefined when
 * the hub holds no such object.
 */
export async function decideObject(
  terms: ReleaseTerms,
  objectId: string,
  objects: ObjectCache,
): Promise<ReleaseDecision | undefined> {
  const reached = new Map<string, DecisionInput>();
  const seen = new Set<string>([objectId]);
  let frontier = [objectId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const [id, input] of await objects.get(frontier)) {
      reached.set(id, input);
      if (terms.decider.decide(input.projection).outcome === 'withhold') continue;
      for (const ref of dependencyRefsOf(input.object)) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        next.push(ref);
      }
    }
    frontier = next;
  }
  if (!reached.has(objectId)) return undefined;
  return decideReleases([...reached.values()], terms).find((d) => d.object_id === objectId);
}
