import type { JsonObject } from '../stix/types.js';
import type { AgreementVersion, SetAgreementResult } from './hub/agreement-store.js';
import type { ChangeContext, Partner, PartnerInput, PartnerResult } from './hub/partner-store.js';
import type { AgreementVersions, PartnerDirectory } from './release-ports.js';

/*
 * Partners and their agreements as officers manage them (the console, like `tearline partner`
 * and `agreement`): every change is one history row and one ledger entry, with who and why.
 */

/** The partners, read and changed. A token is returned once, when made, and kept only hashed. */
export interface PartnerBook extends PartnerDirectory {
  add(input: PartnerInput, ctx: ChangeContext): Promise<PartnerResult<{ partner: Partner; token: string }>>;
  rotateToken(
    nameOrId: string,
    ctx: ChangeContext,
    reason?: string,
  ): Promise<PartnerResult<{ partner: Partner; token: string }>>;
  setEnabled(
    nameOrId: string,
    enabled: boolean,
    reason: string,
    ctx: Omit<ChangeContext, 'randomBytes'>,
  ): Promise<PartnerResult<{ partner: Partner }>>;
  /** The partner's history, oldest first. */
  events(nameOrId: string): Promise<{ action: string; at: string; actor: string; detail: JsonObject }[]>;
}

/** A partner's agreement versions, read and set. */
export interface AgreementBook extends AgreementVersions {
  /** The latest version set; undefined when none was. */
  latest(partnerId: string): Promise<AgreementVersion | undefined>;
  /** Validates and stores a new version; the same normal form as the latest changes nothing (and says so). */
  set(
    partnerId: string,
    text: string,
    ctx: { actor: string; now: Date; reason: string },
  ): Promise<SetAgreementResult>;
}
