import { envelopeDigest, FIRST_PREVIOUS, type SealedEnvelope } from './relay-envelope.js';

/** What a recipient has accepted from one sender so far. */
export interface MailboxState {
  lastSequence: number;
  lastDigest: string;
}

export const EMPTY_MAILBOX: MailboxState = { lastSequence: 0, lastDigest: FIRST_PREVIOUS };

export type SequenceProblem =
  | { code: 'replayed'; sequence: number; envelopeId: string }
  | { code: 'reordered'; sequence: number; envelopeId: string }
  | { code: 'missing'; from: number; to: number }
  | { code: 'chain-broken'; sequence: number; envelopeId: string };

export interface SequencePlan {
  /** In sequence order, each chaining to the one before: open these, in this order. */
  accept: SealedEnvelope[];
  problems: SequenceProblem[];
  /** The state after every accepted envelope (the caller commits it with what it imports). */
  next: MailboxState;
}

/**
 * Decides which fetched envelopes a recipient may take, in mailbox order. Envelopes already
 * accepted come back as replays; ones delivered out of order are reported and then taken in order;
 * a gap stops acceptance there (the rest wait until the missing ones arrive); an envelope whose
 * previous_digest does not name the last accepted one stops it too (the relay, or someone, altered
 * the history). Signatures are checked when opening, not here.
 */
export function planSequence(state: MailboxState, fetched: readonly SealedEnvelope[]): SequencePlan {
  const problems: SequenceProblem[] = [];
  const fresh: SealedEnvelope[] = [];
  let highest = 0;
  for (const e of fetched) {
    if (e.sequence <= state.lastSequence) {
      problems.push({ code: 'replayed', sequence: e.sequence, envelopeId: e.id });
      continue;
    }
    if (e.sequence < highest) problems.push({ code: 'reordered', sequence: e.sequence, envelopeId: e.id });
    highest = Math.max(highest, e.sequence);
    fresh.push(e);
  }
  fresh.sort((a, b) => a.sequence - b.sequence);
  const accept: SealedEnvelope[] = [];
  let next = state;
  for (const e of fresh) {
    if (e.sequence === next.lastSequence) {
      // A second envelope under a sequence just taken: a replay with other content.
      problems.push({ code: 'replayed', sequence: e.sequence, envelopeId: e.id });
      continue;
    }
    if (e.sequence !== next.lastSequence + 1) {
      problems.push({ code: 'missing', from: next.lastSequence + 1, to: e.sequence - 1 });
      break;
    }
    if (e.previous_digest !== next.lastDigest) {
      problems.push({ code: 'chain-broken', sequence: e.sequence, envelopeId: e.id });
      break;
    }
    accept.push(e);
    next = { lastSequence: e.sequence, lastDigest: envelopeDigest(e) };
  }
  return { accept, problems, next };
}

export function describeProblem(p: SequenceProblem, sender: string): string {
  switch (p.code) {
    case 'replayed':
      return `envelope ${p.envelopeId} from ${sender} repeats sequence ${p.sequence}, already received: ignored`;
    case 'reordered':
      return `envelope ${p.envelopeId} from ${sender} (sequence ${p.sequence}) came after a later one: taken in order`;
    case 'missing':
      return p.from === p.to
        ? `envelope ${p.from} from ${sender} is missing: later ones wait until it arrives`
        : `envelopes ${p.from}-${p.to} from ${sender} are missing: later ones wait until they arrive`;
    case 'chain-broken':
      return `envelope ${p.envelopeId} from ${sender} (sequence ${p.sequence}) does not follow the last one received: refused`;
  }
}
