import { Injectable } from '@nestjs/common';

/** The one place the service reads the time, so tests can move it. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
