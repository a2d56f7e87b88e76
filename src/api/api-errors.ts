import type { FastifyReply } from 'fastify';

export type ApiErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf'
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  | 'login-failed';

const STATUS: Record<ApiErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  'login-failed': 401,
};

/** Every error the console API sends: `{ code, message }`, the message naming what to fix. */
export function sendApiError(reply: FastifyReply, code: ApiErrorCode, message: string): FastifyReply {
  return reply.code(STATUS[code]).type('application/json').send({ code, message });
}
