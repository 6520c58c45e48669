import type { Database } from '../db/database.ts';
import type { Actor } from './roles.ts';

export type AuditAction = 'view' | 'list' | 'create' | 'update' | 'export';

export type AuditEntry = {
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  /** Why or what changed, in words; never a person's details. */
  detail?: string | null;
};

type Executor = Pick<Database, 'insertInto'>;

/** One row per view or change of a person's record: who, which record, what, when. */
export async function audit(
  db: Executor,
  actor: Actor | null,
  entry: AuditEntry,
  requestId?: string,
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: actor?.kind === 'user' ? actor.id : null,
      actor_api_key_id: actor?.kind === 'api' ? actor.keyId : null,
      organisation_id: actor?.organisationId ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      detail: entry.detail ?? null,
      request_id: requestId ?? null,
    })
    .execute();
}

export async function auditMany(
  db: Executor,
  actor: Actor,
  action: AuditAction,
  entityType: string,
  ids: string[],
  requestId?: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .insertInto('audit_events')
    .values(
      ids.map((id) => ({
        actor_user_id: actor.kind === 'user' ? actor.id : null,
        actor_api_key_id: actor.kind === 'api' ? actor.keyId : null,
        organisation_id: actor.organisationId,
        action,
        entity_type: entityType,
        entity_id: id,
        detail: null,
        request_id: requestId ?? null,
      })),
    )
    .execute();
}
