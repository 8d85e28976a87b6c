import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isValidTimezone, normalisePhoneNumber, parseInstant } from '#domain';

// Field checks reuse the domain's own rules, so the API and the decider can never disagree.
function fromDomainRule(
  name: string,
  check: (value: unknown) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: check },
    });
  };
}

const passes = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

export const IsE164Phone = (options?: ValidationOptions) =>
  fromDomainRule(
    'isE164Phone',
    (v) => typeof v === 'string' && passes(() => normalisePhoneNumber(v)),
    '$property must be a valid phone number in international format, e.g. +14155550100',
    options,
  );

export const IsInstantWithOffset = (options?: ValidationOptions) =>
  fromDomainRule(
    'isInstantWithOffset',
    (v) => typeof v === 'string' && passes(() => parseInstant(v)),
    // The domain's own reason ("… has an offset outside -12:00 to +14:00"), not only "bad format".
    ({ value, property }) => {
      try {
        parseInstant(value as string, property);
      } catch (error) {
        return (error as Error).message;
      }
      return `${property} must be an ISO-8601 date-time with an offset, e.g. 2026-01-02T09:00:00+01:00`;
    },
    options,
  );

export const IsIanaTimezone = (options?: ValidationOptions) =>
  fromDomainRule('isIanaTimezone', (v) => typeof v === 'string' && isValidTimezone(v), '$property must be an IANA time zone name, e.g. Europe/Paris', options);
