import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Something that happened, as the WorkOS Events API lists it (`dsync.user.created` …). */
@Entity('events')
export class EventEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'organization_id', nullable: true }) organizationId: string | null;
  @Column('text') event: string;
  @Column('jsonb') data: object;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
