import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { StaffUser } from '../../platform/roles.ts';
import * as repo from './campaign.repository.ts';
import type { CampaignInput } from './campaign.schemas.ts';

// Creating and editing campaigns: each change is saved with its audit row, naming what it changed, in one
// transaction. Who may make the change is checked by the caller (platform/scope.ts).

/** What changed, in words, for the audit row: never anything about a person. */
function changes(before: repo.CampaignRow, after: CampaignInput): string {
  const out: string[] = [];
  const cmp = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null))
      out.push(`${label} ${JSON.stringify(a ?? null)} to ${JSON.stringify(b ?? null)}`);
  };
  cmp('name', before.name, after.name);
  cmp('description', before.description ? '(text)' : null, after.description ? '(text)' : null);
  cmp('region', before.region_code, after.regionCode);
  cmp('local authority', before.local_authority_code, after.localAuthorityCode);
  cmp('starts', before.starts_on, after.startsOn);
  cmp('ends', before.ends_on, after.endsOn ?? null);
  cmp('channels', [...before.channels].sort(), [...after.channels].sort());
  return (out.join('; ') || 'no change').slice(0, 1000);
}

/** Creates a campaign; a code taken at the same moment surfaces as the database's unique violation. */
export async function createCampaign(
  db: Database,
  user: StaffUser,
  d: CampaignInput,
  requestId: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const newId = await repo.insertCampaign(
      trx,
      { ...d, description: d.description ?? null, endsOn: d.endsOn ?? null },
      user.id,
    );
    const area = d.regionCode ? `region ${d.regionCode}` : `local authority ${d.localAuthorityCode}`;
    const detail = `code ${d.code}; ${area}; ${d.startsOn} to ${d.endsOn ?? 'no end'}; channels ${d.channels.join(',') || 'none'}`;
    await audit(trx, user, { action: 'create', entityType: 'campaign', entityId: newId, detail }, requestId);
    return newId;
  });
}

/** Saves an edit; the campaign is locked and read again so the audit row compares with what was stored. */
export async function editCampaign(
  db: Database,
  user: StaffUser,
  campaign: repo.CampaignRow,
  d: CampaignInput,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.lockCampaign(trx, campaign.id);
    const before = (await repo.findCampaign(trx, { kind: 'all' }, campaign.id)) ?? campaign;
    await repo.updateCampaign(
      trx,
      campaign.id,
      { ...d, description: d.description ?? null, endsOn: d.endsOn ?? null },
      user.id,
    );
    await audit(
      trx,
      user,
      { action: 'update', entityType: 'campaign', entityId: campaign.id, detail: changes(before, d) },
      requestId,
    );
  });
}
