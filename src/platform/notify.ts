import { randomUUID } from 'node:crypto';
import { NotifyClient } from 'notifications-node-client';
import { createTransport, type Transporter } from 'nodemailer';
import type { NotifyConfig, TemplateName } from '../config.ts';
import { fillTemplate, TEMPLATES } from './message-templates.ts';

export { fillTemplate, TEMPLATES };

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

/** One message on one channel, for the outbox's sender: `reference` is the outbox row's id. */
export type OneMessage = {
  channel: Channel;
  to: string;
  template: Template;
  personalisation: Record<string, string>;
  reference: string;
};

export interface Notifier {
  readonly transport: NotifyConfig['transport'];
  /** Sends on every channel the message has an address for; rejects if any send fails. */
  send(message: Message): Promise<SendResult>;
  /** Sends one message; resolves with the transport's id for it, rejects with a NotifyError. */
  sendOne(message: OneMessage): Promise<{ id: string }>;
  /**
   * The id of a message the transport already accepted with this reference, null if none; undefined when
   * the transport cannot tell (SMTP). Asked before sending again after a crash mid-send.
   */
  findSent(reference: string, channel: Channel): Promise<string | null | undefined>;
}

/** The part of a pino or Fastify logger the transports use. */
export type NotifyLogger = {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
};

export function channelsOf(message: Message): Channel[] {
  const out: Channel[] = [];
  if (message.to.email) out.push('email');
  if (message.to.phone) out.push('sms');
  return out;
}

export type SentMessage = Message & {
  /** The id sendOne gave it. */
  id?: string;
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

  async sendOne(m: OneMessage): Promise<{ id: string }> {
    const sent = await this.send({
      to: m.channel === 'sms' ? { phone: m.to } : { email: m.to },
      template: m.template,
      personalisation: m.personalisation,
      reference: m.reference,
    });
    const id = randomUUID();
    const last = this.outbox.at(-1);
    if (last && sent.channels.length) last.id = id;
    return { id };
  }

  async findSent(reference: string, channel: Channel): Promise<string | null> {
    const found = this.outbox.find((m) => m.reference === reference && m.channels.includes(channel));
    return found?.id ?? null;
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
export type NotifyApi = Pick<NotifyClient, 'sendEmail' | 'sendSms' | 'getNotifications'>;

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

  async sendOne(m: OneMessage): Promise<{ id: string }> {
    const ids: { email: string; sms?: string } = this.#templates[m.template];
    const templateId = m.channel === 'sms' ? ids.sms : ids.email;
    if (!templateId) throw new NotifyError('notify', undefined);
    const options = { personalisation: m.personalisation, reference: m.reference };
    try {
      const response =
        m.channel === 'sms'
          ? await this.#client.sendSms(templateId, m.to, options)
          : await this.#client.sendEmail(templateId, m.to, options);
      return { id: String((response.data as { id: unknown }).id) };
    } catch (err) {
      throw new NotifyError('notify', err);
    }
  }

  async findSent(reference: string, channel: Channel): Promise<string | null> {
    try {
      const response = await this.#client.getNotifications(channel, undefined, reference);
      const list = (response.data as { notifications?: { id: string; reference?: string | null }[] })
        .notifications;
      return list?.find((n) => n.reference === reference)?.id ?? null;
    } catch (err) {
      throw new NotifyError('notify', err);
    }
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

  async sendOne(m: OneMessage): Promise<{ id: string }> {
    if (m.channel !== 'email') throw new NotifyError('smtp', { code: 'NO_TEXT_MESSAGES' });
    const t = TEMPLATES[m.template];
    // The outbox row's id as the Message-ID: a copy sent again after a crash is the same message to a
    // mail client, which shows it once.
    const messageId = `<${m.reference}@mortar.invalid>`;
    try {
      await this.#mailer.sendMail({
        from: this.#from,
        to: m.to,
        messageId,
        subject: fillTemplate(t.subject, m.personalisation),
        text: fillTemplate(t.email, m.personalisation),
      });
    } catch (err) {
      throw new NotifyError('smtp', err);
    }
    return { id: messageId };
  }

  async findSent(): Promise<undefined> {
    return undefined;
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

  /**
   * What the sender should do about it: wait and try again (rate limited, or the service unavailable),
   * or give up on this message (refused: an address or template Notify will never accept).
   */
  get kind(): 'rate_limited' | 'refused' | 'unavailable' {
    if (this.status === 429) return 'rate_limited';
    if (this.status === 400 || this.code === 'NO_TEXT_MESSAGES' || this.code === 'EENVELOPE')
      return 'refused';
    if (this.transport === 'smtp' && this.status !== undefined && this.status >= 500 && this.status < 600)
      return 'refused';
    return 'unavailable';
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
