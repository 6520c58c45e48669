import { createTransport } from 'nodemailer';
import type { LettersConfig } from '../../config.ts';
import { NotifyError } from '../../platform/notify.ts';

// The SMTP account letters leave through (an NHSmail shared mailbox: docs/letters.md), by nodemailer.
// A refusal becomes a NotifyError carrying only the server's code: its words can echo the address.

export type OutgoingLetter = {
  to: string;
  subject: string;
  text: string;
  /** The delivery row's id: the same Message-ID on every try, so a copy sent again is the same email. */
  reference: string;
  attachment: { filename: string; content: Buffer };
};

export type LetterMailer = {
  /** Resolves with the Message-ID once the server has accepted it; rejects with a NotifyError. */
  send(letter: OutgoingLetter): Promise<{ messageId: string }>;
  close(): void;
};

type Smtp = NonNullable<LettersConfig['smtp']>;

export function smtpLetterMailer(smtp: Smtp): LetterMailer {
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.auth ? { auth: smtp.auth } : {}),
    // Bounded waits, so a hung server frees the job for its retry.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const domain = smtp.from.slice(smtp.from.lastIndexOf('@') + 1);
  return {
    async send(letter) {
      const messageId = `<${letter.reference}@${domain}>`;
      try {
        await transport.sendMail({
          from: smtp.from,
          to: letter.to,
          subject: letter.subject,
          text: letter.text,
          messageId,
          attachments: [
            {
              filename: letter.attachment.filename,
              content: letter.attachment.content,
              contentType: 'application/pdf',
            },
          ],
        });
      } catch (err) {
        throw new NotifyError('smtp', err);
      }
      return { messageId };
    },
    close: () => transport.close(),
  };
}
