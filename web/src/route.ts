import { useEffect, useState } from 'react';

/** Hash routes (#/queue, #/object/ID, #/intel?q=...): the server serves one page at /. */
export interface Route {
  page: string;
  arg: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'threat', ...rest] = path.split('/');
  return {
    page: page || 'threat',
    arg: decodeURIComponent(rest.join('/')),
    params: new URLSearchParams(query),
  };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parseRoute(hash);
}

export const objectHref = (id: string) => `#/object/${encodeURIComponent(id)}`;
