import type { PublishStores } from '../release/release-publish.js';
import { SqliteDerivedIdStore } from '../store/sqlite/derived-ids.js';
import { SqliteReleaseFeed } from '../store/sqlite/release-feed.js';
import { SqliteReleaseStore } from '../store/sqlite/release-store.js';
import type { Hub } from './hub.js';

/** The adapters the release pipeline writes through, over the hub's database. */
export function releaseStoresOf(hub: Hub): PublishStores {
  return {
    db: hub.db,
    feed: new SqliteReleaseFeed(hub.db),
    ledger: hub.ledger,
    releases: new SqliteReleaseStore(hub.db),
    derivedIds: new SqliteDerivedIdStore(hub.db),
    hubName: hub.config.hub_name,
  };
}
