import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * A tiny typed JSON-Schema kit for the views the API answers with: each schema is the one source
 * of its OpenAPI document entry (the console's client is generated from it) and, through
 * `ViewOf<typeof SCHEMA>`, of the TypeScript type the server builds. The schema carries its type
 * as a phantom property, so a field added to one cannot be forgotten in the other.
 */
declare const VIEW: unique symbol;
export type Schema<T> = SchemaObject & { readonly [VIEW]?: T };
export type ViewOf<S> = S extends Schema<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Properties = Record<string, Schema<unknown>>;
type Shape<P extends Properties, O extends keyof P> = Simplify<{ [K in Exclude<keyof P, O>]: ViewOf<P[K]> } & { [K in O]?: ViewOf<P[K]> }>;

export const str: Schema<string> = { type: 'string' };
export const nstr: Schema<string | null> = { type: 'string', nullable: true };
export const dt: Schema<string> = { type: 'string', format: 'date-time' };
export const ndt: Schema<string | null> = { type: 'string', format: 'date-time', nullable: true };
export const int: Schema<number> = { type: 'integer' };
export const nint: Schema<number | null> = { type: 'integer', nullable: true };
export const bool: Schema<boolean> = { type: 'boolean' };
export const num: Schema<number> = { type: 'number' };
export const nnum: Schema<number | null> = { type: 'number', nullable: true };
/** Any JSON object (a Temporal history, a workflow's raw state): documented as such, not typed field by field. */
export const freeObject: Schema<Record<string, unknown>> = { type: 'object', additionalProperties: true };

export const e = <const V extends readonly string[]>(values: V): Schema<V[number]> => ({ type: 'string', enum: [...values] });
export const arr = <T>(items: Schema<T>): Schema<T[]> => ({ type: 'array', items });
export const record = <T>(values: Schema<T>): Schema<Record<string, T>> => ({ type: 'object', additionalProperties: values });
export const nullable = <T>(schema: Schema<T>): Schema<T | null> => ({ ...schema, nullable: true });
export const described = <T>(schema: Schema<T>, description: string): Schema<T> => ({ ...schema, description });
export const oneOf = <S extends Schema<unknown>[]>(...schemas: S): Schema<ViewOf<S[number]>> => ({ oneOf: schemas });

/** Every property required (present, possibly null), unless listed as optional. */
export function obj<P extends Properties, O extends keyof P & string = never>(properties: P, optional: readonly O[] = []): Schema<Shape<P, O>> {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !(optional as readonly string[]).includes(k)) };
}
