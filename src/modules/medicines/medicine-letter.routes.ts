import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { letterFileName } from '../../platform/letter.ts';
import { requestLetterDelivery } from '../letters/letter-delivery.service.ts';
import { checkSendForm, letterSendSection, replyWithPdf } from '../letters/letter-send.section.ts';
import { serviceEpisode } from './medicines.service.ts';
import { markLetterProduced, prescriberLetterFor } from './medicine-letter.service.ts';

// The letter to the prescriber about one alert: the page (printed), its PDF, and sending it by secure
// email. Every route finds the episode through the service's scope first, so another service's episode
// or alert is "not found", never shown or sent.

const SERVICE = ['adviser', 'service_manager'] as const;
const BASE = '/episodes/:id/medicine-alerts/:alertId/letter';
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';

type Deps = { db: Database; config: Config };
type Form = { values?: { email?: string }; errors?: FormErrors };

export function registerMedicineLetterRoutes(app: FastifyInstance, { db, config }: Deps) {
  /** Finds the letter through the service's scope, and records that it was produced. */
  const load = async (request: FastifyRequest, how: string) => {
    const user = staffOf(request);
    const episode = await serviceEpisode(db, user, param(request, 'id'));
    const found = await prescriberLetterFor(db, user, episode, param(request, 'alertId'), app.clock.today());
    await markLetterProduced(db, found.alert.id);
    const entity = { entityType: 'medicine_alert', entityId: found.alert.id };
    await audit(db, user, { action: 'export', ...entity, detail: how }, request.id);
    return { user, episode, ...found };
  };

  const page = async (request: FastifyRequest, reply: FastifyReply, form: Form = {}) => {
    const { episode, alert, view, letter } = await load(request, 'letter to the prescriber produced');
    const href = `/episodes/${episode.id}/medicine-alerts/${alert.id}/letter`;
    if (form.errors) reply.code(400);
    return reply.header('Cache-Control', 'no-store').page('medicines/views/prescriber-letter.njk', {
      title: letter.title,
      backHref: `/episodes/${episode.id}#medicines`,
      episode,
      alert: view,
      letter,
      errors: form.errors,
      send: await letterSendSection(db, {
        episodeId: episode.id,
        source: { medicineAlertId: alert.id },
        pdfHref: `${href}.pdf`,
        action: `${href}/send`,
        title: letter.title,
        config: config.letters,
        ...form,
      }),
    });
  };

  app.get(BASE, { config: { access: SERVICE } }, (request, reply) => page(request, reply));

  app.get(`${BASE}.pdf`, { config: { access: SERVICE } }, async (request, reply) => {
    const { alert, letter } = await load(request, 'letter to the prescriber downloaded as a PDF');
    return replyWithPdf(reply, letterFileName('letter', alert.id), letter);
  });

  app.post(`${BASE}/send`, { config: { access: SERVICE } }, async (request, reply) => {
    const checked = checkSendForm(request.body, config.letters);
    if (!checked.ok) return page(request, reply, checked);
    const { user, episode, alert, letter } = await load(request, 'letter to the prescriber to be sent');
    await requestLetterDelivery(db, user, {
      episodeId: episode.id,
      source: { medicineAlertId: alert.id },
      kind: 'prescriber_letter',
      recipientEmail: checked.address,
      letter,
      now: app.clock.now(),
      requestId: request.id,
    });
    setFlash(reply, `The letter is being sent to ${checked.address}. Its progress is shown below.`);
    return reply.redirect(`/episodes/${episode.id}/medicine-alerts/${alert.id}/letter`, 303);
  });
}
