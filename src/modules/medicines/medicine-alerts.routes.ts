import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { roleLabelOf, type StaffUser } from '../../platform/roles.ts';
import { setFlash } from '../../platform/flash.ts';
import { londonDate } from '../../platform/clock.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import * as repo from './medicines.repository.ts';
import { alertView, listByCode, prescriberLabel } from './medicines.section.ts';
import { prescriberLetter } from './medicines.ts';
import { serviceEpisode, serviceLetterhead } from './medicines.service.ts';

// The alerts raised for a person's medicines when they stop smoking (or start again), and the letter to
// the prescriber each one calls for. Every route finds the episode through the service's scope first, so
// another service's episode or alert is "not found", never shown.

const SERVICE = ['adviser', 'service_manager'] as const;
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';
const medicinesHref = (e: EpisodeRow) => `/episodes/${e.id}#medicines`;

type Deps = { db: Database };
type LetterRequest = {
  user: StaffUser;
  episode: EpisodeRow;
  alertId: string;
  today: IsoDate;
  requestId: string;
};

/** The letter to the prescriber about one alert; producing it is recorded on the alert and audited. */
async function letterPage(db: Database, reply: FastifyReply, r: LetterRequest) {
  const { user, episode } = r;
  const [alert, byCode, service] = await Promise.all([
    repo.findAlert(db, episode.id, r.alertId),
    listByCode(db),
    serviceLetterhead(db, episode.service_organisation_id),
  ]);
  const medicine = alert ? byCode.get(alert.medicine_code) : undefined;
  if (!alert || !medicine) throw notFound('Alert not found');
  const letter = prescriberLetter({
    person: {
      name: `${episode.given_name} ${episode.family_name}`,
      dateOfBirth: episode.date_of_birth,
      nhsNumber: episode.nhs_number,
    },
    medicine,
    event: alert.trigger,
    quitDate: episode.quit_date ?? londonDate(new Date(alert.raised_at)),
    service,
    adviser: { name: user.name, role: roleLabelOf(user.role, user.organisationType) },
    prescriberName: alert.prescriber_name,
    today: r.today,
  });
  await repo.markLetterProduced(db, alert.id);
  await audit(
    db,
    user,
    {
      action: 'export',
      entityType: 'medicine_alert',
      entityId: alert.id,
      detail: 'letter to the prescriber produced',
    },
    r.requestId,
  );
  return reply.header('Cache-Control', 'no-store').page('medicines/views/prescriber-letter.njk', {
    title: `Letter to the prescriber about ${medicine.name.toLowerCase()}`,
    backHref: medicinesHref(episode),
    episode,
    alert: alertView(episode.id, alert, medicine),
    recipient: alert.prescriber_kind
      ? prescriberLabel(alert.prescriber_kind, alert.prescriber_name)
      : 'The prescriber',
    service,
    letter,
  });
}

export function registerMedicineAlertRoutes(app: FastifyInstance, { db }: Deps) {
  app.post(
    '/episodes/:id/medicine-alerts/:alertId/acknowledge',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const user = staffOf(request);
      const episode = await serviceEpisode(db, user, param(request, 'id'));
      const alertId = param(request, 'alertId');
      const alert = await repo.findAlert(db, episode.id, alertId);
      if (!alert) throw notFound('Alert not found');
      if (await repo.acknowledgeAlert(db, episode.id, alertId, user.id)) {
        await audit(
          db,
          user,
          { action: 'update', entityType: 'medicine_alert', entityId: alertId, detail: 'acknowledged' },
          request.id,
        );
        setFlash(reply, 'The alert has been acknowledged. Make sure the prescriber has the letter.');
      }
      return reply.redirect(medicinesHref(episode), 303);
    },
  );

  app.get(
    '/episodes/:id/medicine-alerts/:alertId/letter',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const user = staffOf(request);
      const episode = await serviceEpisode(db, user, param(request, 'id'));
      return letterPage(db, reply, {
        user,
        episode,
        alertId: param(request, 'alertId'),
        today: app.clock.today(),
        requestId: request.id,
      });
    },
  );
}
