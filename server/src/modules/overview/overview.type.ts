import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionStateEnum } from '../connections/connection.type';
import { SamlErrorKindEnum } from '../sso-sessions/sso-session.type';
import type { EnvironmentOverviewData, SignInCounts } from './overview.service';

@ObjectType({ description: 'The first steps of an integration, each ticked from the environment’s data' })
export class OnboardingChecklist {
  @Field({ description: 'An API key exists (revoked ones count: one was created)' }) apiKeyCreated: boolean;
  @Field() redirectUriAdded: boolean;
  @Field() organizationCreated: boolean;
  @Field({ description: 'A connection is active (it has had a successful sign-in)' }) connectionActive: boolean;
  @Field({ description: 'A sign-in reached the application: a session AUTHORIZED or SUCCESSFUL' }) signInSucceeded: boolean;
  @Field({ description: 'A directory provider has pushed a user or a group' }) directorySynced: boolean;
}

@ObjectType({ description: 'Sign-in attempts started in a window' })
export class SignInFigures {
  @Field(() => Int) attempts: number;
  @Field(() => Int, { description: 'AUTHORIZED or SUCCESSFUL' }) succeeded: number;
  @Field(() => Int) failed: number;
  @Field(() => Float, { nullable: true, description: 'failed ÷ (succeeded + failed), 0–1; null when no attempt has an outcome yet (in progress and timed-out attempts are left out)' })
  failureRate: number | null;
}

@ObjectType({ description: 'One error at one connection, with how often it happened in the last 7 days' })
export class TopSignInError {
  @Field(() => SamlErrorKindEnum) error: string;
  @Field(() => Int) count: number;
  @Field(() => ID) connectionId: string;
  @Field() connectionName: string;
  @Field() organizationName: string;
  @Field(() => ID) latestSessionId: string;
}

@ObjectType()
export class ConnectionStateCounts {
  @Field(() => Int) draft: number;
  @Field(() => Int) validating: number;
  @Field(() => Int) active: number;
  @Field(() => Int) inactive: number;
}

@ObjectType({ description: 'A connection that is not active yet (or was turned off)' })
export class OverviewConnection {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ConnectionStateEnum) state: string;
  @Field() organizationName: string;
}

@ObjectType({ description: 'A directory and its last SCIM request' })
export class OverviewDirectory {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() type: string;
  @Field({ description: 'linked, unlinked or invalid_credentials' }) state: string;
  @Field() organizationName: string;
  @Field(() => Date, { nullable: true }) lastRequestAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'The HTTP status Portico answered the last SCIM request with' }) lastRequestStatus: number | null;
}

@ObjectType({ description: 'A connection whose IdP signing certificate expires within 30 days, or has expired' })
export class ExpiringCertificate {
  @Field(() => ID) connectionId: string;
  @Field() connectionName: string;
  @Field() organizationName: string;
  @Field() notAfter: Date;
  @Field() expired: boolean;
}

@ObjectType({ description: 'Where an environment stands: onboarding steps and live figures' })
export class EnvironmentOverview {
  @Field(() => OnboardingChecklist) checklist: OnboardingChecklist;
  @Field(() => SignInFigures, { description: 'The last 24 hours' }) signIns24h: SignInFigures;
  @Field(() => SignInFigures, { description: 'The last 7 days' }) signIns7d: SignInFigures;
  @Field(() => [TopSignInError], { description: 'The most frequent errors of the last 7 days (at most 5)' }) topErrors: TopSignInError[];
  @Field(() => ConnectionStateCounts) connectionsByState: ConnectionStateCounts;
  @Field(() => [OverviewConnection], { description: 'The newest connections that are not active (at most 5)' }) connectionsNeedingAttention: OverviewConnection[];
  @Field(() => Int) directoryCount: number;
  @Field(() => [OverviewDirectory], { description: 'The most recently synced directories (at most 6)' }) directories: OverviewDirectory[];
  @Field(() => [ExpiringCertificate], { description: 'Soonest first (at most 8)' }) expiringCertificates: ExpiringCertificate[];
  @Field() generatedAt: Date;
}

const figures = (c: SignInCounts): SignInFigures => ({ ...c, failureRate: c.succeeded + c.failed ? c.failed / (c.succeeded + c.failed) : null });

export function presentOverview(data: EnvironmentOverviewData): EnvironmentOverview {
  return { ...data, signIns24h: figures(data.signIns24h), signIns7d: figures(data.signIns7d) };
}
