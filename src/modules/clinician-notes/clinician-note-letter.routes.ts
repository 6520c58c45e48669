import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { buildLetter, letterFileName } from '../../platform/letter.ts';
import { serviceScope } from '../../platform/scope.ts';
import { checkSecureAddress } from '../../platform/secure-email.ts';
import { findEpisode } from '../episodes/episode.service.ts';
import { serviceLetterhead } from '../medicines/medicines.service.ts';
import { requestLetterDelivery } from '../letters/letter-delivery.service.ts';
import { checkSendForm, letterSendSection, replyWithPdf } from '../letters/letter-send.section.ts';
import { findClinicianNote } from './clinician-note.service.ts';

// A saved note to the person's therapist or GP: the page (printed), its PDF, and sending it by secure
// email. The note's words are those saved; every route finds the episode through the service's scope
// first, so another service's note is "not found", never shown or sent.

const SERVICE = ['adviser', 'service_manager'] as const;
const BASE = '/episodes/:id/clinician-notes/:noteId';
const VIEW = 'clinician-notes/views/clinician-note.njk';
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';

type Deps = { db: Database; config: Config };
type Form = { values?: { email?: string }; errors?: FormErrors };

/** Finds the note through the service's scope and audits what is done with it. */
async function load(db: Database, request: FastifyRequest, action: 'view' | 'export', detail?: string) {
  const user = staffOf(request);
  const episode = await findEpisode(db, serviceScope(user), param(request, 'id'));
  const note = episode ? await findClinicianNote(db, episode.id, param(request, 'noteId')) : undefined;
  if (!episode || !note) throw notFound('Note not found');
  await audit(db, user, { action, entityType: 'clinician_note', entityId: note.id, detail }, request.id);
  const service = await serviceLetterhead(db, episode.service_organisation_id);
  const letter = buildLetter({
    title: `Note to ${note.recipient}`,
    from: service,
    to: note.recipient,
    body: note.body,
  });
  return { user, episode, note, letter, href: `/episodes/${episode.id}/clinician-notes/${note.id}` };
}

export function registerClinicianNoteLetterRoutes(app: FastifyInstance, { db, config }: Deps) {
  const page = async (request: FastifyRequest, reply: FastifyReply, form: Form = {}) => {
    const { episode, note, letter, href } = await load(db, request, 'view');
    const contact = checkSecureAddress(episode.clinician_contact ?? '', config.letters.secureDomains);
    if (form.errors) reply.code(400);
    return reply.header('Cache-Control', 'no-store').page(VIEW, {
      title: letter.title,
      backHref: `/episodes/${episode.id}/clinician-note`,
      episode,
      saved: note,
      letter,
      errors: form.errors,
      send: await letterSendSection(db, {
        episodeId: episode.id,
        source: { clinicianNoteId: note.id },
        pdfHref: `${href}/pdf`,
        action: `${href}/send`,
        title: letter.title,
        config: config.letters,
        values: form.values ?? { email: contact.ok ? contact.address : '' },
        ...(form.errors ? { errors: form.errors } : {}),
      }),
    });
  };

  app.get(BASE, { config: { access: SERVICE } }, (request, reply) => page(request, reply));

  app.get(`${BASE}/pdf`, { config: { access: SERVICE } }, async (request, reply) => {
    const { note, letter } = await load(db, request, 'export', 'note downloaded as a PDF');
    return replyWithPdf(reply, letterFileName('note', note.id), letter);
  });

  app.post(`${BASE}/send`, { config: { access: SERVICE } }, async (request, reply) => {
    const checked = checkSendForm(request.body, config.letters);
    if (!checked.ok) return page(request, reply, checked);
    const { user, episode, note, letter, href } = await load(db, request, 'export', 'note to be sent');
    await requestLetterDelivery(db, user, {
      episodeId: episode.id,
      source: { clinicianNoteId: note.id },
      kind: 'clinician_note',
      recipientEmail: checked.address,
      letter,
      now: app.clock.now(),
      requestId: request.id,
    });
    setFlash(reply, `The note is being sent to ${checked.address}. Its progress is shown below.`);
    return reply.redirect(href, 303);
  });
}
