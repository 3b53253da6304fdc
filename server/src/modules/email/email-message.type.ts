import { Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination';
import type { EmailMessageEntity } from './email-message.entity';

@ObjectType('EmailMessage', { description: 'A message held in the dev outbox instead of being sent' })
export class EmailMessage {
  @Field(() => ID) id: string;
  @Field() to: string;
  @Field() from: string;
  @Field() subject: string;
  @Field() text: string;
  @Field() html: string;
  @Field() createdAt: Date;
}

@ObjectType()
export class EmailMessageConnection extends Connection(EmailMessage) {}

export function presentEmailMessage(entity: EmailMessageEntity): EmailMessage {
  return Object.assign(new EmailMessage(), {
    id: entity.id,
    to: entity.to,
    from: entity.from,
    subject: entity.subject,
    text: entity.text,
    html: entity.html,
    createdAt: entity.createdAt,
  });
}
