import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here. */
@Entity('dashboard_sessions')
export class DashboardSessionEntity {
  @PrimaryColumn('text', { name: 'token_hash' }) tokenHash: string;
  @Column('text', { name: 'user_id' }) userId: string;
  /** The workspace the dashboard shows; a user may belong to several. */
  @Column('text', { name: 'workspace_id', nullable: true }) workspaceId: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
