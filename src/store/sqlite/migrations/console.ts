/**
 * Console sessions. Only the SHA-256 of the session id is kept, so a copy of the database does
 * not let anyone sign in; the CSRF token is per session and sent back in a header.
 */
export const consoleMigration = {
  name: '0800-console',
  sql: `
CREATE TABLE console_sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_name);
`,
};
