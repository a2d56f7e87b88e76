import type { PushFailure } from '../../src/store/console-shapes.js';

/**
 * What a relay has not taken, for the partner page's release route and for feedback to a hub
 * alike: sealed envelopes still waiting, and the posts it refused or could not take. `next` names
 * what sends those envelopes again (the next push, the next feedback).
 */
export function RelayRefusals({
  unposted,
  refusedPosts,
  next,
}: {
  unposted: number;
  refusedPosts: readonly PushFailure[];
  next: string;
}) {
  return (
    <>
      {unposted > 0 && (
        <p className="error" data-problem="unposted">
          {unposted} sealed envelope{unposted === 1 ? '' : 's'} not yet taken by the relay (refused or
          unreachable).
        </p>
      )}
      {refusedPosts.length > 0 && (
        <div data-problem="refused-posts">
          <p className="error">
            The relay refused or could not take {refusedPosts.length} post
            {refusedPosts.length === 1 ? '' : 's'}; {next} sends those envelopes again.
          </p>
          <ul>
            {refusedPosts.map((f) => (
              <li key={`${f.attemptedAt}:${f.sequence}:${f.reason}`} data-reason={f.reason}>
                {f.attemptedAt}: envelope #{f.sequence}, {f.reason}: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
