import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Partner } from '../store/hub/partner-store.js';
import { sendApiError } from './api-errors.js';

/*
 * What the console's change routes (partners, agreements, conditions, users) read alike: the
 * reason every change must give, an {enabled, reason} switch, and the partner a path names.
 */

export type ChangeBody = Record<string, unknown> | undefined;

/** A reason the console requires for every change: 1-2000 characters, trimmed. */
export function reasonOf(body: ChangeBody): string | undefined {
  const r = typeof body?.reason === 'string' ? body.reason.trim() : '';
  return r.length > 0 && r.length <= 2000 ? r : undefined;
}

/** An {enabled, reason} body; undefined once a 400 saying what to send has gone. */
export function enabledChangeOf(
  request: FastifyRequest,
  reply: FastifyReply,
): { enabled: boolean; reason: string } | undefined {
  const body = request.body as ChangeBody;
  const reason = reasonOf(body);
  if (typeof body?.enabled === 'boolean' && reason) return { enabled: body.enabled, reason };
  sendApiError(reply, 'bad-request', 'send {"enabled": true|false, "reason": "why, 1-2000 characters"}');
  return undefined;
}

/** Finds the partner a path's `:id` names (name or id); undefined once a 404 has gone. */
export function partnerFromPath(partners: { get(nameOrId: string): Promise<Partner | undefined> }) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<Partner | undefined> => {
    const p = await partners.get((request.params as { id: string }).id);
    if (!p) sendApiError(reply, 'not-found', 'no such partner');
    return p;
  };
}
