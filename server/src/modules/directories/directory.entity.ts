import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A JSON object column (TypeORM's partial-entity types reject `Record<string, unknown>` for jsonb). */
type JsonObject = Record<string, any>;

export type DirectoryState = 'linked' | 'unlinked' | 'invalid_credentials';

/** A SCIM endpoint for one organization's directory provider (Okta, Entra ID …). */
@Entity('directories')
export class DirectoryEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'organization_id' }) organizationId: string;
  @Column('text') name: string;
  /** The WorkOS directory type, e.g. `okta scim v2.0`. */
  @Column('text') type: string;
  @Column('text') state: DirectoryState;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  /** The token before the last rotation: a request still using it marks the directory `invalid_credentials`. */
  @Column('text', { name: 'previous_token_hash', nullable: true }) previousTokenHash: string | null;
  @Column('text', { name: 'token_last_four' }) tokenLastFour: string;
  @Column('timestamptz', { name: 'token_rotated_at' }) tokenRotatedAt: Date;
  /** Custom attribute ID → path in the users' raw SCIM data. */
  @Column('jsonb', { name: 'custom_attribute_mappings' }) customAttributeMappings: Record<string, string>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('directory_users')
export class DirectoryUserEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'directory_id' }) directoryId: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'user_name' }) userName: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'idp_id' }) idpId: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { name: 'first_name', nullable: true }) firstName: string | null;
  @Column('text', { name: 'last_name', nullable: true }) lastName: string | null;
  @Column('text') state: 'active' | 'inactive';
  /** The SCIM resource as the provider sent it (PATCHes applied), enterprise extension included. */
  @Column('jsonb', { name: 'raw_attributes' }) rawAttributes: JsonObject;
  @Column('jsonb', { name: 'custom_attributes' }) customAttributes: JsonObject;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('directory_groups')
export class DirectoryGroupEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'directory_id' }) directoryId: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'organization_id' }) organizationId: string;
  @Column('text') name: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('text', { name: 'idp_id' }) idpId: string;
  @Column('jsonb', { name: 'raw_attributes' }) rawAttributes: JsonObject;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export type CustomAttributeType = 'string' | 'number' | 'boolean' | 'array';

/** A standardized attribute the environment defines beyond the built-in ones (e.g. `manager`). */
@Entity('custom_attributes')
export class CustomAttributeEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') key: string;
  @Column('text') label: string;
  @Column('text') type: CustomAttributeType;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** One SCIM request, for the directory's request log; bodies are kept only when it failed. */
@Entity('scim_requests')
export class ScimRequestEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'directory_id' }) directoryId: string;
  @Column('text') method: string;
  @Column('text') path: string;
  @Column('int') status: number;
  @Column('real', { name: 'duration_ms' }) durationMs: number;
  @Column('jsonb', { name: 'request_body', nullable: true }) requestBody: unknown;
  @Column('jsonb', { name: 'response_body', nullable: true }) responseBody: unknown;
  @Column('int', { name: 'suppressed_count', default: 0 }) suppressedCount: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
