import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@portico/shared';

/** An offer to join a workspace, sent by email; the link's token is stored only as a hash. */
@Entity('invitations')
export class InvitationEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'workspace_id' }) workspaceId: string;
  @Column('text') email: string;
  @Column('text') role: Role;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('text', { name: 'invited_by_id' }) invitedById: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'last_sent_at' }) lastSentAt: Date;
  @Column('int', { name: 'send_count' }) sendCount: number;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
