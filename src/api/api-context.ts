import type { Hub } from '../app/hub.js';
import type { SessionStore } from '../store/hub/session-store.js';
import type { UserStore } from '../store/hub/user-store.js';

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: Hub;
  users: UserStore;
  sessions: SessionStore;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
  failedLoginDelayMs: number;
}
