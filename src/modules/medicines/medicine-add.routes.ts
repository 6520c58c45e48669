import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { ROLE_LABELS, type StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { londonDate } from '../../platform/clock.ts';
import { optionsOf } from '../../platform/forms.ts';
import { findEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { type Executor } from '../../db/database.ts';
import * as repo from './medicines.repository.ts';
import { AddMedicineSchema, PRESCRIBER_KINDS } from './medicines.schemas.ts';
import { alertView, listByCode, prescriberLabel } from './medicines.section.ts';
import { addedMessage, confirmItems } from './medicine-add.view.ts';
import { MEDICINE_CONCERNS, prescriberLetter } from './medicines.ts';
import { addMedicine, serviceLetterhead } from './medicines.service.ts';

// A person's medicines on their episode, the alerts raised for them, and letters to the prescriber (the note
// to their therapist or GP is in clinician-notes). Every route finds the episode through the service's scope
// first, so another service's episode or alert is "not found", never shown.

const SERVICE = ['adviser', 'service_manager'] as const;
const V = (name: string) => `medicines/views/${name}.njk`;
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';

type Deps = { db: Database };

async function scopedEpisode(
  db: Executor,
  request: FastifyRequest,
): Promise<{ user: StaffUser; episode: EpisodeRow }> {
  const user = staffOf(request);
  const episode = await findEpisode(db, serviceScope(user), param(request, 'id'));
  if (!episode) throw notFound('Episode not found');
  return { user, episode };
}

const personName = (e: EpisodeRow) => `${e.given_name} ${e.family_name}`;
const episodeHref = (e: EpisodeRow) => `/episodes/${e.id}`;

export function registerMedicinesRoutes(app: FastifyInstance, { db }: Deps) {
  // Adding a medicine ------------------------------------------------------------------------------

  type Check = { name: string; suggestions: string[] };

  async function addPage(
    reply: FastifyReply,
    episode: EpisodeRow,
    values: Record<string, string> = {},
    errors?: FormErrors,
    check?: Check,
  ) {
    const list = await repo.activeAffectedMedicines(db);
    if (errors) reply.code(400);
    return reply.page(V('medicine-add'), {
      title: check
        ? `Check the name of the medicine ${episode.given_name} takes`
        : `Add a medicine ${episode.given_name} takes`,
      backHref: `${episodeHref(episode)}#medicines`,
      episode,
      values,
      errors,
      prescriberItems: optionsOf(PRESCRIBER_KINDS, values.prescriberKind),
      list: list.map((m) => ({ ...m, concernLabel: MEDICINE_CONCERNS[m.concern] })),
      check: check && { name: check.name, items: confirmItems(check, list, values.confirm) },
    });
  }

  app.get('/episodes/:id/medicines', { config: { access: SERVICE } }, async (request, reply) => {
    const { user, episode } = await scopedEpisode(db, request);
    await audit(
      db,
      user,
      { action: 'view', entityType: 'episode', entityId: episode.id, detail: 'add a medicine' },
      request.id,
    );
    return addPage(reply, episode);
  });

  app.post('/episodes/:id/medicines', { config: { access: SERVICE } }, async (request, reply) => {
    const { user, episode } = await scopedEpisode(db, request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = AddMedicineSchema.safeParse(body);
    if (!parsed.success)
      return addPage(reply, episode, values, formErrors(parsed.error, { prescriberKind: 'prescriberKind' }));
    const { name } = parsed.data;

    const result = await addMedicine(db, user, episode, parsed.data, body, request.id);

    if (result.kind === 'ask') {
      const asked = { ...values, checkedName: name };
      const errors = result.error ? mergeErrors(undefined, 'confirm', result.error) : undefined;
      return addPage(reply, episode, asked, errors, { name, suggestions: result.suggestions });
    }
    setFlash(reply, addedMessage(name, result));
    return reply.redirect(`${episodeHref(episode)}#medicines`, 303);
  });

  app.post(
    '/episodes/:id/medicines/:medicineId/stop',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const { user, episode } = await scopedEpisode(db, request);
      const medicineId = param(request, 'medicineId');
      const name = await repo.stopEpisodeMedicine(db, episode.id, medicineId);
      if (name === undefined) throw notFound('Medicine not found');
      await audit(
        db,
        user,
        { action: 'update', entityType: 'episode_medicine', entityId: medicineId, detail: 'marked stopped' },
        request.id,
      );
      setFlash(reply, `${name} has been marked as stopped`);
      return reply.redirect(`${episodeHref(episode)}#medicines`, 303);
    },
  );

  // Alerts and letters ----------------------------------------------------------------------------

  app.post(
    '/episodes/:id/medicine-alerts/:alertId/acknowledge',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const { user, episode } = await scopedEpisode(db, request);
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
      return reply.redirect(`${episodeHref(episode)}#medicines`, 303);
    },
  );

  app.get(
    '/episodes/:id/medicine-alerts/:alertId/letter',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const { user, episode } = await scopedEpisode(db, request);
      const alertId = param(request, 'alertId');
      const [alert, byCode, service] = await Promise.all([
        repo.findAlert(db, episode.id, alertId),
        listByCode(db),
        serviceLetterhead(db, episode.service_organisation_id),
      ]);
      const medicine = alert ? byCode.get(alert.medicine_code) : undefined;
      if (!alert || !medicine) throw notFound('Alert not found');
      const today = app.clock.today();
      const letter = prescriberLetter({
        person: {
          name: personName(episode),
          dateOfBirth: episode.date_of_birth,
          nhsNumber: episode.nhs_number,
        },
        medicine,
        event: alert.trigger,
        quitDate: episode.quit_date ?? londonDate(new Date(alert.raised_at)),
        service,
        adviser: { name: user.name, role: ROLE_LABELS[user.role] },
        prescriberName: alert.prescriber_name,
        today,
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
        request.id,
      );
      return reply.header('Cache-Control', 'no-store').page(V('prescriber-letter'), {
        title: `Letter to the prescriber about ${medicine.name.toLowerCase()}`,
        backHref: `${episodeHref(episode)}#medicines`,
        episode,
        alert: alertView(episode.id, alert, medicine),
        recipient: alert.prescriber_kind
          ? prescriberLabel(alert.prescriber_kind, alert.prescriber_name)
          : 'The prescriber',
        service,
        letter,
      });
    },
  );
}
