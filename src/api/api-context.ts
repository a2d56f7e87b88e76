import type { HubAuth } from '../app/auth-sign-in.js';
import type { Hub } from '../app/hub.js';
import type { HubPolicyState } from '../app/hub-policy-watch.js';
import type { PassNow } from '../app/hub-worker.js';
import type { SessionStore } from '../store/hub/session-store.js';
import type { UserStore } from '../store/hub/user-store.js';

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: Hub;
  /** The settings decisions are made by now (serve re-reads them when they change). */
  policy: { current(): HubPolicyState };
  users: UserStore;
  sessions: SessionStore;
  /** Sign-in through the hub's one throttle and audit log. */
  auth: HubAuth;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
  /**
   * The hub's release passes when a worker runs them (serve): the console's "run the pipeline"
   * asks it, so the pass runs on the pass thread, never on this event loop. A getter: serve starts
   * the worker after the routes are built.
   */
  passes?: () => { runNow(): Promise<PassNow> } | undefined;
}
