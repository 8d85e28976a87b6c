import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import {
  CALL_STATUSES,
  checkZonedDateTimeForm,
  isValidTimezone,
  normalisePhoneNumber,
  parseCallingWindow,
  parseInstant,
  parseStatusFilter,
  phoneSearchDigits,
} from '#domain';

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

/** A field checked by a domain rule that throws with its own message, naming the field. */
export const fromThrowingRule = (name: string, rule: (value: string, field: string) => unknown, options?: ValidationOptions) =>
  fromDomainRule(
    name,
    (v) => typeof v === 'string' && passes(() => rule(v, name)),
    ({ value, property }) => {
      try {
        rule(value as string, property);
      } catch (error) {
        return (error as Error).message;
      }
      return `${property} is not valid`;
    },
    options,
  );

/** An instant with an offset, or a local date-time read in the call's `timezone` (the decider checks the two agree). */
export const IsZonedDateTime = (options?: ValidationOptions) => fromThrowingRule('isZonedDateTime', checkZonedDateTimeForm, options);

export const IsCallingWindow = (options?: ValidationOptions) => fromThrowingRule('isCallingWindow', parseCallingWindow, options);

/** The statuses history can hold (every one but pending). */
export const HISTORY_STATUSES = CALL_STATUSES.filter((s) => s !== 'pending');

export const IsHistoryStatusFilter = (options?: ValidationOptions) =>
  fromThrowingRule('isStatusFilter', (value, field) => parseStatusFilter(value, HISTORY_STATUSES, field), options);

export const IsPhoneSearch = (options?: ValidationOptions) => fromThrowingRule('isPhoneSearch', phoneSearchDigits, options);
