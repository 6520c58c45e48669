import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { formErrors } from '../../platform/forms.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  sentBefore,
  submittedFormToken,
} from '../../platform/form-tokens.ts';
import { serviceScope } from '../../platform/scope.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { formValues } from '../referrals/referral-form.ts';
import { IN_TALKING_THERAPIES } from '../referrals/referral.codes.ts';
import { labelOf, optionsOf } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { OUTCOME_LABELS, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import * as repo from '../episodes/episode.service.ts';
import { EPISODE_MENTAL_HEALTH, newPersonSchema } from '../episodes/episode.schemas.ts';
import {
  episodePhase,
  PHASE_LABELS,
  startEpisodeForNewPerson,
  startEpisodeFromReferral,
  viewEpisode,
  viewPerson,
} from '../episodes/episode.service.ts';
import { treatmentSection } from './treatment.section.ts';
import { registerTreatmentRoutes } from './treatment.routes.ts';
import { moodSection } from '../mood/mood.section.ts';
import { medicinesSection } from '../medicines/medicines.section.ts';
import { registerMedicinesRoutes } from '../medicines/medicines.routes.ts';
import { clinicianNotesSection } from '../clinician-notes/clinician-note.section.ts';
import { registerClinicianNoteRoutes } from '../clinician-notes/clinician-note.routes.ts';
import { registerMoodRoutes } from '../mood/mood.routes.ts';

export const SERVICE = ['adviser', 'service_manager'] as const;

type Deps = { db: Database; config: Config; postcodes: PostcodeLookup };

export function registerEpisodeRoutes(app: FastifyInstance, deps: Deps) {
  const { db } = deps;
  registerTreatmentRoutes(app, deps);
  registerMedicinesRoutes(app, { db });
  registerClinicianNoteRoutes(app, { db });
  registerMoodRoutes(app, deps);

  app.post('/worklist/:id/start-treatment', { config: { access: SERVICE } }, async (request, reply) => {
    const { episodeId } = await startEpisodeFromReferral(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    return reply.redirect(`/episodes/${episodeId}`, 303);
  });

  app.get('/episodes', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const q = request.query as Record<string, unknown>;
    const includeClosed = q.show === 'all';
    const rows = await repo.caseload(db, serviceScope(user), { includeClosed });
    await auditMany(
      db,
      user,
      'list',
      'episode',
      rows.map((r) => r.id),
      request.id,
    );
    return reply.page('treatment/views/caseload.njk', {
      title: 'Caseload',
      includeClosed,
      rows: rows.map((r) => ({
        ...r,
        phase:
          PHASE_LABELS[
            episodePhase({ quit_date: r.quit_date, closed_at: r.closed_at, four_week_outcome: r.outcome })
          ],
        outcomeLabel: r.outcome ? OUTCOME_LABELS[r.outcome as FourWeekOutcome] : null,
        mentalHealthLabel: labelOf(EPISODE_MENTAL_HEALTH, r.mental_health),
      })),
    });
  });

  const personForm = (values: Record<string, unknown>) => ({
    mentalHealth: optionsOf(EPISODE_MENTAL_HEALTH, values.mentalHealth as string | undefined),
    inTalkingTherapies: optionsOf(IN_TALKING_THERAPIES, values.inTalkingTherapies as string | undefined),
  });

  app.get('/people/new', { config: { access: SERVICE } }, async (_request, reply) =>
    reply.page('treatment/views/person-new.njk', {
      title: 'Add someone you are supporting',
      values: {},
      options: personForm({}),
      backHref: '/episodes',
      formToken: newFormToken(),
    }),
  );

  app.post('/people', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    // The same form sent twice starts one episode: the repeat goes where the first went.
    const claim = { form: 'person', token: submittedFormToken(body), userId: user.id };
    const first = await sentBefore(db, claim);
    if (first) return reply.redirect(first.location, 303);
    const parsed = newPersonSchema(app.clock.today()).safeParse({
      ...body,
      dateOfBirth:
        isoDateOf(body['dateOfBirth-day'], body['dateOfBirth-month'], body['dateOfBirth-year']) ?? '',
    });
    if (!parsed.success) {
      return reply.code(400).page('treatment/views/person-new.njk', {
        title: 'Add someone you are supporting',
        values,
        options: personForm(values),
        errors: formErrors(parsed.error, {
          dateOfBirth: 'dateOfBirth-day',
          mentalHealth: 'mentalHealth',
          inTalkingTherapies: 'inTalkingTherapies',
        }),
        backHref: '/episodes',
        formToken: formTokenFor(body),
      });
    }
    const found = deps.postcodes.lookup(parsed.data.postcode);
    const done = await makeOnce(db, claim, async (trx) => {
      const { episodeId } = await startEpisodeForNewPerson(
        trx,
        user,
        parsed.data,
        found?.localAuthorityCode ?? user.localAuthorityCode,
        request.id,
      );
      return { location: `/episodes/${episodeId}`, value: null };
    });
    return reply.redirect(done.location, 303);
  });

  app.get('/people/:id', { config: { access: SERVICE } }, async (request, reply) => {
    const { person, episodes } = await viewPerson(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    return reply.page('treatment/views/person.njk', {
      title: `${person.given_name} ${person.family_name}`,
      person,
      backHref: '/episodes',
      episodes: episodes.map((e, i) => ({
        ...e,
        number: i + 1,
        outcomeLabel: e.outcome ? OUTCOME_LABELS[e.outcome as FourWeekOutcome] : null,
      })),
    });
  });

  app.get('/episodes/:id', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const episode = await viewEpisode(db, user, (request.params as { id: string }).id, request.id);
    const [treatment, mood, medicines, clinicianNotes] = await Promise.all([
      treatmentSection(db, episode, app.clock.today()),
      moodSection(db, episode, deps.config),
      medicinesSection(db, episode),
      clinicianNotesSection(db, episode),
    ]);
    return reply.page('treatment/views/episode.njk', {
      title: `${episode.given_name} ${episode.family_name}`,
      backHref: '/episodes',
      episode,
      phase: PHASE_LABELS[episodePhase(episode)],
      mentalHealthLabel: labelOf(EPISODE_MENTAL_HEALTH, episode.mental_health),
      talkingTherapiesLabel: labelOf(IN_TALKING_THERAPIES, episode.in_talking_therapies),
      treatment,
      mood,
      medicines,
      clinicianNotes,
    });
  });
}
