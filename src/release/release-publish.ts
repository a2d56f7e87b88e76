import { randomUUID } from 'node:crypto';
import type { EntryOf } from '../ledger/ledger-entry.js';
import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import { collectRefs } from '../stix/refs.js';
import type { JsonObject } from '../stix/types.js';
import type { SqliteDatabase } from '../store/sqlite/database.js';
import type { SqliteDerivedIdStore } from '../store/sqlite/derived-ids.js';
import type { SqliteLedger } from '../store/sqlite/ledger-store.js';
import type { SqliteReleaseFeed } from '../store/sqlite/release-feed.js';
import type { Reason, SqliteReleaseStore } from '../store/sqlite/release-store.js';
import { buildReleasingIdentity, releasingIdentityIdOf } from '../tearline/tearline-identity.js';

/** The adapters a release is written through, all on one database. */
export interface PublishStores {
  db: SqliteDatabase;
  feed: SqliteReleaseFeed;
  ledger: SqliteLedger;
  releases: SqliteReleaseStore;
  derivedIds: SqliteDerivedIdStore;
  hubName: string;
}

export interface Publication {
  partnerId: string;
  originalId: string;
  originalVersion: string;
  agreementVersion: number | null;
  tearline: JsonObject;
  digest: string;
  derivedIds: { derivedId: string; originalId: string }[];
  reasons: Reason[];
  approvals: { approver: string; time: string }[];
  visibleFrom: Date;
  actor: string;
}

export type PublishResult =
  | { ok: true; releaseId: string; ledgerIndex: number }
  | {
      ok: false;
      code: 'already-released' | 'waiting-for-references' | 'ledger';
      message: string;
      missing?: string[];
    };

/**
 * References of a copy the partner cannot resolve yet: ids it was never given (neither released
 * before nor in this transaction), other than standard TLP markings and the hub's identity.
 */
export function unresolvedReferences(
  stores: PublishStores,
  partnerId: string,
  tearline: JsonObject,
): string[] {
  const identity = releasingIdentityIdOf(stores.hubName);
  const known = stores.db.prepare(
    'SELECT 1 FROM releases WHERE partner_id = ? AND object_id = ? AND withdrawn = 0 LIMIT 1',
  );
  const missing = new Set<string>();
  for (const ref of collectRefs(tearline)) {
    if (ref.id === identity || isStandardTlpMarking(ref.id)) continue;
    if (known.get(partnerId, ref.id) === undefined) missing.add(ref.id);
  }
  return [...missing];
}

/**
 * Publishes one tearline: the feed row (visible after the embargo), the partner's id mapping,
 * the release record and its ledger entry, in ONE transaction. The hub's identity goes to the
 * partner with its first release, since every copy names it as creator.
 */
export function publishRelease(stores: PublishStores, p: Publication, now: Date): PublishResult {
  const run = stores.db.transaction((): PublishResult => {
    const missing = unresolvedReferences(stores, p.partnerId, p.tearline).filter(
      (id) => id !== (p.tearline.id as string),
    );
    if (missing.length > 0) {
      return {
        ok: false,
        code: 'waiting-for-references',
        message: `waits until the partner has ${missing.length} object(s) it references`,
        missing,
      };
    }
    ensureIdentityReleased(stores, p.partnerId, now);
    const added = stores.feed.addRelease(
      {
        partnerId: p.partnerId,
        tearline: p.tearline,
        originalId: p.originalId,
        originalVersion: p.originalVersion,
        visibleFrom: p.visibleFrom,
      },
      now,
    );
    if (!added.ok) return { ok: false, code: 'already-released', message: added.message };
    stores.derivedIds.recordDerivedIdsSync(p.partnerId, p.derivedIds);
    const releaseId = `release--${randomUUID()}`;
    const entry: EntryOf<'release'> = {
      kind: 'release',
      time: now.toISOString(),
      actor: p.actor,
      release_id: releaseId,
      partner: p.partnerId,
      derived_id: p.tearline.id as string,
      original_id: p.originalId,
      original_version: p.originalVersion,
      agreement_version: String(p.agreementVersion ?? 'none'),
      reasons: p.reasons.map((r) => `${r.code}: ${r.message}`),
      approvals: p.approvals,
      tearline_digest: p.digest,
    };
    const appended = stores.ledger.appendEntries([entry]);
    if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
    stores.releases.insertRecord({
      release_id: releaseId,
      partner_id: p.partnerId,
      derived_id: p.tearline.id as string,
      original_id: p.originalId,
      original_version: p.originalVersion,
      agreement_version: p.agreementVersion,
      reasons: entry.reasons,
      approvals: p.approvals,
      tearline_digest: p.digest,
      released_at: now.toISOString(),
      visible_from: p.visibleFrom.toISOString(),
      ledger_index: appended.first,
    });
    return { ok: true, releaseId, ledgerIndex: appended.first };
  });
  return stores.db.inTransaction ? run() : run.immediate();
}

function ensureIdentityReleased(stores: PublishStores, partnerId: string, now: Date): void {
  const identity = buildReleasingIdentity(stores.hubName);
  const has = stores.db
    .prepare('SELECT 1 FROM releases WHERE partner_id = ? AND object_id = ? LIMIT 1')
    .get(partnerId, identity.id);
  if (has) return;
  stores.feed.addRelease(
    {
      partnerId,
      tearline: identity,
      originalId: identity.id as string,
      originalVersion: identity.modified as string,
      visibleFrom: now,
    },
    now,
  );
}
