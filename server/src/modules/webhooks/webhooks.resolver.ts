import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { environmentInScope, ownerOfEnvironment, scopeOf, scopeOfOwner } from '../environments/access-scope';
import { Environment } from '../environments/environment.type';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { createWebhookEndpoint, deleteWebhookEndpoint, endpointsQuery, getWebhookEndpoint, resendWebhookEvent, rotateWebhookSecret, sendTestWebhookEvent, updateWebhookEndpoint } from './webhooks.service';
import { deliveryLog } from './delivery-log.service';

@ObjectType('WebhookAttempt', { description: 'One POST of a delivery and what came back' })
export class WebhookAttempt {
  @Field(() => ID) id: string;
  @Field() attemptedAt: Date;
  @Field(() => Int) durationMs: number;
  @Field(() => Int, { nullable: true, description: 'The HTTP status; null when no answer came' }) responseStatus: number | null;
  @Field(() => String, { nullable: true, description: 'The start of the answer (at most 4 KB)' }) responseBody: string | null;
  @Field(() => String, { nullable: true, description: 'timeout, connection_error, address_not_allowed, or http_<status>' }) error: string | null;
  @Field() succeeded: boolean;
}

@ObjectType('WebhookDelivery', { description: 'One event to one endpoint, with its attempts' })
export class WebhookDelivery {
  @Field(() => ID) id: string;
  @Field(() => ID) eventId: string;
  @Field() eventName: string;
  @Field({ description: 'pending, delivered or failed' }) status: string;
  @Field() createdAt: Date;
  @Field(() => [WebhookAttempt], { description: 'Newest first' }) attempts: WebhookAttempt[];
}

@ObjectType('WebhookEndpoint', { description: 'Where the environment’s events are POSTed, signed with WorkOS-Signature' })
export class WebhookEndpoint {
  @Field(() => ID) id: string;
  @Field(() => ID) environmentId: string;
  @Field() endpointUrl: string;
  @Field({ description: 'enabled or disabled' }) status: string;
  @Field(() => [String]) events: string[];
  @Field(() => Date, { nullable: true, description: 'Set when a delivery used up its attempts; cleared by the next success' }) failingSince: Date | null;
  @Field() createdAt: Date;
}

@ObjectType('WebhookEndpointWithSecret', { description: 'The signing secret, shown this once' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint: WebhookEndpoint;
  @Field() secret: string;
}

export const presentEndpoint = (e: WebhookEndpointEntity) =>
  Object.assign(new WebhookEndpoint(), { id: e.id, environmentId: e.environmentId, endpointUrl: e.endpointUrl, status: e.status, events: e.events, failingSince: e.failingSince, createdAt: e.createdAt });

@InputType()
class CreateWebhookEndpointInput {
  @Field(() => ID) environmentId: string;
  @Field() endpointUrl: string;
  @Field(() => [String]) events: string[];
}

@InputType()
class UpdateWebhookEndpointInput {
  @Field(() => ID) id: string;
  @Field({ nullable: true }) endpointUrl?: string;
  @Field(() => [String], { nullable: true }) events?: string[];
  @Field({ nullable: true, description: 'enabled or disabled' }) status?: string;
}

@Resolver(() => Environment)
export class EnvironmentWebhooksResolver {
  @FieldResolver(() => [WebhookEndpoint], { description: 'Webhook endpoints, oldest first (Admin, Developer)' })
  async webhookEndpoints(@Root() environment: Environment, @Ctx() ctx: Context) {
    const scope = await scopeOfOwner(ctx, 'environment:configure', ownerOfEnvironment(environment));
    await environmentInScope(ctx, scope, environment.id);
    return (await endpointsQuery(ctx.db, scope, environment.id).getMany()).map(presentEndpoint);
  }
}

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  @Query(() => WebhookEndpoint, { description: 'One webhook endpoint, for its delivery log (Admin, Developer)' })
  async webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentEndpoint(await getWebhookEndpoint(ctx.db, scopeOf(ctx, 'environment:configure'), id));
  }

  @FieldResolver(() => [WebhookDelivery], { description: 'The latest deliveries, newest first, each with its attempts (the delivery log)' })
  async deliveries(@Root() endpoint: WebhookEndpoint, @Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: Context) {
    // The role that counts is the one in the endpoint's own workspace, not the one the viewer is looking at.
    const scope = await scopeOfOwner(ctx, 'environment:configure', { environmentId: endpoint.environmentId });
    return deliveryLog(ctx.db, scope, endpoint.id, Math.min(Math.max(first, 1), 100));
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'Adds an endpoint; its signing secret is returned this once' })
  async createWebhookEndpoint(@Arg('input') input: CreateWebhookEndpointInput, @Ctx() ctx: Context) {
    const { endpoint, secret } = await createWebhookEndpoint(ctx, scopeOf(ctx, 'environment:configure'), input.environmentId, input);
    return Object.assign(new WebhookEndpointWithSecret(), { endpoint: presentEndpoint(endpoint), secret });
  }

  @Mutation(() => WebhookEndpoint, { description: 'Changes the URL, the events, or enables/disables the endpoint' })
  async updateWebhookEndpoint(@Arg('input') input: UpdateWebhookEndpointInput, @Ctx() ctx: Context) {
    const { id, ...patch } = input;
    return presentEndpoint(await updateWebhookEndpoint(ctx, scopeOf(ctx, 'environment:configure'), id, patch as never));
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'A new signing secret, returned this once; the old one stops signing at once' })
  async rotateWebhookEndpointSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const { endpoint, secret } = await rotateWebhookSecret(ctx, scopeOf(ctx, 'environment:configure'), id);
    return Object.assign(new WebhookEndpointWithSecret(), { endpoint: presentEndpoint(endpoint), secret });
  }

  @Mutation(() => WebhookEndpoint)
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return presentEndpoint(await deleteWebhookEndpoint(ctx.db, scopeOf(ctx, 'environment:configure'), id));
  }

  @Mutation(() => ID, { description: 'Delivers an event to the endpoint again (same event ID); returns the new delivery' })
  async resendWebhookEvent(@Arg('endpointId', () => ID) endpointId: string, @Arg('eventId', () => ID) eventId: string, @Ctx() ctx: Context) {
    return (await resendWebhookEvent(ctx.db, scopeOf(ctx, 'environment:configure'), endpointId, eventId)).id;
  }

  @Mutation(() => ID, { description: 'Sends a `webhook.test` event to the endpoint only; returns the new delivery' })
  async sendTestWebhookEvent(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: Context) {
    return (await sendTestWebhookEvent(ctx.db, scopeOf(ctx, 'environment:configure'), endpointId)).id;
  }
}
