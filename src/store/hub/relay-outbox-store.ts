import type { SealedEnvelope } from '../../relay/relay-envelope.js';
import { FIRST_PREVIOUS } from '../../relay/relay-envelope.js';
import { type SqlDatabase, SqlRollback } from '../sql/sql-database.js';
import { RelayBundleStore } from './relay-bundle-store.js';
import { type PushFailure, RelayPushFailureStore } from './relay-push-failures.js';

/** The sender's side: partners reached through a relay, and the envelopes sealed for each. */

export interface RelayRoute {
  partnerId: string;
  relayUrl: string;
  recipient: string;
  recipientKey: string;
}

export {
  FEEDBACK_OUTBOX_PREFIX,
  type FeedbackOutbox,
  MAX_FAILURE_MESSAGE,
  type PushFailure,
  type PushFailureReason,
} from './relay-push-failures.js';

export interface OutboxRow {
  sequence: number;
  envelopeId: string;
  digest: string;
  body: string;
  afterUs: number;
  throughUs: number;
  objects: number;
  sealedAt: string;
  postedAt: string | null;
  relayIndex: number | null;
  deliveredAt: string | null;
}

interface Row {
  sequence: number;
  envelope_id: string;
  digest: string;
  body: string;
  after_us: number;
  through_us: number;
  objects: number;
  sealed_at: string;
  posted_at: string | null;
  relay_index: number | null;
  delivered_at: string | null;
}

const toRow = (r: Row): OutboxRow => ({
  sequence: r.sequence,
  envelopeId: r.envelope_id,
  digest: r.digest,
  body: r.body,
  afterUs: r.after_us,
  throughUs: r.through_us,
  objects: r.objects,
  sealedAt: r.sealed_at,
  postedAt: r.posted_at,
  relayIndex: r.relay_index,
  deliveredAt: r.delivered_at,
});

const COLUMNS =
  'sequence, envelope_id, digest, body, after_us, through_us, objects, sealed_at, posted_at, relay_index, delivered_at';

const ROUTE_COLUMNS = 'partner_id, relay_url, recipient, recipient_key';

interface RouteRow {
  partner_id: string;
  relay_url: string;
  recipient: string;
  recipient_key: string;
}

function routeOf(r: RouteRow): RelayRoute {
  return {
    partnerId: r.partner_id,
    relayUrl: r.relay_url,
    recipient: r.recipient,
    recipientKey: r.recipient_key,
  };
}

export class RelayOutboxStore {
  constructor(readonly sql: SqlDatabase) {}

  async setRoute(route: RelayRoute, now: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO relay_routes (partner_id, relay_url, recipient, recipient_key, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (partner_id) DO UPDATE SET relay_url = excluded.relay_url, recipient = excluded.recipient,
         recipient_key = excluded.recipient_key`,
      [route.partnerId, route.relayUrl, route.recipient, route.recipientKey, now.toISOString()],
    );
  }

  async route(partnerId: string): Promise<RelayRoute | undefined> {
    const r = await this.sql.get<RouteRow>(`SELECT ${ROUTE_COLUMNS} FROM relay_routes WHERE partner_id = ?`, [
      partnerId,
    ]);
    return r && routeOf(r);
  }

  async routes(): Promise<RelayRoute[]> {
    const rows = await this.sql.all<RouteRow>(
      `SELECT ${ROUTE_COLUMNS} FROM relay_routes ORDER BY partner_id`,
    );
    return rows.map(routeOf);
  }

  /** Where the next envelope for this partner starts: its sequence, chain link and feed position. */
  async next(partnerId: string): Promise<{ sequence: number; previousDigest: string; afterUs: number }> {
    const last = await this.sql.get<{ sequence: number; digest: string; through_us: number }>(
      'SELECT sequence, digest, through_us FROM relay_outbox WHERE partner_id = ? ORDER BY sequence DESC LIMIT 1',
      [partnerId],
    );
    return last
      ? { sequence: last.sequence + 1, previousDigest: last.digest, afterUs: last.through_us }
      : { sequence: 1, previousDigest: FIRST_PREVIOUS, afterUs: 0 };
  }

  /**
   * Keeps a sealed envelope, with its 'relay-sent' ledger entry, before it is posted: a post that
   * fails (relay down, restarted) is retried with the very same envelope, never re-sealed.
   */
  async addSealed(
    partner: { id: string; name: string },
    relayUrl: string,
    envelope: SealedEnvelope,
    digest: string,
    feed: { afterUs: number; throughUs: number; objects: number },
    now: Date,
    /** The releases whose copies it carries (for the console's delivery status). */
    releaseIds: readonly string[] = [],
    /** The 'relay-bundle' ledger entry whose receipt it carries: settled with this row. */
    bundleLedgerIndex?: number,
  ): Promise<void> {
    await this.addSealedAll(
      partner,
      relayUrl,
      [{ envelope, digest, feed, releaseIds, ...(bundleLedgerIndex !== undefined && { bundleLedgerIndex }) }],
      now,
    );
  }

  /** Keeps a round of sealed envelopes as addSealed does, in one transaction (one commit a round). */
  async addSealedAll(
    partner: { id: string; name: string },
    relayUrl: string,
    sealed: readonly {
      envelope: SealedEnvelope;
      digest: string;
      feed: { afterUs: number; throughUs: number; objects: number };
      releaseIds?: readonly string[];
      bundleLedgerIndex?: number;
    }[],
    now: Date,
  ): Promise<void> {
    if (sealed.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await tx.lock(`relay-outbox:${partner.id}`);
      const appended = await tx.appendLedger(
        sealed.map((s) => ({
          kind: 'relay-sent' as const,
          time: now.toISOString(),
          actor: 'relay-push',
          partner: partner.name,
          relay: relayUrl,
          sequence: s.envelope.sequence,
          digest: s.digest,
        })),
      );
      if (!appended.ok) throw new SqlRollback(appended);
      const bundles = new RelayBundleStore(tx);
      for (const { envelope, digest, feed, releaseIds = [], bundleLedgerIndex } of sealed) {
        await tx.run(
          `INSERT INTO relay_outbox (partner_id, sequence, envelope_id, digest, body, after_us, through_us, objects, sealed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            partner.id,
            envelope.sequence,
            envelope.id,
            digest,
            JSON.stringify(envelope),
            feed.afterUs,
            feed.throughUs,
            feed.objects,
            now.toISOString(),
          ],
        );
        if (bundleLedgerIndex !== undefined) await bundles.markSealed(partner.id, bundleLedgerIndex, now);
        for (const releaseId of new Set(releaseIds))
          await tx.run(
            'INSERT INTO relay_outbox_releases (partner_id, sequence, release_id) VALUES (?, ?, ?)',
            [partner.id, envelope.sequence, releaseId],
          );
      }
    });
  }

  async unposted(partnerId: string): Promise<OutboxRow[]> {
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM relay_outbox WHERE partner_id = ? AND posted_at IS NULL ORDER BY sequence`,
      [partnerId],
    );
    return rows.map(toRow);
  }

  /** Marks an envelope taken by the relay; refused attempts at it (and before it) are resolved. */
  async markPosted(partnerId: string, sequence: number, relayIndex: number, now: Date): Promise<void> {
    await this.markPostedAll(partnerId, [{ sequence, relayIndex }], now);
  }

  /** Marks a post's envelopes taken, as markPosted does, in one transaction. */
  async markPostedAll(
    partnerId: string,
    taken: readonly { sequence: number; relayIndex: number }[],
    now: Date,
  ): Promise<void> {
    if (taken.length === 0) return;
    await this.sql.transaction(async (tx) => {
      for (const { sequence, relayIndex } of taken)
        await tx.run(
          'UPDATE relay_outbox SET posted_at = ?, relay_index = ? WHERE partner_id = ? AND sequence = ?',
          [now.toISOString(), relayIndex, partnerId, sequence],
        );
      await tx.run(
        'UPDATE relay_push_failures SET resolved_at = ? WHERE partner_id = ? AND resolved_at IS NULL AND sequence <= ?',
        [now.toISOString(), partnerId, Math.max(...taken.map((t) => t.sequence))],
      );
    });
  }

  /** Records a post the relay refused or could not take (RelayPushFailureStore.add). */
  addPushFailure(...failure: Parameters<RelayPushFailureStore['add']>): Promise<void> {
    return new RelayPushFailureStore(this.sql).add(...failure);
  }

  /** Refused posts, newest first (RelayPushFailureStore.list). */
  pushFailures(partnerId: string, opts: { all?: boolean; limit?: number } = {}): Promise<PushFailure[]> {
    return new RelayPushFailureStore(this.sql).list(partnerId, opts);
  }

  async markDelivered(partnerId: string, envelopeId: string, deliveredAt: string): Promise<void> {
    await this.sql.run(
      'UPDATE relay_outbox SET delivered_at = ? WHERE partner_id = ? AND envelope_id = ? AND delivered_at IS NULL',
      [deliveredAt, partnerId, envelopeId],
    );
  }

  /** Marks what the relay reports delivered, as markDelivered does, in one transaction. */
  async markDeliveredAll(
    partnerId: string,
    delivered: readonly { envelopeId: string; deliveredAt: string }[],
  ): Promise<void> {
    if (delivered.length === 0) return;
    await this.sql.transaction(async (tx) => {
      for (const d of delivered)
        await tx.run(
          'UPDATE relay_outbox SET delivered_at = ? WHERE partner_id = ? AND envelope_id = ? AND delivered_at IS NULL',
          [d.deliveredAt, partnerId, d.envelopeId],
        );
    });
  }

  async deliveredCount(partnerId: string): Promise<number> {
    const r = await this.sql.get<{ n: number }>(
      'SELECT count(*) AS n FROM relay_outbox WHERE partner_id = ? AND delivered_at IS NOT NULL',
      [partnerId],
    );
    return Number(r?.n ?? 0);
  }

  /** The releases to a partner of these derived ids: which release each copy (by digest) came from. */
  async releasesOf(
    partnerId: string,
    derivedIds: readonly string[],
  ): Promise<{ releaseId: string; derivedId: string; digest: string }[]> {
    if (derivedIds.length === 0) return [];
    const rows = await this.sql.all<{ release_id: string; derived_id: string; tearline_digest: string }>(
      `SELECT release_id, derived_id, tearline_digest FROM release_records
       WHERE partner_id = ? AND derived_id IN (${derivedIds.map(() => '?').join(', ')})`,
      [partnerId, ...derivedIds],
    );
    return rows.map((r) => ({ releaseId: r.release_id, derivedId: r.derived_id, digest: r.tearline_digest }));
  }

  async list(partnerId: string): Promise<OutboxRow[]> {
    const rows = await this.sql.all<Row>(
      `SELECT ${COLUMNS} FROM relay_outbox WHERE partner_id = ? ORDER BY sequence`,
      [partnerId],
    );
    return rows.map(toRow);
  }
}
