import { ValidateBy } from 'class-validator';
import { isValidEmail, normalizeEmail } from '@portico/shared';

/** An email address by the shared rule, ignoring surrounding spaces and case (the services normalize it). */
export function IsEmailAddress(message = 'Enter an email address like name@company.com'): PropertyDecorator {
  return ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidEmail(normalizeEmail(value)),
      defaultMessage: () => message,
    },
  });
}
