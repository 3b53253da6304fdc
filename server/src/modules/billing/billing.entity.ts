import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A workspace's billing details. The card number and CVC are never stored: only what a receipt shows, and a token. */
@Entity('workspace_billing')
export class WorkspaceBillingEntity {
  @PrimaryColumn('text', { name: 'workspace_id' }) workspaceId: string;
  @Column('text', { name: 'company_name' }) companyName: string;
  @Column('text', { name: 'address_line1' }) addressLine1: string;
  @Column('text', { name: 'address_line2', nullable: true }) addressLine2: string | null;
  @Column('text') city: string;
  @Column('text', { name: 'postal_code' }) postalCode: string;
  @Column('text', { nullable: true }) region: string | null;
  /** ISO 3166-1 alpha-2. */
  @Column('text') country: string;
  @Column('text', { name: 'card_brand' }) cardBrand: string;
  @Column('text', { name: 'card_last4' }) cardLast4: string;
  @Column('int', { name: 'card_exp_month' }) cardExpMonth: number;
  @Column('int', { name: 'card_exp_year' }) cardExpYear: number;
  @Column('text', { name: 'payment_token' }) paymentToken: string;
  @Column('text', { name: 'updated_by_id', nullable: true }) updatedById: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
