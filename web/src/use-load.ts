/**
 * @module use-load
 * Loads data once per change of its dependencies and on demand, keeping the last good value while
 * reloading (so live pages do not flash empty) and ignoring answers that arrive after a newer load.
 */
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from './api.js';

/** The state of one load. */
export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** loads again; the previous data stays until the answer comes */
  reload: () => void;
}

function toApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { code: 'ERR_CLIENT', message: String(e) });
}

/**
 * Runs `load` on mount, when `deps` change, and on `reload()`.
 *
 * @param load  the request(s) to make
 * @param deps  what the request depends on (as for useEffect)
 * @returns the last data, the last error (cleared by a good answer) and a reload function
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  // The caller states the dependencies, as for useEffect.
  const run = useCallback(load, deps);

  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    run().then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
  }, [run]);

  useEffect(() => {
    setData(null);
    reload();
    return () => {
      seq.current++;
    };
  }, [reload]);

  return { data, error, loading, reload };
}
