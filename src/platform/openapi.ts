// What every part of the API description shares: zod schemas turned into OpenAPI 3.1 schemas (JSON
// Schema 2020-12, so the schemas that check a request are the ones published), and the problem
// document (RFC 9457) that every error answers with.
import { z } from 'zod';

/** An OpenAPI 3.1 schema object: plain JSON Schema. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of what a client sends (`io: 'input'`) or receives (`'output'`). A check zod cannot
 * express (an age on today's date, an NHS number's check digit) is stated in the field's description.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

const Contact = z.object({
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
});

/** RFC 9457 problem details, with the fields Mortar adds to say what to change. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'Always `about:blank`: the status says what kind of problem' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each field that has an error (a dotted path) and what to change' }),
    invalid_params: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .optional()
      .meta({ description: 'Each query parameter that is wrong, and why' }),
    field: z.string().optional().meta({ description: 'The field a 422 is about' }),
    reason: z.string().optional().meta({ description: 'Why a 422 was given, as a code' }),
    contact: Contact.optional().meta({ description: 'Where to send the person instead' }),
  })
  .meta({
    examples: [
      {
        type: 'about:blank',
        title: 'Your request has errors',
        status: 400,
        detail: 'Correct the fields listed in errors and send it again.',
        errors: [{ path: 'postcode', message: 'Enter a real postcode, like LS1 4AP' }],
      },
    ],
  });

/** A response whose body is a problem document. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** A JSON response whose body is the named component schema. */
export const jsonResponse = (description: string, component: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${component}` } } },
});

/** One part of the API: its paths, its schemas and the tags its operations use. */
export type ApiPart = {
  paths: Record<string, Record<string, unknown>>;
  schemas: Record<string, JsonSchema>;
  tags: { name: string; description: string }[];
};

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0 },
  },
};

/**
 * Every operation can be refused for too many requests (the rate limit covers every route, counted per
 * address) or answer 503 when the database cannot be reached (the limit itself is counted there): both
 * problem documents, with Retry-After. Added to each operation of `paths`.
 */
export function withAvailabilityResponses(paths: Record<string, Record<string, unknown>>) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, op] of Object.entries(operations)) {
      const operation = op as { responses?: Record<string, unknown> };
      out[path][method] = {
        ...operation,
        responses: {
          ...operation.responses,
          '429': {
            ...problemResponse(
              'Too many requests from this address (`RATE_LIMIT_PER_MINUTE`); wait and retry',
            ),
            headers: retryAfter,
          },
          '503': {
            ...problemResponse(
              'Mortar cannot reach its database just now; retry after `Retry-After` seconds',
            ),
            headers: retryAfter,
          },
        },
      };
    }
  }
  return out;
}
