import type { FastifyInstance } from 'fastify';

const error = { $ref: '#/components/schemas/Error' };
const op = (summary: string, role: string, extra: Record<string, unknown> = {}) => ({
  summary,
  description: `Role: ${role}. Errors: 401 unauthenticated, 403 forbidden or csrf.`,
  responses: {
    200: { description: 'ok' },
    default: { description: 'error', content: { 'application/json': { schema: error } } },
  },
  ...extra,
});
const q = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description,
});
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const numberParam = { name: 'number', in: 'path', required: true, schema: { type: 'string' } };

/** The OpenAPI 3.1 description of the console API, served at /api/docs. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Tearline console API',
    version: '1',
    description:
      'Session cookie (HttpOnly, SameSite=Strict) from POST /api/login. Every POST but login carries the X-CSRF-Token header with the csrf value of /api/me.',
  },
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  paths: {
    '/api/login': { post: op('sign in with {name, password}; sets the session cookie', 'anyone') },
    '/api/logout': { post: op('end the session', 'any signed-in user') },
    '/api/me': { get: op('the signed-in user, role, permissions and CSRF token', 'any') },
    '/api/actors': { get: op('intrusion sets, threat actors and campaigns by activity', 'any') },
    '/api/threat': {
      get: op('threat picture: counts, daily or monthly timeline, latest, graph', 'any', {
        parameters: [q('actor', 'actor id; default the most active')],
      }),
    },
    '/api/graph': {
      get: op('objects one hop from an object, and the edges', 'any', { parameters: [q('id', 'object id')] }),
    },
    '/api/intel': {
      get: op('search the latest versions', 'any', {
        parameters: [
          q('q', 'text'),
          q('type', 'STIX type'),
          q('marking', 'marking id'),
          q('actor', 'within 2 hops of'),
          q('from', 'created on/after'),
          q('to', 'created on/before'),
        ],
      }),
    },
    '/api/intel/{id}': {
      get: op('an object: properties, markings, versions, graph, per-partner decisions', 'any', {
        parameters: [idParam],
      }),
    },
    '/api/partners': { get: op('partners with agreement, conditions and counts', 'any') },
    '/api/partners/{id}': { get: op('one partner', 'any', { parameters: [idParam] }) },
    '/api/partners/{id}/suspension': {
      post: op('turn suspension on or off: {on, reason}', 'release-officer or admin', {
        parameters: [idParam],
      }),
    },
    '/api/queue': {
      get: op('open queue items with the tearline, what was removed and approvals so far', 'any'),
    },
    '/api/queue/{id}/approve': {
      post: op('approve: {comment?}', 'release-officer', { parameters: [idParam] }),
    },
    '/api/queue/{id}/deny': { post: op('deny: {comment}', 'release-officer', { parameters: [idParam] }) },
    '/api/submissions': {
      get: op('partner submissions for review, newest first (at most 200)', 'any', {
        parameters: [q('state', 'pending (default), promoted, rejected or all'), q('partner', 'partner id')],
      }),
    },
    '/api/submissions/{number}': {
      get: op('one submission: as sent, mapped to hub ids, its review', 'any', { parameters: [numberParam] }),
    },
    '/api/submissions/{number}/promote': {
      post: op('make the submission intel (a new hub object; you count as its importer)', 'analyst', {
        parameters: [numberParam],
      }),
    },
    '/api/submissions/{number}/reject': {
      post: op('reject the submission: {reason}', 'analyst', { parameters: [numberParam] }),
    },
    '/api/ledger': { get: op('ledger size, latest checkpoint and verifier key', 'any') },
    '/api/ledger/verify': { post: op('verify the whole ledger on the server', 'any') },
    '/api/ledger/receipt': {
      get: op('the receipt of a release', 'any', { parameters: [q('release', 'release id')] }),
    },
    '/api/disclosures.csv': { get: op('every release made, as CSV', 'any') },
    '/api/events': { get: op('Server-Sent Events: `change` with the parts that changed', 'any') },
  },
};

export function registerDocsRoute(app: FastifyInstance): void {
  app.get('/api/docs', async () => OPENAPI);
}
