import type { Hub } from '../app/hub.js';
import type { HubPolicyState } from '../app/hub-policy-watch.js';
import type { SessionStore } from '../store/hub/session-store.js';
import type { UserStore } from '../store/hub/user-store.js';

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: Hub;
  /** The settings decisions are made by now (serve re-reads them when they change). */
  policy: { current(): HubPolicyState };
  users: UserStore;
  sessions: SessionStore;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
  failedLoginDelayMs: number;
}
