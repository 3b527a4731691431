import { useEffect, useState } from 'react';

export interface Fetched<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/** Runs `load` whenever `key` changes, aborting the previous run; null key: nothing to load. */
export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [state, setState] = useState<Fetched<T> & { key: string | null }>({ key: null, loading: false });
  useEffect(() => {
    if (key === null) return;
    const abort = new AbortController();
    setState({ key, loading: true });
    load(abort.signal).then(
      (data) => !abort.signal.aborted && setState({ key, data, loading: false }),
      (e: Error) => !abort.signal.aborted && setState({ key, error: e.message, loading: false }),
    );
    return () => abort.abort();
    // `load` is a fresh closure each render; `key` says when its result would differ.
  }, [key]);
  return state.key === key ? state : { loading: key !== null };
}
