import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { DEFAULT_PARAMETERS, type LocalEstimate, type NeedParameters } from './need.ts';

type Executor = Pick<Database, 'selectFrom' | 'insertInto' | 'deleteFrom'>;

export type NationalSetting = NeedParameters & {
  isDefault: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
};
export type NeedSettings = { national: NationalSetting; locals: Map<string, LocalEstimate> };

const SCOPE = sql`coalesce(local_authority_code, 'national')`;

/** The national parameters (Mortar's defaults when nobody has set them) and every local estimate. */
export async function loadNeedSettings(db: Executor): Promise<NeedSettings> {
  const rows = await db
    .selectFrom('need_parameters as p')
    .leftJoin('users as u', 'u.id', 'p.updated_by')
    .select([
      'p.local_authority_code',
      'p.cmhc_share',
      'p.relative_rate',
      'p.local_estimate',
      'p.local_source',
      'p.updated_at',
      'u.name as updated_by_name',
    ])
    .execute();
  let national: NationalSetting = {
    ...DEFAULT_PARAMETERS,
    isDefault: true,
    updatedAt: null,
    updatedBy: null,
  };
  const locals = new Map<string, LocalEstimate>();
  for (const r of rows) {
    if (r.local_authority_code === null) {
      national = {
        cmhcShare: r.cmhc_share!,
        relativeRate: r.relative_rate!,
        isDefault: false,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by_name,
      };
    } else {
      locals.set(r.local_authority_code, {
        estimate: r.local_estimate!,
        source: r.local_source!,
        enteredAt: r.updated_at,
        enteredBy: r.updated_by_name,
      });
    }
  }
  return { national, locals };
}

export async function saveNationalParameters(db: Executor, p: NeedParameters, userId: string): Promise<void> {
  await db
    .insertInto('need_parameters')
    .values({
      local_authority_code: null,
      cmhc_share: p.cmhcShare,
      relative_rate: p.relativeRate,
      updated_by: userId,
    })
    .onConflict((oc) =>
      oc.expression(SCOPE).doUpdateSet({
        cmhc_share: p.cmhcShare,
        relative_rate: p.relativeRate,
        updated_by: userId,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export async function saveLocalEstimate(
  db: Executor,
  code: string,
  estimate: number,
  source: string,
  userId: string,
): Promise<void> {
  await db
    .insertInto('need_parameters')
    .values({
      local_authority_code: code,
      local_estimate: estimate,
      local_source: source,
      updated_by: userId,
    })
    .onConflict((oc) =>
      oc.expression(SCOPE).doUpdateSet({
        local_estimate: estimate,
        local_source: source,
        updated_by: userId,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** True when there was a local estimate to remove. */
export async function removeLocalEstimate(db: Executor, code: string): Promise<boolean> {
  const r = await db
    .deleteFrom('need_parameters')
    .where('local_authority_code', '=', code)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
