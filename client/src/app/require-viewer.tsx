import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useViewer } from '../features/accounts/api/viewer';
import { ErrorState, Loading } from '../components/states';
import { applyTheme } from '../lib/theme';
import { ViewerContext } from './viewer-context';

/** Renders the signed-in part of the dashboard, or sends the visitor to sign in and back. */
export function RequireViewer() {
  const { data, loading, error, refetch } = useViewer();
  const location = useLocation();
  const theme = data?.viewer?.user.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);

  if (loading && !data) return <Loading label="Loading your workspace…" />;
  if (error && !data) return <ErrorState error={error} onRetry={() => refetch()} />;
  if (!data?.viewer) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <ViewerContext.Provider value={data.viewer}>
      <Outlet />
    </ViewerContext.Provider>
  );
}
