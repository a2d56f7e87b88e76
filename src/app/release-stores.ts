import type { PipelineStores } from '../release/release-pipeline.js';
import type { Hub } from './hub.js';

/** The adapters the release pipeline writes through: the hub's state stores and its TAXII feed. */
export function releaseStoresOf(hub: Hub): PipelineStores {
  const { state } = hub;
  return {
    sql: state.sql,
    feed: hub.feed,
    partners: state.partners,
    agreements: state.agreements,
    conditions: state.conditions,
    releases: state.releases,
    derivedIds: state.derivedIds,
    hubName: hub.config.hub_name,
  };
}
