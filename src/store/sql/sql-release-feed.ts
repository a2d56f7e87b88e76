import { createHash } from 'node:crypto';
import { canonicalJson } from '../../stix/canonical-json.js';
import { normaliseTimestamp } from '../../stix/timestamp.js';
import type { JsonObject } from '../../stix/types.js';
import type {
  ChangeCounter,
  FeedError,
  FeedPage,
  FeedQuery,
  FeedReleaseInput,
  FeedResult,
} from '../feed-ports.js';
import { storageFaultOf } from '../storage-fault.js';
import { RELEASE_FEED_LOCK } from '../store-locks.js';
import type { SqlDatabase } from './sql-database.js';
import { pageFeed, type SqlFeedTable } from './sql-feed-query.js';

/** A feed row waiting for its embargo to end (both engines' feeds publish these). */
export interface PendingRow {
  rid: number;
  partner_id: string;
  object_id: string;
  version_key: string;
}

/** One version of a partner's copy, as a recall reads them. */
export interface VersionRow {
  rid: number;
  json: string;
  version_key: string;
  feed_us: number | null;
  original_id: string;
  original_version: string;
}

/** What a partner's `releases` collection pages through, on both engines. */
export const RELEASES_FEED_TABLE: SqlFeedTable = {
  table: 'releases',
  position: 'feed_us',
  id: 'object_id',
  versionKey: 'version_key',
  display: 't.version',
  latest: 't.is_latest = 1',
  scope: (a) => `${a}.partner_id = ? AND ${a}.feed_us IS NOT NULL`,
};

/** The version a TAXII client sees for a copy (its modified, else created) and its sort key. */
export function feedVersionOf(obj: JsonObject): { version: string; versionKey: string } {
  const version =
    typeof obj.modified === 'string' ? obj.modified : typeof obj.created === 'string' ? obj.created : '';
  return { version, versionKey: normaliseTimestamp(version) ?? version };
}

/** The copy that revokes `current`: one millisecond newer at least, so it sorts after it. */
export function revokedCopyOf(current: JsonObject & { modified: string }, now: Date): JsonObject {
  const modifiedMs = Math.max(now.getTime(), Date.parse(current.modified) + 1);
  return { ...current, modified: new Date(modifiedMs).toISOString(), revoked: true };
}

/** Both feeds' INSERT of a release row; its values are `NewRelease.values`, in this order. */
export const INSERT_RELEASE = `INSERT INTO releases (partner_id, object_id, version, version_key, type, spec_version, json,
    digest, original_id, original_version, released_us, visible_from_us, revoked)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/** The partner's versions of an object a recall reads, newest first (`VersionRow`). */
export const SELECT_RECALLED_VERSIONS = `SELECT rid, json, version_key, feed_us, original_id, original_version
  FROM releases WHERE partner_id = ? AND object_id = ? AND withdrawn = 0 ORDER BY version_key DESC`;

/** A recall withdraws the versions still under embargo: they are never published. */
export const WITHDRAW_EMBARGOED =
  'UPDATE releases SET withdrawn = 1 WHERE partner_id = ? AND object_id = ? AND feed_us IS NULL';

/** The tearline's derived-id record; two rows are enough to tell one original from several. */
export const SELECT_RECORDED_ORIGINALS =
  'SELECT original_id FROM tearline_derived_ids WHERE partner_id = ? AND derived_id = ? LIMIT 2';

/** A release row as both feeds insert it. */
export interface NewRelease {
  objectId: string;
  version: string;
  versionKey: string;
  nowUs: number;
  visibleUs: number;
  /** The values of INSERT_RELEASE; the revoked flag as 0/1, as both engines store flags. */
  values: unknown[];
}

export function newReleaseOf(input: FeedReleaseInput, now: Date, forceVisible: boolean): NewRelease {
  const obj = input.tearline;
  const objectId = obj.id as string;
  const { version, versionKey } = feedVersionOf(obj);
  const nowUs = now.getTime() * 1000;
  const visibleUs = forceVisible ? nowUs : input.visibleFrom.getTime() * 1000;
  const values = [
    input.partnerId,
    objectId,
    version,
    versionKey,
    obj.type as string,
    typeof obj.spec_version === 'string' ? obj.spec_version : null,
    JSON.stringify(obj),
    createHash('sha256').update(canonicalJson(obj)).digest('hex'),
    input.originalId,
    input.originalVersion,
    nowUs,
    visibleUs,
    obj.revoked === true ? 1 : 0,
  ];
  return { objectId, version, versionKey, nowUs, visibleUs, values };
}

/** The answer when INSERT_RELEASE met a row already there. */
export function releaseExists(release: NewRelease): { ok: false } & FeedError {
  return {
    ok: false,
    code: 'release-exists',
    message: `${release.objectId} version ${release.version} is already released to this partner`,
  };
}

/**
 * What a recall does, decided from the partner's versions of the object (newest first) before
 * anything is written: an error, or the withdrawal of what is still embargoed and, when the
 * partner holds a visible copy not yet revoked, the revoked copy to publish at once. When nothing
 * was ever visible, nothing is published (the partner never saw the object).
 */
export function recallPlanOf(
  rows: readonly VersionRow[],
  partnerId: string,
  objectId: string,
  now: Date,
): FeedResult<{ revocation: FeedReleaseInput | undefined }> {
  if (rows.length === 0) {
    return { ok: false, code: 'release-not-found', message: `no release of ${objectId} to this partner` };
  }
  const visible = rows.find((r) => r.feed_us !== null);
  if (!visible) return { ok: true, revocation: undefined };
  const current = JSON.parse(visible.json) as JsonObject;
  if (typeof current.modified !== 'string') {
    return {
      ok: false,
      code: 'release-unversioned',
      message: `${objectId} has no modified property, so it cannot carry a revoked version`,
    };
  }
  if (current.revoked === true) return { ok: true, revocation: undefined };
  return {
    ok: true,
    revocation: {
      partnerId,
      tearline: revokedCopyOf(current as JsonObject & { modified: string }, now),
      originalId: visible.original_id,
      // The revoked copy stands for the same original version as the copy it revokes.
      originalVersion: visible.original_version,
      visibleFrom: now,
    },
  };
}

/** A derived id that stands for several originals (merged SCOs) is left as sent. */
export function oneOriginal(recorded: readonly string[]): string | undefined {
  return recorded.length === 1 ? recorded[0] : undefined;
}

/**
 * The releases each partner sees over TAXII, in portable SQL: what a hub on PostgreSQL serves
 * (the SQLite hub has a synchronous adapter of its own, release-feed.ts). Writers join the
 * caller's transaction when one is open, so a release, its record and its ledger entry commit
 * together; feed positions are strictly increasing in commit order across processes.
 */
export class SqlReleaseFeed {
  readonly #sql: SqlDatabase;
  readonly #changes: ChangeCounter | undefined;
  #seen: number | undefined;
  #nextDueUs: number | null = null;
  #local = 0;

  /** With `changes`, the change stamp costs no query while nothing changes. */
  constructor(sql: SqlDatabase, changes?: ChangeCounter) {
    this.#sql = sql;
    this.#changes = changes;
  }

  addRelease(input: FeedReleaseInput, now: Date): Promise<FeedResult<{ rid: number; visible: boolean }>> {
    return this.#sql.transaction(async (tx) => {
      await tx.lock(RELEASE_FEED_LOCK);
      return this.#add(input, now, false);
    });
  }

  /**
   * Revokes what the partner holds of this object: a new version with `revoked: true`, visible
   * at once. Versions still under embargo are withdrawn and never published.
   */
  recall(partnerId: string, objectId: string, now: Date): Promise<FeedResult<{ published: boolean }>> {
    return this.#sql.transaction(async (tx) => {
      await tx.lock(RELEASE_FEED_LOCK);
      const plan = recallPlanOf(
        await this.#sql.all<VersionRow>(SELECT_RECALLED_VERSIONS, [partnerId, objectId]),
        partnerId,
        objectId,
        now,
      );
      if (!plan.ok) return plan;
      await this.#sql.run(WITHDRAW_EMBARGOED, [partnerId, objectId]);
      if (!plan.revocation) return { ok: true, published: false };
      const added = await this.#add(plan.revocation, now, true);
      return added.ok ? { ok: true, published: true } : added;
    });
  }

  /**
   * Names the state TAXII pages depend on, for the page cache: it moves with every release,
   * recall and submission and every object stored, from any process. Due releases are published
   * first, so a state whose embargoes have ended is never mistaken for the one before.
   */
  async changeStamp(now: Date): Promise<string> {
    const version = this.#changes?.version();
    if (version === undefined) return this.#queryStamp(now);
    const nowUs = now.getTime() * 1000;
    if (version !== this.#seen) {
      this.#seen = version;
      this.#nextDueUs = await this.#readNextDue();
    }
    if (this.#nextDueUs !== null && this.#nextDueUs <= nowUs) {
      await this.publishDue(now);
      this.#nextDueUs = await this.#readNextDue();
    }
    return `n${version}.${this.#local}`;
  }

  async #readNextDue(): Promise<number | null> {
    const row = await this.#sql.get<{ m: number | null }>(
      'SELECT min(visible_from_us) AS m FROM releases WHERE feed_us IS NULL AND withdrawn = 0',
    );
    return row?.m ?? null;
  }

  async #queryStamp(now: Date): Promise<string> {
    const read = () =>
      this.#sql.get<{ f: number | null; s: number | null; o: number | null; due: number | null }>(
        `SELECT (SELECT max(feed_us) FROM releases) AS f, (SELECT max(pos_us) FROM taxii_submissions) AS s,
           (SELECT max(added_us) FROM objects) AS o,
           (SELECT min(visible_from_us) FROM releases WHERE feed_us IS NULL AND withdrawn = 0) AS due`,
      );
    let row = await read();
    if (row?.due != null && row.due <= now.getTime() * 1000 && (await this.publishDue(now)) > 0) {
      row = await read();
    }
    return `${row?.f ?? 0}.${row?.s ?? 0}.${row?.o ?? 0}`;
  }

  /** Publishes every release whose embargo has ended; returns how many entered the feed. */
  async publishDue(now: Date): Promise<number> {
    const nowUs = now.getTime() * 1000;
    const next = await this.#sql.get<{ m: number | null }>(
      'SELECT min(visible_from_us) AS m FROM releases WHERE feed_us IS NULL AND withdrawn = 0',
    );
    if (next?.m == null || next.m > nowUs) return 0;
    // On a full or read-only disk nothing is published and readers go on (see SqliteReleaseFeed).
    return this.#publishIn(nowUs).catch((err: unknown) => {
      if (storageFaultOf(err)) return 0;
      throw err;
    });
  }

  async #publishIn(nowUs: number): Promise<number> {
    return this.#sql.transaction(async (tx) => {
      await tx.lock(RELEASE_FEED_LOCK);
      const due = await this.#sql.all<PendingRow>(
        `SELECT rid, partner_id, object_id, version_key FROM releases
          WHERE feed_us IS NULL AND withdrawn = 0 AND visible_from_us <= ? ORDER BY visible_from_us, rid`,
        [nowUs],
      );
      for (const row of due) await this.#publish(row, nowUs);
      if (due.length > 0) this.#local++;
      return due.length;
    });
  }

  async page(partnerId: string, query: FeedQuery, now: Date): Promise<FeedPage> {
    await this.publishDue(now);
    return pageFeed(this.#sql, RELEASES_FEED_TABLE, [partnerId], query);
  }

  /** Maps a derived id this partner was released back to the hub's original id. */
  async resolve(partnerId: string, derivedId: string): Promise<string | undefined> {
    const row = await this.#sql.get<{ original_id: string }>(
      'SELECT original_id FROM releases WHERE partner_id = ? AND object_id = ? LIMIT 1',
      [partnerId, derivedId],
    );
    return row?.original_id;
  }

  /**
   * Releases first, then the tearline's derived-id record. A derived id that stands for several
   * originals (merged SCOs) is left as sent: guessing would attach feedback to the wrong object.
   */
  async resolveSubmitted(partnerId: string, derivedId: string): Promise<string | undefined> {
    const released = await this.resolve(partnerId, derivedId);
    if (released !== undefined) return released;
    const rows = await this.#sql.all<{ original_id: string }>(SELECT_RECORDED_ORIGINALS, [
      partnerId,
      derivedId,
    ]);
    return oneOriginal(rows.map((r) => r.original_id));
  }

  createResolver(): { resolve: (partnerId: string, derivedId: string) => Promise<string | undefined> } {
    return { resolve: (p, d) => this.resolveSubmitted(p, d) };
  }

  async #add(
    input: FeedReleaseInput,
    now: Date,
    forceVisible: boolean,
  ): Promise<FeedResult<{ rid: number; visible: boolean }>> {
    const release = newReleaseOf(input, now, forceVisible);
    const inserted = await this.#sql.get<{ rid: number }>(`${INSERT_RELEASE} RETURNING rid`, release.values);
    if (!inserted) return releaseExists(release);
    // This process's own writes move its stamp at once; the notice of the commit follows.
    this.#local++;
    const visible = release.visibleUs <= release.nowUs;
    if (visible) {
      await this.#publish(
        {
          rid: inserted.rid,
          partner_id: input.partnerId,
          object_id: release.objectId,
          version_key: release.versionKey,
        },
        release.nowUs,
      );
    }
    return { ok: true, rid: inserted.rid, visible };
  }

  async #publish(row: PendingRow, nowUs: number): Promise<void> {
    const last = await this.#sql.get<{ m: number | null }>('SELECT max(feed_us) AS m FROM releases');
    const feedUs = Math.max(nowUs, (last?.m ?? 0) + 1);
    const cur = await this.#sql.get<{ rid: number; version_key: string }>(
      'SELECT rid, version_key FROM releases WHERE partner_id = ? AND object_id = ? AND is_latest = 1',
      [row.partner_id, row.object_id],
    );
    const isLatest = cur === undefined || row.version_key > cur.version_key;
    if (isLatest && cur) await this.#sql.run('UPDATE releases SET is_latest = 0 WHERE rid = ?', [cur.rid]);
    await this.#sql.run('UPDATE releases SET feed_us = ?, is_latest = ? WHERE rid = ?', [
      feedUs,
      isLatest,
      row.rid,
    ]);
  }
}
