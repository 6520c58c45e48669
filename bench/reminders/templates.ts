import { NOTIFY_TEMPLATE_VARIABLES, type NotifyTemplateIds } from '../../src/config.ts';
import { TEMPLATES } from '../../src/platform/notify.ts';
import type { FakeTemplate } from '../../test/helpers/fake-notify.ts';

// Mortar's templates as the fake Notify holds them (their words from src/platform/message-templates.ts,
// so a placeholder the composer forgets is refused as Notify would), and the ids Mortar's configuration
// would give them. Both sides of the bench build them from here, so they agree.

type Channel = 'email' | 'sms';
const names = Object.keys(NOTIFY_TEMPLATE_VARIABLES) as (keyof typeof NOTIFY_TEMPLATE_VARIABLES)[];

/** A fixed id per template and channel: the bench's own, like a Notify service's template ids. */
const idOf = (i: number, channel: Channel) =>
  `be9c0000-0000-4000-8000-${String(i * 2 + (channel === 'sms' ? 1 : 0)).padStart(12, '0')}`;

export const TEMPLATE_IDS = Object.fromEntries(
  names.map((name, i) => [
    name,
    'sms' in NOTIFY_TEMPLATE_VARIABLES[name]
      ? { email: idOf(i, 'email'), sms: idOf(i, 'sms') }
      : { email: idOf(i, 'email') },
  ]),
) as NotifyTemplateIds;

export const FAKE_TEMPLATES: FakeTemplate[] = names.flatMap((name, i) => {
  const t = TEMPLATES[name];
  const email: FakeTemplate = { id: idOf(i, 'email'), type: 'email', subject: t.subject, body: t.email };
  return t.sms ? [email, { id: idOf(i, 'sms'), type: 'sms', body: t.sms }] : [email];
});
