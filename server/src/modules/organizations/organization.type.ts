import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Connection } from '../../graphql/pagination';
import type { OrganizationDomainEntity, OrganizationEntity } from './organization.entity';

export const DomainStateEnum = { PENDING: 'pending', VERIFIED: 'verified', FAILED: 'failed' } as const;
registerEnumType(DomainStateEnum, { name: 'DomainState' });

@ObjectType('OrganizationDomain', { description: "One of an organization's email domains; together they are the allowlist for its users' profiles" })
export class OrganizationDomain {
  @Field(() => ID) id: string;
  @Field() domain: string;
  @Field(() => DomainStateEnum) state: string;
  @Field({ description: 'dns or manual' }) verificationStrategy: string;
  @Field(() => String, { nullable: true, description: 'For DNS verification: the TXT record value expected at _portico-challenge.<domain>' }) verificationToken: string | null;
  @Field() createdAt: Date;
}

@ObjectType('Organization', { description: 'A customer of your application, with its domains and SSO connections' })
export class Organization {
  @Field(() => ID) id: string;
  environmentId: string;
  @Field() name: string;
  @Field({ description: 'When false, a profile whose email domain is not one of the organization’s domains is refused' }) allowProfilesOutsideOrganization: boolean;
  @Field(() => String, { nullable: true }) externalId: string | null;
  @Field(() => GraphQLJSONObject) metadata: Record<string, string>;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class OrganizationConnection extends Connection(Organization) {}

export function presentOrganization(entity: OrganizationEntity): Organization {
  return Object.assign(new Organization(), {
    id: entity.id, environmentId: entity.environmentId, name: entity.name, allowProfilesOutsideOrganization: entity.allowProfilesOutsideOrganization,
    externalId: entity.externalId, metadata: entity.metadata, createdAt: entity.createdAt, updatedAt: entity.updatedAt,
  });
}

export function presentDomain(entity: OrganizationDomainEntity): OrganizationDomain {
  return Object.assign(new OrganizationDomain(), {
    id: entity.id, domain: entity.domain, state: entity.state, verificationStrategy: entity.verificationStrategy,
    verificationToken: entity.state === 'verified' ? null : entity.verificationToken, createdAt: entity.createdAt,
  });
}

@InputType()
export class CreateOrganizationInput {
  @Field(() => ID) environmentId: string;
  @Field() name: string;
  @Field(() => [String], { nullable: true, description: 'Email domains, verified by the member who adds them' }) @IsOptional() @ArrayMaxSize(100) domains?: string[];
  @Field({ nullable: true }) allowProfilesOutsideOrganization?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64) externalId?: string | null;
}

@InputType()
export class UpdateOrganizationInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) allowProfilesOutsideOrganization?: boolean;
  @Field(() => String, { nullable: true, description: 'Pass null to clear' }) externalId?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the domain list in one atomic change (verified by you): every domain is checked first, and a bad or taken one changes nothing. Omit to keep the list.',
  })
  @IsOptional() @ArrayMaxSize(100) domains?: string[];
}
