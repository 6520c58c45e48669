import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { ROLES } from '../../platform/roles.ts';
import { CHECK, contentsItems, MODULE_PATH, PAGES, pagerFor } from './vba-pages.ts';
import { moduleStatus } from './vba-training.service.ts';

// The Very Brief Advice module's reading pages: a start page with where the member of staff stands, then
// one page per topic. Any signed-in member of staff may read them and take the check; it is written for
// referrers in community organisations. The pages show no one's record but the reader's own.

type Deps = { db: Database };
/** Every signed-in member of staff: the training is for anyone who may talk to someone about smoking. */
export const STAFF = ROLES;
const V = (name: string) => `vba-training/views/${name}.njk`;

export function registerVbaModuleRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(MODULE_PATH, { config: { access: STAFF } }, async (request, reply) => {
    const user = staffOf(request);
    return reply.page(V('start'), {
      title: 'Very Brief Advice on smoking',
      status: await moduleStatus(db, user, app.clock.today()),
      contents: contentsItems(''),
      firstHref: `${MODULE_PATH}/${PAGES[0]!.slug}`,
      checkHref: `${MODULE_PATH}/${CHECK.slug}`,
      isReferrer: user.role === 'referrer',
    });
  });

  for (const p of PAGES) {
    app.get(`${MODULE_PATH}/${p.slug}`, { config: { access: STAFF } }, async (request, reply) =>
      reply.page(V(p.slug), {
        title: p.title,
        contents: contentsItems(p.slug),
        pager: pagerFor(p.slug),
        isReferrer: staffOf(request).role === 'referrer',
      }),
    );
  }
}
