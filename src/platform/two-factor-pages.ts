import QRCode from 'qrcode';
import { z } from 'zod';
import { secretInGroups, totpCodeOf, totpUri } from './two-factor.ts';

// What the set-up pages show: the QR code drawn here (an SVG in a data URL, nothing loaded from elsewhere)
// and the same secret as text, for anyone who cannot scan it.

export async function setUpView(secret: string, email: string) {
  const svg = await QRCode.toString(totpUri(secret, email), {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
  });
  return {
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    secretText: secretInGroups(secret),
  };
}

export const SetUpCodeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your app' })
    .max(50, 'Enter the 6-digit code from your app')
    .refine((v) => v.trim().length > 0, 'Enter the 6-digit code from your app')
    .refine((v) => totpCodeOf(v) !== null, 'Enter the code as 6 digits, like 123456'),
});

/** The second step takes a code from the app or a recovery code, so only its presence is checked. */
export const SecondStepSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your app' })
    .max(50, 'The code you entered is not right. Check it and try again')
    .refine((v) => v.trim().length > 0, 'Enter the 6-digit code from your app'),
  returnTo: z.string().optional(),
});

export const WRONG_CODE = 'The code you entered is not right. Check it and try again';
