import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A message kept in the dev outbox (no SMTP_URL), shown in the dashboard instead of being sent. */
@Entity('outbox_messages')
export class EmailMessageEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'workspace_id', nullable: true }) workspaceId: string | null;
  @Column('text', { name: 'to_address' }) to: string;
  @Column('text', { name: 'from_address' }) from: string;
  @Column('text', { name: 'reply_to', nullable: true }) replyTo: string | null;
  @Column('text') subject: string;
  @Column('text', { name: 'text_body' }) text: string;
  @Column('text', { name: 'html_body' }) html: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
