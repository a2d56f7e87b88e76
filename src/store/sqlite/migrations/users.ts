/** Hub users (analysts, release officers, oversight, admins) and the history of changes to them. */
export const usersMigration = {
  name: '0200-users',
  sql: `
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE user_events (
  seq INTEGER PRIMARY KEY,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX user_events_user ON user_events (user_name, seq);
`,
};
