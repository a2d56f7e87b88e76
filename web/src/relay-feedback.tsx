import type { FeedbackOutbox } from '../../src/store/console-shapes.js';
import { RelayRefusals } from './relay-refusals.js';
import { useLoad } from './use-load.js';

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
          <RelayRefusals unposted={h.unposted} refusedPosts={h.refusedPosts} next="the next feedback" />
        </div>
      ))}
    </section>
  );
}
