import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ApiKeyScope } from './api-key-scopes';

/** A secret that authenticates the REST and GraphQL APIs for one environment. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') name: string;
  @Column('text', { name: 'secret_hash' }) secretHash: string;
  /** `sk_test_` (Staging) or `sk_live_` (Production). */
  @Column('text') prefix: string;
  @Column('text', { name: 'last_four' }) lastFour: string;
  /** What the key may do in its environment (api-key-scopes.ts). */
  @Column('text') scope: ApiKeyScope;
  /** Staging only: the secret sealed by SecretBox, so the dashboard can show it again. Production keys are shown once. */
  @Column('text', { name: 'secret_sealed', nullable: true, select: false }) secretSealed: string | null;
  @Column('text', { name: 'created_by_id', nullable: true }) createdById: string | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
