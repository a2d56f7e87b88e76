import { randomUUID } from 'node:crypto';
import type { EntryOf } from '../ledger/ledger-entry.js';
import { isStandardTlpMarking } from '../stix/markings-tlp.js';
import { collectRefs } from '../stix/refs.js';
import type { JsonObject } from '../stix/types.js';
import { isJsonObject } from '../stix/types.js';
import type { ReleaseFeedWriter } from '../store/feed-ports.js';
import type { Reason } from '../store/hub/release-store.js';
import type { PipelineReads } from '../store/read-ports.js';
import type {
  AgreementVersions,
  FacetReader,
  NeighbourhoodFinder,
  PartnerDirectory,
  PipelineReleases,
} from '../store/release-ports.js';
import type { SqlDatabase } from '../store/sql/sql-database.js';
import type { DerivedIdWriter } from '../tearline/tearline-id-ports.js';
import { buildReleasingIdentity, releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { statementCopyOf } from '../tearline/tearline-statements.js';

/**
 * The adapters a release is written through, all on one database: the feed's writes join the
 * transaction `sql` has open (the same connection on SQLite, the same session on PostgreSQL).
 */
export interface PublishStores {
  sql: SqlDatabase;
  feed: ReleaseFeedWriter;
  partners: PartnerDirectory;
  agreements: AgreementVersions;
  releases: PipelineReleases;
  /** What the pass, its decisions, publication, recall and the queue read of the hub's tables. */
  reads: PipelineReads;
  /** Which partner id stands for which original, for submissions coming back (tearline's port). */
  derivedIds: DerivedIdWriter;
  hubName: string;
  /** What queue lists show of each object, remembered by a serving hub; derived afresh without. */
  facets?: FacetReader;
  /** Agreement scopes' neighbourhoods (a serving hub remembers them until the objects change). */
  neighbourhoods: NeighbourhoodFinder;
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
  /**
   * Ids published in the same transaction as this one (a reference cycle, e.g. a note about a
   * sighting of that note): they count as resolved, since the partner gets them all at once.
   */
  coReleased?: ReadonlySet<string>;
}

/**
 * The version a ledger entry names: an SCO has neither `modified` nor `created` (its content is
 * its identity, one version only), and the ledger takes no empty field.
 */
export function ledgerVersionOf(version: string): string {
  return version === '' ? 'unversioned' : version;
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
export async function unresolvedReferences(
  stores: PublishStores,
  partnerId: string,
  tearline: JsonObject,
): Promise<string[]> {
  const identity = releasingIdentityIdOf(stores.hubName);
  const wanted = new Set<string>();
  for (const ref of collectRefs(tearline)) {
    if (ref.id !== identity && !isStandardTlpMarking(ref.id)) wanted.add(ref.id);
  }
  if (wanted.size === 0) return [];
  // One query for every reference of the copy: on PostgreSQL each query is a round trip.
  for (const id of await stores.reads.releasedAmong(partnerId, [...wanted])) wanted.delete(id);
  return [...wanted];
}

/**
 * Publishes one tearline: the feed row (visible after the embargo), the partner's id mapping,
 * the release record and its ledger entry, in ONE transaction. The hub's identity goes to the
 * partner with its first release, since every copy names it as creator.
 */
export function publishRelease(stores: PublishStores, p: Publication, now: Date): Promise<PublishResult> {
  // Joins the caller's transaction when there is one (an approval and its release commit together).
  return stores.sql.transaction(async (tx): Promise<PublishResult> => {
    await ensureStatementsReleased(stores, p.partnerId, p.tearline, now);
    const missing = (await unresolvedReferences(stores, p.partnerId, p.tearline)).filter(
      (id) => id !== (p.tearline.id as string) && !p.coReleased?.has(id),
    );
    if (missing.length > 0) {
      return {
        ok: false,
        code: 'waiting-for-references',
        message: `waits until the partner has ${missing.length} object(s) it references`,
        missing,
      };
    }
    await ensureIdentityReleased(stores, p.partnerId, now);
    const added = await stores.feed.addRelease(
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
    await stores.derivedIds.recordDerivedIds(p.partnerId, p.derivedIds);
    const releaseId = `release--${randomUUID()}`;
    const entry: EntryOf<'release'> = {
      kind: 'release',
      time: now.toISOString(),
      actor: p.actor,
      release_id: releaseId,
      partner: p.partnerId,
      derived_id: p.tearline.id as string,
      original_id: p.originalId,
      original_version: ledgerVersionOf(p.originalVersion),
      agreement_version: String(p.agreementVersion ?? 'none'),
      reasons: p.reasons.map((r) => `${r.code}: ${r.message}`),
      approvals: p.approvals,
      tearline_digest: p.digest,
    };
    const appended = await tx.appendLedger([entry]);
    if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
    await stores.releases.insertRecord({
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
}

/** Marking ids a copy names, object-level and granular. */
function markingRefsOf(copy: JsonObject): string[] {
  const out = new Set<string>();
  if (Array.isArray(copy.object_marking_refs))
    for (const r of copy.object_marking_refs) if (typeof r === 'string') out.add(r);
  if (Array.isArray(copy.granular_markings))
    for (const g of copy.granular_markings)
      if (isJsonObject(g) && typeof g.marking_ref === 'string') out.add(g.marking_ref);
  return [...out];
}

/**
 * A copy carries statement markings (copyright, terms of use) under their own ids: the partner
 * gets each definition, as a bare copy (tearline-statements.ts), with the first copy that carries it.
 */
async function ensureStatementsReleased(
  stores: PublishStores,
  partnerId: string,
  tearline: JsonObject,
  now: Date,
): Promise<void> {
  for (const id of markingRefsOf(tearline)) {
    if (isStandardTlpMarking(id)) continue;
    if (await stores.reads.hasFeedRow(partnerId, id)) continue;
    const original = await stores.reads.latestObjectOf(id);
    const copy = original && statementCopyOf(original);
    // Anything else stays unresolved, and the copy waits (the sanitiser carries only statements).
    if (!copy) continue;
    await stores.feed.addRelease(
      {
        partnerId,
        tearline: copy,
        originalId: id,
        originalVersion: copy.created as string,
        visibleFrom: now,
      },
      now,
    );
  }
}

async function ensureIdentityReleased(stores: PublishStores, partnerId: string, now: Date): Promise<void> {
  const identity = buildReleasingIdentity(stores.hubName);
  if (await stores.reads.hasFeedRow(partnerId, identity.id as string)) return;
  await stores.feed.addRelease(
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
