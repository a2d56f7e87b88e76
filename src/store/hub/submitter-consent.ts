import { type Agreement, type SubmitterConsent, submitterConsentOf } from '../../policy/agreement-types.js';
import type { SubmitterCatalog, SubmitterTrace } from '../../tearline/tearline-submitter.js';
import type { SqlQueries } from '../sql/sql-database.js';

/** The consent of the agreement version in force at `nowMs` (the latest set at or before it). */
export async function submitterConsentAt(
  sql: SqlQueries,
  partnerId: string,
  nowMs: number,
): Promise<{ consent: SubmitterConsent; version?: number }> {
  const rows = await sql.all<{ version: number; body_json: string; set_at: string }>(
    'SELECT version, body_json, set_at FROM agreements WHERE partner_id = ? ORDER BY version',
    [partnerId],
  );
  const inForce = rows.filter((r) => Date.parse(r.set_at) <= nowMs).at(-1);
  if (!inForce) return { consent: 'none' };
  const body = JSON.parse(inForce.body_json) as Agreement;
  return { consent: submitterConsentOf(body), version: Number(inForce.version) };
}

/**
 * Every partner's name and the submitter consent of its agreement in force at `nowMs`: what the
 * sanitiser needs to release objects promoted from submissions (src/tearline/tearline-submitter.ts).
 * A partner without an agreement in force gives none.
 */
export async function loadSubmitterCatalog(sql: SqlQueries, nowMs: number): Promise<SubmitterCatalog> {
  const partners = await sql.all<{ id: string; name: string }>('SELECT id, name FROM partners');
  const rows = await sql.all<{ partner_id: string; body_json: string; set_at: string }>(
    'SELECT partner_id, body_json, set_at FROM agreements ORDER BY partner_id, version',
  );
  const inForce = new Map<string, string>();
  for (const r of rows) if (Date.parse(r.set_at) <= nowMs) inForce.set(r.partner_id, r.body_json);
  const out = new Map<string, SubmitterTrace>();
  for (const p of partners) {
    const body = inForce.get(p.id);
    const consent = body === undefined ? 'none' : submitterConsentOf(JSON.parse(body) as Agreement);
    out.set(p.id, { name: p.name, consent });
  }
  return out;
}
