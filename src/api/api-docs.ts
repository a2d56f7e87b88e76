import type { FastifyInstance } from 'fastify';
import { ACTIONS, type Action } from '../access/access-roles.js';

const error = { $ref: '#/components/schemas/Error' };
/**
 * One operation. `action` is the one the route's guard checks (access-roles.ts, the table the CLI
 * enforces too): the roles printed come from that table, and test/api-docs.test.ts holds every
 * registered route to its documented action.
 */
const op = (summary: string, action: Action | 'anyone', extra: Record<string, unknown> = {}) => ({
  summary,
  'x-tearline-action': action,
  description:
    action === 'anyone'
      ? 'No credential needed (the sign-in throttle applies).'
      : `Action ${action}: ${ACTIONS[action].roles.join(', ')}. Errors: 401 unauthenticated, 403 forbidden or csrf.`,
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
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const idParam = path('id');
const numberParam = path('number');
const partner = { parameters: [idParam] };
const REASON = 'reason: 1-2000 characters';

/** The OpenAPI 3.1 description of the console API, served at /api/docs. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Tearline console API',
    version: '1',
    description:
      "Browsers: the session cookie (HttpOnly, SameSite=Strict) from POST /api/login; every other POST carries the X-CSRF-Token header with the csrf value of /api/me. Scripts: Authorization: Bearer tlk_… (a user's API key, acting as that user within the key's scope; no CSRF token). Each operation names the action it takes from the role table.",
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
    '/api/login': {
      post: op('sign in with {name, password, totp?}; sets the session cookie', 'anyone'),
    },
    '/api/logout': { post: op('end the session', 'read') },
    '/api/me': { get: op('the signed-in user, role, how they signed in, permissions, CSRF token', 'read') },
    '/api/me/password': {
      post: op('change your password: {current, next}; ends your other sessions', 'self.manage'),
    },
    '/api/actors': { get: op('intrusion sets, threat actors and campaigns by activity', 'read') },
    '/api/threat': {
      get: op('threat picture: counts, daily or monthly timeline, latest, graph', 'read', {
        parameters: [q('actor', 'actor id; default the most active')],
      }),
    },
    '/api/graph': {
      get: op('objects one hop from an object, and the edges', 'read', {
        parameters: [q('id', 'object id')],
      }),
    },
    '/api/intel': {
      get: op('search the latest versions', 'read', {
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
      get: op(
        'an object: properties, markings, versions, graph, per-partner decisions with what would it take',
        'read',
        {
          parameters: [idParam],
        },
      ),
    },
    '/api/partners': {
      get: op('partners with agreement, conditions and counts', 'read'),
      post: op(
        'add a partner: {name, country?, description?}; its token is in the answer, once',
        'partner.manage',
      ),
    },
    '/api/partners/{id}': { get: op('one partner', 'read', partner) },
    '/api/partners/{id}/enabled': {
      post: op(`disable or enable: {enabled, reason} (${REASON})`, 'partner.manage', partner),
    },
    '/api/partners/{id}/token': {
      post: op('rotate the token: {reason}; the new token is in the answer, once', 'partner.manage', partner),
    },
    '/api/partners/{id}/history': {
      get: op('every change to the partner: who, when, why', 'read', partner),
    },
    '/api/agreements/check': {
      post: op('check an agreement: {text} (YAML or JSON); errors with line and field', 'read'),
    },
    '/api/partners/{id}/agreements': { get: op('every version of the agreement', 'read', partner) },
    '/api/partners/{id}/agreements/diff': {
      get: op('what changed between two versions', 'read', {
        parameters: [idParam, q('from', 'version'), q('to', 'version')],
      }),
    },
    '/api/partners/{id}/agreement': {
      post: op('set a new agreement version: {text}', 'agreement.set', partner),
    },
    '/api/partners/{id}/impact': {
      get: op(
        'what would it take, summed: per unmet condition, the withheld items it gates and what meeting it alone would release',
        'read',
        partner,
      ),
    },
    '/api/partners/{id}/conditions/history': {
      get: op(
        'each condition met and lapsed over time: {partner, at, truncated, intervals: [{condition, kind, title, status, from, to?, reason, released, gated?}]}',
        'condition.history',
        partner,
      ),
    },
    '/api/partners/{id}/outcomes/history': {
      get: op(
        'released / queued / withheld / denied counts as each release pass left them (a point when one changed): {partner, points: [{at, released, queued, withheld, denied}]}',
        'condition.history',
        partner,
      ),
    },
    '/api/partners/{id}/relay': {
      get: op(
        'a partner reached through a relay: {partner, via: null | {relayUrl, recipient, envelopes, lastPush, lastDelivered, unposted, refusedPosts: [{sequence, reason: unauthenticated|too-large|rate-limited|unreachable|relay-error|envelope-refused, message, attemptedAt, resolvedAt}], truncated, releases: [{releaseId, derivedId, releasedAt, recalled, status: not-sealed|sealed|handed-to-relay|delivered, sequence, relayIndex, sealedAt, postedAt, deliveredAt}]}}',
        'read',
        partner,
      ),
    },
    '/api/relay/feedback': {
      get: op(
        "sightings sent back through a relay ('relay feedback'), per hub: {hubs: [{hub, envelopes, unposted, lastPost, refusedPosts: [{sequence, reason, message, attemptedAt, resolvedAt}]}]}",
        'read',
      ),
    },
    '/api/partners/{id}/conditions/{cid}/attest': {
      post: op(
        'attest an assurance: {issuer?, grade?, evidence?, valid_from?, valid_until?, review_due?, note?}',
        'condition.attest',
        { parameters: [idParam, path('cid')] },
      ),
    },
    '/api/partners/{id}/conditions/{cid}/revoke': {
      post: op(`revoke an assurance: {reason} (${REASON})`, 'condition.attest', {
        parameters: [idParam, path('cid')],
      }),
    },
    '/api/partners/{id}/suspension': {
      post: op(`turn suspension on or off: {on, reason} (${REASON})`, 'condition.suspend', partner),
    },
    '/api/partners/{id}/breaches': {
      get: op('open breach reports', 'read', partner),
      post: op(`open a breach report: {reason} (${REASON})`, 'breach.manage', partner),
    },
    '/api/partners/{id}/breaches/{bid}/close': {
      post: op(`close a breach report: {reason} (${REASON})`, 'breach.manage', {
        parameters: [idParam, path('bid')],
      }),
    },
    '/api/partners/{id}/recall': {
      post: op(`recall a release: {object_id, reason} (${REASON})`, 'release.recall', partner),
    },
    '/api/release/run': { post: op('run the release pipeline: {partner?}', 'release.run') },
    '/api/queue': {
      get: op(
        'open queue items, titled and grouped (report, or the object they hang from), sorted and paged',
        'read',
        {
          parameters: [
            q('partner', 'partner name or id'),
            q('type', 'STIX types, comma-separated'),
            q('label', 'labels, comma-separated'),
            q('group', 'a grouping: report or object id'),
            q('sort', 'group, age, title, type or modified'),
            q('order', 'asc or desc'),
            q('page', 'from 1'),
            q('size', 'items per page, at most 200'),
          ],
        },
      ),
    },
    '/api/queue/{id}': {
      get: op('one item: its tearline beside the original, removals and reasons', 'read', {
        parameters: [idParam],
      }),
    },
    '/api/queue/bulk/preview': {
      post: op(
        'the combined tearline diff of a selection {partner, ids?, group?, types?, labels?} and its digest',
        'read',
      ),
    },
    '/api/queue/bulk/approve': {
      post: op(
        'approve a selection as shown: {partner, ..., digest, comment?}; 409 if it changed',
        'queue.decide',
      ),
    },
    '/api/queue/bulk/deny': {
      post: op(
        'deny a selection as shown: {partner, ..., digest, comment}; 409 if it changed',
        'queue.decide',
      ),
    },
    '/api/settings': {
      get: op('the release settings in force: untagged_tlp, policies, rules, profiles', 'read'),
    },
    '/api/queue/{id}/approve': {
      post: op('approve: {comment?}', 'queue.decide', { parameters: [idParam] }),
    },
    '/api/queue/{id}/deny': { post: op('deny: {comment}', 'queue.decide', { parameters: [idParam] }) },
    '/api/submissions': {
      get: op('partner submissions for review, newest first (at most 200)', 'read', {
        parameters: [q('state', 'pending (default), promoted, rejected or all'), q('partner', 'partner id')],
      }),
    },
    '/api/submissions/{number}': {
      get: op('one submission: as sent, mapped to hub ids, its review', 'read', {
        parameters: [numberParam],
      }),
    },
    '/api/submissions/{number}/promote': {
      post: op(
        'make the submission intel (a new hub object; you count as its importer)',
        'submission.review',
        {
          parameters: [numberParam],
        },
      ),
    },
    '/api/submissions/{number}/reject': {
      post: op('reject the submission: {reason}', 'submission.review', { parameters: [numberParam] }),
    },
    '/api/drafts': {
      get: op('drafts from open-source articles, newest first', 'read', {
        parameters: [q('state', 'open (default), confirmed, rejected or all')],
      }),
      post: op(
        'draft intel from an article: {text | pdf_base64, source_url?, published?, title?, marking?} (text or HTML, 2 MB; or a PDF, 4 MB, 100 pages, its text extracted and kept)',
        'draft.write',
      ),
    },
    '/api/drafts/candidates': {
      get: op('stored objects a draft item may be merged with, by name or alias, best match first', 'read', {
        parameters: [
          q('q', 'name or alias, 2-200 characters'),
          q('kind', "the item's kind: group, identity, location, incident, indicator, vulnerability"),
          q('type', 'one STIX type of those the kind allows'),
        ],
      }),
    },
    '/api/drafts/{id}': { get: op('one draft: its items with evidence', 'read', { parameters: [idParam] }) },
    '/api/drafts/{id}/edit': {
      post: op(
        'accept, reject, rename or merge items, or set the marking: {edits, marking?}',
        'draft.write',
        {
          parameters: [idParam],
        },
      ),
    },
    '/api/drafts/{id}/confirm': {
      post: op('make the draft intel (you count as its importer)', 'draft.write', { parameters: [idParam] }),
    },
    '/api/drafts/{id}/reject': {
      post: op('keep the draft out of intel: {reason}', 'draft.write', { parameters: [idParam] }),
    },
    '/api/users': {
      get: op('users, their roles, second factors and locks', 'user.manage'),
      post: op('add a user: {name, role}; the password is in the answer, once', 'user.manage'),
    },
    '/api/users/{name}/enabled': {
      post: op('disable (ends every session) or enable: {enabled, reason}', 'user.manage', {
        parameters: [path('name')],
      }),
    },
    '/api/users/{name}/password': {
      post: op('reset the password (shown once); ends every session', 'user.manage', {
        parameters: [path('name')],
      }),
    },
    '/api/locks/unlock': {
      post: op('unlock a locked account or address: {key} (acct:NAME, addr:…, os:…); audited', 'user.manage'),
    },
    '/api/auth-events': {
      get: op('the sign-in audit log (no secrets)', 'ledger.audit', {
        parameters: [q('account', 'one account')],
      }),
    },
    '/api/keys': {
      get: op("your API keys (an admin: ?all=1 for everyone's); never their secrets", 'self.manage', {
        parameters: [q('all', "1: every user's keys (admins)")],
      }),
      post: op('create an API key: {label, role?}; its secret is in the answer, once', 'self.manage'),
    },
    '/api/keys/{id}/revoke': {
      post: op('revoke an API key of yours', 'self.manage', { parameters: [idParam] }),
    },
    '/api/ledger': { get: op('ledger size, latest checkpoint and verifier key', 'read') },
    '/api/ledger/verify': { post: op('verify the whole ledger on the server', 'read') },
    '/api/ledger/receipt': {
      get: op('the receipt of a release', 'read', { parameters: [q('release', 'release id')] }),
    },
    '/api/ledger/entries': {
      get: op(
        'ledger entries, newest first, each as a sentence; opened (actors, partners, approvers) for the oversight role, else public parts only',
        'read',
        {
          parameters: [
            q('kind', 'entry kind'),
            q('partner', 'partner name (oversight)'),
            q('actor', 'user name (oversight)'),
            q('from', 'RFC 3339 or date, inclusive'),
            q('to', 'RFC 3339 or date, exclusive'),
            q('page', 'from 1'),
            q('per_page', '1-200, default 50'),
          ],
        },
      ),
    },
    '/api/ledger/entries.csv': {
      get: op(
        'the filtered entries opened, oldest first, as one CSV table (oversight role: openings)',
        'ledger.audit',
        {
          parameters: [
            q('kind', 'entry kind'),
            q('partner', 'partner name'),
            q('actor', 'user name'),
            q('from', 'inclusive'),
            q('to', 'exclusive'),
          ],
        },
      ),
    },
    '/api/ledger/entries.json': {
      get: op(
        'the filtered entries opened, as JSON in a note signed with the ledger key (oversight role: openings)',
        'ledger.audit',
        {
          parameters: [
            q('kind', 'entry kind'),
            q('partner', 'partner name'),
            q('actor', 'user name'),
            q('from', 'inclusive'),
            q('to', 'exclusive'),
          ],
        },
      ),
    },
    '/api/reports/disclosures': {
      get: op(
        "one partner's disclosure report for a period: HTML for print, JSON, or one CSV table",
        'read',
        {
          parameters: [
            q('partner', 'partner name or id'),
            q('from', 'date or RFC 3339, inclusive'),
            q('to', 'a date includes that day; an RFC 3339 time is the exclusive end'),
            q('format', 'html (default), json or csv'),
            q('table', 'csv: releases, denials, withheld, withheld-summary, fetched or receipts'),
          ],
        },
      ),
    },
    '/api/disclosures.csv': { get: op('every release made, as CSV', 'read') },
    '/api/events': { get: op('Server-Sent Events: `change` with the parts that changed', 'read') },
    '/api/docs': { get: op('this description', 'anyone') },
  },
};

export function registerDocsRoute(app: FastifyInstance): void {
  app.get('/api/docs', { config: { action: 'public' } }, async () => OPENAPI);
}
