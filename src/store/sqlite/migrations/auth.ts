/**
 * Authentication (issue 17 and the credentials part of 15): API keys, the sign-in throttle's
 * counters shared by every hub process, the authentication audit log, a second factor, how each
 * session and approval was authenticated, and a credential epoch that moves whenever a credential
 * stops being good (a disabled user or partner, a new password or token, a revoked key, a lock),
 * so every process drops its cache of proven credentials at once.
 */
export const authTablesSql = `
ALTER TABLE console_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'console';
ALTER TABLE console_sessions ADD COLUMN auth TEXT NOT NULL DEFAULT 'password';
ALTER TABLE console_sessions ADD COLUMN origin TEXT NOT NULL DEFAULT 'console';
-- TOTP (RFC 6238): the shared secret, encrypted with a key derived from the hub secret, and the
-- last time step used (a code is accepted once).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE release_approvals ADD COLUMN auth TEXT;
ALTER TABLE release_approvals ADD COLUMN origin TEXT;

-- Per-user API keys: only the SHA-256 of the 256-bit secret is kept (shown once at creation).
CREATE TABLE user_api_keys (
  key_id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  label TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT
);
CREATE INDEX user_api_keys_user ON user_api_keys (user_name);

-- The throttle: one row per account name or client address with failures or an attempt in flight.
CREATE TABLE auth_throttle (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_ms INTEGER NOT NULL,
  next_ms INTEGER NOT NULL,
  busy_until_ms INTEGER NOT NULL,
  locked_at TEXT,
  locked_until_ms INTEGER
);

-- Every failed sign-in, lock, refusal, unlock and successful interactive sign-in. Never a secret.
CREATE TABLE auth_events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  surface TEXT NOT NULL,
  event TEXT NOT NULL,
  account TEXT,
  address TEXT,
  actor TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX auth_events_at ON auth_events (at);

CREATE TABLE auth_epoch (
  id INTEGER NOT NULL PRIMARY KEY,
  n INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);
`;

/** Tables whose changes may end a credential; auth_throttle only when a lock is set. */
export const AUTH_EPOCH_TABLES = ['users', 'partners', 'user_api_keys'] as const;

const sqliteTriggers = [
  ...AUTH_EPOCH_TABLES.flatMap((t) =>
    ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER ${t}_${op.toLowerCase()}_auth_epoch AFTER ${op} ON ${t} BEGIN UPDATE auth_epoch SET n = n + 1; END;`,
    ),
  ),
  `CREATE TRIGGER auth_throttle_lock_insert AFTER INSERT ON auth_throttle WHEN NEW.locked_at IS NOT NULL
     BEGIN UPDATE auth_epoch SET n = n + 1; END;`,
  `CREATE TRIGGER auth_throttle_lock_update AFTER UPDATE OF locked_at ON auth_throttle
     WHEN NEW.locked_at IS NOT NULL AND OLD.locked_at IS NULL BEGIN UPDATE auth_epoch SET n = n + 1; END;`,
].join('\n');

export const authMigration = {
  name: '1400-auth',
  sql: `${authTablesSql}\n${sqliteTriggers}`,
};
