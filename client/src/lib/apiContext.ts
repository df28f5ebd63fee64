/** Hands the REST client (api.ts) to components and stores through Solid's context. */
import { createContext, useContext } from 'solid-js';
import type { Api } from './api.ts';

export const ApiContext = createContext<Api>();

/** The API client provided by an enclosing `<ApiContext.Provider>`; throws when there is none. */
export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() needs an <ApiContext.Provider> above it');
  return api;
}
