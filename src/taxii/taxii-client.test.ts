import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { TaxiiClient, TaxiiClientError } from './taxii-client.js';
import { formatMicros } from './taxii-timestamp.js';

// A minimal TAXII server of another make: it pages with added_after and the
// X-TAXII-Date-Added-Last header only (no `next`), as some servers do.
const OBJECTS = Array.from({ length: 7 }, (_, i) => ({
  id: `indicator--00000000-0000-4000-8000-00000000000${i}`,
  at: (i + 1) * 1000,
}));
let server: Server | undefined;
const seenQueries: string[] = [];

function serve(
  handler: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body: unknown },
) {
  return new Promise<string>((resolve) => {
    server = createServer((req, res) => {
      const r = handler(req);
      res.writeHead(r.status, { 'content-type': 'application/taxii+json;version=2.1', ...r.headers });
      res.end(JSON.stringify(r.body));
    });
    server.listen(0, '127.0.0.1', () => {
      const a = server?.address();
      resolve(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
    });
  });
}

afterEach(() => {
  server?.close();
  seenQueries.length = 0;
});

describe('TAXII client', () => {
  it('finds the API root through discovery and pages by X-TAXII-Date-Added-Last when there is no next', async () => {
    const base = await serve((req) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/taxii2/') return { status: 200, body: { title: 't', api_roots: ['/api1/'] } };
      seenQueries.push(url.search);
      const after = url.searchParams.get('added_after');
      const rest = OBJECTS.filter(
        (o) => after === null || o.at > Date.parse(after) * 1000 + Number(after.slice(23, 26)),
      );
      const page = rest.slice(0, 3);
      const last = page[page.length - 1];
      return {
        status: 200,
        headers: last ? { 'X-TAXII-Date-Added-Last': formatMicros(last.at) } : {},
        body: { more: rest.length > 3, objects: page.map((o) => ({ id: o.id })) },
      };
    });
    const client = new TaxiiClient({ auth: { kind: 'bearer', token: 't' } });
    const root = await client.resolveApiRoot(`${base}/taxii2/`);
    expect(root).toBe(`${base}/api1/`);
    const ids: string[] = [];
    for await (const page of client.pullPages(root, 'c1'))
      ids.push(...page.objects.map((o) => (o as { id: string }).id));
    expect(ids).toEqual(OBJECTS.map((o) => o.id));
    expect(seenQueries).toHaveLength(3);
  });

  it('reports a TAXII error resource, a refused connection and a non-JSON body as errors naming the URL', async () => {
    const base = await serve((req) =>
      req.url?.startsWith('/bad/')
        ? { status: 200, body: 'x' }
        : { status: 403, body: { title: 'Not permitted', description: 'read-only' } },
    );
    const client = new TaxiiClient({ auth: { kind: 'none' } });
    const detail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        return err instanceof TaxiiClientError ? err.detail : undefined;
      }
      return undefined;
    };
    expect(await detail(client.postEnvelope(`${base}/api1/`, 'c1', []))).toMatchObject({
      code: 'taxii-http',
      status: 403,
      message: expect.stringContaining('Not permitted: read-only'),
    });
    expect(await detail(client.resolveApiRoot(`${base}/bad/`))).toMatchObject({ code: 'taxii-protocol' });
    server?.close();
    expect(await detail(client.resolveApiRoot('http://127.0.0.1:1/taxii2/'))).toMatchObject({
      code: 'taxii-network',
    });
  });
});
