import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { requirePermission, type Context } from '../../context';
import { connectionComplexity, PageArgs } from '../../graphql/pagination';
import { paginate } from '../../lib/keyset-pagination';
import { EmailMessageEntity } from './email-message.entity';
import { EmailMessageConnection, presentEmailMessage } from './email-message.type';

@Resolver()
export class OutboxResolver {
  @Query(() => EmailMessageConnection, { description: 'Emails held in the dev outbox for this workspace, newest first', complexity: connectionComplexity })
  async outbox(@Args() page: PageArgs, @Ctx() ctx: Context) {
    const seat = requirePermission(ctx, 'outbox:view');
    // tenancy: messages sent on behalf of the viewer's workspace
    const query = ctx.db.getRepository(EmailMessageEntity).createQueryBuilder('message').where('message.workspace_id = :ws', { ws: seat.workspaceId });
    return paginate(query, page, presentEmailMessage, 'DESC');
  }
}
