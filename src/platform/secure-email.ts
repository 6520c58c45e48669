// Letters about a person go only to a secure email address: NHSmail (nhs.net) and any other domain the
// service configures (LETTERS_SECURE_DOMAINS) that meets the secure email standard (DCB1596). Pure.
//
// The rule is strict on purpose: one plain address, no display name, no comments, no second address, and
// its domain equal to a listed domain, never merely ending with it (`evil-nhs.net`, `nhs.net.example.com`
// and `x.nhs.net` are all refused). Non-ASCII addresses are refused too, so a look-alike letter cannot pass.

export type SecureAddressCheck = { ok: true; address: string } | { ok: false; error: string };

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A domain name as configured: lower case, at least two labels, each a valid host label. */
export function isDomainName(d: string): boolean {
  const labels = d.split('.');
  return d.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

function domainsText(domains: readonly string[]): string {
  const at = domains.map((d) => `@${d}`);
  return at.length <= 1 ? (at[0] ?? '') : `${at.slice(0, -1).join(', ')} or ${at.at(-1)}`;
}

/** Checks an address typed by an adviser; gives it back with its domain in lower case, or the error to show. */
export function checkSecureAddress(input: string, domains: readonly string[]): SecureAddressCheck {
  const example = `name@${domains[0] ?? 'nhs.net'}`;
  const typed = input.trim();
  if (!typed) return { ok: false, error: `Enter their secure email address, like ${example}` };
  const at = typed.lastIndexOf('@');
  const local = typed.slice(0, at);
  const domain = typed.slice(at + 1).toLowerCase();
  if (at < 1 || typed.length > 254 || local.length > 64 || !LOCAL.test(local) || !isDomainName(domain))
    return { ok: false, error: `Enter an email address in the correct format, like ${example}` };
  if (!domains.includes(domain))
    return {
      ok: false,
      error: `Enter a secure email address ending in ${domainsText(domains)}: letters about a person are only sent to secure email`,
    };
  return { ok: true, address: `${local}@${domain}` };
}
