import type { HubAuth } from '../app/auth-sign-in.js';
import type { Hub } from '../app/hub.js';
import type { SessionStore } from '../store/hub/session-store.js';
import type { UserStore } from '../store/hub/user-store.js';

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: Hub;
  users: UserStore;
  sessions: SessionStore;
  /** Sign-in through the hub's one throttle and audit log. */
  auth: HubAuth;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
}
