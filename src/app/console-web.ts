import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** web/dist beside the sources (vitest) or beside dist/ (the built CLI), whichever exists. */
export function findWebRoot(): string | undefined {
  for (const rel of ['../../web/dist', '../../../web/dist']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Serves the built console at / and /assets/*; without a build, / says how to make one. */
export function registerConsoleWeb(app: FastifyInstance, root: string | undefined): void {
  app.get('/', async (_request, reply) => {
    if (!root) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web console is not built. Run: npm run build:web (npm start does it for you).\n');
    }
    return reply
      .headers(SECURITY_HEADERS)
      .type(TYPES['.html'] as string)
      .send(readFileSync(join(root, 'index.html')));
  });
  app.get('/assets/*', async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    if (!root || !/^[A-Za-z0-9._-]+$/.test(rest)) return reply.callNotFound();
    const path = normalize(join(root, 'assets', rest));
    if (!path.startsWith(join(root, 'assets') + sep) || !existsSync(path) || !statSync(path).isFile())
      return reply.callNotFound();
    return reply
      .headers({ ...SECURITY_HEADERS, 'Cache-Control': 'public, max-age=31536000, immutable' })
      .type(TYPES[extname(path)] ?? 'application/octet-stream')
      .send(readFileSync(path));
  });
}
