import { TAXII_MEDIA_TYPE } from './taxii-media.js';

/**
 * A TAXII 2.1 client for any server: discovery or API root URL in, pages of objects out. It
 * follows `next` when the server gives one, else `X-TAXII-Date-Added-Last` as the next
 * added_after (both are in the spec; servers differ in which they honour).
 */
export type ClientAuth =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' };

export type ClientError =
  | { code: 'taxii-http'; status: number; message: string }
  | { code: 'taxii-network'; message: string }
  | { code: 'taxii-protocol'; message: string };

export class TaxiiClientError extends Error {
  override readonly name = 'TaxiiClientError';
  constructor(readonly detail: ClientError) {
    super(detail.message);
  }
}

export interface ClientOptions {
  auth: ClientAuth;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

export interface ObjectPage {
  objects: unknown[];
  more: boolean;
  next?: string;
  dateAddedLast?: string;
}

function authHeader(auth: ClientAuth): Record<string, string> {
  if (auth.kind === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
  }
  return auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` } : {};
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export class TaxiiClient {
  readonly #o: Required<Omit<ClientOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(options: ClientOptions) {
    this.#o = { maxResponseBytes: 64 * 1024 * 1024, fetch: globalThis.fetch, ...options };
  }

  async #request(
    url: string,
    init: { method?: string; body?: string } = {},
  ): Promise<{ body: unknown; headers: Headers }> {
    let res: Response;
    try {
      res = await this.#o.fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          accept: TAXII_MEDIA_TYPE,
          ...authHeader(this.#o.auth),
          ...(init.body !== undefined && { 'content-type': TAXII_MEDIA_TYPE }),
        },
        ...(init.body !== undefined && { body: init.body }),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new TaxiiClientError({
        code: 'taxii-network',
        message: `${url}: ${cause ?? (err as Error).message}`,
      });
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > this.#o.maxResponseBytes) {
      throw new TaxiiClientError({
        code: 'taxii-protocol',
        message: `${url}: response of ${declared} bytes is over the limit`,
      });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new TaxiiClientError({
        code: 'taxii-protocol',
        message: `${url}: answered ${res.status} with a body that is not JSON`,
      });
    }
    if (!res.ok) {
      const e = body as { title?: unknown; description?: unknown };
      const why = [e.title, e.description].filter((x) => typeof x === 'string').join(': ');
      throw new TaxiiClientError({
        code: 'taxii-http',
        status: res.status,
        message: `${url}: HTTP ${res.status}${why ? ` (${why})` : ''}`,
      });
    }
    return { body, headers: res.headers };
  }

  /** The API root to use: the URL itself, or the discovery resource's default (else first) root. */
  async resolveApiRoot(url: string): Promise<string> {
    const { body } = await this.#request(withSlash(url));
    const d = body as { api_roots?: unknown; default?: unknown; versions?: unknown };
    if (Array.isArray(d.versions)) return withSlash(url);
    const root =
      typeof d.default === 'string' ? d.default : Array.isArray(d.api_roots) ? d.api_roots[0] : undefined;
    if (typeof root !== 'string') {
      throw new TaxiiClientError({
        code: 'taxii-protocol',
        message: `${url}: neither an API root nor a discovery resource naming one`,
      });
    }
    return withSlash(new URL(root, url).toString());
  }

  async getObjects(
    apiRoot: string,
    collection: string,
    params: { addedAfter?: string; next?: string; limit?: number },
  ): Promise<ObjectPage> {
    const u = new URL(`collections/${encodeURIComponent(collection)}/objects/`, apiRoot);
    if (params.addedAfter !== undefined) u.searchParams.set('added_after', params.addedAfter);
    if (params.next !== undefined) u.searchParams.set('next', params.next);
    if (params.limit !== undefined) u.searchParams.set('limit', String(params.limit));
    const { body, headers } = await this.#request(u.toString());
    const env = body as { objects?: unknown; more?: unknown; next?: unknown };
    if (env.objects !== undefined && !Array.isArray(env.objects)) {
      throw new TaxiiClientError({ code: 'taxii-protocol', message: `${u}: "objects" is not an array` });
    }
    const last = headers.get('x-taxii-date-added-last');
    return {
      objects: (env.objects as unknown[] | undefined) ?? [],
      more: env.more === true,
      ...(typeof env.next === 'string' && { next: env.next }),
      ...(last !== null && { dateAddedLast: last }),
    };
  }

  /** Every page after `addedAfter`, in order; stops when the server says there is no more. */
  async *pullPages(
    apiRoot: string,
    collection: string,
    addedAfter?: string,
    limit?: number,
  ): AsyncGenerator<ObjectPage> {
    let cursor: { addedAfter?: string; next?: string } = addedAfter === undefined ? {} : { addedAfter };
    for (let guard = 0; guard < 1_000_000; guard++) {
      const page = await this.getObjects(apiRoot, collection, {
        ...cursor,
        ...(limit !== undefined && { limit }),
      });
      yield page;
      if (!page.more || page.objects.length === 0) return;
      if (page.next !== undefined) cursor = { ...cursor, next: page.next };
      else if (page.dateAddedLast !== undefined) cursor = { addedAfter: page.dateAddedLast };
      else
        throw new TaxiiClientError({
          code: 'taxii-protocol',
          message: 'server says more but gives neither next nor X-TAXII-Date-Added-Last',
        });
    }
  }

  async postEnvelope(apiRoot: string, collection: string, objects: readonly unknown[]): Promise<unknown> {
    const u = new URL(`collections/${encodeURIComponent(collection)}/objects/`, apiRoot);
    const { body } = await this.#request(u.toString(), { method: 'POST', body: JSON.stringify({ objects }) });
    return body;
  }
}
