import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Executor } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import type { IsoDate } from '../../platform/dates.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { serviceScope } from '../../platform/scope.ts';
import { findEpisode, type EpisodeRow } from '../episodes/episode.service.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { clinicianNote, clinicianRecipient } from './clinician-note.ts';
import { ClinicianConsentSchema } from './clinician-note.schemas.ts';
import {
  clinicianNoteInput,
  listClinicianNotes,
  recordClinicianConsent,
  saveClinicianNote,
} from './clinician-note.service.ts';

// The note back to the person's therapist or GP, and their consent to it (a saved note's page, PDF and
// sending: clinician-note-letter.routes.ts). Every route finds the episode through the service's scope
// first, so another service's episode or note is "not found", never shown.

const SERVICE = ['adviser', 'service_manager'] as const;
const VIEW = 'clinician-notes/views/clinician-note.njk';
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';

type Deps = { db: Database };
type Scoped = { user: StaffUser; episode: EpisodeRow };
type NotePage = { values?: Record<string, string>; errors?: FormErrors; status?: number };

async function scopedEpisode(db: Executor, request: FastifyRequest): Promise<Scoped> {
  const user = staffOf(request);
  const episode = await findEpisode(db, serviceScope(user), param(request, 'id'));
  if (!episode) throw notFound('Episode not found');
  return { user, episode };
}

const episodeHref = (e: EpisodeRow) => `/episodes/${e.id}`;

/** The note page: the consent form, a preview of the note once it may be sent, and the notes saved. */
async function notePage(
  db: Database,
  today: IsoDate,
  reply: FastifyReply,
  { user, episode }: Scoped,
  f: NotePage = {},
) {
  const notes = await listClinicianNotes(db, episode.id);
  const canSend = episode.consent_share_with_clinician && !!episode.clinician_name;
  const preview = canSend ? clinicianNote(await clinicianNoteInput(db, episode, user, today)) : null;
  const values = f.values ?? {
    consent: episode.consent_share_with_clinician ? 'yes' : episode.clinician_name ? 'no' : '',
    clinicianName: episode.clinician_name ?? '',
    clinicianOrganisation: episode.clinician_organisation ?? '',
    clinicianContact: episode.clinician_contact ?? '',
  };
  if (f.status) reply.code(f.status);
  else if (f.errors) reply.code(400);
  return reply.page(VIEW, {
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

/** Saves the note, once they agree to it and their clinician is known; otherwise says what is missing. */
async function saveNote(
  db: Database,
  today: IsoDate,
  reply: FastifyReply,
  scoped: Scoped,
  requestId: string,
) {
  const { user, episode } = scoped;
  if (!episode.consent_share_with_clinician || !episode.clinician_name) {
    return notePage(db, today, reply, scoped, {
      errors: mergeErrors(
        undefined,
        'consent',
        'The note cannot be sent: record that they agree to us sharing their progress, and who their clinician is, first',
      ),
    });
  }
  const note = await saveClinicianNote(db, user, episode, today, requestId);
  setFlash(
    reply,
    `The note to ${note.recipient} has been saved. Print it, download it or send it by secure email.`,
  );
  return reply.redirect(`${episodeHref(episode)}/clinician-notes/${note.id}`, 303);
}

export function registerClinicianNoteRoutes(app: FastifyInstance, { db }: Deps) {
  const page = (reply: FastifyReply, scoped: Scoped, f?: NotePage) =>
    notePage(db, app.clock.today(), reply, scoped, f);

  app.get('/episodes/:id/clinician-note', { config: { access: SERVICE } }, async (request, reply) => {
    const scoped = await scopedEpisode(db, request);
    await audit(
      db,
      scoped.user,
      { action: 'view', entityType: 'episode', entityId: scoped.episode.id, detail: 'note to clinician' },
      request.id,
    );
    return page(reply, scoped);
  });

  app.post('/episodes/:id/clinician-note', { config: { access: SERVICE } }, async (request, reply) => {
    const scoped = await scopedEpisode(db, request);
    const { user, episode } = scoped;
    const body = bodyOf(request.body);

    if (body.action === 'note') return saveNote(db, app.clock.today(), reply, scoped, request.id);

    const values = keptValues(body);
    const parsed = ClinicianConsentSchema.safeParse(body);
    if (!parsed.success)
      return page(reply, scoped, { values, errors: formErrors(parsed.error, { consent: 'consent' }) });
    await recordClinicianConsent(db, user, episode, parsed.data, request.id);
    setFlash(
      reply,
      parsed.data.consent === 'yes'
        ? 'Their agreement and their clinician’s details have been saved'
        : 'Saved: no note will be sent to their clinician',
    );
    return reply.redirect(`${episodeHref(episode)}/clinician-note`, 303);
  });
}
