// How messages to people are sent (src/platform/notify.ts), from the environment: GOV.UK Notify with a
// template id for every message and channel, SMTP, or the log. Apart from config.ts to keep it small.
import { ConfigError } from './config-error.ts';

/**
 * The variables holding each Notify template's id, by template and channel: the templates themselves live
 * in Notify (their words are in src/platform/notify.ts, to paste in).
 */
export const NOTIFY_TEMPLATE_VARIABLES = {
  self_referral_confirmation: {
    email: 'NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL',
    sms: 'NOTIFY_TEMPLATE_SELF_REFERRAL_SMS',
  },
  password_reset: { email: 'NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL' },
  appointment_reminder: {
    email: 'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL',
    sms: 'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS',
  },
  four_week_prompt: {
    email: 'NOTIFY_TEMPLATE_FOUR_WEEK_PROMPT_EMAIL',
    sms: 'NOTIFY_TEMPLATE_FOUR_WEEK_PROMPT_SMS',
  },
  check_in: { email: 'NOTIFY_TEMPLATE_CHECK_IN_EMAIL', sms: 'NOTIFY_TEMPLATE_CHECK_IN_SMS' },
  referrer_update: { email: 'NOTIFY_TEMPLATE_REFERRER_UPDATE_EMAIL' },
  self_referral_link: {
    email: 'NOTIFY_TEMPLATE_SELF_REFERRAL_LINK_EMAIL',
    sms: 'NOTIFY_TEMPLATE_SELF_REFERRAL_LINK_SMS',
  },
  webhook_disabled: { email: 'NOTIFY_TEMPLATE_WEBHOOK_DISABLED_EMAIL' },
} as const satisfies Record<string, { email: string; sms?: string }>;

export type TemplateName = keyof typeof NOTIFY_TEMPLATE_VARIABLES;
export type NotifyTemplateIds = {
  [T in TemplateName]: (typeof NOTIFY_TEMPLATE_VARIABLES)[T] extends { sms: string }
    ? { email: string; sms: string }
    : { email: string };
};

/** How messages to people are sent; see src/platform/notify.ts. */
export type NotifyConfig = (
  | { transport: 'log' }
  | { transport: 'notify'; apiKey: string; templates: NotifyTemplateIds }
  | { transport: 'smtp'; url: string; from: string }
) & {
  /** The bearer token Notify's callbacks carry; unset, receipts and replies are refused. */
  callbackToken?: string;
  /** Sends per minute at most. */
  ratePerMinute?: number;
};

type TemplateVariable = {
  [
    T in keyof typeof NOTIFY_TEMPLATE_VARIABLES
  ]: (typeof NOTIFY_TEMPLATE_VARIABLES)[T][keyof (typeof NOTIFY_TEMPLATE_VARIABLES)[T]];
}[keyof typeof NOTIFY_TEMPLATE_VARIABLES];

/** The environment variables the transport is chosen from, as config.ts has validated them. */
export type NotifyEnv = {
  NOTIFY_TRANSPORT: 'log' | 'notify' | 'smtp';
  NOTIFY_API_KEY?: string | undefined;
  NOTIFY_CALLBACK_TOKEN?: string | undefined;
  NOTIFY_RATE_PER_MINUTE: number;
  SMTP_URL?: string | undefined;
  SMTP_FROM?: string | undefined;
} & { [V in TemplateVariable]?: string | undefined };

/** The chosen transport with everything it needs, or a ConfigError naming what is missing. */
export function notifyConfig(e: NotifyEnv): NotifyConfig {
  const extras = {
    ...(e.NOTIFY_CALLBACK_TOKEN ? { callbackToken: e.NOTIFY_CALLBACK_TOKEN } : {}),
    ratePerMinute: e.NOTIFY_RATE_PER_MINUTE,
  };
  const missing = (names: string[]) =>
    new ConfigError(
      `Invalid configuration:\n${names.map((n) => `  ${n}: required when NOTIFY_TRANSPORT=${e.NOTIFY_TRANSPORT}`).join('\n')}`,
    );
  if (e.NOTIFY_TRANSPORT === 'notify') {
    const names = [
      'NOTIFY_API_KEY',
      ...Object.values(NOTIFY_TEMPLATE_VARIABLES).flatMap((v) => Object.values(v) as TemplateVariable[]),
    ] as const;
    const absent = names.filter((n) => !e[n]);
    if (absent.length || !e.NOTIFY_API_KEY) throw missing(absent);
    const id = (name: TemplateVariable) => String(e[name]);
    const templates = Object.fromEntries(
      Object.entries(NOTIFY_TEMPLATE_VARIABLES).map(([t, v]) => [
        t,
        'sms' in v ? { email: id(v.email), sms: id(v.sms) } : { email: id(v.email) },
      ]),
    ) as NotifyTemplateIds;
    return { transport: 'notify', apiKey: e.NOTIFY_API_KEY, templates, ...extras };
  }
  if (e.NOTIFY_TRANSPORT === 'smtp') {
    if (!e.SMTP_URL || !e.SMTP_FROM)
      throw missing(
        Object.entries({ SMTP_URL: e.SMTP_URL, SMTP_FROM: e.SMTP_FROM })
          .filter(([, v]) => !v)
          .map(([k]) => k),
      );
    return { transport: 'smtp', url: e.SMTP_URL, from: e.SMTP_FROM, ...extras };
  }
  return { transport: 'log', ...extras };
}
