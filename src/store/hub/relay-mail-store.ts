import { createHash, randomBytes } from 'node:crypto';
import type { SealedEnvelope } from '../../relay/relay-envelope.js';
import { FIRST_PREVIOUS, mailboxIdOf } from '../../relay/relay-envelope.js';
import { type SqlDatabase, SqlRollback } from '../sql/sql-database.js';

/** The relay's side: hubs, mailboxes, sealed envelopes. It never sees a key that opens one. */

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Mailbox {
  id: string;
  sender: string;
  recipient: string;
}

export interface StoredEnvelope {
  pos: number;
  envelopeId: string;
  sequence: number;
  digest: string;
  body: string;
  receivedAt: string;
  ledgerIndex: number;
  deliveredAt: string | null;
}

export type AcceptOutcome =
  | { ok: true; ledgerIndex: number; duplicate: boolean }
  | { ok: false; code: 'conflict' | 'out-of-sequence' | 'chain-broken' | 'ledger'; message: string };

interface EnvelopeRow {
  pos: number;
  envelope_id: string;
  sequence: number;
  digest: string;
  body: string;
  received_at: string;
  ledger_index: number;
  delivered_at: string | null;
}

const toEnvelope = (r: EnvelopeRow): StoredEnvelope => ({
  pos: r.pos,
  envelopeId: r.envelope_id,
  sequence: r.sequence,
  digest: r.digest,
  body: r.body,
  receivedAt: r.received_at,
  ledgerIndex: r.ledger_index,
  deliveredAt: r.delivered_at,
});

export class RelayMailStore {
  constructor(readonly sql: SqlDatabase) {}

  /**
   * Registers a hub with its published ledger key (which checks its envelopes' signatures).
   * Returns its token once: only the SHA-256 of 256 random bits is kept.
   */
  async addHub(
    name: string,
    verifierKey: string,
    now: Date,
  ): Promise<{ ok: true; token: string } | { ok: false; message: string }> {
    const token = `trl_${randomBytes(32).toString('base64url')}`;
    const r = await this.sql.run(
      'INSERT INTO relay_hubs (name, token_hash, verifier_key, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
      [name, tokenHash(token), verifierKey, now.toISOString()],
    );
    if (r.changes === 0) return { ok: false, message: `hub ${name} is already registered on this relay` };
    return { ok: true, token };
  }

  async hubs(): Promise<{ name: string; verifierKey: string; createdAt: string }[]> {
    const rows = await this.sql.all<{ name: string; verifier_key: string; created_at: string }>(
      'SELECT name, verifier_key, created_at FROM relay_hubs ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, verifierKey: r.verifier_key, createdAt: r.created_at }));
  }

  async authenticate(token: string): Promise<string | undefined> {
    if (token.length > 200) return undefined;
    const row = await this.sql.get<{ name: string }>('SELECT name FROM relay_hubs WHERE token_hash = ?', [
      tokenHash(token),
    ]);
    return row?.name;
  }

  async verifierKeyOf(name: string): Promise<string | undefined> {
    return (
      await this.sql.get<{ verifier_key: string }>('SELECT verifier_key FROM relay_hubs WHERE name = ?', [
        name,
      ])
    )?.verifier_key;
  }

  /** Opens the two mailboxes between two registered hubs (releases one way, feedback the other). */
  async link(
    a: string,
    b: string,
    now: Date,
  ): Promise<{ ok: true; mailboxes: Mailbox[] } | { ok: false; message: string }> {
    if (a === b) return { ok: false, message: 'a hub cannot be linked to itself' };
    for (const name of [a, b]) {
      if (!(await this.verifierKeyOf(name)))
        return { ok: false, message: `no hub ${name} on this relay (relay hub add)` };
    }
    const mailboxes = [
      { id: mailboxIdOf(a, b), sender: a, recipient: b },
      { id: mailboxIdOf(b, a), sender: b, recipient: a },
    ];
    await this.sql.transaction(async (tx) => {
      for (const m of mailboxes) {
        await tx.run(
          'INSERT INTO relay_mailboxes (id, sender, recipient, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [m.id, m.sender, m.recipient, now.toISOString()],
        );
      }
    });
    return { ok: true, mailboxes };
  }

  /** The mailboxes a hub sends into or receives from, and no others. */
  async mailboxesOf(hub: string): Promise<Mailbox[]> {
    return this.sql.all<Mailbox>(
      'SELECT id, sender, recipient FROM relay_mailboxes WHERE sender = ? OR recipient = ? ORDER BY sender, recipient',
      [hub, hub],
    );
  }

  async mailbox(id: string): Promise<Mailbox | undefined> {
    return this.sql.get<Mailbox>('SELECT id, sender, recipient FROM relay_mailboxes WHERE id = ?', [id]);
  }

  /**
   * Takes an envelope into its mailbox with its ledger entry, in one transaction. The relay keeps
   * each mailbox a chain too (sequence n+1, chained to n), so a sender learns at once of a
   * lost or doubled post; the same envelope posted again (a retry) is answered as a duplicate.
   */
  async accept(
    mailbox: Mailbox,
    envelope: SealedEnvelope,
    digest: string,
    body: string,
    now: Date,
  ): Promise<AcceptOutcome> {
    const [outcome] = await this.acceptAll(mailbox, [{ envelope, digest, body }], now);
    return outcome as AcceptOutcome;
  }

  /**
   * Takes a post's envelopes in order, each checked and ledgered as accept does, in one
   * transaction (one commit per post, not per envelope). One refused (out of sequence, a
   * conflict) does not undo those before it; a ledger failure undoes the whole post.
   */
  async acceptAll(
    mailbox: Mailbox,
    items: readonly { envelope: SealedEnvelope; digest: string; body: string }[],
    now: Date,
  ): Promise<AcceptOutcome[]> {
    if (items.length === 0) return [];
    try {
      return await this.sql.transaction(async (tx): Promise<AcceptOutcome[]> => {
        await tx.lock(`relay-mailbox:${mailbox.id}`);
        const outcomes: AcceptOutcome[] = [];
        let last = await tx.get<{ sequence: number; digest: string }>(
          'SELECT sequence, digest FROM relay_envelopes WHERE mailbox_id = ? ORDER BY sequence DESC LIMIT 1',
          [mailbox.id],
        );
        for (const { envelope, digest, body } of items) {
          const same = await tx.get<{ digest: string; ledger_index: number; mailbox_id: string }>(
            'SELECT digest, ledger_index, mailbox_id FROM relay_envelopes WHERE envelope_id = ?',
            [envelope.id],
          );
          if (same) {
            outcomes.push(
              same.digest === digest && same.mailbox_id === mailbox.id
                ? { ok: true, ledgerIndex: Number(same.ledger_index), duplicate: true }
                : {
                    ok: false,
                    code: 'conflict',
                    message: `${envelope.id} is already held with other content`,
                  },
            );
            continue;
          }
          const expected = (last ? Number(last.sequence) : 0) + 1;
          if (envelope.sequence !== expected) {
            outcomes.push({
              ok: false,
              code: 'out-of-sequence',
              message: `sequence ${envelope.sequence} is not the next in this mailbox (${expected})`,
            });
            continue;
          }
          if (envelope.previous_digest !== (last?.digest ?? FIRST_PREVIOUS)) {
            outcomes.push({
              ok: false,
              code: 'chain-broken',
              message: 'previous_digest does not name the last envelope in this mailbox',
            });
            continue;
          }
          const appended = await tx.appendLedger([
            {
              kind: 'relay-envelope',
              time: now.toISOString(),
              actor: mailbox.sender,
              sender: mailbox.sender,
              recipient: mailbox.recipient,
              sequence: envelope.sequence,
              digest,
            },
          ]);
          if (!appended.ok)
            throw new SqlRollback<AcceptOutcome[]>(
              items.map(() => ({ ok: false, code: 'ledger', message: appended.message })),
            );
          await tx.run(
            `INSERT INTO relay_envelopes (mailbox_id, sequence, envelope_id, digest, body, received_at, ledger_index)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [mailbox.id, envelope.sequence, envelope.id, digest, body, now.toISOString(), appended.first],
          );
          last = { sequence: envelope.sequence, digest };
          outcomes.push({ ok: true, ledgerIndex: appended.first, duplicate: false });
        }
        return outcomes;
      });
    } catch (err) {
      if (err instanceof SqlRollback) return err.result as AcceptOutcome[];
      throw err;
    }
  }

  async page(
    mailboxId: string,
    afterPos: number,
    limit: number,
    afterSequence = 0,
  ): Promise<{ rows: StoredEnvelope[]; more: boolean }> {
    const rows = await this.sql.all<EnvelopeRow>(
      `SELECT pos, envelope_id, sequence, digest, body, received_at, ledger_index, delivered_at
       FROM relay_envelopes WHERE mailbox_id = ? AND pos > ? AND sequence > ? ORDER BY pos LIMIT ?`,
      [mailboxId, afterPos, afterSequence, limit + 1],
    );
    return { rows: rows.slice(0, limit).map(toEnvelope), more: rows.length > limit };
  }

  /** Envelope by id within a mailbox (for receipts), or undefined. */
  async envelope(mailboxId: string, envelopeId: string): Promise<StoredEnvelope | undefined> {
    const r = await this.sql.get<EnvelopeRow>(
      `SELECT pos, envelope_id, sequence, digest, body, received_at, ledger_index, delivered_at
       FROM relay_envelopes WHERE mailbox_id = ? AND envelope_id = ?`,
      [mailboxId, envelopeId],
    );
    return r && toEnvelope(r);
  }

  /** Records, once per envelope, that its recipient was served it: the relay's proof of delivery. */
  async markDelivered(mailbox: Mailbox, envelopes: readonly StoredEnvelope[], now: Date): Promise<void> {
    const fresh = envelopes.filter((e) => e.deliveredAt === null);
    if (fresh.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await tx.lock(`relay-mailbox:${mailbox.id}`);
      for (const e of fresh) {
        const still = await tx.get<{ delivered_at: string | null }>(
          'SELECT delivered_at FROM relay_envelopes WHERE envelope_id = ?',
          [e.envelopeId],
        );
        if (still?.delivered_at !== null) continue;
        const appended = await tx.appendLedger([
          {
            kind: 'relay-delivery',
            time: now.toISOString(),
            actor: mailbox.recipient,
            sender: mailbox.sender,
            recipient: mailbox.recipient,
            sequence: e.sequence,
            digest: e.digest,
          },
        ]);
        if (!appended.ok) throw new Error(`relay ledger: ${appended.message}`);
        await tx.run(
          'UPDATE relay_envelopes SET delivered_at = ?, delivery_index = ? WHERE envelope_id = ?',
          [now.toISOString(), appended.first, e.envelopeId],
        );
      }
    });
  }

  /** What a sender may know of its own mailbox: sequence, ledger index, delivered when. */
  async status(mailboxId: string): Promise<
    {
      envelope_id: string;
      sequence: number;
      ledger_index: number;
      delivered_at: string | null;
      delivery_index: number | null;
    }[]
  > {
    return this.sql.all(
      'SELECT envelope_id, sequence, ledger_index, delivered_at, delivery_index FROM relay_envelopes WHERE mailbox_id = ? ORDER BY sequence',
      [mailboxId],
    );
  }
}
