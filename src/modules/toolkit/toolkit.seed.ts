import type { Database } from '../../db/database.ts';
import { ADVICE_DOCUMENTS } from './toolkit-content-advice.ts';
import { TEMPLATE_DOCUMENTS } from './toolkit-content-templates.ts';

/**
 * Publishes the first version of each toolkit document the database does not have yet. Run after every
 * migration, like the medicines list: the content is the national team's once it is there, so it is
 * seeded data rather than a migration's (a migration could not add a new document later without
 * overwriting what the team has published since).
 */
export async function seedToolkit(db: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const d of [...ADVICE_DOCUMENTS, ...TEMPLATE_DOCUMENTS]) {
      const doc = await trx
        .insertInto('toolkit_documents')
        .values({ slug: d.slug, kind: d.kind })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!doc) continue;
      await trx
        .insertInto('toolkit_versions')
        .values({
          document_id: doc.id,
          number: 1,
          title: d.title,
          body: d.body,
          change_note: 'First version',
          published_at: new Date(),
        })
        .execute();
    }
  });
}
