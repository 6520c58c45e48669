import type { TemplateName } from '../config.ts';

// The words of every message Mortar sends to people and referrers, one template per message kind.

/**
 * The words of each template, with Notify's ((placeholder)) syntax: the log and SMTP transports fill them
 * in here, and the same text is what to paste into the Notify templates (README, "Messages to people").
 */
export const TEMPLATES: Record<TemplateName, { subject: string; email: string; sms?: string }> = {
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
  // To an organisation's administrators when Mortar switched off a webhook endpoint that kept failing.
  webhook_disabled: {
    subject: 'Mortar has stopped sending referral updates to ((endpoint_name))',
    email: [
      'Mortar could not deliver referral updates to the webhook endpoint "((endpoint_name))" of ((organisation_name)) for over a day, so it has stopped sending to it.',
      '',
      'Your system can still read every referral through the referral API.',
      '',
      'When the system that receives them is working again, switch the endpoint back on: ((link))',
    ].join('\n'),
  },
};

/** Fills ((placeholders)); a missing value is left visible rather than silently dropped. */
export function fillTemplate(text: string, personalisation: Record<string, string>): string {
  return text.replace(/\(\(([a-z_]+)\)\)/g, (whole, key: string) => personalisation[key] ?? whole);
}
