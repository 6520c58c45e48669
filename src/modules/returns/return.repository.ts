// The storage of returns: each authority's (or integrated service's: return-unit.ts) return for a quarter (its status and current version), every
// version generated or imported (figures never change once stored), and its history of events (generated,
// signed off, approved, submitted, rejected, reopened). A return's row is locked while a version or a
// step is written, so two at once queue.
import { parsed, type Executor } from './returns.sql.ts';
import { unitOfKey } from './return-unit.ts';

export type ReturnStatus = 'draft' | 'signed_off' | 'approved' | 'submitted';
export type ReturnSource = 'mortar' | 'import';
export type ReturnRow = {
  id: string;
  local_authority_code: string | null;
  integrated_service_id: string | null;
  financial_year: number;
  quarter: number;
  status: ReturnStatus;
  source: ReturnSource;
  current_version: number;
  created_at: Date;
  updated_at: Date;
};

/**
 * The columns that name a return unit (a key, return-unit.ts): an authority's code, or an integrated
 * service. A key that is neither an authority code nor a service id matches nothing.
 */
function unitColumns(key: string) {
  const unit = unitOfKey(key);
  return unit.kind === 'local_authority'
    ? { local_authority_code: unit.code, integrated_service_id: null }
    : { local_authority_code: null, integrated_service_id: unit.serviceOrganisationId };
}

const ofUnit = (key: string) => {
  const u = unitColumns(key);
  return u.integrated_service_id === null
    ? (['local_authority_code', u.local_authority_code] as const)
    : (['integrated_service_id', u.integrated_service_id] as const);
};

/** The return of a unit (an authority's code or `integrated:<service id>`) for a quarter. */
export async function findReturn(
  db: Executor,
  key: string,
  financialYear: number,
  quarter: number,
): Promise<ReturnRow | undefined> {
  const [column, value] = ofUnit(key);
  return db
    .selectFrom('returns')
    .selectAll()
    .where(column, '=', value)
    .where('financial_year', '=', financialYear)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
}

/** The return's row, made if it does not exist yet, locked until the transaction ends. */
export async function lockOrCreateReturn(
  trx: Executor,
  key: string,
  financialYear: number,
  quarter: number,
  source: ReturnSource,
): Promise<ReturnRow> {
  const unit = unitColumns(key);
  await trx
    .insertInto('returns')
    .values({ ...unit, financial_year: financialYear, quarter, source })
    .onConflict((oc) =>
      unit.integrated_service_id === null
        ? oc.columns(['local_authority_code', 'financial_year', 'quarter']).doNothing()
        : oc
            .columns(['integrated_service_id', 'financial_year', 'quarter'])
            .where('integrated_service_id', 'is not', null)
            .doNothing(),
    )
    .execute();
  return lockReturn(trx, key, financialYear, quarter) as Promise<ReturnRow>;
}

export async function lockReturn(
  trx: Executor,
  key: string,
  financialYear: number,
  quarter: number,
): Promise<ReturnRow | undefined> {
  const [column, value] = ofUnit(key);
  return trx
    .selectFrom('returns')
    .selectAll()
    .where(column, '=', value)
    .where('financial_year', '=', financialYear)
    .where('quarter', '=', quarter)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateReturn(
  trx: Executor,
  id: string,
  v: Partial<{ status: ReturnStatus; source: ReturnSource; current_version: number }>,
): Promise<void> {
  await trx
    .updateTable('returns')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type VersionRow = {
  return_id: string;
  version: number;
  provisional: boolean;
  data: unknown;
  validation: unknown;
  exception_reasons: unknown;
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: Date;
};

export async function insertVersion(
  trx: Executor,
  v: {
    returnId: string;
    version: number;
    provisional: boolean;
    data: unknown;
    validation: unknown;
    exceptionReasons: unknown;
    generatedBy: string | null;
    /** What a generated version counted (return-members.ts); an imported one has nothing behind it. */
    counted?: unknown;
  },
): Promise<void> {
  await trx
    .insertInto('return_versions')
    .values({
      return_id: v.returnId,
      version: v.version,
      provisional: v.provisional,
      data: JSON.stringify(v.data),
      validation: JSON.stringify(v.validation),
      exception_reasons: JSON.stringify(v.exceptionReasons),
      generated_by: v.generatedBy,
      counted: v.counted === undefined ? null : JSON.stringify(v.counted),
    })
    .execute();
}

/** What a version counted, as stored (null for an imported version or one made before migration 0018). */
export async function findCounted(db: Executor, returnId: string, version: number): Promise<unknown> {
  const row = await db
    .selectFrom('return_versions')
    .select('counted')
    .where('return_id', '=', returnId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? parsed(row.counted) : null;
}

/** A version's exception reasons and the validation they change (the figures never change once stored). */
export async function updateVersionReasons(
  trx: Executor,
  returnId: string,
  version: number,
  reasons: unknown,
  validation: unknown,
): Promise<void> {
  await trx
    .updateTable('return_versions')
    .set({ exception_reasons: JSON.stringify(reasons), validation: JSON.stringify(validation) })
    .where('return_id', '=', returnId)
    .where('version', '=', version)
    .execute();
}

const versionQuery = (db: Executor) =>
  db
    .selectFrom('return_versions as v')
    .leftJoin('users as u', 'u.id', 'v.generated_by')
    .select([
      'v.return_id',
      'v.version',
      'v.provisional',
      'v.data',
      'v.validation',
      'v.exception_reasons',
      'v.generated_by',
      'u.name as generated_by_name',
      'v.generated_at',
    ]);

const withJson = (r: VersionRow): VersionRow => ({
  ...r,
  data: parsed(r.data),
  validation: parsed(r.validation),
  exception_reasons: parsed(r.exception_reasons),
});

export async function findVersion(
  db: Executor,
  returnId: string,
  version: number,
): Promise<VersionRow | undefined> {
  const row = await versionQuery(db)
    .where('v.return_id', '=', returnId)
    .where('v.version', '=', version)
    .executeTakeFirst();
  return row ? withJson(row as VersionRow) : undefined;
}

/** Every version of a return, newest first, without their figures. */
export async function listVersions(db: Executor, returnId: string) {
  return db
    .selectFrom('return_versions as v')
    .leftJoin('users as u', 'u.id', 'v.generated_by')
    .select(['v.version', 'v.provisional', 'v.generated_at', 'u.name as generated_by_name'])
    .where('v.return_id', '=', returnId)
    .orderBy('v.version', 'desc')
    .execute();
}

export type ReturnEventKind =
  'generated' | 'imported' | 'signed_off' | 'approved' | 'submitted' | 'rejected' | 'reopened';

export async function insertEvent(
  trx: Executor,
  e: {
    returnId: string;
    kind: ReturnEventKind;
    version: number | null;
    message: string | null;
    actorUserId: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('return_events')
    .values({
      return_id: e.returnId,
      kind: e.kind,
      version: e.version,
      message: e.message,
      actor_user_id: e.actorUserId,
    })
    .execute();
}

/** The return's history, oldest first, with who did each step and their role. */
export async function listEvents(db: Executor, returnId: string) {
  return db
    .selectFrom('return_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'e.id',
      'e.kind',
      'e.version',
      'e.message',
      'e.occurred_at',
      'u.name as actor_name',
      'u.role as actor_role',
      'o.name as actor_organisation',
    ])
    .where('e.return_id', '=', returnId)
    .orderBy('e.id')
    .execute();
}

/** A unit's returns (an authority's or an integrated service's), newest quarter first. */
export async function listReturnsOf(db: Executor, key: string) {
  const [column, value] = ofUnit(key);
  return db
    .selectFrom('returns')
    .select(['financial_year', 'quarter', 'status', 'source', 'current_version', 'updated_at'])
    .where(column, '=', value)
    .orderBy('financial_year', 'desc')
    .orderBy('quarter', 'desc')
    .execute();
}
