/**
 * @module app-context
 * The API client and the stream client, made once in main.tsx and handed to every page.
 */
import { createContext, useContext } from 'react';
import type { ApiClient } from './api.js';
import type { StreamClient } from './ws.js';

/** What every page needs to talk to the service. */
export interface AppServices {
  api: ApiClient;
  stream: StreamClient;
}

/** Context carrying the services; provided by the root component. */
export const AppContext = createContext<AppServices | null>(null);

/** The services of the running app; throws outside the provider (a wiring bug). */
export function useServices(): AppServices {
  const s = useContext(AppContext);
  if (s === null) throw new Error('useServices called outside AppContext');
  return s;
}
