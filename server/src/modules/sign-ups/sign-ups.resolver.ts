import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { refuseApiKey, type Context } from '../../context';
import { presentViewer } from '../accounts/accounts.resolver';
import { Viewer } from '../accounts/viewer.type';
import { SignUpRequested } from './sign-up.type';
import { SignUpInput } from './sign-ups.inputs';
import { confirmSignUp, requestSignUp } from './sign-ups.service';

@Resolver()
export class SignUpsResolver {
  @Mutation(() => SignUpRequested, {
    description: 'Emails a link that creates the account and its workspace; the same answer whether or not the email has an account',
  })
  async signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: Context): Promise<SignUpRequested> {
    refuseApiKey(ctx);
    return Object.assign(new SignUpRequested(), await requestSignUp(ctx, input));
  }

  @Mutation(() => Viewer, {
    description: 'Opens an emailed sign-up link with the password chosen at sign-up: creates the account, its workspace and Admin seat, and signs in. '
      + 'A wrong password creates nothing; after 5 the link is void',
  })
  async confirmSignUp(
    @Arg('token') token: string,
    @Arg('password', { description: 'The password chosen at sign-up: proves the link is finished by whoever signed up' }) password: string,
    @Ctx() ctx: Context,
  ) {
    refuseApiKey(ctx);
    return presentViewer(ctx, await confirmSignUp(ctx, token, password));
  }
}
