import type { ColumnType } from 'kysely';

// Hand-written to match the migrations; a change to one is a change to both.
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type DateOnly = ColumnType<string, string, string>;
/** A column with a default: read as T, optional when a row is inserted. */
export type Opt<T> = ColumnType<T, T | undefined, T>;
