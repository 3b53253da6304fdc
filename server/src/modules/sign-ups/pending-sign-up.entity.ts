import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A sign-up waiting for its emailed link: what the account will be, and the link's token as a hash only. */
@Entity('pending_sign_ups')
export class PendingSignUpEntity {
  @PrimaryColumn('text', { name: 'token_hash' }) tokenHash: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text', { name: 'workspace_name' }) workspaceName: string;
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  /** Wrong passwords given with the link; at SIGN_UP_CONFIRM_MAX_WRONG_PASSWORDS the link is void. */
  @Column('integer', { name: 'wrong_passwords', default: 0 }) wrongPasswords: number;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
