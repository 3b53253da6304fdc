import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination';
import { ownEntry } from '../../lib/own-keys';
import type { CustomAttributeEntity, DirectoryEntity, DirectoryGroupEntity, DirectoryUserEntity, ScimRequestEntity } from './directory.entity';
import { DIRECTORY_TYPES, scimBaseUrl } from './directories.service';

@ObjectType('CustomAttribute', { description: 'A standardized Directory Sync attribute the environment defines (e.g. manager)' })
export class CustomAttribute {
  @Field(() => ID) id: string;
  @Field({ description: 'The key in each directory user’s custom_attributes' }) key: string;
  @Field() label: string;
  @Field({ description: 'string, number, boolean or array' }) type: string;
  @Field() createdAt: Date;
}

export const presentCustomAttribute = (e: CustomAttributeEntity) => Object.assign(new CustomAttribute(), { id: e.id, key: e.key, label: e.label, type: e.type, createdAt: e.createdAt });

@ObjectType('DirectoryGroup')
export class DirectoryGroup {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'The provider’s ID for the group' }) idpId: string;
  @Field(() => GraphQLJSONObject) rawAttributes: Record<string, unknown>;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const presentDirectoryGroup = (e: DirectoryGroupEntity) =>
  Object.assign(new DirectoryGroup(), { id: e.id, name: e.name, idpId: e.idpId, rawAttributes: e.rawAttributes, createdAt: e.createdAt, updatedAt: e.updatedAt });

@ObjectType('DirectoryUser')
export class DirectoryUser {
  @Field(() => ID) id: string;
  directoryId: string;
  /** Not in the schema: field resolvers check the role in the workspace that owns this user. */
  environmentId: string;
  @Field({ description: 'The provider’s ID for the user' }) idpId: string;
  @Field() userName: string;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) firstName: string | null;
  @Field(() => String, { nullable: true }) lastName: string | null;
  @Field({ description: 'active or inactive (deprovisioned)' }) state: string;
  @Field(() => GraphQLJSONObject, { description: 'Each custom attribute of the environment: its mapped value, or null' }) customAttributes: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { description: 'The SCIM resource as the provider sent it' }) rawAttributes: Record<string, unknown>;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const presentDirectoryUser = (e: DirectoryUserEntity) =>
  Object.assign(new DirectoryUser(), {
    id: e.id, directoryId: e.directoryId, environmentId: e.environmentId, idpId: e.idpId, userName: e.userName, email: e.email, firstName: e.firstName, lastName: e.lastName, state: e.state,
    customAttributes: e.customAttributes, rawAttributes: e.rawAttributes, createdAt: e.createdAt, updatedAt: e.updatedAt,
  });

@ObjectType('ScimRequest', { description: 'One SCIM request the provider made; bodies are kept only for failures' })
export class ScimRequest {
  @Field(() => ID) id: string;
  @Field() method: string;
  @Field() path: string;
  @Field(() => Int) status: number;
  @Field() durationMs: number;
  @Field(() => GraphQLJSONObject, { nullable: true }) requestBody: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) responseBody: string | null;
  @Field(() => Int, { description: 'On a failed authentication (401): how many more came after it in the same minute, counted here instead of logged one by one' })
  suppressedCount: number;
  @Field() createdAt: Date;
}

export const presentScimRequest = (e: ScimRequestEntity) =>
  Object.assign(new ScimRequest(), {
    id: e.id, method: e.method, path: e.path, status: e.status, durationMs: e.durationMs, createdAt: e.createdAt, suppressedCount: e.suppressedCount,
    requestBody: e.requestBody && typeof e.requestBody === 'object' && !Array.isArray(e.requestBody) ? e.requestBody : null,
    responseBody: typeof e.responseBody === 'string' ? e.responseBody : e.responseBody ? JSON.stringify(e.responseBody) : null,
  });

@ObjectType('CustomAttributeMapping')
export class CustomAttributeMapping {
  @Field(() => CustomAttribute) customAttribute: CustomAttribute;
  @Field(() => String, { nullable: true, description: 'The path in the raw data, or null when unmapped for this directory' }) path: string | null;
}

@ObjectType('RawAttributePath', { description: 'A path seen in this directory’s raw user data, with a sample value' })
export class RawAttributePath {
  @Field() path: string;
  @Field() sample: string;
  @Field(() => Int, { description: 'How many of the most recent 500 users have it' }) users: number;
}

@ObjectType('Directory', { description: 'A SCIM directory of an organization' })
export class Directory {
  @Field(() => ID) id: string;
  environmentId: string;
  organizationId: string;
  customAttributeMappings: Record<string, string>;
  @Field() name: string;
  @Field({ description: 'The WorkOS directory type, e.g. okta scim v2.0' }) type: string;
  @Field() typeLabel: string;
  @Field({ description: 'linked, unlinked or invalid_credentials' }) state: string;
  @Field({ description: 'Give this to the provider as the SCIM base URL' }) scimBaseUrl: string;
  @Field({ description: 'The bearer token’s last four characters' }) tokenLastFour: string;
  @Field() tokenRotatedAt: Date;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const presentDirectory = (e: DirectoryEntity, publicUrl: string) =>
  Object.assign(new Directory(), {
    id: e.id, environmentId: e.environmentId, organizationId: e.organizationId, customAttributeMappings: e.customAttributeMappings, name: e.name, type: e.type,
    typeLabel: ownEntry(DIRECTORY_TYPES, e.type) ?? e.type, state: e.state, scimBaseUrl: scimBaseUrl(publicUrl, e.id), tokenLastFour: e.tokenLastFour, tokenRotatedAt: e.tokenRotatedAt,
    createdAt: e.createdAt, updatedAt: e.updatedAt,
  });

@ObjectType()
export class DirectoryUserConnection extends Connection(DirectoryUser) {}
@ObjectType()
export class DirectoryGroupConnection extends Connection(DirectoryGroup) {}
@ObjectType()
export class ScimRequestConnection extends Connection(ScimRequest) {}

@ObjectType({ description: 'A new directory (or token) and its bearer token. Store the token now: Portico keeps only a hash of it.' })
export class DirectoryWithToken {
  @Field(() => Directory) directory: Directory;
  @Field() token: string;
}

@InputType()
export class CreateDirectoryInput {
  @Field(() => ID) organizationId: string;
  @Field({ description: 'e.g. okta scim v2.0, azure scim v2.0, generic scim v2.0' }) type: string;
  @Field({ nullable: true }) name?: string;
}

@InputType()
export class CreateCustomAttributeInput {
  @Field(() => ID) environmentId: string;
  @Field() key: string;
  @Field() label: string;
  @Field({ nullable: true, defaultValue: 'string' }) type: string;
}

@InputType()
export class UpdateCustomAttributeInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) key?: string;
  @Field({ nullable: true }) label?: string;
}
