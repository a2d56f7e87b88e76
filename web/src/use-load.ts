import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

/** GETs `path` now and whenever a dependency (e.g. a live stamp) changes; `reload` refetches. */
export function useLoad<T>(path: string | undefined, deps: readonly unknown[] = []): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's reload triggers
  useEffect(() => {
    if (!path) return undefined;
    let live = true;
    api<T>(path).then(
      (data) => live && setLoaded({ state: 'ok', data }),
      (e: Error) => live && setLoaded({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [path, tick, ...deps]);
  return [loaded, useCallback(() => setTick((t) => t + 1), [])];
}
