import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError, ValidationError } from '../../errors';
import { EnvironmentEntity } from './environment.entity';
import { Environment, presentEnvironment } from './environment.type';
import { requireWorkspaceEnvironment } from './environments.service';

@Resolver(() => Environment)
export class EnvironmentsResolver {
  @Query(() => Environment, { description: 'An environment of your workspace; with an API key, the key’s own environment (id optional)' })
  async environment(@Arg('id', () => ID, { nullable: true }) id: string | null, @Ctx() ctx: Context) {
    if (ctx.apiKey) {
      // tenancy: an API key sees its own environment only
      if (id && id !== ctx.apiKey.environmentId) throw new NotFoundError('Environment');
      return presentEnvironment(await ctx.db.getRepository(EnvironmentEntity).findOneByOrFail({ id: ctx.apiKey.environmentId }));
    }
    if (!id) throw ValidationError.field('id', 'required', 'Pass the ID of one of your workspace’s environments');
    return presentEnvironment(await requireWorkspaceEnvironment(ctx, id, 'team:view', { allowLocked: true }));
  }
}
