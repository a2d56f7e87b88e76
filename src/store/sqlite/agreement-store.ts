import { parseAgreement } from '../../policy/agreement-parse.js';
import type { Agreement, AgreementError } from '../../policy/agreement-types.js';
import type { SqliteDatabase } from './database.js';
import { changeDigest, recordChange } from './ledger-change.js';

export interface AgreementVersion {
  partner_id: string;
  version: number;
  format: 'yaml' | 'json';
  raw_text: string;
  body: Agreement;
  set_at: string;
  actor: string;
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
  };
}

/** Every version of every partner's agreement, kept forever: the raw text as written and its normal form. */
export class SqliteAgreementStore {
  constructor(readonly db: SqliteDatabase) {}

  /**
   * Validates and stores a new version. Setting the same normal form as the latest version
   * changes nothing (so scripts can re-run), and reports it.
   */
  set(partnerId: string, text: string, ctx: { actor: string; now: Date }): SetAgreementResult {
    const parsed = parseAgreement(text);
    if (!parsed.ok) return { ok: false, code: 'agreement-invalid', errors: parsed.errors };
    const body = JSON.stringify(parsed.agreement);
    const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
    return this.db.transaction((): SetAgreementResult => {
      const latest = this.latest(partnerId);
      if (latest && JSON.stringify(latest.body) === body) {
        return { ok: true, version: latest.version, unchanged: true };
      }
      const version = (latest?.version ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO agreements (partner_id, version, format, raw_text, body_json, set_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(partnerId, version, format, text, body, ctx.now.toISOString(), ctx.actor);
      recordChange(this.db, {
        kind: 'agreement-change',
        time: ctx.now.toISOString(),
        actor: ctx.actor,
        partner: partnerId,
        agreement_version: String(version),
        change: version === 1 ? 'set' : 'new-version',
        digest: changeDigest(JSON.parse(body)),
      });
      return { ok: true, version, unchanged: false };
    })();
  }

  latest(partnerId: string): AgreementVersion | undefined {
    const r = this.db
      .prepare('SELECT * FROM agreements WHERE partner_id = ? ORDER BY version DESC LIMIT 1')
      .get(partnerId) as Row | undefined;
    return r && toVersion(r);
  }

  get(partnerId: string, version: number): AgreementVersion | undefined {
    const r = this.db
      .prepare('SELECT * FROM agreements WHERE partner_id = ? AND version = ?')
      .get(partnerId, version) as Row | undefined;
    return r && toVersion(r);
  }

  list(partnerId: string): AgreementVersion[] {
    return (
      this.db
        .prepare('SELECT * FROM agreements WHERE partner_id = ? ORDER BY version')
        .all(partnerId) as Row[]
    ).map(toVersion);
  }
}
