import { useCallback, useEffect, useRef, useState } from 'react';

export interface List<T> {
  items: T[] | null;
  error: string | null;
  /** Loads again; the old items stay on screen until the new ones arrive. */
  reload: () => void;
}

/** A list the admin can change: loaded at mount and again after each change. */
export function useList<T>(load: (signal: AbortSignal) => Promise<{ items: T[] }>): List<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const abort = new AbortController();
    loader.current(abort.signal).then(
      (page) => {
        if (abort.signal.aborted) return;
        setItems(page.items);
        setError(null);
      },
      (e: Error) => !abort.signal.aborted && setError(e.message),
    );
    return () => abort.abort();
  }, [round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { items, error, reload };
}
