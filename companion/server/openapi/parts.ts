// The small pieces the document's schemas are written with (schemas.ts, schemas-runs.ts,
// schemas-check.ts): typed field lists tied to the protocol's types, and the usual values.
import type { Schema } from './build';

/** Each key of T, with its schema: the compiler checks the keys against the type's. */
export const fields = <T>(properties: { [K in keyof Required<T>]: Schema }) => properties;

/** An object of `properties`, all required but `optional`. */
export function object(properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
  };
}

/** An object that takes no other field (the route answers another one with a 400 naming it). */
export const closed = (properties: Record<string, Schema>, optional: string[] = [], description?: string): Schema => ({
  ...object(properties, optional, description),
  additionalProperties: false,
});

export const str: Schema = { type: 'string' };
export const strOrNull: Schema = { type: ['string', 'null'] };
export const num: Schema = { type: 'number' };
export const int: Schema = { type: 'integer', minimum: 0 };
export const bool: Schema = { type: 'boolean' };
export const ms = (description: string): Schema => ({ type: 'number', description });
export const orNull = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
export const visitorState: Schema = { type: 'string', enum: ['Anonymous', 'Recognized', 'Authenticated'] };
export const visitScope: Schema = { type: 'string', enum: ['Authenticated', 'Recognized'] };
