import { createContext, useContext } from 'react';
import type { ViewerQuery } from '../gql/graphql';

export type CurrentViewer = NonNullable<ViewerQuery['viewer']>;

export const ViewerContext = createContext<CurrentViewer | null>(null);

/** The signed-in viewer; only used below RequireViewer, which guarantees it. */
export function useCurrentViewer(): CurrentViewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useCurrentViewer outside RequireViewer');
  return viewer;
}

/** Mirrors the server's permission table for display; the server still enforces every rule. */
export function useCan(permission: string): boolean {
  return useCurrentViewer().permissions.includes(permission);
}
