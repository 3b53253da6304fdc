import { createContext, useContext, useState, type ReactNode } from 'react';

export type EnvironmentKind = 'STAGING' | 'PRODUCTION';
const KEY = 'portico-environment';

function initial(): EnvironmentKind {
  try {
    return localStorage.getItem(KEY) === 'PRODUCTION' ? 'PRODUCTION' : 'STAGING';
  } catch {
    return 'STAGING';
  }
}

const EnvironmentContext = createContext<{ kind: EnvironmentKind; setKind: (k: EnvironmentKind) => void }>({ kind: 'STAGING', setKind: () => undefined });

export function EnvironmentProvider({ children }: { children: ReactNode }) {
  const [kind, setState] = useState<EnvironmentKind>(initial);
  const setKind = (next: EnvironmentKind) => {
    setState(next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // the choice lasts for this page only
    }
  };
  return <EnvironmentContext.Provider value={{ kind, setKind }}>{children}</EnvironmentContext.Provider>;
}

export const useEnvironmentKind = () => useContext(EnvironmentContext);
