import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one endpoint; written in the event's transaction, with the job that delivers it. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'endpoint_id' }) endpointId: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text') status: WebhookDeliveryStatus;
  @Column('integer') attempts: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}

/** One POST of a delivery and what came back, for the delivery log. */
@Entity('webhook_attempts')
export class WebhookAttemptEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'delivery_id' }) deliveryId: string;
  @Column('timestamptz', { name: 'attempted_at' }) attemptedAt: Date;
  @Column('integer', { name: 'duration_ms' }) durationMs: number;
  @Column('integer', { name: 'response_status', nullable: true }) responseStatus: number | null;
  @Column('text', { name: 'response_body', nullable: true }) responseBody: string | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('boolean') succeeded: boolean;
}
