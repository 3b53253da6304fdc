import { Field, InputType } from 'type-graphql';
import { IsNotEmpty, IsOptional, MaxLength, ValidateIf } from 'class-validator';
import { IsEmailAddress } from '../../lib/email.decorator';

@InputType()
export class UpdateTeamDetailsInput {
  @Field({ nullable: true }) @IsOptional() @IsNotEmpty({ message: 'The team name cannot be empty' }) @MaxLength(120) name?: string;

  @Field(() => String, { nullable: true, description: 'Empty string or null clears it' })
  @ValidateIf((o: UpdateTeamDetailsInput) => typeof o.supportEmail === 'string' && o.supportEmail !== '')
  @IsEmailAddress('Enter an email address like support@company.com')
  @MaxLength(254)
  supportEmail?: string | null;
}
