import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/viewer-context';
import { CheckIcon } from '../../components/icons';
import type { EnvironmentOverviewQuery } from '../../gql/graphql';

type Checklist = EnvironmentOverviewQuery['environment']['overview']['checklist'];

interface Step {
  key: keyof Omit<Checklist, '__typename'>;
  title: string;
  todo: string;
  link: { to: string; label: string };
  /** Steps in Configuration: a role that can't open it is told who can. */
  configuration?: boolean;
}

const STEPS: Step[] = [
  { key: 'apiKeyCreated', title: 'Create an API key', todo: 'Your backend authenticates to Portico with it.', link: { to: '/configuration', label: 'Create an API key' }, configuration: true },
  { key: 'redirectUriAdded', title: 'Add a redirect URI', todo: 'Where Portico sends users back to your app after they sign in.', link: { to: '/configuration', label: 'Add a redirect URI' }, configuration: true },
  { key: 'organizationCreated', title: 'Create an organization', todo: 'One per customer, with the email domains its users sign in from.', link: { to: '/organizations', label: 'Create an organization' } },
  { key: 'connectionActive', title: 'Activate a connection', todo: 'Add a SAML connection to an organization; it becomes active after its first successful sign-in.', link: { to: '/organizations', label: 'Add a connection' } },
  { key: 'signInSucceeded', title: 'Complete a sign-in', todo: 'Send a user to /sso/authorize, or run a test sign-in from a connection’s page.', link: { to: '/organizations', label: 'Open a connection' } },
  { key: 'directorySynced', title: 'Sync a directory', todo: 'Add a directory to an organization and point the customer’s SCIM provider at it.', link: { to: '/organizations', label: 'Add a directory' } },
];

const dismissedKey = (environmentId: string) => `portico-onboarding-dismissed:${environmentId}`;

function readDismissed(environmentId: string): boolean {
  try {
    return localStorage.getItem(dismissedKey(environmentId)) === '1';
  } catch {
    return false;
  }
}

/** The first steps, each ticked by the server from real data; the first open one is "Next". Hidden once done and dismissed. */
export function OnboardingChecklist({ environmentId, checklist }: { environmentId: string; checklist: Checklist }) {
  const canConfigure = useCan('environment:configure');
  const [dismissed, setDismissed] = useState(() => readDismissed(environmentId));
  const done = STEPS.filter((s) => checklist[s.key]).length;
  const complete = done === STEPS.length;
  if (complete && dismissed) return null;
  const next = STEPS.find((s) => !checklist[s.key]);
  const dismiss = () => {
    try {
      localStorage.setItem(dismissedKey(environmentId), '1');
    } catch {
      // hidden for this page view only
    }
    setDismissed(true);
  };

  return (
    <section className="card" aria-labelledby="checklist-title">
      <div className="card-header">
        <div>
          <h2 id="checklist-title">{complete ? 'You’re set up' : 'Get started'}</h2>
          <p>{complete ? 'Every step is done. Sign-ins and directory syncs show up in the figures below.' : 'Each step ticks itself once it has happened in this environment.'}</p>
        </div>
        {complete && <button className="btn btn-sm" type="button" onClick={dismiss}>Hide checklist</button>}
      </div>
      <div className="card-body checklist-body">
        <div className="checklist-progress">
          <span id="checklist-progress-label">{done} of {STEPS.length} done</span>
          <div className="progress" role="progressbar" aria-labelledby="checklist-progress-label" aria-valuemin={0} aria-valuemax={STEPS.length} aria-valuenow={done}>
            <span style={{ width: `${(done / STEPS.length) * 100}%` }} />
          </div>
        </div>
        <ol className="checklist">
          {STEPS.map((step, index) => {
            const isDone = checklist[step.key];
            const isNext = step === next;
            return (
              <li key={step.key} className={`checklist-step${isDone ? ' done' : ''}${isNext ? ' next' : ''}`}>
                <span className="checklist-mark" aria-hidden="true">{isDone ? <CheckIcon /> : index + 1}</span>
                <div className="checklist-text">
                  <div className="checklist-title">
                    {step.title}
                    <span className="visually-hidden">{isDone ? ': done' : ': to do'}</span>
                    {isNext && <span className="badge badge-accent">Next</span>}
                  </div>
                  {!isDone && <p className="subtle">{step.todo}</p>}
                </div>
                {!isDone && (step.configuration && !canConfigure
                  ? <span className="subtle checklist-action">An Admin or Developer does this in Configuration</span>
                  : <Link className={`btn btn-sm checklist-action${isNext ? ' btn-primary' : ''}`} to={step.link.to}>{step.link.label}</Link>)}
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}
