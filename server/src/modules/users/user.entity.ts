import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Theme } from '@portico/shared';

export interface NotificationSettings {
  connectionActivity: boolean;
  directoryActivity: boolean;
  securityAlerts: boolean;
  productUpdates: boolean;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  connectionActivity: true,
  directoryActivity: true,
  securityAlerts: true,
  productUpdates: false,
};

/** A person who signs in to the dashboard; members of workspaces point here. */
@Entity('dashboard_users')
export class UserEntity {
  @PrimaryColumn('text') id: string;
  /** Stored normalized (trimmed, lower-case); unique. */
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  @Column('text') theme: Theme;
  @Column('jsonb', { name: 'notification_settings' }) notificationSettings: NotificationSettings;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
