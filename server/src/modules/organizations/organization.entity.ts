import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn, ManyToOne, JoinColumn } from 'typeorm';

export type DomainState = 'pending' | 'verified' | 'failed';

/** A customer of the app team: its users sign in through the organization's connections. */
@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') name: string;
  @Column('boolean', { name: 'allow_profiles_outside_organization' }) allowProfilesOutsideOrganization: boolean;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('jsonb') metadata: Record<string, string>;
  @Column('text', { name: 'stripe_customer_id', nullable: true }) stripeCustomerId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @OneToMany(() => OrganizationDomainEntity, (domain) => domain.organization) domains?: OrganizationDomainEntity[];
}

/** One of an organization's email domains: the allowlist for its users' profiles. */
@Entity('organization_domains')
export class OrganizationDomainEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'organization_id' }) organizationId: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') domain: string;
  @Column('text') state: DomainState;
  @Column('text', { name: 'verification_strategy' }) verificationStrategy: 'dns' | 'manual';
  /** For `dns` verification: the TXT record value expected at `_portico-challenge.<domain>`. */
  @Column('text', { name: 'verification_token', nullable: true }) verificationToken: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @ManyToOne(() => OrganizationEntity, (org) => org.domains, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity;
}
