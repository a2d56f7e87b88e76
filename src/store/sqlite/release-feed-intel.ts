import type { FeedPage, FeedQuery } from '../feed-ports.js';
import type { SqliteDatabase } from './database.js';
import { FeedQueryRunner } from './release-feed-query.js';

/** The hub's whole intel store as a feed (the analysts' `intel` collection), paged by `added_us`. */
export class SqliteIntelFeed {
  readonly #query: FeedQueryRunner;

  constructor(db: SqliteDatabase) {
    this.#query = new FeedQueryRunner(db, {
      table: 'objects',
      position: 'added_us',
      id: 'id',
      versionKey: 'version',
      display: "coalesce(t.modified, t.created, '')",
      latest: 't.is_latest = 1',
      scope: () => '1',
    });
  }

  async page(query: FeedQuery): Promise<FeedPage> {
    return this.#query.page([], query);
  }
}
