import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { QueryParameterError, ValidationError } from '../../errors';

/** WorkOS list parameters (contract §1.6): limit 1–100 (default 10), order by creation (default desc), object-ID cursors. */
export const listParams = z.object({
  limit: z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be at least 1').max(100, 'limit must be at most 100').default(10),
  order: z.enum(['asc', 'desc'], { message: 'order must be "asc" or "desc"' }).default('desc'),
  before: z.string().regex(/^[a-z_]+_[0-9A-HJKMNP-TV-Z]{26}$/, 'before must be an object ID').optional(),
  after: z.string().regex(/^[a-z_]+_[0-9A-HJKMNP-TV-Z]{26}$/, 'after must be an object ID').optional(),
});

export type ListParams = z.infer<typeof listParams>;

/** Parses a body with `schema`, or throws a ValidationError (422) naming each field and rule. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, Failure: typeof ValidationError = ValidationError): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new Failure(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'body',
      code: issue.code === 'invalid_type' && issue.input === undefined ? `${String(issue.path.at(-1) ?? 'value')}_required` : issue.code,
      message: issue.message,
    })),
  );
}

/** Parses query parameters with `schema`, or throws a QueryParameterError (400) naming each parameter and rule. */
export const parseQuery = <S extends z.ZodType>(schema: S, query: unknown): z.infer<S> => parseWith(schema, query, QueryParameterError);

/** A query value the SDK sends comma-joined (`domains=a.com%2Cb.com`), or as repeated keys by other clients. */
export function listValue(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export interface ListEnvelope<T> {
  object: 'list';
  data: T[];
  list_metadata: { before: string | null; after: string | null };
}

/** Cursor pagination by object ID (ULIDs sort by creation time), in either order, in either direction. */
export async function listPage<E extends ObjectLiteral, T>(query: SelectQueryBuilder<E>, params: ListParams, present: (row: E) => T): Promise<ListEnvelope<T>> {
  const alias = query.alias;
  const desc = params.order === 'desc';
  const backwards = params.before !== undefined && params.after === undefined;
  const page = query.clone();
  if (params.after) page.andWhere(`${alias}.id ${desc ? '<' : '>'} :listAfter`, { listAfter: params.after });
  if (params.before) page.andWhere(`${alias}.id ${desc ? '>' : '<'} :listBefore`, { listBefore: params.before });
  // Walking backwards, fetch the rows nearest the cursor first, then restore the requested order.
  page.orderBy(`${alias}.id`, desc !== backwards ? 'DESC' : 'ASC').take(params.limit + 1);
  const rows = await page.getMany();
  const more = rows.length > params.limit;
  const visible = rows.slice(0, params.limit);
  if (backwards) visible.reverse();
  const first = visible[0]?.id as string | undefined;
  const last = visible.at(-1)?.id as string | undefined;
  return {
    object: 'list',
    data: visible.map(present),
    list_metadata: backwards
      ? { before: more ? (first ?? null) : null, after: last ?? null }
      : { before: params.after ? (first ?? null) : null, after: more ? (last ?? null) : null },
  };
}
