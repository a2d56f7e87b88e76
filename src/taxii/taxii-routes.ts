import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storageFaultOf } from '../store/storage-fault.js';
import { parseEnvelope } from './taxii-envelope.js';
import { notFound, TaxiiError } from './taxii-errors.js';
import { encodeNext, type FilterOptions, parseFeedQuery, type QueryParams } from './taxii-filters.js';
import { isTaxiiContentType, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './taxii-media.js';
import { type CachedPage, type PageCache, pageCacheKey } from './taxii-page-cache.js';
import {
  type CollectionKind,
  type DeliveredItems,
  type DeliveryRecorder,
  type FeedPage,
  type FeedRow,
  principalKey,
  type StatusResource,
  type StatusStore,
  type TaxiiCollection,
} from './taxii-ports.js';
import { createTaxiiGate, type GateOptions, principalOf } from './taxii-request.js';
import { formatMicros } from './taxii-timestamp.js';

export interface TaxiiLimits {
  maxPageSize: number;
  maxContentLength: number;
  maxObjects: number;
  maxDepth: number;
}

export interface TaxiiRouteOptions extends GateOptions {
  title: string;
  apiRoot: string;
  kinds: readonly CollectionKind[];
  statuses: StatusStore;
  limits: TaxiiLimits;
  now(): Date;
  newStatusId(): string;
  /** Sent with every cached page (the fast path answers without Fastify's hooks). */
  responseHeaders?: Readonly<Record<string, string>>;
  /**
   * Rendered GET pages are reused until `stamp()` changes; stamp() must first bring the feeds up
   * to date (publish releases whose embargo ended) and then name the database's state.
   */
  pageCache?: { cache: PageCache; stamp(): Promise<string> };
  /** Told what each served page of a disclosing collection delivered (cached or not). */
  deliveries?: DeliveryRecorder;
}

type Filter = FilterOptions['allow'];
const ALL_FILTERS: Filter = new Set(['id', 'type', 'version', 'spec_version']);
const OBJECT_FILTERS: Filter = new Set(['version', 'spec_version']);
const VERSION_FILTERS: Filter = new Set(['spec_version']);

interface CollectionParams {
  collection: string;
  object?: string;
  status?: string;
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('Content-Type', TAXII_MEDIA_TYPE).send(Buffer.from(body));
}

function dateHeaders(page: FeedPage): Record<string, string> {
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  if (!first || !last) return {};
  return {
    'X-TAXII-Date-Added-First': formatMicros(first.positionUs),
    'X-TAXII-Date-Added-Last': formatMicros(last.positionUs),
  };
}

interface RenderedPage {
  body: string;
  headers: Record<string, string>;
  delivered?: DeliveredItems;
}

function rendered(page: FeedPage, member: string, item: (r: FeedRow) => string): RenderedPage {
  return { body: pageEnvelope(page, member, page.rows.map(item)), headers: dateHeaders(page) };
}

/** A page of objects; what it delivers is noted when the collection discloses intelligence. */
function objectsPage(c: TaxiiCollection, page: FeedPage): RenderedPage {
  const r = rendered(page, 'objects', (row) => row.json);
  return c.discloses ? { ...r, delivered: page.rows.map((row) => [row.id, row.version] as const) } : r;
}

/** `more`, then `next` when there is more, then the members: built as text around stored JSON. */
function pageEnvelope(page: FeedPage, member: string, items: string[]): string {
  const last = page.rows[page.rows.length - 1];
  const next = page.more && last ? `,"next":"${encodeNext(last.positionUs)}"` : '';
  return `{"more":${page.more}${next},"${member}":[${items.join(',')}]}`;
}

/** Registers the TAXII 2.1 endpoints under /taxii2/ (discovery) and /taxii2/{apiRoot}/. */
export function registerTaxiiRoutes(app: FastifyInstance, o: TaxiiRouteOptions): void {
  const root = `/taxii2/${o.apiRoot}`;
  const filters = (allow: Filter): FilterOptions => ({ maxPageSize: o.limits.maxPageSize, allow });

  function open(request: FastifyRequest<{ Params: CollectionParams }>): TaxiiCollection {
    const p = principalOf(request);
    const ref = request.params.collection;
    const kind = o.kinds.find((k) => k.id === ref || k.alias === ref);
    const c = kind?.open(p);
    if (!c) throw notFound();
    return c;
  }

  /** Serves a GET page from the cache when the data has not changed since it was rendered. */
  async function cachedPage(
    request: FastifyRequest,
    reply: FastifyReply,
    collection: TaxiiCollection,
    renderWith: (c: TaxiiCollection) => Promise<RenderedPage>,
  ): Promise<FastifyReply> {
    const render = async (stamp: string): Promise<CachedPage> => {
      const r = await renderWith(collection);
      const body = Buffer.from(r.body);
      // The fast path sends these headers as stored: they carry the hygiene headers too.
      const headers: Record<string, string> = {
        'content-type': TAXII_MEDIA_TYPE,
        'content-length': String(body.length),
        ...o.responseHeaders,
      };
      for (const [name, value] of Object.entries(r.headers)) headers[name.toLowerCase()] = value;
      return { stamp, body, headers, ...(r.delivered && { delivered: r.delivered }) };
    };
    const pc = o.pageCache;
    let page: CachedPage | undefined;
    if (!pc) page = await render('');
    else {
      const stamp = await pc.stamp();
      const key = pageCacheKey(principalOf(request), request.url);
      page = pc.cache.get(key, stamp);
      if (!page) {
        page = await render(stamp);
        pc.cache.set(key, page);
      }
    }
    if (page.delivered) o.deliveries?.record(principalOf(request), page.delivered);
    return reply.code(200).headers(page.headers).send(page.body);
  }

  function readable(request: FastifyRequest<{ Params: CollectionParams }>): TaxiiCollection {
    const c = open(request);
    if (!c.info.canRead) throw new TaxiiError('forbidden', 'this collection cannot be read');
    return c;
  }

  app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        ['application/taxii+json', 'application/stix+json', 'application/json'],
        // Bytes, not a string: decoding here would replace invalid UTF-8 with U+FFFD unseen.
        { parseAs: 'buffer', bodyLimit: o.limits.maxContentLength },
        (_req, body, done) => done(null, body),
      );
      scope.addHook('onRequest', createTaxiiGate(o));
      scope.setErrorHandler((err, request, reply) => {
        const e = toTaxiiError(err);
        if (e.code === 'internal') request.log.error({ err }, 'TAXII request failed');
        if (e.code === 'insufficient-storage' || e.code === 'unavailable') {
          request.log.warn({ code: (err as { code?: unknown }).code }, 'TAXII write refused: storage');
          reply.header('Retry-After', String(STORAGE_RETRY_AFTER_S));
        }
        return send(reply, e.status, JSON.stringify(e.toBody()));
      });

      scope.get('/taxii2/', async (request, reply) => {
        principalOf(request);
        // Absolute URLs (the spec's api_roots are URLs), as the client addressed this server.
        const apiRoot = `${request.protocol}://${request.host}${root}/`;
        return send(
          reply,
          200,
          JSON.stringify({
            title: o.title,
            description: 'Tearline hub: your releases and your submissions, over TAXII 2.1',
            default: apiRoot,
            api_roots: [apiRoot],
          }),
        );
      });

      scope.get(`${root}/`, async (_request, reply) =>
        send(
          reply,
          200,
          JSON.stringify({
            title: o.title,
            versions: [TAXII_MEDIA_TYPE],
            max_content_length: o.limits.maxContentLength,
          }),
        ),
      );

      scope.get<{ Params: CollectionParams }>(`${root}/status/:status/`, async (request, reply) => {
        const status = await o.statuses.get(principalKey(principalOf(request)), request.params.status ?? '');
        if (!status) throw notFound();
        return send(reply, 200, JSON.stringify(status));
      });

      scope.get(`${root}/collections/`, async (request, reply) => {
        const p = principalOf(request);
        const collections = o.kinds.flatMap((k) => {
          const c = k.open(p);
          return c ? [collectionResource(c)] : [];
        });
        return send(reply, 200, JSON.stringify({ collections }));
      });

      scope.get<{ Params: CollectionParams }>(`${root}/collections/:collection/`, async (request, reply) =>
        send(reply, 200, JSON.stringify(collectionResource(open(request)))),
      );

      scope.get<{ Params: CollectionParams; Querystring: QueryParams }>(
        `${root}/collections/:collection/objects/`,
        async (request, reply) =>
          cachedPage(request, reply, readable(request), async (c) =>
            objectsPage(c, await c.page(parseFeedQuery(request.query, filters(ALL_FILTERS)))),
          ),
      );

      scope.post<{ Params: CollectionParams }>(
        `${root}/collections/:collection/objects/`,
        async (request, reply) => {
          const c = open(request);
          if (!c.add || !c.info.canWrite)
            throw new TaxiiError('forbidden', 'this collection cannot be written to');
          if (!isTaxiiContentType(request.headers['content-type'])) {
            throw new TaxiiError('unsupported-media-type', `send the envelope as ${TAXII_MEDIA_TYPE}`);
          }
          const objects = parseEnvelope(
            Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
            o.limits,
          );
          const statusId = o.newStatusId();
          const outcomes = await c.add(objects, statusId);
          const successes = outcomes.flatMap((r) => (r.ok ? [{ id: r.id, version: r.version }] : []));
          const failures = outcomes.flatMap((r) =>
            r.ok
              ? []
              : [
                  {
                    id: r.id ?? '',
                    ...(r.version !== undefined && { version: r.version }),
                    message: r.message,
                  },
                ],
          );
          const status: StatusResource = {
            id: statusId,
            status: 'complete',
            request_timestamp: o.now().toISOString(),
            total_count: outcomes.length,
            success_count: successes.length,
            successes,
            failure_count: failures.length,
            failures,
            pending_count: 0,
            pendings: [],
          };
          await o.statuses.save(principalKey(principalOf(request)), status);
          request.log.info(
            { event: 'taxii-envelope', status_id: statusId, total: outcomes.length, failed: failures.length },
            'TAXII envelope processed',
          );
          return send(reply, 202, JSON.stringify(status));
        },
      );

      scope.get<{ Params: CollectionParams; Querystring: QueryParams }>(
        `${root}/collections/:collection/objects/:object/`,
        async (request, reply) =>
          cachedPage(request, reply, readable(request), async (c) => {
            const query = parseFeedQuery(request.query, filters(OBJECT_FILTERS));
            const page = await c.objectPage(request.params.object ?? '', query);
            if (page.rows.length === 0) throw notFound();
            return objectsPage(c, page);
          }),
      );

      scope.delete<{ Params: CollectionParams }>(
        `${root}/collections/:collection/objects/:object/`,
        async (request) => {
          const c = readable(request);
          const page = await c.objectPage(request.params.object ?? '', {
            version: { all: true, first: false, last: false, timestamps: [] },
            limit: 1,
          });
          if (page.rows.length === 0) throw notFound();
          throw new TaxiiError(
            'forbidden',
            'the hub keeps every version: objects cannot be deleted over TAXII',
          );
        },
      );

      scope.get<{ Params: CollectionParams; Querystring: QueryParams }>(
        `${root}/collections/:collection/objects/:object/versions/`,
        async (request, reply) =>
          cachedPage(request, reply, readable(request), async (c) => {
            const query = parseFeedQuery(request.query, filters(VERSION_FILTERS));
            query.version = { all: true, first: false, last: false, timestamps: [] };
            const page = await c.objectPage(request.params.object ?? '', query);
            if (page.rows.length === 0) throw notFound();
            return rendered(page, 'versions', (r) => JSON.stringify(r.version || formatMicros(r.positionUs)));
          }),
      );

      scope.get<{ Params: CollectionParams; Querystring: QueryParams }>(
        `${root}/collections/:collection/manifest/`,
        async (request, reply) =>
          cachedPage(request, reply, readable(request), async (c) => {
            const page = await c.page(parseFeedQuery(request.query, filters(ALL_FILTERS)));
            return rendered(page, 'objects', (r) => {
              const added = formatMicros(r.positionUs);
              const record = {
                id: r.id,
                date_added: added,
                version: r.version || added,
                media_type: STIX_MEDIA_TYPE,
              };
              return JSON.stringify(record);
            });
          }),
      );
    },
    { prefix: '' },
  );
}

/** When a client may try a write again after the disk was full or read-only. */
const STORAGE_RETRY_AFTER_S = 60;

/**
 * Fastify's own errors (body too large, unknown content type, bad JSON) and storage faults as
 * TAXII errors. A full disk is 507, a read-only or unavailable one 503; the description names no
 * path (a partner learns nothing about the hub's machine).
 */
export function toTaxiiError(err: unknown): TaxiiError {
  if (err instanceof TaxiiError) return err;
  const fault = storageFaultOf(err);
  if (fault?.kind === 'full')
    return new TaxiiError(
      'insufficient-storage',
      'the hub cannot store this now (its storage is full); try again later',
    );
  if (fault?.kind === 'busy') return new TaxiiError('unavailable', 'the hub is busy; try again shortly');
  if (fault)
    return new TaxiiError(
      'unavailable',
      'the hub cannot store this now (its storage is read-only); try again later',
    );
  const status = (err as { statusCode?: number }).statusCode;
  const message = (err as Error).message ?? 'request failed';
  if (status === 413) return new TaxiiError('payload-too-large', message);
  if (status === 415) return new TaxiiError('unsupported-media-type', `send ${TAXII_MEDIA_TYPE}`);
  if (status !== undefined && status >= 400 && status < 500) return new TaxiiError('bad-request', message);
  return new TaxiiError('internal', 'the server could not complete the request');
}

function collectionResource(c: TaxiiCollection) {
  return {
    id: c.info.id,
    title: c.info.title,
    description: c.info.description,
    alias: c.info.alias,
    can_read: c.info.canRead,
    can_write: c.info.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  };
}
