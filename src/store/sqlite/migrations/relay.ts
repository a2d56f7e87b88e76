/**
 * The liaison relay (src/relay). One data dir can play any of the three roles; each role uses
 * its own tables. Nothing here holds plaintext of what an envelope carries: the relay keeps the
 * sealed envelopes, senders keep what they sealed (to resend it unchanged), recipients keep
 * digests and where each envelope came from.
 */
export const relayMigration = {
  name: '1900-relay',
  sql: `
-- Relay: the hubs that may use it (token hashed; the hub's published ledger key checks signatures).
CREATE TABLE relay_hubs (
  name TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  verifier_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- Relay: who may send to whom (deny by default); one mailbox (a TAXII collection) per direction.
CREATE TABLE relay_mailboxes (
  id TEXT PRIMARY KEY,
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (sender, recipient)
);
-- Relay: the envelopes, as posted; pos orders a mailbox's TAXII feed.
CREATE TABLE relay_envelopes (
  pos INTEGER PRIMARY KEY,
  mailbox_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  envelope_id TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  ledger_index INTEGER NOT NULL,
  delivered_at TEXT,
  delivery_index INTEGER,
  UNIQUE (mailbox_id, sequence)
);
-- Sender: partners reached through a relay, and what was sealed for each.
CREATE TABLE relay_routes (
  partner_id TEXT PRIMARY KEY,
  relay_url TEXT NOT NULL,
  recipient TEXT NOT NULL,
  recipient_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE relay_outbox (
  partner_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  envelope_id TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL,
  body TEXT NOT NULL,
  after_us INTEGER NOT NULL,
  through_us INTEGER NOT NULL,
  objects INTEGER NOT NULL,
  sealed_at TEXT NOT NULL,
  posted_at TEXT,
  relay_index INTEGER,
  delivered_at TEXT,
  PRIMARY KEY (partner_id, sequence)
);
-- Recipient: what it accepted from each sender (digests and provenance, not content), and problems.
CREATE TABLE relay_inbox (
  sender TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  envelope_id TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL,
  relay_url TEXT NOT NULL,
  objects INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (sender, sequence)
);
CREATE TABLE relay_problems (
  id INTEGER PRIMARY KEY,
  sender TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
`,
};
