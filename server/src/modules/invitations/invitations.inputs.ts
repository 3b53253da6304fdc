import { Field, InputType } from 'type-graphql';
import { IsNotEmpty, IsOptional, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../../lib/email.decorator';
import type { Role } from '@portico/shared';
import { MeetsPasswordPolicy } from '../../lib/password-policy.decorator';
import { RoleEnum } from '../../graphql/enums';

@InputType()
export class InviteMemberInput {
  @Field() @IsEmailAddress('Enter an email address like name@company.com') @MaxLength(254) email: string;
  @Field(() => RoleEnum) role: Role;
}

@InputType({ description: 'name and password are needed only when no account exists for the invited email' })
export class AcceptInvitationInput {
  @Field() @IsNotEmpty({ message: 'The invitation link is incomplete' }) @MaxLength(200) token: string;
  @Field({ nullable: true }) @IsOptional() @IsNotEmpty({ message: 'Enter your name' }) @MaxLength(120) name?: string;
  @Field({ nullable: true }) @IsOptional() @MeetsPasswordPolicy() password?: string;
}
