import { randomUUID } from 'node:crypto';
import { extractArticle, extractOptionsOf } from '../osint/article-extract.js';
import { looksLikePdf } from '../osint/article-pdf.js';
import { pdfTextOffThread } from '../osint/article-pdf-run.js';
import { articleTextOf } from '../osint/article-text.js';
import { buildDraftReport, markingIdOf } from '../osint/draft-report.js';
import { applyEdits, type DraftItem, draftItemsOf, type ItemEdit } from '../osint/draft-types.js';
import type { Gazetteer, StoredGroup } from '../osint/gazetteer-build.js';
import type { ArticleMeta } from '../osint/osint-types.js';
import { foldName } from '../osint/text-fold.js';
import { validateObject } from '../stix/validate.js';
import type { Draft } from '../store/hub/osint-draft-store.js';
import type { ObjectReader, ObjectWriter } from '../store/ports.js';
import type { DraftBook } from '../store/review-ports.js';
import type { SqlDatabase, SqlTx } from '../store/sql/sql-database.js';
import { appendDraftReview } from './osint-draft-ledger.js';

/** What drafts read and write through; the object writer must join `sql`'s transactions. */
export interface DraftStores {
  sql: SqlDatabase;
  drafts: DraftBook;
  objects: ObjectWriter & ObjectReader;
}

export type DraftError =
  | { code: 'bad-input'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'not-open'; message: string }
  | { code: 'invalid'; message: string }
  | { code: 'already-held'; message: string }
  | { code: 'reason-required'; message: string };

export const DEFAULT_MARKING = 'amber';
const MAX_TITLE = 300;
const MAX_URL = 2000;
const MAX_REASON = 2000;
/** Stored objects read to link a draft's names to (per type). */
const MAX_KNOWN = 20_000;

class DraftAbort extends Error {
  constructor(readonly result: { ok: false } & DraftError) {
    super(result.message);
  }
}

async function run<T>(
  sql: SqlDatabase,
  work: (tx: SqlTx) => Promise<T>,
): Promise<T | ({ ok: false } & DraftError)> {
  try {
    return await sql.transaction(work);
  } catch (err) {
    if (err instanceof DraftAbort) return err.result;
    throw err;
  }
}

async function latestOfTypes(objects: ObjectReader, types: string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await objects.page({
      types,
      limit: 1000,
      ...(after !== undefined && { addedAfterUs: after }),
    });
    for (const o of page) out.push(JSON.parse(o.json) as Record<string, unknown>);
    if (page.length < 1000 || out.length >= MAX_KNOWN) return out;
    after = page[page.length - 1]?.addedUs;
  }
}

/** The store's intrusion sets and threat actors: the gazetteer learns their names and aliases. */
export async function storedGroups(objects: ObjectReader): Promise<StoredGroup[]> {
  return (await latestOfTypes(objects, ['intrusion-set', 'threat-actor']))
    .filter((o) => typeof o.name === 'string' && o.revoked !== true)
    .map((o) => ({
      id: o.id as string,
      type: o.type as StoredGroup['type'],
      name: o.name as string,
      aliases: Array.isArray(o.aliases) ? o.aliases.filter((a): a is string => typeof a === 'string') : [],
    }));
}

/** Items that name a stored location, identity or vulnerability are linked to it, not made anew. */
async function linkToStored(objects: ObjectReader, items: DraftItem[]): Promise<void> {
  const byName = new Map<string, string>();
  for (const o of await latestOfTypes(objects, ['location', 'identity', 'vulnerability'])) {
    if (typeof o.name === 'string' && o.revoked !== true)
      byName.set(`${String(o.type)}:${foldName(o.name)}`, o.id as string);
  }
  for (const item of items) {
    if (item.data.kind === 'group' && /^(intrusion-set|threat-actor)--/.test(item.data.source)) {
      item.mergeWith = item.data.source;
      continue;
    }
    const type =
      item.kind === 'location' || item.kind === 'identity' || item.kind === 'vulnerability'
        ? item.kind
        : undefined;
    const id = type ? byName.get(`${type}:${foldName(item.name)}`) : undefined;
    if (id) item.mergeWith = id;
  }
}

export interface IngestInput {
  body: Uint8Array | string;
  /** The caller says the body is a PDF (a .pdf name, the console's PDF upload); bytes starting with %PDF- are one anyway. */
  pdf?: boolean;
  meta: ArticleMeta;
  marking?: string;
}

/** Checks what the caller says about the article: a title, an http(s) URL, a date, within limits. */
export function checkMeta(meta: ArticleMeta): DraftError | undefined {
  if (meta.title !== undefined && (meta.title.trim() === '' || meta.title.length > MAX_TITLE))
    return { code: 'bad-input', message: `title must be 1-${MAX_TITLE} characters` };
  if (meta.sourceUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(meta.sourceUrl);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && meta.sourceUrl.length <= MAX_URL;
    } catch {
      ok = false;
    }
    if (!ok)
      return {
        code: 'bad-input',
        message: `source URL must be an http(s) URL of at most ${MAX_URL} characters`,
      };
  }
  if (meta.published !== undefined) {
    const valid = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(
      meta.published,
    );
    if (!valid || Number.isNaN(new Date(meta.published).getTime()))
      return {
        code: 'bad-input',
        message: `published "${meta.published.slice(0, 40)}" must be a date (YYYY-MM-DD or RFC 3339)`,
      };
  }
  return undefined;
}

/** The article's text: a PDF's extracted text (which the draft keeps: evidence offsets are into it), or the text or HTML sent. */
async function articleOf(
  input: IngestInput,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  const body = input.body;
  const isPdf = input.pdf === true || (typeof body !== 'string' && looksLikePdf(body));
  if (!isPdf) return articleTextOf(body);
  if (typeof body === 'string') return { ok: false, message: 'a PDF must be sent as bytes, not as text' };
  const pdf = await pdfTextOffThread(body);
  if (!pdf.ok) return pdf;
  return articleTextOf(pdf.text, 'the text of the PDF', { html: false });
}

/**
 * Makes a draft from an article: its text (HTML reduced to text), what the text supports, names
 * linked to stored objects. Nothing enters intel; the draft waits for an analyst.
 */
export async function ingestArticle(
  stores: DraftStores,
  gazetteerFor: (stored: StoredGroup[]) => Gazetteer,
  input: IngestInput,
  actor: { name: string },
  now: Date,
  newUuid: () => string = randomUUID,
): Promise<{ ok: true; id: string; items: number } | ({ ok: false } & DraftError)> {
  const bad = checkMeta(input.meta);
  if (bad) return { ok: false, ...bad };
  const marking = input.marking ?? DEFAULT_MARKING;
  if (!markingIdOf(marking))
    return {
      ok: false,
      code: 'bad-input',
      message: `marking "${marking.slice(0, 40)}" must be clear, green, amber, amber+strict or red`,
    };
  const text = await articleOf(input);
  if (!text.ok) return { ok: false, code: 'bad-input', message: text.message };
  const g = gazetteerFor(await storedGroups(stores.objects));
  const items = draftItemsOf(extractArticle(text.text, g, extractOptionsOf(input.meta)));
  await linkToStored(stores.objects, items);
  const id = newUuid();
  const title = input.meta.title?.trim() || text.text.split('\n')[0]?.slice(0, 200) || 'Open-source article';
  await stores.drafts.create({
    id,
    meta: input.meta,
    title,
    text: text.text,
    items,
    marking,
    by: actor.name,
    at: now.toISOString(),
  });
  return { ok: true, id, items: items.length };
}

async function openDraft(stores: DraftStores, id: string): Promise<Draft> {
  const d = await stores.drafts.get(id);
  if (!d)
    throw new DraftAbort({
      ok: false,
      code: 'not-found',
      message: `no draft ${id} (see: tearline drafts list)`,
    });
  if (d.state !== 'open') {
    throw new DraftAbort({
      ok: false,
      code: 'not-open',
      message: `draft ${id} was ${d.state} by ${d.reviewed_by ?? 'someone'} at ${d.reviewed_at ?? 'an unknown time'}`,
    });
  }
  return d;
}

/** Applies an analyst's edits (decisions, names, merges) and marking to an open draft. */
export async function editDraft(
  stores: DraftStores,
  id: string,
  change: { edits: readonly ItemEdit[]; marking?: string },
  actor: { name: string },
  now: Date,
): Promise<{ ok: true; draft: Draft } | ({ ok: false } & DraftError)> {
  if (change.marking !== undefined && !markingIdOf(change.marking))
    return {
      ok: false,
      code: 'bad-input',
      message: `marking "${change.marking.slice(0, 40)}" must be clear, green, amber, amber+strict or red`,
    };
  return run(stores.sql, async (tx) => {
    await tx.lock(`draft:${id}`);
    const d = await openDraft(stores, id);
    const applied = applyEdits(d.items, change.edits);
    if (!applied.ok) throw new DraftAbort({ ok: false, code: 'bad-input', message: applied.message });
    // A merge names an object the store holds: a report must never refer to one it does not.
    for (const item of applied.items) {
      const before = d.items.find((i) => i.key === item.key)?.mergeWith;
      if (item.mergeWith === undefined || item.mergeWith === before) continue;
      if (!(await stores.objects.getLatest(item.mergeWith)))
        throw new DraftAbort({
          ok: false,
          code: 'bad-input',
          message: `${item.key}: the store holds no ${item.mergeWith} to merge with (search for it by name)`,
        });
    }
    const marking = change.marking ?? d.marking;
    await stores.drafts.update(id, { items: applied.items, marking, by: actor.name, at: now.toISOString() });
    return { ok: true as const, draft: { ...d, items: applied.items, marking } };
  });
}

/**
 * Confirms a draft: its report and objects enter the store as one ingest (with its ledger
 * entry), stored by the confirming analyst, who thereby counts as their importer and may not
 * approve their release; the pipeline then treats them as any intel.
 */
export async function confirmDraft(
  stores: DraftStores,
  id: string,
  actor: { name: string },
  now: Date,
  newUuid: () => string = randomUUID,
): Promise<{ ok: true; reportId: string; objects: number } | ({ ok: false } & DraftError)> {
  return run(stores.sql, async (tx) => {
    await tx.lock(`draft:${id}`);
    const d = await openDraft(stores, id);
    const built = buildDraftReport(
      { meta: d.meta, text: d.text, items: d.items, marking: d.marking },
      now,
      newUuid,
    );
    if (!built.ok) throw new DraftAbort({ ok: false, code: 'invalid', message: built.message });
    for (const o of built.objects) {
      const checked = validateObject(o);
      if (!checked.valid) {
        throw new DraftAbort({
          ok: false,
          code: 'invalid',
          message: `${String(o.type)} "${String(o.name ?? o.abstract ?? '')}" would not be valid STIX: ${checked.errors.map((e) => e.message).join('; ')}`,
        });
      }
    }
    const source = `osint:draft:${id}`;
    const results = await stores.objects.putObjects(
      built.objects.map((object) => ({ object, json: JSON.stringify(object), source })),
      { actor: actor.name, source },
    );
    const refused = results.find((r) => r.outcome === 'conflict');
    if (refused)
      throw new DraftAbort({
        ok: false,
        code: 'already-held',
        message: `the hub already holds ${refused.id} with other content`,
      });
    await appendDraftReview(tx, d, 'confirmed', actor.name, now.toISOString(), {
      report_id: built.reportId,
    });
    await stores.drafts.decide(id, {
      state: 'confirmed',
      by: actor.name,
      at: now.toISOString(),
      reportId: built.reportId,
    });
    return { ok: true as const, reportId: built.reportId, objects: built.objects.length };
  });
}

/** Turns a draft away, saying why; nothing of it enters intel. */
export async function rejectDraft(
  stores: DraftStores,
  id: string,
  actor: { name: string },
  reason: string,
  now: Date,
): Promise<{ ok: true } | ({ ok: false } & DraftError)> {
  const why = reason.trim();
  if (why === '' || why.length > MAX_REASON)
    return {
      ok: false,
      code: 'reason-required',
      message: `a rejection needs a reason of 1-${MAX_REASON} characters`,
    };
  return run(stores.sql, async (tx) => {
    await tx.lock(`draft:${id}`);
    const d = await openDraft(stores, id);
    await appendDraftReview(tx, d, 'rejected', actor.name, now.toISOString(), { reason: why });
    await stores.drafts.decide(id, { state: 'rejected', by: actor.name, at: now.toISOString(), note: why });
    return { ok: true as const };
  });
}
