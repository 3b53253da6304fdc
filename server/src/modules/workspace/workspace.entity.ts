import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The tenant: a team with its members and its Staging and Production environments. */
@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  /** Reply-to address on Admin Portal emails sent to the team's customers. */
  @Column('text', { name: 'support_email', nullable: true }) supportEmail: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
