import { Field, InputType } from 'type-graphql';
import { IsNotEmpty, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../../lib/email.decorator';
import { MeetsPasswordPolicy } from '../../lib/password-policy.decorator';

@InputType()
export class SignUpInput {
  @Field() @IsNotEmpty({ message: 'Enter your name' }) @MaxLength(120) name: string;
  @Field() @IsEmailAddress('Enter an email address like name@company.com') @MaxLength(254) email: string;
  @Field({ description: 'At least 12 characters, not containing the email address' }) @MeetsPasswordPolicy() password: string;
  @Field() @IsNotEmpty({ message: 'Name your workspace' }) @MaxLength(120) workspaceName: string;
}
