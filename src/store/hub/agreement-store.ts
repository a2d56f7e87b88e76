import { parseAgreement } from '../../policy/agreement-parse.js';
import type { Agreement, AgreementError } from '../../policy/agreement-types.js';
import type { AgreementBook } from '../partner-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export interface AgreementVersion {
  partner_id: string;
  version: number;
  format: 'yaml' | 'json';
  raw_text: string;
  body: Agreement;
  set_at: string;
  actor: string;
  /** Why this version was written; null for versions from before reasons were kept. */
  reason: string | null;
}

export type SetAgreementResult =
  | { ok: true; version: number; unchanged: boolean }
  | { ok: false; code: 'agreement-invalid'; errors: AgreementError[] };

interface Row {
  partner_id: string;
  version: number;
  format: 'yaml' | 'json';
  raw_text: string;
  body_json: string;
  set_at: string;
  actor: string;
  reason: string | null;
}

function toVersion(r: Row): AgreementVersion {
  return {
    partner_id: r.partner_id,
    version: r.version,
    format: r.format,
    raw_text: r.raw_text,
    body: JSON.parse(r.body_json) as Agreement,
    set_at: r.set_at,
    actor: r.actor,
    reason: r.reason ?? null,
  };
}

const LATEST = 'SELECT * FROM agreements WHERE partner_id = ? ORDER BY version DESC LIMIT 1';

/** Every version of every partner's agreement, kept forever: the raw text as written and its normal form. */
export class AgreementStore implements AgreementBook {
  constructor(readonly sql: SqlDatabase) {}

  /**
   * Validates and stores a new version. Setting the same normal form as the latest version
   * changes nothing (so scripts can re-run), and reports it.
   */
  async set(
    partnerId: string,
    text: string,
    ctx: { actor: string; now: Date; reason: string },
  ): Promise<SetAgreementResult> {
    const parsed = parseAgreement(text);
    if (!parsed.ok) return { ok: false, code: 'agreement-invalid', errors: parsed.errors };
    const body = JSON.stringify(parsed.agreement);
    const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
    return this.sql.transaction(async (tx): Promise<SetAgreementResult> => {
      // The next version number is read, then written: one writer per partner at a time.
      await tx.lock(`agreement:${partnerId}`);
      const latestRow = await tx.get<Row>(LATEST, [partnerId]);
      const latest = latestRow && toVersion(latestRow);
      if (latest && JSON.stringify(latest.body) === body) {
        return { ok: true, version: latest.version, unchanged: true };
      }
      const version = (latest?.version ?? 0) + 1;
      await tx.run(
        'INSERT INTO agreements (partner_id, version, format, raw_text, body_json, set_at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [partnerId, version, format, text, body, ctx.now.toISOString(), ctx.actor, ctx.reason],
      );
      await recordChange(tx, {
        kind: 'agreement-change',
        time: ctx.now.toISOString(),
        actor: ctx.actor,
        partner: partnerId,
        agreement_version: String(version),
        change: version === 1 ? 'set' : 'new-version',
        digest: changeDigest(JSON.parse(body)),
        details: { reason: ctx.reason },
      });
      return { ok: true, version, unchanged: false };
    });
  }

  async latest(partnerId: string): Promise<AgreementVersion | undefined> {
    const r = await this.sql.get<Row>(LATEST, [partnerId]);
    return r && toVersion(r);
  }

  async get(partnerId: string, version: number): Promise<AgreementVersion | undefined> {
    const r = await this.sql.get<Row>('SELECT * FROM agreements WHERE partner_id = ? AND version = ?', [
      partnerId,
      version,
    ]);
    return r && toVersion(r);
  }

  async list(partnerId: string): Promise<AgreementVersion[]> {
    const rows = await this.sql.all<Row>('SELECT * FROM agreements WHERE partner_id = ? ORDER BY version', [
      partnerId,
    ]);
    return rows.map(toVersion);
  }
}
