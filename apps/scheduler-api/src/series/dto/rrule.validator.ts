import { registerDecorator, type ValidationOptions } from 'class-validator';
import { normaliseRrule } from '#domain';

/** The rrule checked by the domain's own rule parser; the message is its reason. */
export const IsRrule = (options?: ValidationOptions) => (target: object, propertyName: string | symbol) => {
  registerDecorator({
    name: 'isRrule',
    target: target.constructor,
    propertyName: String(propertyName),
    options: {
      message: ({ value }) => {
        try {
          normaliseRrule(value as string);
        } catch (error) {
          return (error as Error).message;
        }
        return 'rrule is not valid';
      },
      ...options,
    },
    validator: {
      validate: (value: unknown) => {
        try {
          normaliseRrule(value as string);
          return true;
        } catch {
          return false;
        }
      },
    },
  });
};
