import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { useCurrentEnvironment } from '../../app/use-environment';
import { useCurrentViewer } from '../../app/viewer-context';
import { CopyButton } from '../../components/copy-button';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import type { EnvironmentOverviewQuery as Data } from '../../gql/graphql';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format';
import { ConnectionStateBadge, SAML_ERROR_LABELS } from '../connections/badges';
import { EnvironmentOverviewQuery } from './api';
import { OnboardingChecklist } from './onboarding-checklist';

type Overview = Data['environment']['overview'];
type Figures = Overview['signIns24h'];

/** Figures refresh while the page is open, so a sign-in made in another tab shows up without a reload. */
const POLL_MS = 30_000;

const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`);

export function OverviewPage() {
  const viewer = useCurrentViewer();
  const environment = useCurrentEnvironment();
  if (!viewer.workspace || !environment) {
    return <div className="page"><EmptyState title="No workspace yet" level={2}>Ask an Admin of your team to invite you again.</EmptyState></div>;
  }
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>{environment.name} overview</h1>
          <p>{viewer.workspace.name} · {environment.kind === 'PRODUCTION' ? 'Live customers sign in here.' : 'Build and test your integration here.'}</p>
        </div>
      </div>
      <OverviewBody environmentId={environment.id} />
      <ClientIdCard clientId={environment.clientId} environmentName={environment.name} />
    </div>
  );
}

/** Shown whatever the figures' state: the one thing an integrator copies from here. */
function ClientIdCard({ clientId, environmentName }: { clientId: string; environmentName: string }) {
  return (
    <section className="card" aria-labelledby="client-id-title">
      <div className="card-header">
        <div>
          <h2 id="client-id-title">Client ID</h2>
          <p>Pass it as <code>client_id</code> to the authorization URL and the token exchange. It is specific to {environmentName}.</p>
        </div>
      </div>
      <div className="card-body copy-row">
        <code data-testid="client-id">{clientId}</code>
        <CopyButton value={clientId} label="client ID" />
      </div>
    </section>
  );
}

function OverviewBody({ environmentId }: { environmentId: string }) {
  const { data, loading, error, refetch } = useQuery(EnvironmentOverviewQuery, { variables: { environmentId }, pollInterval: POLL_MS });
  const overview = data?.environment.overview;
  if (!overview) {
    if (loading) return <section className="card"><Loading label="Loading the overview…" /></section>;
    return <section className="card"><ErrorState error={error} onRetry={() => void refetch()} /></section>;
  }
  return (
    <>
      <OnboardingChecklist environmentId={environmentId} checklist={overview.checklist} />
      <SignInFigures overview={overview} />
      <div className="overview-grid">
        <TopErrors overview={overview} />
        <Connections overview={overview} />
        <Directories overview={overview} />
        <ExpiringCertificates overview={overview} />
      </div>
    </>
  );
}

function Stat({ label, value, detail, tone }: { label: string; value: string; detail: string; tone?: 'danger' }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        <span className="stat-detail">{detail}</span>
      </dd>
    </div>
  );
}

const outcomes = (f: Figures) => `${f.succeeded.toLocaleString()} succeeded · ${f.failed.toLocaleString()} failed`;
/** A failure rate above 20% over at least 5 outcomes is worth a look; the tone is backed by the words "failed". */
const alarming = (f: Figures) => (f.failureRate ?? 0) > 0.2 && f.succeeded + f.failed >= 5;

function SignInFigures({ overview }: { overview: Overview }) {
  const { signIns24h: day, signIns7d: week } = overview;
  return (
    <section className="card" aria-labelledby="signins-title">
      <div className="card-header">
        <div>
          <h2 id="signins-title">Sign-ins</h2>
          <p>Attempts started in this environment. The failure rate counts attempts with an outcome (in progress and timed out are left out).</p>
        </div>
      </div>
      <dl className="stats">
        <Stat label="Last 24 hours" value={day.attempts.toLocaleString()} detail={outcomes(day)} />
        <Stat label="Failure rate, 24 hours" value={percent(day.failureRate)} detail={day.failureRate == null ? 'No outcomes yet' : `${day.failed.toLocaleString()} of ${(day.succeeded + day.failed).toLocaleString()} failed`} tone={alarming(day) ? 'danger' : undefined} />
        <Stat label="Last 7 days" value={week.attempts.toLocaleString()} detail={outcomes(week)} />
        <Stat label="Failure rate, 7 days" value={percent(week.failureRate)} detail={week.failureRate == null ? 'No outcomes yet' : `${week.failed.toLocaleString()} of ${(week.succeeded + week.failed).toLocaleString()} failed`} tone={alarming(week) ? 'danger' : undefined} />
      </dl>
    </section>
  );
}

function TopErrors({ overview }: { overview: Overview }) {
  return (
    <section className="card" aria-labelledby="errors-title">
      <div className="card-header"><div><h2 id="errors-title">Top errors</h2><p>Failed sign-ins of the last 7 days, by connection</p></div></div>
      {overview.topErrors.length === 0 ? (
        <EmptyState title="No failed sign-ins">Nothing failed in the last 7 days.</EmptyState>
      ) : (
        <ul className="overview-list">
          {overview.topErrors.map((e) => (
            <li key={`${e.error}-${e.connectionId}`}>
              <Link className="overview-row" to={`/connections/${e.connectionId}/sessions?status=FAILED&error=${e.error}`}>
                <span className="overview-row-main">
                  <span className="overview-row-title">{SAML_ERROR_LABELS[e.error] ?? e.error}</span>
                  <span className="subtle">{where(e.connectionName, e.organizationName)}</span>
                </span>
                <span className="badge badge-danger">{e.count.toLocaleString()}<span className="visually-hidden"> failed sign-in{e.count === 1 ? '' : 's'}</span></span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Okta SAML · Acme", or just "Acme" when the connection is named after its organization (the default). */
const where = (connection: string, organization: string) => (connection === organization ? organization : `${connection} · ${organization}`);

const STATES = [['active', 'Active', 'ACTIVE'], ['validating', 'Validating', 'VALIDATING'], ['draft', 'Draft', 'DRAFT'], ['inactive', 'Inactive', 'INACTIVE']] as const;

function Connections({ overview }: { overview: Overview }) {
  const counts = overview.connectionsByState;
  const total = counts.active + counts.validating + counts.draft + counts.inactive;
  return (
    <section className="card" aria-labelledby="connections-title">
      <div className="card-header"><div><h2 id="connections-title">Connections</h2><p>{total.toLocaleString()} in this environment</p></div></div>
      {total === 0 ? (
        <EmptyState title="No connections yet" action={<Link className="btn btn-sm" to="/organizations">Go to organizations</Link>}>Connections belong to organizations: open one to add its identity provider.</EmptyState>
      ) : (
        <>
          <dl className="state-counts">
            {STATES.map(([key, label, state]) => (
              <div key={key}><dt><ConnectionStateBadge state={state} /></dt><dd aria-label={`${counts[key]} ${label.toLowerCase()}`}>{counts[key].toLocaleString()}</dd></div>
            ))}
          </dl>
          {overview.connectionsNeedingAttention.length > 0 && (
            <>
              <h3 className="overview-subtitle" id="attention-title">Not active yet</h3>
              <ul className="overview-list" aria-labelledby="attention-title">
                {overview.connectionsNeedingAttention.map((c) => (
                  <li key={c.id}>
                    <Link className="overview-row" to={`/connections/${c.id}`}>
                      <span className="overview-row-main"><span className="overview-row-title">{c.name}</span><span className="subtle">{c.organizationName}</span></span>
                      <ConnectionStateBadge state={c.state} />
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

const DIRECTORY_STATES: Record<string, { label: string; tone: string }> = {
  linked: { label: 'Linked', tone: 'badge-success' },
  unlinked: { label: 'Unlinked', tone: '' },
  invalid_credentials: { label: 'Invalid credentials', tone: 'badge-danger' },
};

function Directories({ overview }: { overview: Overview }) {
  return (
    <section className="card" aria-labelledby="directories-title">
      <div className="card-header"><div><h2 id="directories-title">Directories</h2><p>{overview.directoryCount.toLocaleString()} in this environment{overview.directoryCount > overview.directories.length ? ` · the ${overview.directories.length} synced most recently` : ''}</p></div></div>
      {overview.directories.length === 0 ? (
        <EmptyState title="No directories yet" action={<Link className="btn btn-sm" to="/organizations">Go to organizations</Link>}>Add a directory to an organization to sync its users and groups over SCIM.</EmptyState>
      ) : (
        <ul className="overview-list">
          {overview.directories.map((d) => {
            const state = DIRECTORY_STATES[d.state] ?? { label: d.state, tone: '' };
            const failed = d.lastRequestStatus != null && d.lastRequestStatus >= 400;
            return (
              <li key={d.id}>
                <Link className="overview-row" to={`/directories/${d.id}/log`}>
                  <span className="overview-row-main">
                    <span className="overview-row-title">{d.name}</span>
                    <span className="subtle">
                      {d.organizationName} · {d.lastRequestAt
                        ? <>last request <time dateTime={d.lastRequestAt} title={formatDateTime(d.lastRequestAt)}>{formatRelative(d.lastRequestAt)}</time>{failed ? ` (failed, ${d.lastRequestStatus})` : ''}</>
                        : 'never synced'}
                    </span>
                  </span>
                  <span className={`badge ${state.tone}`}>{state.label}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ExpiringCertificates({ overview }: { overview: Overview }) {
  const now = Date.now();
  return (
    <section className="card" aria-labelledby="certificates-title">
      <div className="card-header"><div><h2 id="certificates-title">Certificates expiring soon</h2><p>IdP signing certificates of active and validating connections, within 30 days</p></div></div>
      {overview.expiringCertificates.length === 0 ? (
        <EmptyState title="Nothing expires soon">No IdP certificate expires in the next 30 days.</EmptyState>
      ) : (
        <ul className="overview-list">
          {overview.expiringCertificates.map((c) => {
            const days = Math.ceil((new Date(c.notAfter).getTime() - now) / 86_400_000);
            return (
              <li key={c.connectionId}>
                <Link className="overview-row" to={`/connections/${c.connectionId}`}>
                  <span className="overview-row-main">
                    <span className="overview-row-title">{c.connectionName}</span>
                    <span className="subtle">{c.organizationName} · {c.expired ? 'expired' : 'expires'} <time dateTime={c.notAfter} title={formatDateTime(c.notAfter)}>{formatDate(c.notAfter)}</time></span>
                  </span>
                  <span className={`badge ${c.expired ? 'badge-danger' : 'badge-warning'}`}>{c.expired ? 'Expired' : days <= 1 ? 'Expires today' : `${days} days left`}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
