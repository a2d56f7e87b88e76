import { useLoad } from './use-load.js';

interface RefusedPost {
  sequence: number;
  reason: string;
  message: string;
  attemptedAt: string;
}

interface FeedbackOutbox {
  hub: string;
  envelopes: number;
  unposted: number;
  lastPost: string | null;
  refusedPosts: RefusedPost[];
}

/**
 * Sightings this hub sent back through a relay to hubs that release to it ('relay feedback'):
 * per hub, what was sealed and the posts the relay refused or could not take. Nothing when no
 * feedback was ever sealed.
 */
export function RelayFeedback({ deps }: { deps: readonly unknown[] }) {
  const [view] = useLoad<{ hubs: FeedbackOutbox[] }>('/api/relay/feedback', deps);
  if (view.state !== 'ok' || view.data.hubs.length === 0) return null;
  return (
    <section aria-label="feedback through a relay">
      <h2>Feedback through a relay</h2>
      {view.data.hubs.map((h) => (
        <div key={h.hub} data-feedback-hub={h.hub}>
          <p>
            To <code>{h.hub}</code>: {h.envelopes} envelope{h.envelopes === 1 ? '' : 's'} of sightings sealed,
            last taken by the relay {h.lastPost ?? 'never'}.
          </p>
          {h.unposted > 0 && (
            <p className="error" data-problem="unposted">
              {h.unposted} sealed envelope{h.unposted === 1 ? '' : 's'} not yet taken by the relay (refused or
              unreachable).
            </p>
          )}
          {h.refusedPosts.length > 0 && (
            <div data-problem="refused-posts">
              <p className="error">
                The relay refused or could not take {h.refusedPosts.length} post
                {h.refusedPosts.length === 1 ? '' : 's'}; the next feedback sends those envelopes again.
              </p>
              <ul>
                {h.refusedPosts.map((f) => (
                  <li key={`${f.attemptedAt}:${f.sequence}:${f.reason}`} data-reason={f.reason}>
                    {f.attemptedAt}: envelope #{f.sequence}, {f.reason}: {f.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
