import type { LettersConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { FastifyReply } from 'fastify';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import type { Letter } from '../../platform/letter.ts';
import { checkSecureAddress } from '../../platform/secure-email.ts';
import { letterPdf } from './letter-pdf.ts';
import { letterDeliveries, type LetterSource } from './letter-delivery.service.ts';

// What a letter's page shows under the letter (letters/views/_letter-send.njk): the PDF to download,
// the secure email form when sending is set up, and every sending with its outcome.

export type SendSectionInput = {
  episodeId: string;
  source: LetterSource;
  pdfHref: string;
  /** Where the form posts. */
  action: string;
  title: string;
  config: LettersConfig;
  values?: { email?: string };
  errors?: FormErrors;
};

export async function letterSendSection(db: Database, s: SendSectionInput) {
  return {
    pdfHref: s.pdfHref,
    action: s.action,
    title: s.title,
    enabled: s.config.smtp !== null,
    domains: s.config.secureDomains.map((d) => `@${d}`).join(' or '),
    deliveries: await letterDeliveries(db, s.episodeId, s.source),
    values: s.values ?? {},
    errors: s.errors,
  };
}

/** The send form's address, checked: the secure address, or the form again with its error. */
export function checkSendForm(
  body: unknown,
  config: LettersConfig,
): { ok: true; address: string } | { ok: false; values: { email: string }; errors: FormErrors } {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).email : undefined;
  const typed = typeof raw === 'string' ? raw : '';
  const checked = checkSecureAddress(typed, config.secureDomains);
  if (config.smtp && checked.ok) return checked;
  const why = checked.ok ? 'Sending by secure email is not set up here: print or download it' : checked.error;
  return { ok: false, values: { email: typed }, errors: mergeErrors(undefined, 'email', why) };
}

/** The letter as a PDF download, never kept by a browser's or a proxy's cache. */
export async function replyWithPdf(reply: FastifyReply, fileName: string, letter: Letter) {
  return reply
    .header('Cache-Control', 'no-store')
    .header('Content-Disposition', `attachment; filename="${fileName}"`)
    .type('application/pdf')
    .send(await letterPdf(letter));
}
