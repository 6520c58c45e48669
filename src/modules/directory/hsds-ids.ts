import { v5 as uuidV5 } from 'uuid';

/**
 * HSDS wants an id on every nested object. Mortar stores these as columns of the service, so their ids
 * are derived from the service's id and what they are: the same on every call, a name-based UUID v5.
 * The ids published since the directory began are the SHA-1 of the parts joined by NUL, with no separate
 * namespace; as a v5 UUID that is the first 16 bytes as the namespace and the rest as the name, so they
 * stay the same for anyone who has stored them. The first part is always a UUID or the taxonomy's name,
 * longer than 16 bytes.
 */
export function derivedId(first: string, ...rest: string[]): string {
  const bytes = new TextEncoder().encode([first, ...rest].join('\u0000'));
  if (bytes.length < 16) throw new RangeError('derivedId needs at least 16 bytes of parts');
  return uuidV5(bytes.subarray(16), bytes.subarray(0, 16));
}

/**
 * HSDS's fields are typed strings, numbers or arrays, never null: a value Mortar does not have is left
 * out. Drops null and undefined properties at every depth.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
  return out as T;
}
