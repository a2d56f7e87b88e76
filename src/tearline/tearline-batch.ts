import { type JsonObject, type JsonValue, versionOf } from '../stix/types.js';
import { OWN_REFS } from './tearline-references.js';
import { sanitise } from './tearline-sanitise.js';
import { TYPE_RULES } from './tearline-type-registry.js';
import type {
  ReleasedSet,
  SanitiseContext,
  TearlineOk,
  TearlineResult,
  TearlineWithheld,
} from './tearline-types.js';

export interface BatchReleased extends TearlineOk {
  originalId: string;
}
export interface BatchWithheld extends TearlineWithheld {
  originalId: string;
}
export interface BatchResult {
  /** In order of original id. */
  released: BatchReleased[];
  withheld: BatchWithheld[];
}

interface Entry {
  id: string;
  object: JsonObject;
  isSco: boolean;
  /** Batch ids this object's reference closure depends on. */
  refs: string[];
}

/**
 * What a batch needs whatever the partner: one version per id, the dependency graph and the
 * order to sanitise in. Plan once, then sanitise the plan for each partner.
 */
export interface BatchPlan {
  readonly entries: readonly Entry[];
  readonly byId: ReadonlyMap<string, Entry>;
  readonly referrers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly order: readonly Entry[];
  /** How many inputs had no string id: reported as withheld, never dropped silently. */
  readonly withoutId: number;
}

/** One version per id (the latest given wins); the result does not depend on input order. */
export function planBatch(objects: readonly JsonObject[]): BatchPlan {
  const entries = collectEntries(objects);
  const withoutId = objects.filter((o) => typeof o.id !== 'string').length;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const referrers = new Map<string, Set<string>>();
  for (const entry of entries) {
    entry.refs = collectRefs(entry.object).filter((target) => byId.has(target) && target !== entry.id);
    for (const target of entry.refs) {
      const set = referrers.get(target) ?? new Set<string>();
      set.add(entry.id);
      referrers.set(target, set);
    }
  }
  return { entries, byId, referrers, order: orderForSanitising(entries, byId), withoutId };
}

/**
 * Sanitises a set of objects for one partner. References to objects of the same batch count
 * as released; a withheld object makes references to it dangle, so the objects that cite it
 * are sanitised again until nothing changes (a fixpoint). SCOs go first, in dependency order,
 * because their partner id is recomputed from their sanitised content.
 */
export function sanitiseBatch(
  objects: readonly JsonObject[] | BatchPlan,
  ctx: SanitiseContext,
  alreadyReleased: ReleasedSet,
): BatchResult {
  const plan = Array.isArray(objects) ? planBatch(objects) : (objects as BatchPlan);
  const { entries, byId, referrers, order } = plan;
  const results = new Map<string, TearlineResult>();
  const released: ReleasedSet = {
    partnerIdOf(id) {
      const entry = byId.get(id);
      if (!entry) return alreadyReleased.partnerIdOf(id);
      const result = results.get(id);
      if (result) return result.ok ? result.partnerObjectId : undefined;
      // Not sanitised yet: an SDO/SRO's id does not depend on its content, so assume it is
      // released; if it is withheld later, everything citing it is sanitised again.
      return entry.isSco ? undefined : ctx.partner.deriveId(id);
    },
  };
  const dirty = new Set<string>();
  const run = (entry: Entry): void => {
    const before = results.get(entry.id);
    const after = sanitise(entry.object, ctx, released);
    results.set(entry.id, after);
    const changed =
      before !== undefined &&
      (before.ok !== after.ok || (before.ok && after.ok && before.partnerObjectId !== after.partnerObjectId));
    const becameWithheld = before === undefined && !after.ok;
    if (changed || becameWithheld) for (const r of referrers.get(entry.id) ?? []) dirty.add(r);
  };
  for (const entry of order) run(entry);
  // Each pass only re-runs objects whose references changed; withholding only grows, so this ends.
  let budget = entries.length * 4 + 8;
  while (dirty.size > 0 && budget-- > 0) {
    const next = order.filter((e) => dirty.has(e.id));
    dirty.clear();
    for (const entry of next) run(entry);
  }
  for (const id of dirty) {
    results.set(id, { ok: false, code: 'dangling-reference', message: 'references did not settle' });
  }

  const result: BatchResult = { released: [], withheld: [] };
  for (let i = 0; i < plan.withoutId; i++) {
    result.withheld.push({
      originalId: '',
      ok: false,
      code: 'not-an-object',
      message: 'the object has no string id',
    });
  }
  for (const entry of entries) {
    const r = results.get(entry.id);
    if (!r) continue;
    if (r.ok) result.released.push({ originalId: entry.id, ...r });
    else result.withheld.push({ originalId: entry.id, ...r });
  }
  return result;
}

function collectEntries(objects: readonly JsonObject[]): Entry[] {
  const latest = new Map<string, JsonObject>();
  for (const object of objects) {
    if (typeof object.id !== 'string') continue;
    const seen = latest.get(object.id);
    if (!seen || versionOf(object) > versionOf(seen)) latest.set(object.id, object);
  }
  return [...latest.keys()].sort().map((id) => {
    const object = latest.get(id) as JsonObject;
    const type = typeof object.type === 'string' ? object.type : '';
    const rules = TYPE_RULES[type];
    const isSco = rules
      ? rules.kind === 'sco'
      : object.created === undefined && type !== 'marking-definition';
    return { id, object, isSco, refs: [] };
  });
}

/**
 * SCOs first, each after the SCOs it references, then the rest. SCOs that reference each other
 * in a cycle go in id order, so the order of any SCO and what it reaches does not depend on the
 * rest of the batch: a batch of an object and what it references decides it as the whole store
 * does (release-closure.ts relies on it).
 */
function orderForSanitising(entries: readonly Entry[], byId: ReadonlyMap<string, Entry>): Entry[] {
  const out: Entry[] = [];
  for (const component of scoComponents(entries, byId)) out.push(...component.sort(byEntryId));
  for (const entry of entries) if (!entry.isSco) out.push(entry);
  return out;
}

function byEntryId(a: Entry, b: Entry): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The strongly connected components of the SCO reference graph, each after every component it
 * references (Tarjan's algorithm, iterative: reference chains may be long).
 */
function scoComponents(entries: readonly Entry[], byId: ReadonlyMap<string, Entry>): Entry[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: Entry[] = [];
  const components: Entry[][] = [];
  let counter = 0;
  const scoRefs = (e: Entry) => e.refs.map((r) => byId.get(r)).filter((d): d is Entry => d?.isSco === true);
  for (const root of entries) {
    if (!root.isSco || index.has(root.id)) continue;
    const work: { entry: Entry; refs: Entry[]; next: number }[] = [];
    const open = (entry: Entry) => {
      index.set(entry.id, counter);
      low.set(entry.id, counter);
      counter++;
      stack.push(entry);
      onStack.add(entry.id);
      work.push({ entry, refs: scoRefs(entry), next: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as (typeof work)[number];
      const { entry } = frame;
      if (frame.next < frame.refs.length) {
        const dep = frame.refs[frame.next++] as Entry;
        if (!index.has(dep.id)) open(dep);
        else if (onStack.has(dep.id))
          low.set(entry.id, Math.min(low.get(entry.id) as number, index.get(dep.id) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.entry.id, Math.min(low.get(parent.entry.id) as number, low.get(entry.id) as number));
      if (low.get(entry.id) === index.get(entry.id)) {
        const component: Entry[] = [];
        for (;;) {
          const member = stack.pop() as Entry;
          onStack.delete(member.id);
          component.push(member);
          if (member === entry) break;
        }
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * The ids an object's tearline depends on: the references that go through the closure. Markings
 * and the creator are rewritten by the sanitiser whatever happens to their objects, so they
 * create no dependency.
 */
export function dependencyRefsOf(object: JsonObject): string[] {
  return collectRefs(object);
}

function collectRefs(value: JsonValue, out: string[] = [], top = true): string[] {
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, out, false);
    return out;
  }
  for (const key of Object.keys(value)) {
    if (top && OWN_REFS.has(key)) continue;
    const child = value[key] as JsonValue;
    if (key.endsWith('_ref') && typeof child === 'string') out.push(child);
    else if (key.endsWith('_refs') && Array.isArray(child)) {
      for (const item of child) if (typeof item === 'string') out.push(item);
    } else collectRefs(child, out, false);
  }
  return out;
}
