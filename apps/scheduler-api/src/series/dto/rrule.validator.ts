import type { ValidationOptions } from 'class-validator';
import { normaliseRrule } from '#domain';
import { fromThrowingRule } from '../../calls/dto/validators.js';

/** The rrule checked by the domain's own rule parser; the message is its reason. */
export const IsRrule = (options?: ValidationOptions) => fromThrowingRule('isRrule', (value) => normaliseRrule(value), options);
