// The episode: starting treatment from an accepted referral, and the episode page, which brings together
// treatment, mood, medicines and the notes to the person's clinician.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { labelOf } from '../../platform/forms.ts';
import { IN_TALKING_THERAPIES } from '../referrals/referral.codes.ts';
import { EPISODE_MENTAL_HEALTH } from '../episodes/episode.schemas.ts';
import {
  episodePhase,
  PHASE_LABELS,
  startEpisodeFromReferral,
  viewEpisode,
} from '../episodes/episode.service.ts';
import { moodSection } from '../mood/mood.section.ts';
import { medicinesSection } from '../medicines/medicines.section.ts';
import { clinicianNotesSection } from '../clinician-notes/clinician-note.section.ts';
import { treatmentSection } from './treatment.section.ts';
import { config, idOf } from './treatment-page.routes.ts';
import { handoversOf, RECEIVING_WORDS } from './handover.service.ts';
import { deliveryRouteOf } from '../organisations/delivery-route.ts';
import { handoverRefusal, receivingRoute } from '../episodes/route-move.ts';
import { relapseLinks, restartRefusalFor } from '../episodes/relapse.service.ts';
import { messagesSection } from '../messages/messages.section.ts';

export function registerEpisodeRoutes(app: FastifyInstance, deps: { db: Database; config: Config }) {
  const { db } = deps;

  app.post('/worklist/:id/start-treatment', { config }, async (request, reply) => {
    const { episodeId } = await startEpisodeFromReferral(db, staffOf(request), idOf(request), {
      startedOn: app.clock.today(),
      requestId: request.id,
    });
    return reply.redirect(`/episodes/${episodeId}`, 303);
  });

  app.get('/episodes/:id', { config }, async (request, reply) => {
    const user = staffOf(request);
    const episode = await viewEpisode(db, user, idOf(request), request.id);
    const [treatment, mood, medicines, clinicianNotes, handovers, relapse, restartRefusal, messages] =
      await Promise.all([
        treatmentSection(db, episode, app.clock.today()),
        moodSection(db, episode, deps.config),
        medicinesSection(db, episode),
        clinicianNotesSection(db, episode),
        handoversOf(db, episode.id),
        relapseLinks(db, episode.id),
        restartRefusalFor(db, user, episode),
        messagesSection(db, episode),
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
      messages,
      handovers,
      relapse,
      canStartAgain: restartRefusal === null,
      handoverTo: RECEIVING_WORDS[receivingRoute(deliveryRouteOf(user.organisationType))],
      // The link shows while a handover is open; the page says why when the rule refuses one.
      canHandOver:
        handoverRefusal(
          {
            quitDate: episode.quit_date,
            outcomeKnown: episode.four_week_outcome !== null,
            closed: episode.closed_at !== null,
          },
          app.clock.today(),
        ) === null,
    });
  });
}
