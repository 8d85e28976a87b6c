import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCallingWindow, IsE164Phone, IsIanaTimezone, IsInstantWithOffset, IsZonedDateTime } from './validators.js';

// Composite field decorators shared by the call and series DTOs: one definition of what a phone
// number, a zone, a window or an instant accepts, whichever route takes it.
//
// The pipe stops at a field's first broken rule (stopAtFirstError) and class-validator runs the
// rules in the order they are registered, so the order of `checks` decides which message a bad
// value gets. The stacked fields check type first, then length, then the domain rule.

/** required: must be sent; optional: may be left out; nullable: may also be null (to clear it). */
export type Presence = 'required' | 'optional' | 'nullable';

function field(presence: Presence, api: ApiPropertyOptions, ...checks: PropertyDecorator[]) {
  switch (presence) {
    case 'required':
      return applyDecorators(ApiProperty(api), IsDefined({ message: '$property is required' }), ...checks);
    case 'optional':
      return applyDecorators(ApiPropertyOptional(api), IsOptional(), ...checks);
    case 'nullable':
      return applyDecorators(
        ApiPropertyOptional({ ...api, nullable: true }),
        IsOptional(),
        ValidateIf((_, v) => v !== null),
        ...checks,
      );
  }
}

/** A string no longer than `maxLength` that `rule` accepts: type first, then length, then the rule. */
export const StringField = (presence: Presence, api: ApiPropertyOptions, maxLength: number, rule: PropertyDecorator) =>
  field(presence, api, IsString(), MaxLength(maxLength), rule);

export const PhoneNumberField = () =>
  StringField('required', { example: '+14155550100', description: 'International format; stored as E.164' }, 32, IsE164Phone());

export const TimezoneField = (presence: Presence, api: ApiPropertyOptions) => StringField(presence, api, 64, IsIanaTimezone());

export const CallingWindowField = (presence: Presence, api: ApiPropertyOptions) => StringField(presence, api, 200, IsCallingWindow());

export const InstantField = (presence: Presence, api: ApiPropertyOptions) => StringField(presence, api, 40, IsInstantWithOffset());

/** An optional instant, ISO-8601 with an offset, checked by the domain's own parser (its rule first, so its message wins). */
export const OptionalInstant = (example: string, description: string) =>
  field('optional', { example, description }, IsInstantWithOffset(), MaxLength(40), IsString());

/** A time for the callee: an instant with an offset, or a local date-time in the call's timezone (its rule first, so its message wins). */
export const OptionalZonedTime = (example: string, description: string) =>
  field('optional', { example, description }, IsZonedDateTime(), MaxLength(40), IsString());

/** A whole number from 1 to `max`. */
export const CountField = (presence: Presence, api: ApiPropertyOptions, max: number) => field(presence, api, IsInt(), Min(1), Max(max));

/** A free-text reason, kept with the event (cancel, pause, end). */
export const ReasonField = (example: string) => field('optional', { example }, MaxLength(500), IsString());
