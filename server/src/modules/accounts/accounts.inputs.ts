import { Field, InputType } from 'type-graphql';
import { IsNotEmpty, MaxLength } from 'class-validator';

@InputType()
export class SignInInput {
  @Field() @IsNotEmpty({ message: 'Enter your email address' }) @MaxLength(254) email: string;
  @Field() @IsNotEmpty({ message: 'Enter your password' }) @MaxLength(1024) password: string;
}
