import { createHash } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

/**
 * Bearer tokens (`tl_...`) do not name their partner, so TAXII finds the partner through the
 * SHA-256 of its current token, then verifies the token against the partner's argon2id hash as
 * for Basic auth. A 256-bit random token makes an unsalted SHA-256 safe as a lookup key.
 * `partner add` and `partner rotate-token` must call this with the new token.
 */
export function indexPartnerToken(db: SqliteDatabase, partnerId: string, token: string): void {
  const sha = createHash('sha256').update(token).digest('hex');
  db.transaction(() => {
    db.prepare('DELETE FROM partner_token_index WHERE partner_id = ?').run(partnerId);
    db.prepare('INSERT OR REPLACE INTO partner_token_index (token_sha256, partner_id) VALUES (?, ?)').run(
      sha,
      partnerId,
    );
  })();
}

/** The partner id the token was issued to, if any (the caller still verifies the token). */
export function findPartnerByToken(db: SqliteDatabase, token: string): string | undefined {
  const sha = createHash('sha256').update(token).digest('hex');
  return (
    (db.prepare('SELECT partner_id FROM partner_token_index WHERE token_sha256 = ?').pluck().get(sha) as
      | string
      | undefined) ?? undefined
  );
}
