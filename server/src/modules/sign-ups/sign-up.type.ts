import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('SignUpRequested', {
  description: 'The answer to every accepted sign-up, whether or not the address already has an account: check your email',
})
export class SignUpRequested {
  @Field({ description: 'The address the email went to, normalized' }) email: string;
  @Field(() => Int, { description: 'How long the confirmation link works' }) linkValidForHours: number;
}
