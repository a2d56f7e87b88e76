import type { EntryOf } from '../ledger/ledger-entry.js';
import { addIsoDuration, parseIsoDuration } from '../policy/duration-iso.js';
import type { JsonObject } from '../stix/types.js';
import type { OutcomeRow, QueueItem, Reason } from '../store/hub/release-store.js';
import type { Role } from '../store/hub/user-store.js';
import type { SqlTx } from '../store/sql/sql-database.js';
import { RELEASE_FEED_LOCK } from '../store/store-locks.js';
import { outcomeRow } from './release-outcome.js';
import { ledgerVersionOf, type PublishStores, publishRelease } from './release-publish.js';

export interface Officer {
  name: string;
  role: Role;
  /** How the officer proved who they are (recorded with the approval and in the ledger). */
  auth: string;
  /**
   * Where from: a CLI session's or key's OS account (`os:UID:NAME@HOST`, possibly after a key id),
   * or `console` / `api`. One OS account may not approve an item twice under two names.
   */
  origin: string;
}

export type ApprovalResult =
  | {
      ok: true;
      state: QueueItem['state'];
      approvals: number;
      required: number;
      releaseId?: string;
      note?: string;
    }
  | {
      ok: false;
      code:
        | 'not-found'
        | 'not-open'
        | 'not-an-officer'
        | 'author-may-not-approve'
        | 'agreement-author-may-not-approve'
        | 'same-os-account'
        | 'already-decided'
        | 'comment-required';
      message: string;
    };

/**
 * An officer's approval or denial of a queued tearline. Approvals count only for the item as
 * it stands (its fingerprint), from distinct release officers, never from whoever imported the
 * object. With enough of them the release is published, visible after approval + embargo.
 */
export async function decideQueueItem(
  stores: PublishStores,
  itemId: string,
  officer: Officer,
  verdict: 'approve' | 'deny',
  comment: string | undefined,
  now: Date,
): Promise<ApprovalResult> {
  const { releases, sql } = stores;
  const item = await releases.item(itemId);
  if (!item)
    return { ok: false, code: 'not-found', message: `no queue item ${itemId} (see: tearline queue list)` };
  if (item.state !== 'pending' && item.state !== 'approved') {
    return {
      ok: false,
      code: 'not-open',
      message: `queue item ${itemId} is ${item.state}, not open for a decision`,
    };
  }
  if (officer.role !== 'release-officer') {
    return {
      ok: false,
      code: 'not-an-officer',
      message: `${officer.name} is ${officer.role}; only a release-officer may approve or deny`,
    };
  }
  if (item.author !== null && item.author === officer.name) {
    return {
      ok: false,
      code: 'author-may-not-approve',
      message: `${officer.name} imported this object and may not decide its release`,
    };
  }
  if (verdict === 'approve') {
    const agreement = await stores.agreements.get(item.partner_id, item.agreement_version);
    if (agreement?.actor === officer.name) {
      return {
        ok: false,
        code: 'agreement-author-may-not-approve',
        message: `${officer.name} wrote agreement version ${item.agreement_version}, which made this item eligible, and may not approve its release`,
      };
    }
  }
  if (verdict === 'deny' && (comment === undefined || comment.trim() === '')) {
    return { ok: false, code: 'comment-required', message: 'a denial needs --comment saying why' };
  }
  const at = now.toISOString();
  return sql.transaction(async (tx): Promise<ApprovalResult> => {
    // Two officers approving at once in two processes: the second sees the first's approval.
    await tx.lock(`queue:${item.item_id}`);
    // An approval may publish after its ledger entry: the feed lock first, as every publisher.
    await tx.lock(RELEASE_FEED_LOCK);
    const current = await releases.item(item.item_id);
    if (current?.state !== 'pending' && current?.state !== 'approved') {
      return {
        ok: false,
        code: 'not-open',
        message: `queue item ${itemId} is ${current?.state ?? 'gone'}, not open for a decision`,
      };
    }
    const earlier = await releases.approvals(item);
    const mine = earlier.find((a) => a.approver === officer.name);
    if (mine) {
      return {
        ok: false,
        code: 'already-decided',
        message: `${officer.name} already ${mine.verdict === 'approve' ? 'approved' : 'denied'} this item at ${mine.at}; a second approval must come from another release officer`,
      };
    }
    const account = osAccountIn(officer.origin);
    const twin = account && earlier.find((a) => osAccountIn(a.origin ?? '') === account);
    if (twin) {
      return {
        ok: false,
        code: 'same-os-account',
        message: `the OS account ${account} already decided on this item as ${twin.approver}: one person cannot give both approvals; the second must come from another officer's own account or the console`,
      };
    }
    if (
      !(await releases.addApproval(item, {
        approver: officer.name,
        verdict,
        comment,
        at,
        auth: officer.auth,
        origin: officer.origin,
      }))
    ) {
      return {
        ok: false,
        code: 'already-decided',
        message: `${officer.name} has already decided on this item; a second approval must come from another release officer`,
      };
    }
    const base = {
      release_id: item.item_id,
      partner: item.partner_id,
      original_id: item.object_id,
      original_version: ledgerVersionOf(item.object_version),
    };
    if (verdict === 'deny') {
      const entry: EntryOf<'denial'> = {
        kind: 'denial',
        time: at,
        actor: officer.name,
        ...base,
        reason: comment as string,
        details: { auth: officer.auth },
      };
      await ledgerAppend(tx, entry);
      await releases.closeItem(item.item_id, 'denied', at, null);
      const why = [{ code: 'denied', message: `denied by ${officer.name}: ${comment}` }];
      await releases.putOutcome(itemOutcome(item, 'denied', why, at));
      return { ok: true, state: 'denied', approvals: 0, required: item.approvals_required };
    }
    await ledgerAppend(tx, {
      kind: 'approval',
      time: at,
      actor: officer.name,
      ...base,
      details: { auth: officer.auth },
    } satisfies EntryOf<'approval'>);
    return publishIfApproved(stores, (await releases.item(item.item_id)) as QueueItem, now);
  });
}

/** Publishes an item once it has its approvals; one still waiting for references stays 'approved'. */
export async function publishIfApproved(
  stores: PublishStores,
  item: QueueItem,
  now: Date,
): Promise<ApprovalResult> {
  // The release, the item's state and the outcome change together (joins a caller's transaction).
  return stores.sql.transaction(async () => {
    const approvals = (await stores.releases.approvals(item)).filter((a) => a.verdict === 'approve');
    const required = item.approvals_required;
    if (approvals.length < required)
      return { ok: true, state: 'pending', approvals: approvals.length, required };
    const version = await stores.agreements.get(item.partner_id, item.agreement_version);
    const embargo = version?.body.embargo ? parseIsoDuration(version.body.embargo) : undefined;
    const visibleFrom = new Date(embargo ? addIsoDuration(now.getTime(), embargo) : now.getTime());
    const tearline = JSON.parse(item.tearline) as JsonObject;
    const last = approvals[approvals.length - 1];
    if (!last) throw new Error('publishIfApproved: an item requiring approval has none');
    const published = await publishRelease(
      stores,
      {
        partnerId: item.partner_id,
        originalId: item.object_id,
        originalVersion: item.object_version,
        agreementVersion: item.agreement_version,
        tearline,
        digest: item.tearline_digest,
        derivedIds: [{ derivedId: tearline.id as string, originalId: item.object_id }],
        reasons: item.reasons,
        approvals: approvals.map((a) => ({ approver: a.approver, time: a.at })),
        visibleFrom,
        actor: last.approver,
      },
      now,
    );
    const at = now.toISOString();
    if (!published.ok) {
      await stores.releases.setItemState(item.item_id, 'approved');
      return { ok: true, state: 'approved', approvals: approvals.length, required, note: published.message };
    }
    await stores.releases.closeItem(item.item_id, 'released', at, published.releaseId);
    await stores.releases.putOutcome(itemOutcome(item, 'released', item.reasons, at));
    return {
      ok: true,
      state: 'released',
      approvals: approvals.length,
      required,
      releaseId: published.releaseId,
    };
  });
}

/** The OS account inside an origin (`os:…`), if the approval came from a CLI session or key. */
function osAccountIn(origin: string): string | undefined {
  return /(?:^| )(os:\S+)$/.exec(origin)?.[1];
}

async function ledgerAppend(tx: SqlTx, entry: EntryOf<'approval'> | EntryOf<'denial'>): Promise<void> {
  const r = await tx.appendLedger([entry]);
  if (!r.ok) throw new Error(`ledger: ${r.message}`);
}

/** A queue item's outcome keeps the item's version, agreement version and fingerprint. */
function itemOutcome(
  item: QueueItem,
  outcome: 'denied' | 'released',
  reasons: Reason[],
  at: string,
): OutcomeRow {
  return outcomeRow(
    item.partner_id,
    item.object_id,
    item.object_version,
    outcome,
    reasons,
    item.agreement_version,
    item.fingerprint,
    at,
  );
}
