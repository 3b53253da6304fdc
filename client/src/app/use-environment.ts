import { useEnvironmentKind } from './environment';
import { useCurrentViewer } from './viewer-context';

/** The environment the viewer is looking at (Staging or Production of their workspace), or null without a workspace. */
export function useCurrentEnvironment() {
  const viewer = useCurrentViewer();
  const { kind } = useEnvironmentKind();
  return viewer.workspace?.environments.find((e) => e.kind === kind) ?? null;
}
