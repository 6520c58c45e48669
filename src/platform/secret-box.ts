import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Secrets Mortar must read back (two-factor secrets) are kept sealed with AES-256-GCM under a key from
// the configuration (TWO_FACTOR_KEY), so a copy of the database alone does not give them away.
// Sealed text is 'v1.' then base64url of the 12-byte nonce, the ciphertext and the 16-byte tag.

const VERSION = 'v1';

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function seal(plain: string, keySecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keySecret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The plain text, or null when it was sealed under another key or has been changed. */
export function open(sealed: string, keySecret: string): string | null {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data) return null;
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.length < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(keySecret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
