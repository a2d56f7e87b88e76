import { randomUUID } from 'node:crypto';
import type { EntryOf } from '../ledger/ledger-entry.js';
import type { SubmitterConsent } from '../policy/agreement-types.js';
import { collectReferences } from '../stix/refs.js';
import { validateObject } from '../stix/validate.js';
import type { SubmissionDetail } from '../store/hub/submission-review-store.js';
import type { ObjectWriter } from '../store/ports.js';
import type { SubmitterConsents } from '../store/read-ports.js';
import type { PartnerDirectory } from '../store/release-ports.js';
import type { SubmissionReviewer } from '../store/review-ports.js';
import type { SqlDatabase, SqlTx } from '../store/sql/sql-database.js';
import { buildPromotedObject } from './submission-provenance.js';

/** What a review reads and writes through; the object writer must join `sql`'s transactions. */
export interface ReviewStores {
  sql: SqlDatabase;
  submissions: SubmissionReviewer;
  partners: PartnerDirectory;
  objects: ObjectWriter;
  /** The consent a promotion is made under; read inside the review's transaction (it joins it). */
  consents: SubmitterConsents;
  hubName: string;
}

/** Who reviews: one of the hub's people, recorded as the promoted object's importer. */
export interface Reviewer {
  name: string;
}

export type ReviewError =
  | { code: 'not-found'; message: string }
  | { code: 'not-pending'; message: string }
  | { code: 'not-promotable'; message: string }
  | { code: 'invalid'; message: string }
  | { code: 'already-held'; message: string }
  | { code: 'reason-required'; message: string };

export type PromoteResult =
  | { ok: true; promotedId: string; existing: boolean; submitterConsent: SubmitterConsent }
  | ({ ok: false } & ReviewError);
export type RejectResult = { ok: true } | ({ ok: false } & ReviewError);

/** Longest rejection reason kept. */
export const MAX_REASON = 2000;

/** A failure that rolls the review's transaction back (nothing half-done stays). */
class ReviewAbort extends Error {
  constructor(readonly result: { ok: false } & ReviewError) {
    super(result.message);
  }
}

async function pendingSubmission(stores: ReviewStores, tx: SqlTx, number: number): Promise<SubmissionDetail> {
  await tx.lock(`submission:${number}`);
  const s = await stores.submissions.get(number);
  if (!s) {
    throw new ReviewAbort({
      ok: false,
      code: 'not-found',
      message: `no submission ${number} (see: tearline submissions list)`,
    });
  }
  if (s.state !== 'pending') {
    throw new ReviewAbort({
      ok: false,
      code: 'not-pending',
      message: `submission ${number} was ${s.state} by ${s.reviewed_by ?? 'someone'} at ${s.reviewed_at ?? 'an unknown time'}`,
    });
  }
  return s;
}

async function reviewEntry(
  tx: SqlTx,
  s: SubmissionDetail,
  decision: 'promoted' | 'rejected',
  actor: string,
  at: string,
  details: { promoted_id: string; submitter_consent: SubmitterConsent } | { reason: string },
): Promise<void> {
  const entry: EntryOf<'submission-review'> = {
    kind: 'submission-review',
    time: at,
    actor,
    partner: s.partner_id,
    submitted_id: s.object_id,
    submitted_version: s.version || 'unversioned',
    decision,
    details,
  };
  const appended = await tx.appendLedger([entry]);
  if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
}

async function run<T>(
  stores: ReviewStores,
  work: (tx: SqlTx) => Promise<T>,
): Promise<T | ({ ok: false } & ReviewError)> {
  try {
    return await stores.sql.transaction(work);
  } catch (err) {
    if (err instanceof ReviewAbort) return err.result;
    throw err;
  }
}

/**
 * Makes a partner's submission intel: a new hub object (submission-provenance.ts) stored by the
 * reviewer, who thereby counts as its importer and may not approve its release; the pipeline then
 * treats it as any intel (decisions, tearlines, approvals). The object, the submission's state and
 * the ledger entries commit together. An SCO the hub already holds with the same content is
 * linked rather than stored again (`existing`); with other content it is refused ('already-held').
 */
export async function promoteSubmission(
  stores: ReviewStores,
  number: number,
  reviewer: Reviewer,
  now: Date,
  newUuid: () => string = randomUUID,
): Promise<PromoteResult> {
  const partners = await stores.partners.list();
  return run(stores, async (tx): Promise<PromoteResult> => {
    const s = await pendingSubmission(stores, tx, number);
    const built = buildPromotedObject({
      mapped: s.mapped,
      partnerId: s.partner_id,
      receivedAt: s.received_at,
      hubName: stores.hubName,
      reservedNames: [stores.hubName, ...partners.map((p) => p.name)],
      promoted: await stores.submissions.promotedIds(s.partner_id, [...collectReferences(s.mapped)]),
      now,
      newUuid,
    });
    if (!built.ok) throw new ReviewAbort(built);
    const checked = validateObject(built.object);
    if (!checked.valid) {
      throw new ReviewAbort({
        ok: false,
        code: 'invalid',
        message: `the promoted object would not be valid STIX: ${checked.errors.map((e) => e.message).join('; ')}`,
      });
    }
    const partner = partners.find((p) => p.id === s.partner_id)?.name ?? s.partner_id;
    const source = `promotion:partner:${partner}#${number}`;
    const json = JSON.stringify(built.object);
    const [put] = await stores.objects.putObjects([{ object: built.object, json, source }], {
      actor: reviewer.name,
      source,
    });
    const promotedId = built.object.id as string;
    if (!put || put.outcome === 'conflict') {
      throw new ReviewAbort({
        ok: false,
        code: 'already-held',
        message: put?.reserved
          ? `${promotedId} is reserved: only the hub defines it`
          : `the hub already holds ${promotedId} with other content`,
      });
    }
    const at = now.toISOString();
    await stores.submissions.decide(number, { state: 'promoted', by: reviewer.name, at, promotedId });
    // The consent in force now is what the promotion was made under; a later agreement may
    // change what goes where, and the ledger keeps both.
    const { consent } = await stores.consents.submitterConsentAt(s.partner_id, now.getTime());
    await reviewEntry(tx, s, 'promoted', reviewer.name, at, {
      promoted_id: promotedId,
      submitter_consent: consent,
    });
    return { ok: true, promotedId, existing: put.outcome === 'duplicate', submitterConsent: consent };
  });
}

/** Records that a submission will not become intel, and why (it stays in the partner's space). */
export async function rejectSubmission(
  stores: ReviewStores,
  number: number,
  reviewer: Reviewer,
  reason: string,
  now: Date,
): Promise<RejectResult> {
  const why = reason.trim();
  if (why === '' || why.length > MAX_REASON) {
    return {
      ok: false,
      code: 'reason-required',
      message: `a rejection needs a reason of 1-${MAX_REASON} characters`,
    };
  }
  return run(stores, async (tx): Promise<RejectResult> => {
    const s = await pendingSubmission(stores, tx, number);
    const at = now.toISOString();
    await stores.submissions.decide(number, { state: 'rejected', by: reviewer.name, at, note: why });
    await reviewEntry(tx, s, 'rejected', reviewer.name, at, { reason: why });
    return { ok: true };
  });
}
