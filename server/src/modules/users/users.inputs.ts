import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Only the settings given change' })
export class UpdateNotificationSettingsInput {
  @Field({ nullable: true }) connectionActivity?: boolean;
  @Field({ nullable: true }) directoryActivity?: boolean;
  @Field({ nullable: true }) securityAlerts?: boolean;
  @Field({ nullable: true }) productUpdates?: boolean;
}
