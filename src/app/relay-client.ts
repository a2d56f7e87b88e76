import { TAXII_MEDIA_TYPE } from '../taxii/taxii-media.js';

/** A hub's calls to a relay, over HTTP with its bearer token. Errors name the relay and the step. */
export class RelayClientError extends Error {
  override readonly name = 'RelayClientError';
  constructor(
    message: string,
    /** The relay's HTTP status, when it answered at all. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A relay step that cannot go on (no key, no route, a copy with no release): said plainly to the operator. */
export class RelayStepError extends Error {
  override readonly name = 'RelayStepError';
}

const MAX_ANSWER = 64 * 1024 * 1024;

export class RelayClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async #call(path: string, init: { method?: string; body?: string } = {}): Promise<unknown> {
    const url = new URL(path, this.baseUrl).toString();
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          Accept: TAXII_MEDIA_TYPE,
          Authorization: `Bearer ${this.token}`,
          ...(init.body !== undefined && { 'Content-Type': TAXII_MEDIA_TYPE }),
        },
        ...(init.body !== undefined && { body: init.body }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new RelayClientError(`relay ${this.baseUrl} unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER) throw new RelayClientError(`relay answer to ${path} is too large`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RelayClientError(`relay answered ${path} with ${res.status} and no JSON`, res.status);
    }
    if (!res.ok) {
      const d = (body as { description?: string; message?: string }) ?? {};
      throw new RelayClientError(
        `relay refused ${path} (${res.status}): ${d.description ?? d.message ?? text.slice(0, 200)}`,
        res.status,
      );
    }
    return body;
  }

  post(
    mailbox: string,
    envelopes: readonly unknown[],
  ): Promise<{
    successes?: { id: string; message?: string }[];
    failures?: { id: unknown; message: string }[];
  }> {
    return this.#call(`taxii2/relay/collections/${mailbox}/objects/`, {
      method: 'POST',
      body: JSON.stringify({ objects: envelopes }),
    }) as Promise<{
      successes?: { id: string; message?: string }[];
      failures?: { id: unknown; message: string }[];
    }>;
  }

  /** The mailbox's envelopes after sequence `afterSequence` (the caller's cursor), page by page. */
  async *pages(mailbox: string, afterSequence = 0): AsyncGenerator<unknown[]> {
    let next: string | undefined;
    do {
      const q = `?after_sequence=${afterSequence}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;
      const page = (await this.#call(`taxii2/relay/collections/${mailbox}/objects/${q}`)) as {
        objects?: unknown;
        more?: boolean;
        next?: string;
      };
      if (!Array.isArray(page.objects)) throw new RelayClientError('relay page has no objects array');
      yield page.objects;
      next = page.more === true && typeof page.next === 'string' ? page.next : undefined;
    } while (next !== undefined);
  }

  status(mailbox: string): Promise<{ envelopes: { envelope_id: string; delivered_at: string | null }[] }> {
    return this.#call(`relay/mailboxes/${mailbox}/status`) as Promise<{
      envelopes: { envelope_id: string; delivered_at: string | null }[];
    }>;
  }

  receipts(mailbox: string, envelopeId: string): Promise<unknown> {
    return this.#call(`relay/mailboxes/${mailbox}/receipts/${envelopeId}`);
  }
}
