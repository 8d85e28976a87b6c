import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Whitelisting validation whose 400 names every bad field, both as messages and by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // One clear message per field: the first rule it breaks.
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const fields: Record<string, string[]> = {};
      for (const error of errors) {
        const messages = Object.values(error.constraints ?? {});
        fields[error.property] = messages.length > 0 ? messages : [`${error.property} is invalid`];
      }
      return new BadRequestException({ message: Object.values(fields).flat(), fields });
    },
  });
}
