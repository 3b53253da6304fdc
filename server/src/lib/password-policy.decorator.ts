import { ValidateBy, type ValidationArguments } from 'class-validator';
import { passwordProblems } from '@portico/shared';

/** Applies the shared password policy; the object's `email` (when present) must not appear in the password. */
export function MeetsPasswordPolicy(): PropertyDecorator {
  return ValidateBy({
    name: 'passwordPolicy',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'string' && passwordProblems(value, (args?.object as { email?: string }).email).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        passwordProblems(String(args?.value ?? ''), (args?.object as { email?: string }).email).map((p) => p.message).join(' ') ||
        'Choose a password that meets the policy',
    },
  });
}
