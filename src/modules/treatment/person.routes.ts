// The people the service supports: adding someone met directly (not referred), which starts their first
// episode, and a person's page with their episodes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { staffOf } from '../../platform/access.ts';
import { formErrors, optionsOf } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import {
  formTokenFor,
  makeOnce,
  newFormToken,
  sentBefore,
  submittedFormToken,
} from '../../platform/form-tokens.ts';
import type { PostcodeLookup } from '../../platform/postcode-lookup.ts';
import { formValues } from '../referrals/referral-form.ts';
import { IN_TALKING_THERAPIES } from '../referrals/referral.codes.ts';
import { EPISODE_MENTAL_HEALTH, newPersonSchema } from '../episodes/episode.schemas.ts';
import { startEpisodeForNewPerson, viewPerson } from '../episodes/episode.service.ts';
import { restartFromForPerson } from '../episodes/relapse.service.ts';
import { OUTCOME_LABELS, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { bodyOf, config, idOf, type Values } from './treatment-page.routes.ts';

type Deps = { db: Database; postcodes: PostcodeLookup };

const personForm = (values: Values) => ({
  mentalHealth: optionsOf(EPISODE_MENTAL_HEALTH, values.mentalHealth as string | undefined),
  inTalkingTherapies: optionsOf(IN_TALKING_THERAPIES, values.inTalkingTherapies as string | undefined),
});

export function registerPersonRoutes(app: FastifyInstance, deps: Deps) {
  app.get('/people/new', { config }, async (_request, reply) =>
    reply.page('treatment/views/person-new.njk', {
      title: 'Add someone you are supporting',
      values: {},
      options: personForm({}),
      backHref: '/episodes',
      formToken: newFormToken(),
    }),
  );

  app.post('/people', { config }, async (request, reply) =>
    addPerson(deps, request, reply, app.clock.today()),
  );

  app.get('/people/:id', { config }, async (request, reply) => {
    const user = staffOf(request);
    const { person, episodes } = await viewPerson(deps.db, user, idOf(request), request.id);
    return reply.page('treatment/views/person.njk', {
      title: `${person.given_name} ${person.family_name}`,
      person,
      restartFrom: await restartFromForPerson(deps.db, user, person.id),
      backHref: '/episodes',
      episodes: episodes.map((e, i) => ({
        ...e,
        number: i + 1,
        outcomeLabel: e.outcome ? OUTCOME_LABELS[e.outcome as FourWeekOutcome] : null,
      })),
    });
  });
}

/** Adds someone met directly and starts their episode; the form comes back with its mistakes. */
async function addPerson(deps: Deps, request: FastifyRequest, reply: FastifyReply, today: IsoDate) {
  const { db } = deps;
  const user = staffOf(request);
  const body = bodyOf(request);
  const values = formValues(body);
  // The same form sent twice starts one episode: the repeat goes where the first went.
  const claim = { form: 'person', token: submittedFormToken(body), userId: user.id };
  const first = await sentBefore(db, claim);
  if (first) return reply.redirect(first.location, 303);
  const parsed = newPersonSchema(today).safeParse({
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
    const { episodeId } = await startEpisodeForNewPerson(trx, user, parsed.data, {
      localAuthorityCode: found?.localAuthorityCode ?? user.localAuthorityCode,
      startedOn: today,
      requestId: request.id,
    });
    return { location: `/episodes/${episodeId}`, value: null };
  });
  return reply.redirect(done.location, 303);
}
