import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@portico/shared';

/** A user's seat in a workspace, with one role. */
@Entity('members')
export class MemberEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'workspace_id' }) workspaceId: string;
  @Column('text', { name: 'user_id' }) userId: string;
  @Column('text') role: Role;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
