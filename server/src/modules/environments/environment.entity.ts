import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EnvironmentKind } from '@portico/shared';

/** Staging or Production: each has its own client ID, keys, organizations and connections. */
@Entity('environments')
export class EnvironmentEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'workspace_id' }) workspaceId: string;
  @Column('text') kind: EnvironmentKind;
  @Column('text') name: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
