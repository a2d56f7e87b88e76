import type { FeedPage, FeedQuery } from '../feed-ports.js';
import type { SqlDatabase } from './sql-database.js';
import { pageFeed, type SqlFeedTable } from './sql-feed-query.js';

/**
 * The hub's whole intel store as a feed (the analysts' `intel` collection), paged by `added_us`,
 * on both engines (the SQLite twin over prepared statements went: only analysts page this
 * collection, and no bench measures it apart from the partners' release feed).
 */
export class SqlIntelFeed {
  readonly #sql: SqlDatabase;
  readonly #table: SqlFeedTable;

  constructor(sql: SqlDatabase) {
    this.#sql = sql;
    this.#table = {
      table: 'objects',
      position: 'added_us',
      id: 'id',
      versionKey: 'version',
      display: "coalesce(t.modified, t.created, '')",
      // The objects table is each engine's own: a boolean in PostgreSQL, 0/1 in SQLite.
      latest: sql.dialect === 'postgres' ? 't.is_latest' : 't.is_latest = 1',
      scope: () => '1 = 1',
    };
  }

  page(query: FeedQuery): Promise<FeedPage> {
    return pageFeed(this.#sql, this.#table, [], query);
  }
}
