import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { EDIT, idParam, ownScope } from './partner.routes.ts';
import type { PartnerRow } from './partner.repository.ts';
import { ContactSchema, type ContactInput } from './partner.schemas.ts';
import { addContact, changeContact, getContact, getPartner, removeContact } from './partner.service.ts';

// A partner's named contacts: the people the commissioner works with there. Only the authority's
// commissioner adds, changes or removes them; everyone who may read the partner sees them on its page.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;

type Contact = Awaited<ReturnType<typeof getContact>>;

function contactForm(
  reply: FastifyReply,
  p: PartnerRow,
  f: { contactId?: string; values: Record<string, string>; errors?: FormErrors },
) {
  if (f.errors) reply.code(400);
  return reply.page(V('contact-form'), {
    title: f.contactId ? `Change a contact at ${p.name}` : `Add a contact at ${p.name}`,
    backHref: `/partners/${p.id}#contacts`,
    action: f.contactId ? `/partners/${p.id}/contacts/${f.contactId}/edit` : `/partners/${p.id}/contacts`,
    partner: p,
    values: f.values,
    errors: f.errors,
  });
}

/** The form's values for a contact being changed. */
const valuesOf = (c: Contact) => ({
  contactName: c.name,
  contactRole: c.role ?? '',
  email: c.email ?? '',
  phone: c.phone ?? '',
  isPrimary: c.is_primary ? 'yes' : '',
});

/** Adding and changing a contact read the same form; `save` stores it once it reads and names the flash. */
async function submitContact(
  request: FastifyRequest,
  reply: FastifyReply,
  form: { partner: PartnerRow; contactId?: string },
  save: (input: ContactInput) => Promise<string>,
) {
  const body = bodyOf(request.body);
  const parsed = ContactSchema.safeParse(body);
  if (!parsed.success)
    return contactForm(reply, form.partner, {
      contactId: form.contactId,
      values: keptValues(body),
      errors: formErrors(parsed.error),
    });
  setFlash(reply, await save(parsed.data));
  return reply.redirect(`/partners/${form.partner.id}#contacts`, 303);
}

/** The partner and contact the path names, within the commissioner's own authority. */
async function ownContact(db: Database, request: FastifyRequest) {
  const own = ownScope(request);
  const p = await getPartner(db, own.scope, idParam(request));
  return { own, p, c: await getContact(db, p.id, idParam(request, 'contactId')) };
}

export function registerPartnerContactRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/partners/:id/contacts/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return contactForm(reply, p, { values: {} });
  });

  app.post('/partners/:id/contacts', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    return submitContact(request, reply, { partner: p }, async (input) => {
      await addContact(db, own, p.id, input);
      return `${input.contactName} has been added as a contact`;
    });
  });

  app.get('/partners/:id/contacts/:contactId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { p, c } = await ownContact(db, request);
    return contactForm(reply, p, { contactId: c.id, values: valuesOf(c) });
  });

  app.post('/partners/:id/contacts/:contactId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { own, p, c } = await ownContact(db, request);
    return submitContact(request, reply, { partner: p, contactId: c.id }, async (input) => {
      await changeContact(db, own, p.id, c.id, input);
      return `The details of ${input.contactName} have been saved`;
    });
  });

  app.get(
    '/partners/:id/contacts/:contactId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const { p, c } = await ownContact(db, request);
      return reply.page(V('confirm-remove'), {
        title: `Remove ${c.name} as a contact at ${p.name}?`,
        backHref: `/partners/${p.id}#contacts`,
        action: `/partners/${p.id}/contacts/${c.id}/remove`,
        explanation: 'Their name and contact details will no longer be kept in Mortar.',
        buttonText: 'Remove this contact',
        cancelHref: `/partners/${p.id}#contacts`,
      });
    },
  );

  app.post(
    '/partners/:id/contacts/:contactId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const { own, p, c } = await ownContact(db, request);
      if (await removeContact(db, own, p.id, c.id))
        setFlash(reply, `${c.name} has been removed as a contact`);
      return reply.redirect(`/partners/${p.id}#contacts`, 303);
    },
  );
}
