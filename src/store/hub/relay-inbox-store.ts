import type { SealedEnvelope } from '../../relay/relay-envelope.js';
import { EMPTY_MAILBOX, type MailboxState } from '../../relay/relay-sequence.js';
import { type SqlDatabase, SqlRollback } from '../sql/sql-database.js';

/** The recipient's side: what it accepted from each sender (digests, provenance), and problems seen. */
export class RelayInboxStore {
  constructor(readonly sql: SqlDatabase) {}

  async state(sender: string): Promise<MailboxState> {
    const last = await this.sql.get<{ sequence: number; digest: string }>(
      'SELECT sequence, digest FROM relay_inbox WHERE sender = ? ORDER BY sequence DESC LIMIT 1',
      [sender],
    );
    return last ? { lastSequence: last.sequence, lastDigest: last.digest } : EMPTY_MAILBOX;
  }

  /** The digest of the envelope taken under `sequence` from `sender`, if one was. */
  async digestAt(sender: string, sequence: number): Promise<string | undefined> {
    return (
      await this.sql.get<{ digest: string }>(
        'SELECT digest FROM relay_inbox WHERE sender = ? AND sequence = ?',
        [sender, sequence],
      )
    )?.digest;
  }

  /** Records an opened, imported envelope with its 'relay-received' ledger entry. */
  async record(
    envelope: SealedEnvelope,
    digest: string,
    relayUrl: string,
    objects: number,
    now: Date,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.lock(`relay-inbox:${envelope.sender}`);
      const appended = await tx.appendLedger([
        {
          kind: 'relay-received',
          time: now.toISOString(),
          actor: 'relay-pull',
          sender: envelope.sender,
          relay: relayUrl,
          sequence: envelope.sequence,
          digest,
        },
      ]);
      if (!appended.ok) throw new SqlRollback(appended);
      await tx.run(
        `INSERT INTO relay_inbox (sender, sequence, envelope_id, digest, relay_url, objects, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [envelope.sender, envelope.sequence, envelope.id, digest, relayUrl, objects, now.toISOString()],
      );
    });
  }

  async addProblem(sender: string, code: string, message: string, now: Date): Promise<void> {
    await this.sql.run('INSERT INTO relay_problems (sender, code, message, at) VALUES (?, ?, ?, ?)', [
      sender,
      code,
      message,
      now.toISOString(),
    ]);
  }

  async problems(sender: string): Promise<{ code: string; message: string; at: string }[]> {
    return this.sql.all('SELECT code, message, at FROM relay_problems WHERE sender = ? ORDER BY id', [
      sender,
    ]);
  }

  async received(sender: string): Promise<
    {
      sequence: number;
      envelope_id: string;
      digest: string;
      relay_url: string;
      objects: number;
      received_at: string;
    }[]
  > {
    return this.sql.all(
      'SELECT sequence, envelope_id, digest, relay_url, objects, received_at FROM relay_inbox WHERE sender = ? ORDER BY sequence',
      [sender],
    );
  }
}
