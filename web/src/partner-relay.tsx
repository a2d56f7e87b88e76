import type { RelayDeliveryView, RelayReleaseStatus } from '../../src/store/console-shapes.js';
import { RelayRefusals } from './relay-refusals.js';
import { useLoad } from './use-load.js';

interface RelayView {
  partner: string;
  via: null | RelayDeliveryView;
}

const STATUS_WORDS: Record<RelayReleaseStatus, string> = {
  'not-sealed': 'not sealed yet',
  sealed: 'sealed, not handed over',
  'handed-to-relay': 'handed to relay',
  delivered: 'delivered',
};

const STATUS_CLASS: Record<RelayReleaseStatus, string> = {
  'not-sealed': 'status-unknown',
  sealed: 'status-unknown',
  'handed-to-relay': 'status-met',
  delivered: 'status-met',
};

/** A partner reached "via" a relay: the route, last push and acknowledgement, and each release's delivery. */
export function PartnerRelay({ partnerId, deps }: { partnerId: string; deps: readonly unknown[] }) {
  const [view] = useLoad<RelayView>(`/api/partners/${encodeURIComponent(partnerId)}/relay`, deps);
  if (view.state !== 'ok' || view.data.via === null) return null;
  const v = view.data.via;
  return (
    <section aria-label={`relay route of ${view.data.partner}`} data-relay={v.relayUrl}>
      <h3>Via relay</h3>
      <p>
        Reached via <code>{v.relayUrl}</code> as <code>{v.recipient}</code>: {v.envelopes} envelopes sealed,
        last push {v.lastPush ?? 'never'}, last sequence acknowledged {v.lastDelivered ?? 'none'}.
      </p>
      <RelayRefusals unposted={v.unposted} refusedPosts={v.refusedPosts} next="the next push" />
      {v.releases.length === 0 ? (
        <p>No releases yet.</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col">Object</th>
                <th scope="col">Released</th>
                <th scope="col">Delivery</th>
                <th scope="col">Envelope</th>
                <th scope="col">Relay receipt</th>
              </tr>
            </thead>
            <tbody>
              {v.releases.map((r) => (
                <tr
                  key={`${r.releaseId}:${r.sequence ?? ''}`}
                  data-release={r.releaseId}
                  data-status={r.status}
                >
                  <td>
                    <code>{r.releaseId}</code>
                    {r.recalled && <span className="badge bad">recalled</span>}
                  </td>
                  <td>
                    <code>{r.derivedId}</code>
                  </td>
                  <td>{r.releasedAt}</td>
                  <td>
                    <span className={`status ${STATUS_CLASS[r.status]}`}>{STATUS_WORDS[r.status]}</span>
                  </td>
                  <td>{r.sequence === null ? '—' : `#${r.sequence}`}</td>
                  <td>{r.relayIndex === null ? '—' : `relay ledger entry ${r.relayIndex}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {v.truncated && <p className="note">The newest releases are shown.</p>}
        </div>
      )}
    </section>
  );
}
