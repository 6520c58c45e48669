// Where to send someone after they sign in. Only a path on this site: anything a browser could read as
// another site becomes the home page. Browsers drop tabs and newlines inside a URL and read "\" as "/",
// so "/\t/evil.example" and "/\evil.example" both mean "//evil.example"; parsing the value the way a
// browser does, against a stand-in origin, and keeping it only if the origin survives, follows every
// such rule without listing them.

const STAND_IN = 'https://mortar.invalid';
const MAX_LENGTH = 500;
// C0 controls and DEL. Nobody types them; in a Location header they would break the response.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True when a value holds characters that have no place in an address (a request to refuse with 400). */
export function hasControlCharacters(value: unknown): boolean {
  return typeof value === 'string' && CONTROL.test(value);
}

/**
 * The path to return to, as the browser will read it (percent-encoded, so it is safe in a header), or
 * '/' when the value is missing, too long, points at another site or back at signing in. Pure.
 * Values with control characters are for the caller to refuse (hasControlCharacters): here they give '/'.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > MAX_LENGTH) return '/';
  if (hasControlCharacters(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, STAND_IN);
  } catch {
    return '/';
  }
  if (url.origin !== STAND_IN) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The parser can turn "/.//x" into "//x": a path must not start with two slashes either way.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (url.pathname.startsWith('/sign-')) return '/';
  return path.length > MAX_LENGTH ? '/' : path;
}
