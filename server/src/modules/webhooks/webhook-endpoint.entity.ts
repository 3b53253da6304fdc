import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type WebhookEndpointStatus = 'enabled' | 'disabled';

/** Where an environment's events are POSTed; the signing secret is sealed at rest (deliveries need it back). */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text', { name: 'endpoint_url' }) endpointUrl: string;
  @Column('text', { name: 'secret_sealed' }) secretSealed: string;
  @Column('text') status: WebhookEndpointStatus;
  /** Event names to send; empty sends none. */
  @Column('jsonb') events: string[];
  /** Set when a delivery used up its attempts; cleared by the next successful delivery. */
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
