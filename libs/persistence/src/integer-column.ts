import type { ValueTransformer } from 'typeorm';

/**
 * The one PostgreSQL-bigint-to-number step: pg hands int8 back as text (it may exceed 2^53; our
 * positions and lateness never will). Entity columns declare it as their transformer; raw reads
 * of those columns go through `integerColumn.from` too.
 */
export const integerColumn = {
  to: (value: number | null) => value,
  from: <T extends string | number | null>(value: T): T extends null ? null : number =>
    (value === null ? null : Number(value)) as T extends null ? null : number,
} satisfies ValueTransformer;
