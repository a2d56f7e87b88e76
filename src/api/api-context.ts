import type { Hub } from '../app/hub.js';
import type { SqliteUserStore } from '../store/sqlite/user-store.js';
import type { SqliteSessionStore } from './api-session.js';

/** What every console route reads through. `now` is wall-clock time for sessions only. */
export interface ConsoleContext {
  hub: Hub;
  users: SqliteUserStore;
  sessions: SqliteSessionStore;
  now: () => Date;
  sessionTtlMs: number;
  secure: boolean;
  failedLoginDelayMs: number;
}
