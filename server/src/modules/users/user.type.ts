import { Field, ID, ObjectType } from 'type-graphql';
import type { Theme } from '@portico/shared';
import { ThemeEnum } from '../../graphql/enums';
import type { UserEntity } from './user.entity';

@ObjectType({ description: 'Email notifications a dashboard user receives' })
export class NotificationSettings {
  @Field({ description: 'A connection is activated, deactivated or starts failing' }) connectionActivity: boolean;
  @Field({ description: 'A directory is linked, unlinked or loses its credentials' }) directoryActivity: boolean;
  @Field({ description: 'Sign-ins to your account and team membership changes' }) securityAlerts: boolean;
  @Field({ description: 'Product news and release notes' }) productUpdates: boolean;
}

@ObjectType('User', { description: 'A person who signs in to the dashboard' })
export class User {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() name: string;
  @Field(() => ThemeEnum) theme: Theme;
  @Field(() => NotificationSettings) notificationSettings: NotificationSettings;
  @Field() createdAt: Date;
}

export function presentUser(entity: UserEntity): User {
  return Object.assign(new User(), {
    id: entity.id,
    email: entity.email,
    name: entity.name,
    theme: entity.theme,
    notificationSettings: entity.notificationSettings,
    createdAt: entity.createdAt,
  });
}
