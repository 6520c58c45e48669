import type { z } from 'zod';

export type FormErrors = {
  list: { text: string; href: string }[];
  fields: Record<string, { text: string }>;
};

/**
 * Turns a zod error into the NHS error summary and per-field messages. The first message per field wins,
 * and each links to the field's first input (`anchors` maps a field to another id, e.g. a date's day box).
 */
export function formErrors(error: z.ZodError, anchors: Record<string, string> = {}): FormErrors {
  const out: FormErrors = { list: [], fields: {} };
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : '_form';
    if (out.fields[field]) continue;
    out.fields[field] = { text: issue.message };
    out.list.push({ text: issue.message, href: `#${anchors[field] ?? field}` });
  }
  return out;
}

export function mergeErrors(
  a: FormErrors | undefined,
  field: string,
  text: string,
  href = field,
): FormErrors {
  const out: FormErrors = a ? { list: [...a.list], fields: { ...a.fields } } : { list: [], fields: {} };
  if (!out.fields[field]) {
    out.fields[field] = { text };
    out.list.push({ text, href: `#${href}` });
  }
  return out;
}

/** A form field's value as submitted, as a string array (checkboxes send one value or many). */
export function asArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/** The label of a code in a code list (the code itself when the list does not know it). */
export const labelOf = <T extends Record<string, string>>(
  list: T,
  code: string | null | undefined,
): string => (code && code in list ? list[code as keyof T]! : (code ?? ''));

/** Options for the NHS radios and checkboxes macros. */
export function optionsOf(list: Record<string, string>, selected: string | string[] | undefined) {
  const chosen = Array.isArray(selected) ? selected : selected ? [selected] : [];
  return Object.entries(list).map(([value, text]) => ({ value, text, checked: chosen.includes(value) }));
}
