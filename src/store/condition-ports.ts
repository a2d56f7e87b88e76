import type { AssuranceAttestation, ConditionEvent } from './hub/condition-events.js';

/*
 * A partner's conditions (condition-events.ts) seen from each caller: the pipeline and the
 * reports replay the events; officers (console and CLI) append them. Appending never updates or
 * deletes, so a reader can always show every past state.
 */

/** Who appends a condition event, and when. */
export interface ConditionChange {
  actor: string;
  now: Date;
}

/** The partner's condition events, in the order they were appended (replay with policy/condition-replay.ts). */
export interface ConditionReader {
  list(partnerId: string): Promise<ConditionEvent[]>;
}

/**
 * Officers' changes to a partner's conditions. Each call appends one event and its ledger entry in
 * one transaction and returns the event's sequence number (a breach: its id, B1, B2, ...).
 */
export interface ConditionWriter {
  attestAssurance(
    partnerId: string,
    id: string,
    a: AssuranceAttestation,
    ctx: ConditionChange,
  ): Promise<number>;
  revokeAssurance(partnerId: string, id: string, reason: string, ctx: ConditionChange): Promise<number>;
  recordReview(partnerId: string, note: string | undefined, ctx: ConditionChange): Promise<number>;
  setSuspension(partnerId: string, on: boolean, reason: string, ctx: ConditionChange): Promise<number>;
  openBreach(partnerId: string, reason: string, ctx: ConditionChange): Promise<string>;
  /** False when the partner has no such open breach report. */
  closeBreach(partnerId: string, id: string, reason: string, ctx: ConditionChange): Promise<boolean>;
}

/** Both: what the composition root hands out. */
export interface ConditionBook extends ConditionReader, ConditionWriter {}
