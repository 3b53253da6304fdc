import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Portico's built-in SAML IdP of one Staging environment: its signing key and the Test Organization it serves. */
@Entity('test_identity_providers')
export class TestIdentityProviderEntity {
  @PrimaryColumn('text', { name: 'environment_id' }) environmentId: string;
  /** Turned off, its pages refuse to sign anything (the Test Organization's connection stays, unused). */
  @Column('boolean') enabled: boolean;
  @Column('text') certificate: string;
  /** Sealed by SecretBox under `testIdpKeyContext(environmentId)`. */
  @Column('text', { name: 'private_key_encrypted' }) privateKeyEncrypted: string;
  @Column('text', { name: 'organization_id', nullable: true }) organizationId: string | null;
  @Column('text', { name: 'connection_id', nullable: true }) connectionId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
