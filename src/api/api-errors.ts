import type { FastifyInstance, FastifyReply } from 'fastify';

/** The console sends small JSON bodies; the server's TAXII limit (megabytes) is far too generous here. */
export const API_BODY_LIMIT = 64 * 1024;

export type ApiErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf'
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  | 'login-failed'
  | 'too-many-attempts';

const STATUS: Record<ApiErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  'login-failed': 401,
  'too-many-attempts': 429,
};

/** Every error the console API sends: `{ code, message }`, the message naming what to fix. */
export function sendApiError(reply: FastifyReply, code: ApiErrorCode, message: string): FastifyReply {
  return reply.code(STATUS[code]).type('application/json').send({ code, message });
}

/** Unknown paths under /api/ answer in the API's own error shape, not TAXII's. */
export function registerApiNotFound(app: FastifyInstance): void {
  app.all('/api/*', { config: { action: 'public' } }, async (request, reply) =>
    sendApiError(
      reply,
      'not-found',
      `no such API route: ${request.method} ${request.url.split('?')[0]} (see /api/docs)`,
    ),
  );
}
