import { NotifyClient } from 'notifications-node-client';
import { createTransport, type Transporter } from 'nodemailer';
import type { NotifyConfig, TemplateName } from '../config.ts';

// Messages to people (not staff): one interface, three transports chosen by configuration.
//   log     development and tests: logs that a message was sent and keeps it in an in-memory outbox
//   notify  GOV.UK Notify, with templates kept in Notify (their ids are configuration)
//   smtp    email through an SMTP server, with the templates below (text messages cannot go this way)
// A log line never holds a recipient, a name or the message text: only the template and the channels.

export type Template = TemplateName;
export type Channel = 'email' | 'sms';

export type Message = {
  to: { email?: string | undefined; phone?: string | undefined };
  template: Template;
  /** The template's placeholders. Keep personal details out: a reference and a service name are enough. */
  personalisation: Record<string, string>;
  /** Our own reference for the message (a referral reference), passed to Notify for its records. */
  reference?: string;
};

export type SendResult = { channels: Channel[] };

export interface Notifier {
  readonly transport: NotifyConfig['transport'];
  /** Sends on every channel the message has an address for; rejects if any send fails. */
  send(message: Message): Promise<SendResult>;
}

/** The part of a pino or Fastify logger the transports use. */
export type NotifyLogger = {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
};

/**
 * The words of each template, with Notify's ((placeholder)) syntax: the log and SMTP transports fill them
 * in here, and the same text is what to paste into the Notify templates (README, "Messages to people").
 */
export const TEMPLATES: Record<Template, { subject: string; email: string; sms?: string }> = {
  self_referral_confirmation: {
    subject: 'We have sent your request for stop smoking support',
    email: [
      'Your reference number is ((reference)).',
      '',
      '((service_name)) will contact you ((when)).',
      '',
      'If nobody has been in touch by then, call the National Smokefree Helpline on 0300 123 1044.',
      '',
      'If you need help now: call NHS 111 and choose option 2 for mental health support, call 999 in an emergency, or call Samaritans free on 116 123.',
    ].join('\n'),
    sms: 'Your stop smoking reference is ((reference)). ((service_name)) will contact you ((when)). No call? Ring 0300 123 1044.',
  },
  // The messages below carry no name and no health details: a text can be read by anyone holding the
  // phone. The service's name is the one thing a person needs to know who is writing.
  appointment_reminder: {
    subject: 'Your appointment tomorrow',
    email: [
      'This is a reminder of your appointment with ((service_name)) tomorrow, ((day)), at ((time)).',
      '',
      '((where))',
      '',
      'If you cannot make it, ((contact)).',
      '',
      'To stop these messages, open this link: ((link))',
    ].join('\n'),
    sms: 'Reminder: your appointment with ((service_name)) is tomorrow, ((day)) at ((time)). ((where)) Cannot make it? ((contact)). Reply STOP to stop these messages.',
  },
  four_week_prompt: {
    subject: 'Your 4-week check',
    email: [
      'It is nearly 4 weeks since your quit date. ((service_name)) will be in touch soon for your 4-week check.',
      '',
      'If you have a question before then, ((contact)).',
      '',
      'To stop these messages, open this link: ((link))',
    ].join('\n'),
    sms: 'It is nearly 4 weeks since your quit date. ((service_name)) will be in touch soon for your 4-week check. Questions? ((contact)). Reply STOP to stop these messages.',
  },
  check_in: {
    subject: 'How are things going?',
    email: [
      'It is ((weeks)) since your quit date. How are things going?',
      '',
      'Tell ((service_name)) in one click: ((link))',
      '',
      'The link works once. You can also stop these messages there.',
    ].join('\n'),
    sms: 'It is ((weeks)) since your quit date. How are things going? Tell ((service_name)) here: ((link)) Reply STOP to stop these messages.',
  },
  // To a referrer who asked for updates: the referral's reference, never the person's name.
  referrer_update: {
    subject: 'Referral ((reference)): ((event))',
    email: [
      'Referral ((reference)), sent to ((service_name)) on ((sent_on)): ((event)).',
      '',
      '((next_step))',
      '',
      'Sign in to Mortar to see the referral: ((link))',
      '',
      'You get these emails because you or your organisation asked for them. You can turn them off in Mortar.',
    ].join('\n'),
  },
  // To a person who did not want a referral today, at their request: how to get support when they are ready.
  self_referral_link: {
    subject: 'Free support to stop smoking',
    email: [
      'When you are ready, free support to stop smoking is available from ((service_name)).',
      '',
      '((contact))',
      '',
      'You can also ask for support online: ((link))',
    ].join('\n'),
    sms: 'When you are ready, free support to stop smoking is available from ((service_name)). ((contact)). Or ask online: ((link))',
  },
  // To staff who asked to reset their password. Email only: the link is a key to their account.
  password_reset: {
    subject: 'Reset your Mortar password',
    email: [
      'Someone asked to reset the password for your Mortar account.',
      '',
      'To choose a new password, open this link:',
      '((link))',
      '',
      'The link works once, for ((minutes)) minutes.',
      '',
      'If you did not ask to reset your password, you do not need to do anything: your password has not changed.',
    ].join('\n'),
  },
};

/** Fills ((placeholders)); a missing value is left visible rather than silently dropped. */
export function fillTemplate(text: string, personalisation: Record<string, string>): string {
  return text.replace(/\(\(([a-z_]+)\)\)/g, (whole, key: string) => personalisation[key] ?? whole);
}

export function channelsOf(message: Message): Channel[] {
  const out: Channel[] = [];
  if (message.to.email) out.push('email');
  if (message.to.phone) out.push('sms');
  return out;
}

export type SentMessage = Message & {
  channels: Channel[];
  subject: string;
  email: string;
  sms: string;
  sentAt: Date;
};

/** Development and tests: nothing leaves the process. Tests read what was "sent" from `outbox`. */
export class LogNotifier implements Notifier {
  readonly transport = 'log' as const;
  /** The latest messages, newest last (at most `limit`): they hold personal details, so memory only. */
  readonly outbox: SentMessage[] = [];
  readonly #log: NotifyLogger;
  readonly #limit: number;

  constructor(log: NotifyLogger, limit = 100) {
    this.#log = log;
    this.#limit = limit;
  }

  async send(message: Message): Promise<SendResult> {
    const channels = channelsOf(message);
    const t = TEMPLATES[message.template];
    this.outbox.push({
      ...message,
      channels,
      subject: fillTemplate(t.subject, message.personalisation),
      email: fillTemplate(t.email, message.personalisation),
      sms: t.sms ? fillTemplate(t.sms, message.personalisation) : '',
      sentAt: new Date(),
    });
    if (this.outbox.length > this.#limit) this.outbox.splice(0, this.outbox.length - this.#limit);
    this.#log.info(
      { notification: { template: message.template, channels, transport: 'log' } },
      'notification sent',
    );
    return { channels };
  }
}

/** What the transports need of the Notify client: its two send calls. */
export type NotifyApi = Pick<NotifyClient, 'sendEmail' | 'sendSms'>;

/** GOV.UK Notify: the templates live in Notify; we send their ids, the address and the placeholders. */
export class GovUkNotifyNotifier implements Notifier {
  readonly transport = 'notify' as const;
  readonly #client: NotifyApi;
  readonly #templates: Extract<NotifyConfig, { transport: 'notify' }>['templates'];

  /** `baseUrl` only for tests against a local stand-in; production uses Notify's own address. */
  constructor(
    config: Extract<NotifyConfig, { transport: 'notify' }>,
    opts: { client?: NotifyApi; baseUrl?: string } = {},
  ) {
    this.#templates = config.templates;
    this.#client =
      opts.client ??
      (opts.baseUrl ? new NotifyClient(opts.baseUrl, config.apiKey) : new NotifyClient(config.apiKey));
  }

  async send(message: Message): Promise<SendResult> {
    const ids: { email: string; sms?: string } = this.#templates[message.template];
    if (message.to.phone && !ids.sms) throw new NotifyError('notify', undefined);
    const options = {
      personalisation: message.personalisation,
      ...(message.reference ? { reference: message.reference } : {}),
    };
    const channels = channelsOf(message);
    // Both channels are tried even if one fails, then any failure is reported.
    const results = await Promise.allSettled([
      message.to.email ? this.#client.sendEmail(ids.email, message.to.email, options) : undefined,
      message.to.phone && ids.sms ? this.#client.sendSms(ids.sms, message.to.phone, options) : undefined,
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw new NotifyError('notify', failed.reason);
    return { channels };
  }
}

/** Email through an SMTP server. Text messages need Notify: a message with only a phone number is not sent. */
export class SmtpNotifier implements Notifier {
  readonly transport = 'smtp' as const;
  readonly #mailer: Pick<Transporter, 'sendMail'>;
  readonly #from: string;

  constructor(
    config: Extract<NotifyConfig, { transport: 'smtp' }>,
    opts: { mailer?: Pick<Transporter, 'sendMail'> } = {},
  ) {
    // Bounded waits: a hung mail server must not hold a person's confirmation page.
    this.#mailer =
      opts.mailer ??
      createTransport({
        url: config.url,
        connectionTimeout: 5_000,
        greetingTimeout: 5_000,
        socketTimeout: 10_000,
      });
    this.#from = config.from;
  }

  async send(message: Message): Promise<SendResult> {
    if (!message.to.email) return { channels: [] };
    const t = TEMPLATES[message.template];
    try {
      await this.#mailer.sendMail({
        from: this.#from,
        to: message.to.email,
        subject: fillTemplate(t.subject, message.personalisation),
        text: fillTemplate(t.email, message.personalisation),
      });
    } catch (err) {
      throw new NotifyError('smtp', err);
    }
    return { channels: ['email'] };
  }
}

/**
 * A failed send, carrying only what is safe to log: which transport, the HTTP status or SMTP code.
 * The original error is not kept: its message can echo the recipient's address.
 */
export class NotifyError extends Error {
  readonly transport: 'notify' | 'smtp';
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(transport: 'notify' | 'smtp', cause: unknown) {
    const c = (cause ?? {}) as { response?: { status?: unknown }; responseCode?: unknown; code?: unknown };
    const status =
      typeof c.response?.status === 'number'
        ? c.response.status
        : typeof c.responseCode === 'number'
          ? c.responseCode
          : undefined;
    const code = typeof c.code === 'string' && /^[A-Z_]{2,40}$/.test(c.code) ? c.code : undefined;
    super(`${transport} send failed${status ? ` (${status})` : ''}${code ? ` ${code}` : ''}`);
    this.name = 'NotifyError';
    this.transport = transport;
    this.status = status;
    this.code = code;
  }
}

export function createNotifier(config: NotifyConfig, log: NotifyLogger): Notifier {
  switch (config.transport) {
    case 'notify':
      return new GovUkNotifyNotifier(config);
    case 'smtp':
      return new SmtpNotifier(config);
    case 'log':
      return new LogNotifier(log);
  }
}

/**
 * Sends and never throws: a message is a courtesy, the referral is already stored. A failure is logged
 * with the template, the transport and the referral's reference only. Gives up waiting after `timeoutMs`
 * (the send itself may still finish).
 */
export async function sendSafely(
  notifier: Notifier,
  message: Message,
  log: NotifyLogger,
  timeoutMs = 10_000,
): Promise<{ ok: true; channels: Channel[] } | { ok: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  try {
    const result = await Promise.race([notifier.send(message), timeout]);
    return { ok: true, channels: result.channels };
  } catch (err) {
    // Never the error's message: a mail server's or an API's words can include the recipient's address.
    const e =
      err instanceof NotifyError
        ? { type: err.name, status: err.status, code: err.code }
        : { type: err instanceof Error ? err.name : 'unknown' };
    log.warn(
      {
        notification: {
          template: message.template,
          transport: notifier.transport,
          reference: message.reference,
          channels: channelsOf(message),
        },
        err: e,
      },
      'notification not sent',
    );
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
