import { Field, InputType } from 'type-graphql';
import { IsEmail, IsNotEmpty, MaxLength } from 'class-validator';

@InputType()
export class SignUpInput {
  @Field() @IsNotEmpty({ message: 'Enter your name' }) @MaxLength(120) name: string;
  @Field() @IsEmail({}, { message: 'Enter an email address like name@company.com' }) @MaxLength(254) email: string;
  @Field({ description: 'See PASSWORD_POLICY' }) password: string;
  @Field() @IsNotEmpty({ message: 'Name your workspace' }) @MaxLength(120) workspaceName: string;
}

@InputType()
export class SignInInput {
  @Field() @IsNotEmpty({ message: 'Enter your email address' }) @MaxLength(254) email: string;
  @Field() @IsNotEmpty({ message: 'Enter your password' }) @MaxLength(1024) password: string;
}
