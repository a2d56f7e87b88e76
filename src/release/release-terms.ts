import { CedarEngine } from '../policy/cedar-engine.js';
import { PartnerDecider } from '../policy/decision.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { type IntelProjection, type ProjectionOptions, projectIntel } from '../policy/intel-projection.js';
import type { JsonObject } from '../stix/types.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { DecisionFactReads } from '../store/read-ports.js';
import { createSanitiseContext } from '../tearline/tearline-context.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import type { SubmitterCatalog } from '../tearline/tearline-submitter.js';
import type { DecisionInput, ReleaseTerms } from './release-decision.js';
import {
  loadMarkingCatalogs,
  loadPartnerFacts,
  type MarkingCatalogs,
  type PartnerFactStores,
} from './release-facts.js';
import { type HubPolicy, markingDefaultHint } from './release-policy.js';

/** What deciding reads besides the objects: the hub's state stores, its policy, secret and name. */
export interface DecisionSources {
  /** Partners' facts, and the hub's markings and submitters' consent every partner shares. */
  stores: PartnerFactStores & { reads: DecisionFactReads };
  policy: HubPolicy;
  hubSecret: Uint8Array | string;
  hubName: string;
}

/**
 * Everything partner-independent a round of decisions at one instant shares: the marking
 * catalogues, the projection options and the Cedar memo. Make one per pass (or per request),
 * then ask it for each partner's terms.
 */
export class DecisionRound {
  readonly memo: DecisionMemo;
  readonly projection: ProjectionOptions;

  private constructor(
    readonly sources: DecisionSources,
    readonly catalogs: MarkingCatalogs,
    /** Every partner's name and submitter consent at this round's instant. */
    readonly submitters: SubmitterCatalog,
    readonly now: Date,
    memo: DecisionMemo | undefined,
  ) {
    this.memo = memo ?? new DecisionMemo(new CedarEngine());
    const untagged = sources.policy.untaggedTlp;
    this.projection = {
      classify: catalogs.classify,
      ...(untagged !== undefined && { untaggedTlp: untagged }),
    };
  }

  static async open(sources: DecisionSources, now: Date, memo?: DecisionMemo): Promise<DecisionRound> {
    const { reads } = sources.stores;
    const submitters = await reads.submitterCatalogAt(now.getTime());
    return new DecisionRound(sources, await loadMarkingCatalogs(reads), submitters, now, memo);
  }

  project(object: JsonObject): IntelProjection {
    return projectIntel(object, this.projection);
  }

  input(object: JsonObject): DecisionInput {
    return { object, projection: this.project(object) };
  }

  /** One partner's terms at this round's instant: its facts, decider and tearline rules. */
  async termsFor(partner: Partner): Promise<ReleaseTerms & { partner: Partner }> {
    const { stores, policy } = this.sources;
    const facts = await loadPartnerFacts(
      stores,
      partner,
      this.now.getTime(),
      policy.operator,
      markingDefaultHint(policy),
    );
    const decider = new PartnerDecider(facts, this.memo);
    const agreement = facts.agreement;
    if (!agreement) return { partner, decider };
    const profile = policy.profiles.get(agreement.body.sanitisation);
    const sanitise = createSanitiseContext({
      hubSecret: this.sources.hubSecret,
      partnerId: partner.id,
      ceiling: agreement.body.tlp_ceiling,
      releasingIdentityId: releasingIdentityIdOf(this.sources.hubName),
      // Only for the type: a missing profile withholds everything below (profileProblem).
      profile: profile ?? (policy.profiles.get('strict') as NonNullable<typeof profile>),
      statements: this.catalogs.statements,
      submitters: this.submitters,
      releasableAs: [
        ...(agreement.body.nationality !== undefined ? [agreement.body.nationality] : []),
        ...(agreement.body.communities ?? []),
      ],
      forbidden: policy.forbidden,
      ...(policy.untaggedTlp !== undefined && { untaggedLevel: policy.untaggedTlp }),
    });
    if (profile) return { partner, decider, sanitise };
    return {
      partner,
      decider,
      sanitise,
      profileProblem: {
        code: 'profile-unknown',
        message: `agreement v${agreement.version} names sanitisation profile '${agreement.body.sanitisation}', which the hub does not have (it has: ${[...policy.profiles.keys()].join(', ')}; add DATA/profiles/${agreement.body.sanitisation}.json or set another agreement)`,
      },
    };
  }
}
