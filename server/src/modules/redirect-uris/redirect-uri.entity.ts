import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An allowed `redirect_uri` of an environment; exactly one may be the default (IdP-initiated sign-ins land there). */
@Entity('redirect_uris')
export class RedirectUriEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') uri: string;
  @Column('boolean', { name: 'is_default' }) isDefault: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
