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
import {
  clinicianNote,
  clinicianRecipient,
  type ClinicianNoteInput,
} from '../clinician-notes/clinician-note.ts';
import { findEpisode, type EpisodeRow } from '../episodes/episode.repository.ts';
import { type Executor } from '../../db/database.ts';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { alertForNewMedicine } from './medicine-alerts.service.ts';
import * as repo from './medicines.repository.ts';
import { AddMedicineSchema, ClinicianConsentSchema, PRESCRIBER_KINDS } from './medicines.schemas.ts';
import { alertView, listByCode, prescriberLabel } from './medicines.section.ts';
import { decideMedicineName } from './medicine-names.ts';
import { addedMessage, confirmItems } from './medicine-add.view.ts';
import { matchMedicines, MEDICINE_CONCERNS, prescriberLetter } from './medicines.ts';
import type { MoodScores } from '../mood/mood.ts';

// A person's medicines on their episode, the alerts raised for them, letters to the prescriber, and the
// note back to their therapist or GP. Every route finds the episode through the service's scope first, so
// another service's episode, alert or note is "not found", never shown.

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

/** The service's letterhead: its name, how to reach it, and its first site's address. */
async function serviceDetails(db: Executor, organisationId: string) {
  const [org, site] = await Promise.all([
    db
      .selectFrom('organisations')
      .select(['name', 'phone', 'email'])
      .where('id', '=', organisationId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sites')
      .select(['name', 'address', 'postcode'])
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .executeTakeFirst(),
  ]);
  return { ...org, address: site ? [site.address, site.postcode].filter(Boolean).join(', ') : null };
}

/** What the note to the person's clinician says, loaded for one episode. */
async function clinicianNoteInput(
  db: Executor,
  episode: EpisodeRow,
  user: StaffUser,
  today: string,
): Promise<ClinicianNoteInput> {
  const [service, sessions, measures, alerts, byCode] = await Promise.all([
    serviceDetails(db, episode.service_organisation_id),
    db
      .selectFrom('episode_sessions')
      .select(['attended'])
      .where('episode_id', '=', episode.id)
      .where('attended', 'is not', null)
      .execute(),
    db
      .selectFrom('mood_measures')
      .select(['instrument', 'total', 'taken_on'])
      .where('episode_id', '=', episode.id)
      .orderBy('taken_on')
      .orderBy('recorded_at')
      .execute(),
    repo.listAlerts(db, episode.id),
    listByCode(db),
  ]);
  const firstAndLatest = (instrument: 'phq9' | 'gad7') => {
    const of = measures.filter((m) => m.instrument === instrument);
    return { first: of[0], latest: of.length > 1 ? of[of.length - 1] : undefined };
  };
  const phq9 = firstAndLatest('phq9');
  const gad7 = firstAndLatest('gad7');
  const baseline: MoodScores = { phq9: phq9.first?.total ?? null, gad7: gad7.first?.total ?? null };
  const latest: MoodScores = { phq9: phq9.latest?.total ?? null, gad7: gad7.latest?.total ?? null };
  const dates = (xs: (string | undefined)[]) => xs.filter((d): d is string => d !== undefined).sort();
  return {
    person: { name: personName(episode), dateOfBirth: episode.date_of_birth, nhsNumber: episode.nhs_number },
    clinician: { name: episode.clinician_name ?? '', organisation: episode.clinician_organisation },
    service,
    adviser: { name: user.name },
    quitDate: episode.quit_date,
    sessions: {
      attended: sessions.filter((s) => s.attended).length,
      missed: sessions.filter((s) => s.attended === false).length,
    },
    fourWeekOutcome: (episode.four_week_outcome as FourWeekOutcome | null) ?? null,
    mood: measures.length
      ? {
          baseline,
          latest,
          baselineOn: dates([phq9.first?.taken_on, gad7.first?.taken_on])[0] ?? null,
          latestOn: dates([phq9.latest?.taken_on, gad7.latest?.taken_on]).at(-1) ?? null,
        }
      : null,
    medicineAlerts: [...alerts].reverse().map((a) => ({
      name: byCode.get(a.medicine_code)?.name ?? a.medicine_code,
      event: a.trigger,
      direction: a.direction,
      raisedOn: londonDate(a.raised_at),
      acknowledged: a.acknowledged_at !== null,
      letterProducedOn: a.letter_produced_at ? londonDate(a.letter_produced_at) : null,
    })),
    today,
  };
}

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
    const { name, prescriberKind, prescriberName } = parsed.data;

    const result = await db.transaction().execute(async (trx) => {
      const list = await repo.activeAffectedMedicines(trx);
      const decision = decideMedicineName(name, list, body);
      if (decision.kind === 'ask') return decision;
      const listed = matchMedicines([{ code: decision.code, name }], list).map((m) => m.medicine);
      const id = await repo.insertEpisodeMedicine(trx, {
        episodeId: episode.id,
        name,
        medicineCode: decision.code,
        prescriberKind,
        prescriberName: prescriberName ?? null,
        userId: user.id,
        nameCheck: decision.nameCheck,
      });
      const onList = listed.length
        ? `on the list: ${listed.map((m) => m.code).join(', ')}`
        : 'not on the list';
      await audit(
        trx,
        user,
        {
          action: 'create',
          entityType: 'episode_medicine',
          entityId: id,
          detail: `${onList}; name: ${decision.nameCheck}`,
        },
        request.id,
      );
      const raised = listed.length ? await alertForNewMedicine(trx, episode, id, user.id) : 0;
      return { ...decision, listed, raised };
    });

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
        serviceDetails(db, episode.service_organisation_id),
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

  // The note back to their therapist or GP --------------------------------------------------------

  type NotePage = { values?: Record<string, string>; errors?: FormErrors; status?: number };

  async function notePage(reply: FastifyReply, user: StaffUser, episode: EpisodeRow, f: NotePage = {}) {
    const notes = await repo.listClinicianNotes(db, episode.id);
    const canSend = episode.consent_share_with_clinician && !!episode.clinician_name;
    const preview = canSend
      ? clinicianNote(await clinicianNoteInput(db, episode, user, app.clock.today()))
      : null;
    const values = f.values ?? {
      consent: episode.consent_share_with_clinician ? 'yes' : episode.clinician_name ? 'no' : '',
      clinicianName: episode.clinician_name ?? '',
      clinicianOrganisation: episode.clinician_organisation ?? '',
      clinicianContact: episode.clinician_contact ?? '',
    };
    if (f.status) reply.code(f.status);
    else if (f.errors) reply.code(400);
    return reply.page('clinician-notes/views/clinician-note.njk', {
      title: `Note to ${episode.given_name}'s therapist or GP`,
      backHref: `${episodeHref(episode)}#medicines`,
      episode,
      canSend,
      preview,
      recipient: canSend
        ? clinicianRecipient({
            name: episode.clinician_name ?? '',
            organisation: episode.clinician_organisation,
          })
        : null,
      notes,
      values,
      errors: f.errors,
      consentItems: [
        { value: 'yes', text: 'Yes, they agree', checked: values.consent === 'yes' },
        { value: 'no', text: 'No, or they have not been asked', checked: values.consent === 'no' },
      ],
    });
  }

  app.get('/episodes/:id/clinician-note', { config: { access: SERVICE } }, async (request, reply) => {
    const { user, episode } = await scopedEpisode(db, request);
    await audit(
      db,
      user,
      { action: 'view', entityType: 'episode', entityId: episode.id, detail: 'note to clinician' },
      request.id,
    );
    return notePage(reply, user, episode);
  });

  app.post('/episodes/:id/clinician-note', { config: { access: SERVICE } }, async (request, reply) => {
    const { user, episode } = await scopedEpisode(db, request);
    const body = bodyOf(request.body);

    if (body.action === 'note') {
      if (!episode.consent_share_with_clinician || !episode.clinician_name) {
        return notePage(reply, user, episode, {
          errors: mergeErrors(
            undefined,
            'consent',
            'The note cannot be sent: record that they agree to us sharing their progress, and who their clinician is, first',
          ),
        });
      }
      const input = await clinicianNoteInput(db, episode, user, app.clock.today());
      const recipient = clinicianRecipient(input.clinician);
      const noteId = await db.transaction().execute(async (trx) => {
        const id = await repo.insertClinicianNote(trx, episode.id, recipient, clinicianNote(input), user.id);
        await audit(trx, user, { action: 'create', entityType: 'clinician_note', entityId: id }, request.id);
        return id;
      });
      setFlash(reply, `The note to ${recipient} has been saved. Print it or copy it into a secure email.`);
      return reply.redirect(`${episodeHref(episode)}/clinician-notes/${noteId}`, 303);
    }

    const values = keptValues(body);
    const parsed = ClinicianConsentSchema.safeParse(body);
    if (!parsed.success)
      return notePage(reply, user, episode, {
        values,
        errors: formErrors(parsed.error, { consent: 'consent' }),
      });
    const c = parsed.data;
    const consent = c.consent === 'yes';
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('episodes')
        .set({
          consent_share_with_clinician: consent,
          clinician_name: c.clinicianName ?? null,
          clinician_organisation: c.clinicianOrganisation ?? null,
          clinician_contact: c.clinicianContact ?? null,
        })
        .where('id', '=', episode.id)
        .where('service_organisation_id', '=', serviceScope(user).organisationId)
        .execute();
      await audit(
        trx,
        user,
        {
          action: 'update',
          entityType: 'episode',
          entityId: episode.id,
          detail: `consent to share with clinician: ${c.consent}`,
        },
        request.id,
      );
    });
    setFlash(
      reply,
      consent
        ? 'Their agreement and their clinician’s details have been saved'
        : 'Saved: no note will be sent to their clinician',
    );
    return reply.redirect(`${episodeHref(episode)}/clinician-note`, 303);
  });

  app.get(
    '/episodes/:id/clinician-notes/:noteId',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const { user, episode } = await scopedEpisode(db, request);
      const noteId = param(request, 'noteId');
      const note = (await repo.listClinicianNotes(db, episode.id)).find((n) => n.id === noteId);
      if (!note) throw notFound('Note not found');
      await audit(db, user, { action: 'view', entityType: 'clinician_note', entityId: note.id }, request.id);
      return reply.header('Cache-Control', 'no-store').page('clinician-notes/views/clinician-note.njk', {
        title: `Note to ${note.recipient}`,
        backHref: `${episodeHref(episode)}/clinician-note`,
        episode,
        saved: note,
        service: await serviceDetails(db, episode.service_organisation_id),
      });
    },
  );
}
