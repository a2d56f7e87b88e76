import { createContext, useContext, useEffect, useState } from 'react';

/** A counter per part of the data; pages reload when the counter of a part they show moves. */
export interface LiveStamps {
  intel: number;
  queue: number;
  conditions: number;
  settings: number;
  submissions: number;
  last: string;
}

const START: LiveStamps = { intel: 0, queue: 0, conditions: 0, settings: 0, submissions: 0, last: '' };
export const LiveContext = createContext<LiveStamps>(START);

export function useLive(): LiveStamps {
  return useContext(LiveContext);
}

/** Listens to /api/events while signed in; EventSource reconnects by itself. */
export function useLiveStamps(enabled: boolean): LiveStamps {
  const [stamps, setStamps] = useState<LiveStamps>(START);
  useEffect(() => {
    if (!enabled) return undefined;
    const source = new EventSource('/api/events');
    // On every (re)connection, reload what is shown: a change made before the stream opened
    // would otherwise never be announced to this page.
    source.addEventListener('open', () => {
      setStamps((s) => ({
        ...s,
        intel: s.intel + 1,
        queue: s.queue + 1,
        conditions: s.conditions + 1,
        settings: s.settings + 1,
        submissions: s.submissions + 1,
      }));
    });
    source.addEventListener('change', (e) => {
      const { changed } = JSON.parse((e as MessageEvent<string>).data) as { changed: string[] };
      setStamps((s) => ({
        intel: s.intel + (changed.includes('intel') ? 1 : 0),
        queue: s.queue + (changed.includes('queue') ? 1 : 0),
        conditions: s.conditions + (changed.includes('conditions') ? 1 : 0),
        settings: s.settings + (changed.includes('settings') ? 1 : 0),
        submissions: s.submissions + (changed.includes('submissions') ? 1 : 0),
        last: `${new Date().toLocaleTimeString()}: ${changed.join(', ')} changed`,
      }));
    });
    return () => source.close();
  }, [enabled]);
  return stamps;
}
