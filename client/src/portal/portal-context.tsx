import { createContext, useContext } from 'react';
import type { PortalContext } from './api';

const Ctx = createContext<PortalContext | null>(null);

export const PortalContextProvider = Ctx.Provider;

/** The portal session's organization, intent, branding and URLs. */
export function usePortal(): PortalContext {
  const value = useContext(Ctx);
  if (!value) throw new Error('usePortal outside the portal');
  return value;
}
