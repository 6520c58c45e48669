// The fake Notify set up as a real Mortar service would set up Notify: every Mortar template, with its
// words, under an id of its own, and a GOV.UK Notify transport pointed at it. Tests, the bench and
// anything else that sends through "Notify" start here.
import { NOTIFY_TEMPLATE_VARIABLES, type NotifyConfig, type NotifyTemplateIds } from '../../src/config.ts';
import { TEMPLATES } from '../../src/platform/message-templates.ts';
import { GovUkNotifyNotifier } from '../../src/platform/notify.ts';
import { FakeNotify, type FakeNotifyOptions, type FakeTemplate } from './fake-notify.ts';

const SERVICE_ID = '7d3c3a4e-5b1f-4f0e-9a54-2f1a6b0c9d11';
const SECRET = 'c6f8b1d2-9e47-4a3b-8c5d-0e1f2a3b4c5d';
export const MORTAR_NOTIFY_KEY = `mortar_live-${SERVICE_ID}-${SECRET}`;

/** A template id for every Mortar template and channel, the same in every run. */
export function mortarTemplateIds(): NotifyTemplateIds {
  let i = 0;
  const id = () => `5e0c1d2a-0b7f-4c55-9f2e-${String(++i).padStart(12, '0')}`;
  return Object.fromEntries(
    Object.entries(NOTIFY_TEMPLATE_VARIABLES).map(([t, v]) => [
      t,
      Object.fromEntries(Object.keys(v).map((channel) => [channel, id()])),
    ]),
  ) as NotifyTemplateIds;
}

export function fakeTemplatesFor(ids: NotifyTemplateIds): FakeTemplate[] {
  return Object.entries(ids).flatMap(([name, channels]) => {
    const words = TEMPLATES[name as keyof NotifyTemplateIds];
    const out: FakeTemplate[] = [
      { id: channels.email, type: 'email', subject: words.subject, body: words.email },
    ];
    if ('sms' in channels && words.sms) out.push({ id: channels.sms, type: 'sms', body: words.sms });
    return out;
  });
}

export type MortarNotify = {
  fake: FakeNotify;
  config: Extract<NotifyConfig, { transport: 'notify' }>;
  notifier: GovUkNotifyNotifier;
};

export async function startMortarNotify(options: Partial<FakeNotifyOptions> = {}): Promise<MortarNotify> {
  const templates = mortarTemplateIds();
  const fake = await FakeNotify.start({
    apiKeys: [MORTAR_NOTIFY_KEY],
    templates: fakeTemplatesFor(templates),
    ...options,
  });
  const config = { transport: 'notify' as const, apiKey: MORTAR_NOTIFY_KEY, templates };
  return { fake, config, notifier: new GovUkNotifyNotifier(config, { baseUrl: fake.baseUrl }) };
}
