// What GOV.UK Notify checks in a POST /v2/notifications/{sms,email} body, and how it fills a template,
// after notifications-api (app/v2/notifications/notification_schemas.py, app/schema_validation,
// app/notifications/validators.py) and notifications-utils (recipient validation, placeholders). The
// service behind the fake may text UK mobiles only (no international or landline permission), as a new
// live service may.

export type NotificationType = 'sms' | 'email';

export type FakeTemplate = {
  id: string;
  type: NotificationType;
  /** Notify's template text, with ((placeholders)); ((name??text)) shows text only when name is "yes". */
  body: string;
  /** Email templates only. */
  subject?: string;
  version?: number;
};

/** One entry of Notify's `errors` list. */
export type NotifyErrorItem = { error: string; message: string };
export type Refusal = { status: number; errors: NotifyErrorItem[] };

export type ValidSend = {
  template: FakeTemplate;
  to: string;
  personalisation: Record<string, unknown>;
  reference: string | null;
  body: string;
  subject: string | null;
};

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const FIELDS: Record<NotificationType, readonly string[]> = {
  sms: ['reference', 'phone_number', 'template_id', 'personalisation', 'scheduled_for', 'sms_sender_id'],
  email: [
    'reference',
    'email_address',
    'template_id',
    'personalisation',
    'scheduled_for',
    'email_reply_to_id',
    'one_click_unsubscribe_url',
    'sanitise_content_for',
  ],
};

export const badRequest = (message: string): Refusal => ({
  status: 400,
  errors: [{ error: 'BadRequestError', message }],
});

type PhoneCheck = { ok: true; normalised: string } | { ok: false; refusal: Refusal; inSchema: boolean };

/** A UK mobile number in any of the forms people write it, normalised as Notify stores it (447...). */
export function checkUkMobile(input: string): PhoneCheck {
  const schemaError = (message: string) => ({
    ok: false as const,
    inSchema: true,
    refusal: validation([message]),
  });
  const stripped = input.replace(/[\s().-]/g, '').replace(/^\+/, '');
  if (!/^\d+$/.test(stripped)) return schemaError('phone_number Must not contain letters or symbols');
  let national: string;
  if (stripped.startsWith('0044')) national = stripped.slice(4);
  else if (stripped.startsWith('44')) national = stripped.slice(2);
  else if (stripped.startsWith('0')) national = stripped.slice(1);
  else if (stripped.startsWith('7') && stripped.length === 10) national = stripped;
  else
    return {
      ok: false,
      inSchema: false,
      refusal: badRequest('Cannot send to international mobile numbers'),
    };
  national = national.replace(/^0/, '');
  if (national.length < 9 || (national.startsWith('7') && national.length < 10))
    return schemaError('phone_number Not enough digits');
  if (national.length > 10) return schemaError('phone_number Too many digits');
  if (!national.startsWith('7'))
    return {
      ok: false,
      inSchema: false,
      refusal: { status: 400, errors: [{ error: 'InvalidPhoneError', message: 'Not a UK mobile number' }] },
    };
  return { ok: true, normalised: `44${national}` };
}

const LOCAL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const HOST_PART = /^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$/i;
const TLD = /^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$/i;

/** notifications-utils' validate_email_address, without its internationalised-domain step. */
export function isValidEmail(input: string): boolean {
  const address = input.trim();
  const at = address.lastIndexOf('@');
  if (address.length > 320 || at < 1 || address.includes('..')) return false;
  const local = address.slice(0, at);
  const host = address.slice(at + 1);
  if (!LOCAL.test(local) || host.length > 253 || host.startsWith('.')) return false;
  const parts = host.split('.');
  if (parts.length < 2) return false;
  if (!parts.every((p) => p.length > 0 && p.length <= 63 && HOST_PART.test(p))) return false;
  return TLD.test(parts.at(-1)!);
}

/** Notify matches placeholders ignoring case, spaces, hyphens and underscores. */
const placeholderKey = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();
const PLACEHOLDER = /\(\(([^()]+?)\)\)/g;

/** The placeholders a template needs, by their template spelling, first use first. */
export function placeholdersOf(template: FakeTemplate): string[] {
  const seen = new Map<string, string>();
  for (const text of [template.subject ?? '', template.body])
    for (const m of text.matchAll(PLACEHOLDER)) {
      const name = m[1]!.split('??')[0]!.trim();
      if (!seen.has(placeholderKey(name))) seen.set(placeholderKey(name), name);
    }
  return [...seen.values()];
}

export function fillPlaceholders(text: string, personalisation: Record<string, unknown>): string {
  const values = new Map(Object.entries(personalisation).map(([k, v]) => [placeholderKey(k), v]));
  return text.replace(PLACEHOLDER, (_whole, inner: string) => {
    const [name, conditional] = inner.split('??') as [string, string | undefined];
    const value = values.get(placeholderKey(name));
    if (conditional !== undefined) return String(value).toLowerCase() === 'yes' ? conditional : '';
    return Array.isArray(value) ? value.map((v) => `\n* ${String(v)}`).join('') : String(value);
  });
}

function validation(messages: string[]): Refusal {
  return { status: 400, errors: messages.map((message) => ({ error: 'ValidationError', message })) };
}

/** Python's repr of a JSON value with the quotes taken out, as Notify's schema messages show it. */
const shown = (value: unknown) => JSON.stringify(value).replace(/["']/g, '').replace(/:/g, ': ');

function schemaErrors(type: NotificationType, body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const recipientField = type === 'sms' ? 'phone_number' : 'email_address';
  for (const f of [recipientField, 'template_id'])
    if (!(f in body)) errors.push(`${f} is a required property`);
  const extra = Object.keys(body).filter((k) => !FIELDS[type].includes(k));
  if (extra.length)
    errors.push(
      `Additional properties are not allowed (${extra.join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  for (const f of ['template_id', 'sms_sender_id', 'email_reply_to_id'])
    if (f in body && (typeof body[f] !== 'string' || !UUID.test(body[f] as string)))
      errors.push(`${f} is not a valid UUID`);
  const p = body.personalisation;
  if ('personalisation' in body && (typeof p !== 'object' || p === null || Array.isArray(p)))
    errors.push(`personalisation ${shown(p)} is not of type object`);
  const ref = body.reference;
  if ('reference' in body && typeof ref !== 'string')
    errors.push(`reference ${shown(ref)} is not of type string`);
  else if (typeof ref === 'string' && ref.length > 1000) errors.push(`reference ${ref} is too long`);
  const to = body[recipientField];
  if (recipientField in body && typeof to !== 'string')
    errors.push(`${recipientField} ${shown(to)} is not of type string`);
  else if (type === 'email' && typeof to === 'string' && !isValidEmail(to))
    errors.push('email_address Not a valid email address');
  else if (type === 'sms' && typeof to === 'string') {
    const phone = checkUkMobile(to);
    if (!phone.ok && phone.inSchema) errors.push(...phone.refusal.errors.map((e) => e.message));
  }
  return errors;
}

/** Checks a send as Notify does, in Notify's order: the schema, the template, then the recipient. */
export function validateSend(
  type: NotificationType,
  body: unknown,
  templates: ReadonlyMap<string, FakeTemplate>,
): { ok: true; send: ValidSend } | { ok: false; refusal: Refusal } {
  const fields =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const errors = schemaErrors(type, fields);
  if (errors.length) return { ok: false, refusal: validation([...new Set(errors)]) };
  const template = templates.get((fields.template_id as string).toLowerCase());
  if (!template) return { ok: false, refusal: badRequest('Template not found') };
  if (template.type !== type)
    return {
      ok: false,
      refusal: badRequest(`${template.type} template is not suitable for ${type} notification`),
    };
  const personalisation = (fields.personalisation ?? {}) as Record<string, unknown>;
  const given = new Set(Object.keys(personalisation).map(placeholderKey));
  const missing = placeholdersOf(template).filter((name) => !given.has(placeholderKey(name)));
  if (missing.length)
    return { ok: false, refusal: badRequest(`Missing personalisation: ${missing.join(', ')}`) };
  const to = (type === 'sms' ? fields.phone_number : fields.email_address) as string;
  if (type === 'sms') {
    const phone = checkUkMobile(to);
    if (!phone.ok) return { ok: false, refusal: phone.refusal };
  }
  return {
    ok: true,
    send: {
      template,
      to,
      personalisation,
      reference: typeof fields.reference === 'string' ? fields.reference : null,
      body: fillPlaceholders(template.body, personalisation),
      subject: template.subject === undefined ? null : fillPlaceholders(template.subject, personalisation),
    },
  };
}

/** How the fake files a recipient, so a test can find every message to one person however it was written. */
export function recipientKey(type: NotificationType, to: string): string {
  if (type === 'email') return to.trim().toLowerCase();
  const phone = checkUkMobile(to);
  return phone.ok ? phone.normalised : to;
}
