import type { FastifyInstance } from 'fastify';
import { MAX_PDF_BYTES } from '../osint/article-pdf.js';
import { MAX_ARTICLE_BYTES } from '../osint/article-text.js';
import { DRAFT_STATES, ITEM_DECISIONS, type ItemEdit, MERGE_TYPES } from '../osint/draft-types.js';
import { isItemKind } from '../osint/osint-types.js';
import {
  confirmDraft,
  type DraftError,
  editDraft,
  ingestArticle,
  rejectDraft,
} from '../release/osint-drafts.js';
import { userOf } from './api-auth.js';
import type { ConsoleContext } from './api-context.js';
import { API_BODY_LIMIT, type ApiErrorCode, sendApiError } from './api-errors.js';

const LIMIT = 200;
/** The STIX types a draft item of each kind may be merged with (as confirming makes them). */
// A PDF comes as base64 in JSON (a third larger than its bytes); text stays within its own limit.
const PDF_BODY_LIMIT = Math.max(MAX_ARTICLE_BYTES, Math.ceil(MAX_PDF_BYTES / 3) * 4) + 64 * 1024;
const MAX_EDITS = 2000;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function codeOf(e: DraftError): ApiErrorCode {
  return e.code === 'not-found' ? 'not-found' : e.code === 'not-open' ? 'conflict' : 'bad-request';
}

function optionalString(
  body: Record<string, unknown>,
  field: string,
): string | undefined | { error: string } {
  const v = body[field];
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : { error: `${field} must be a string` };
}

/** Checks an edit list from the console; returns a message naming the first bad entry. */
function parseEdits(v: unknown): ItemEdit[] | string {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_EDITS) return `edits must be an array of at most ${MAX_EDITS}`;
  const out: ItemEdit[] = [];
  for (const [n, e] of v.entries()) {
    if (typeof e !== 'object' || e === null) return `edits[${n}] must be an object`;
    const x = e as Record<string, unknown>;
    const decision = x.decision;
    if (decision !== undefined && !(ITEM_DECISIONS as readonly unknown[]).includes(decision))
      return `edits[${n}].decision must be ${ITEM_DECISIONS.join(', ')}`;
    if (x.kind !== undefined) {
      if (!isItemKind(x.kind) || decision === undefined)
        return `edits[${n}]: a kind edit needs a known kind and a decision`;
      out.push({ kind: x.kind, decision: decision as ItemEdit['decision'] & string });
      continue;
    }
    if (typeof x.key !== 'string' || x.key.length > 500) return `edits[${n}].key must be an item key`;
    if (x.name !== undefined && typeof x.name !== 'string') return `edits[${n}].name must be a string`;
    if (x.mergeWith !== undefined && x.mergeWith !== null && typeof x.mergeWith !== 'string')
      return `edits[${n}].mergeWith must be a STIX id or null`;
    out.push({
      key: x.key,
      ...(decision !== undefined && { decision: decision as ItemEdit['decision'] & string }),
      ...(typeof x.name === 'string' && { name: x.name }),
      ...(x.mergeWith !== undefined && { mergeWith: x.mergeWith as string | null }),
    });
  }
  return out;
}

/**
 * Drafts from open-source articles: every role reads them (never a partner); analysts paste an
 * article, review its items (accept, reject, rename, merge, marking) and confirm or reject it.
 * The text is sent back as text; the console renders it as text, never as markup.
 */
export function registerDraftRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { hub } = ctx;
  const { drafts } = hub.state;

  app.get('/api/drafts', { config: { action: 'read' } }, async (request, reply) => {
    const state = (request.query as { state?: string }).state ?? 'open';
    if (state !== 'all' && !(DRAFT_STATES as readonly string[]).includes(state))
      return sendApiError(reply, 'bad-request', 'state must be open, confirmed, rejected or all');
    const list = await drafts.list({ state: state as 'open', limit: LIMIT + 1 });
    return { items: list.slice(0, LIMIT), truncated: list.length > LIMIT, open: await drafts.countOpen() };
  });

  // Stored objects an item may be merged with, by name or alias (the review's merge search).
  app.get('/api/drafts/candidates', { config: { action: 'read' } }, async (request, reply) => {
    const { q, kind, type } = request.query as { q?: string; kind?: string; type?: string };
    if (typeof q !== 'string' || q.trim().length < 2 || q.length > 200)
      return sendApiError(reply, 'bad-request', 'q: 2 to 200 characters of a name or alias are required');
    const types = kind === undefined ? undefined : MERGE_TYPES[kind];
    if (!types)
      return sendApiError(
        reply,
        'bad-request',
        `kind must be one of ${Object.keys(MERGE_TYPES).join(', ')} (the draft item's kind)`,
      );
    if (type !== undefined && !types.includes(type))
      return sendApiError(reply, 'bad-request', `type must be one of ${types.join(', ')} for a ${kind}`);
    const items = await ctx.hub.state.reads.findMergeCandidates(q, type === undefined ? types : [type]);
    return { items };
  });

  app.get('/api/drafts/:id', { config: { action: 'read' } }, async (request, reply) => {
    const id = (request.params as { id?: string }).id ?? '';
    const d = ID.test(id) ? await drafts.get(id) : undefined;
    if (!d) return sendApiError(reply, 'not-found', 'no such draft (see GET /api/drafts)');
    return d;
  });

  app.post(
    '/api/drafts',
    { bodyLimit: PDF_BODY_LIMIT, config: { action: 'draft.write' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const hasText = typeof body.text === 'string';
      const hasPdf = typeof body.pdf_base64 === 'string';
      if (hasText === hasPdf)
        return sendApiError(
          reply,
          'bad-request',
          'text (the article as text or HTML) or pdf_base64 (a PDF, base64): exactly one is required',
        );
      let article: string | Uint8Array = hasText ? (body.text as string) : new Uint8Array();
      if (hasPdf) {
        const b64 = body.pdf_base64 as string;
        if (b64.length > Math.ceil(MAX_PDF_BYTES / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
          return sendApiError(
            reply,
            'bad-request',
            `pdf_base64: must be base64 of at most ${MAX_PDF_BYTES} bytes`,
          );
        article = new Uint8Array(Buffer.from(b64, 'base64'));
      }
      const fields: Record<string, string | undefined> = {};
      for (const f of ['title', 'source_url', 'published', 'marking']) {
        const v = optionalString(body, f);
        if (typeof v === 'object') return sendApiError(reply, 'bad-request', v.error);
        fields[f] = v;
      }
      const r = await ingestArticle(
        ctx.services.draftStores(),
        (stored) => ctx.services.gazetteer(stored),
        {
          body: article,
          ...(hasPdf && { pdf: true }),
          meta: {
            ...(fields.title !== undefined && { title: fields.title }),
            ...(fields.source_url !== undefined && { sourceUrl: fields.source_url }),
            ...(fields.published !== undefined && { published: fields.published }),
          },
          ...(fields.marking !== undefined && { marking: fields.marking }),
        },
        userOf(request),
        hub.clock.now(),
      );
      if (!r.ok) return sendApiError(reply, codeOf(r), r.message);
      return { id: r.id, items: r.items };
    },
  );

  app.post(
    '/api/drafts/:id/edit',
    { bodyLimit: API_BODY_LIMIT * 4, config: { action: 'draft.write' } },
    async (request, reply) => {
      const id = (request.params as { id?: string }).id ?? '';
      if (!ID.test(id)) return sendApiError(reply, 'not-found', 'no such draft');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const edits = parseEdits(body.edits);
      if (typeof edits === 'string') return sendApiError(reply, 'bad-request', edits);
      if (body.marking !== undefined && typeof body.marking !== 'string')
        return sendApiError(reply, 'bad-request', 'marking must be a TLP level');
      const r = await editDraft(
        ctx.services.draftStores(),
        id,
        { edits, ...(typeof body.marking === 'string' && { marking: body.marking }) },
        userOf(request),
        hub.clock.now(),
      );
      if (!r.ok) return sendApiError(reply, codeOf(r), r.message);
      return r.draft;
    },
  );

  app.post(
    '/api/drafts/:id/confirm',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'draft.write' } },
    async (request, reply) => {
      const id = (request.params as { id?: string }).id ?? '';
      if (!ID.test(id)) return sendApiError(reply, 'not-found', 'no such draft');
      const r = await confirmDraft(ctx.services.draftStores(), id, userOf(request), hub.clock.now());
      if (!r.ok) return sendApiError(reply, codeOf(r), r.message);
      await hub.checkpointIfDue();
      return { id, state: 'confirmed', report_id: r.reportId, objects: r.objects };
    },
  );

  app.post(
    '/api/drafts/:id/reject',
    { bodyLimit: API_BODY_LIMIT, config: { action: 'draft.write' } },
    async (request, reply) => {
      const id = (request.params as { id?: string }).id ?? '';
      if (!ID.test(id)) return sendApiError(reply, 'not-found', 'no such draft');
      const body = (request.body ?? {}) as { reason?: unknown };
      if (typeof body.reason !== 'string')
        return sendApiError(reply, 'bad-request', 'reason: a rejection must say why');
      const r = await rejectDraft(
        ctx.services.draftStores(),
        id,
        userOf(request),
        body.reason,
        hub.clock.now(),
      );
      if (!r.ok) return sendApiError(reply, codeOf(r), r.message);
      return { id, state: 'rejected' };
    },
  );
}
