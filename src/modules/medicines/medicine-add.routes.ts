import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, optionsOf, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import * as repo from './medicines.repository.ts';
import { AddMedicineSchema, PRESCRIBER_KINDS } from './medicines.schemas.ts';
import { addedMessage, confirmItems } from './medicine-add.view.ts';
import { MEDICINE_CONCERNS } from './medicines.ts';
import { addMedicine, serviceEpisode } from './medicines.service.ts';

// Adding the medicines a person takes to their episode, and marking one stopped. Every route finds the
// episode through the service's scope first, so another service's episode is "not found", never shown.

const SERVICE = ['adviser', 'service_manager'] as const;
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';
const medicinesHref = (e: EpisodeRow) => `/episodes/${e.id}#medicines`;

type Deps = { db: Database };
type Check = { name: string; suggestions: string[] };

/** The add page; with `check`, it asks which medicine on the list a name it did not recognise is. */
async function addPage(
  db: Database,
  reply: FastifyReply,
  episode: EpisodeRow,
  f: { values?: Record<string, string>; errors?: FormErrors; check?: Check } = {},
) {
  const { values = {}, errors, check } = f;
  const list = await repo.activeAffectedMedicines(db);
  if (errors) reply.code(400);
  return reply.page('medicines/views/medicine-add.njk', {
    title: check
      ? `Check the name of the medicine ${episode.given_name} takes`
      : `Add a medicine ${episode.given_name} takes`,
    backHref: medicinesHref(episode),
    episode,
    values,
    errors,
    prescriberItems: optionsOf(PRESCRIBER_KINDS, values.prescriberKind),
    list: list.map((m) => ({ ...m, concernLabel: MEDICINE_CONCERNS[m.concern] })),
    check: check && { name: check.name, items: confirmItems(check, list, values.confirm) },
  });
}

export function registerMedicineAddRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/episodes/:id/medicines', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const episode = await serviceEpisode(db, user, param(request, 'id'));
    await audit(
      db,
      user,
      { action: 'view', entityType: 'episode', entityId: episode.id, detail: 'add a medicine' },
      request.id,
    );
    return addPage(db, reply, episode);
  });

  app.post('/episodes/:id/medicines', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const episode = await serviceEpisode(db, user, param(request, 'id'));
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = AddMedicineSchema.safeParse(body);
    if (!parsed.success) {
      const errors = formErrors(parsed.error, { prescriberKind: 'prescriberKind' });
      return addPage(db, reply, episode, { values, errors });
    }
    const { name } = parsed.data;

    const result = await addMedicine(db, user, episode, parsed.data, body, request.id);

    if (result.kind === 'ask') {
      const asked = { ...values, checkedName: name };
      const errors = result.error ? mergeErrors(undefined, 'confirm', result.error) : undefined;
      return addPage(db, reply, episode, {
        values: asked,
        errors,
        check: { name, suggestions: result.suggestions },
      });
    }
    setFlash(reply, addedMessage(name, result));
    return reply.redirect(medicinesHref(episode), 303);
  });

  app.post(
    '/episodes/:id/medicines/:medicineId/stop',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const user = staffOf(request);
      const episode = await serviceEpisode(db, user, param(request, 'id'));
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
      return reply.redirect(medicinesHref(episode), 303);
    },
  );
}
