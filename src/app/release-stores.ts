import type { DraftStores } from '../release/osint-drafts.js';
import type { PipelineStores } from '../release/release-pipeline.js';
import type { ReviewStores } from '../release/submission-promote.js';
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
    facets: state.facets,
    neighbourhoods: state.neighbourhoods,
    reads: state.reads,
    passStates: state.passStates,
    passMembers: state.passMembers,
  };
}

/** What an analyst's review of partner submissions writes through (promote joins the hub's transactions). */
export function reviewStoresOf(hub: Hub): ReviewStores {
  return {
    sql: hub.state.sql,
    submissions: hub.state.submissions,
    partners: hub.state.partners,
    objects: hub.objects,
    consents: hub.state.reads,
    hubName: hub.config.hub_name,
  };
}

/** What drafts from open-source articles write through (confirm joins the hub's transactions). */
export function draftStoresOf(hub: Hub): DraftStores {
  return { sql: hub.state.sql, drafts: hub.state.drafts, objects: hub.objects };
}
