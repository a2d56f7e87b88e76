import type { JsonObject } from '../stix/types.js';
import type {
  AssuranceAttestation,
  AssuranceRecord,
  BreachFact,
  ConditionFacts,
  SuspensionFact,
} from './condition-types.js';

/*
 * A partner's condition state is a replay of what officers did (the store keeps the events,
 * append-only): pure, so the pipeline, the console and the CLI replay alike, at any past instant.
 */

export type ConditionEventAction = 'attest' | 'revoke' | 'review' | 'suspend' | 'resume' | 'open' | 'close';

/** What the replay reads of one event; the store's rows carry more (who, sequence, partner). */
export interface ReplayedEvent {
  condition_id: string;
  action: ConditionEventAction;
  at: string;
  actor: string;
  reason?: string;
  detail: JsonObject;
}

/** Replays events into the facts conditions are evaluated on (feedback is counted elsewhere). */
export function deriveFacts(events: readonly ReplayedEvent[]): Omit<ConditionFacts, 'feedbackReceivedMs'> {
  const assurances = new Map<string, AssuranceRecord>();
  let lastReviewAt: string | undefined;
  let suspension: SuspensionFact = { on: false };
  const open = new Map<string, BreachFact>();
  for (const e of events) {
    switch (e.action) {
      case 'attest':
        assurances.set(e.condition_id, {
          state: 'attested',
          at: e.at,
          actor: e.actor,
          ...(e.detail as AssuranceAttestation),
        });
        break;
      case 'revoke':
        assurances.set(e.condition_id, {
          state: 'revoked',
          at: e.at,
          actor: e.actor,
          reason: e.reason ?? '',
        });
        break;
      case 'review':
        lastReviewAt = e.at;
        break;
      case 'suspend':
      case 'resume':
        suspension = {
          on: e.action === 'suspend',
          at: e.at,
          actor: e.actor,
          ...(e.reason !== undefined && { reason: e.reason }),
        };
        break;
      case 'open':
        open.set(e.condition_id, { id: e.condition_id, reason: e.reason ?? '', opened_at: e.at });
        break;
      case 'close':
        open.delete(e.condition_id);
        break;
    }
  }
  return {
    assurances,
    ...(lastReviewAt !== undefined && { lastReviewAt }),
    suspension,
    openBreaches: [...open.values()],
  };
}
