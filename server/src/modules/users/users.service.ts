import type { Theme } from '@portico/shared';
import { requireViewer, type Context } from '../../context';
import { UserEntity } from './user.entity';
import type { UpdateNotificationSettingsInput } from './users.inputs';

export async function updateNotificationSettings(ctx: Context, input: UpdateNotificationSettingsInput): Promise<UserEntity> {
  const { user } = requireViewer(ctx);
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === 'boolean'));
  user.notificationSettings = { ...user.notificationSettings, ...given };
  await ctx.db.getRepository(UserEntity).update({ id: user.id }, { notificationSettings: user.notificationSettings });
  return user;
}

export async function updateTheme(ctx: Context, theme: Theme): Promise<UserEntity> {
  const { user } = requireViewer(ctx);
  user.theme = theme;
  await ctx.db.getRepository(UserEntity).update({ id: user.id }, { theme });
  return user;
}
