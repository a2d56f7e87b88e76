import type { PublicEntry } from './ledger-commitment.js';
import type { LedgerEntry } from './ledger-entry.js';

/**
 * Ledger entries as sentences a reader can follow without knowing STIX ids: "officer-1 approved
 * releasing ISIS-K to allied-service". The caller supplies names (partner ids and object ids to
 * what people call them); an id without a name is shown as it is, never dropped.
 */
export interface EntryNames {
  partner(id: string): string | undefined;
  object(id: string): string | undefined;
}

const NO_NAMES: EntryNames = { partner: () => undefined, object: () => undefined };

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A whole (opened) entry, actor included: for those who may audit the ledger. */
export function describeEntry(entry: LedgerEntry, names: EntryNames = NO_NAMES): string {
  const partner = (id: string) => names.partner(id) ?? id;
  const object = (id: string) => {
    const name = names.object(id);
    return name ? `${name} (${id})` : id;
  };
  switch (entry.kind) {
    case 'release': {
      const approvers = entry.approvals.map((a) => a.approver);
      const approved =
        approvers.length > 0 ? `approved by ${listInWords(approvers)}` : 'with no approval needed';
      return `Released ${object(entry.original_id)} to ${partner(entry.partner)}, ${approved} (run by ${entry.actor})`;
    }
    case 'recall':
      return `${entry.actor} recalled release ${entry.release_id} from ${partner(entry.partner)}: ${entry.reason}`;
    case 'approval':
      return `${entry.actor} approved releasing ${object(entry.original_id)} to ${partner(entry.partner)}`;
    case 'denial':
      return `${entry.actor} denied releasing ${object(entry.original_id)} to ${partner(entry.partner)}: ${entry.reason}`;
    case 'agreement-change':
      return `${entry.actor} ${entry.change} the agreement with ${partner(entry.partner)} (version ${entry.agreement_version})`;
    case 'condition-change':
      return `${entry.actor} ${entry.change} condition ${entry.condition} of ${partner(entry.partner)}`;
    case 'partner-change':
      return `${entry.actor} ${entry.change} partner ${partner(entry.partner)}`;
    case 'user-change':
      return `${entry.actor} ${entry.change} user ${entry.user}`;
    case 'ingest-batch':
      return `${entry.actor} imported ${entry.count} object${entry.count === 1 ? '' : 's'} from ${entry.source}`;
    case 'submission-review': {
      const consent = entry.details?.submitter_consent;
      const given = typeof consent === 'string' ? ` (submitter consent: ${consent})` : '';
      return `${entry.actor} ${entry.decision} submission ${entry.submitted_id} from ${partner(entry.partner)}${given}`;
    }
    case 'key-rotation':
      return `${entry.actor} rotated the ${entry.key_name} key`;
    case 'delivery':
      return `${partner(entry.partner)} fetched ${entry.count} object version${entry.count === 1 ? '' : 's'} over TAXII between ${entry.period_start} and ${entry.period_end}`;
    case 'draft-review':
      return `${entry.actor} ${entry.decision} draft ${entry.draft_id} (article ${entry.digest})`;
    case 'relay-envelope':
      return `relay took envelope ${entry.sequence} from ${entry.sender} for ${entry.recipient}`;
    case 'relay-delivery':
      return `relay delivered envelope ${entry.sequence} from ${entry.sender} to ${entry.recipient}`;
    case 'relay-sent':
      return `${entry.actor} sealed envelope ${entry.sequence} for ${partner(entry.partner)} via ${entry.relay}`;
    case 'relay-bundle':
      return `${entry.actor} bundled ${entry.count} object${entry.count === 1 ? '' : 's'} as envelope ${entry.sequence} for ${partner(entry.partner)}`;
    case 'relay-received':
      return `${entry.actor} opened envelope ${entry.sequence} from ${entry.sender} via ${entry.relay}`;
  }
}

/**
 * Only the public part of a version 2 entry (what a receipt shows): no actor, no partner, no
 * original. Said so, rather than guessed at.
 */
export function describePublicEntry(entry: PublicEntry): string {
  switch (entry.kind) {
    case 'release':
      return `Release ${entry.release_id}: copy ${entry.derived_id} under agreement version ${entry.agreement_version}`;
    case 'recall':
      return `Recall of release ${entry.release_id}`;
    case 'key-rotation':
      return `The ${entry.key_name} key was rotated`;
    default:
      return `A ${entry.kind} entry (its details are for oversight)`;
  }
}
