import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Theme } from '@portico/shared';
import type { Context } from '../../context';
import { ThemeEnum } from '../../graphql/enums';
import { presentUser, User } from './user.type';
import { UpdateNotificationSettingsInput } from './users.inputs';
import { updateNotificationSettings, updateTheme } from './users.service';

@Resolver(() => User)
export class UsersResolver {
  @Mutation(() => User, { description: "Changes the viewer's email notification settings" })
  async updateNotificationSettings(@Arg('input') input: UpdateNotificationSettingsInput, @Ctx() ctx: Context): Promise<User> {
    return presentUser(await updateNotificationSettings(ctx, input));
  }

  @Mutation(() => User, { description: "Saves the viewer's dashboard theme" })
  async updateTheme(@Arg('theme', () => ThemeEnum) theme: Theme, @Ctx() ctx: Context): Promise<User> {
    return presentUser(await updateTheme(ctx, theme));
  }
}
