import { sql, type Kysely } from 'kysely';

// Medicine names recognised beyond their exact spelling (issue 10): the list of medicines affected by
// stopping smoking keeps where each entry's advice can be read and when that was last checked, and each
// medicine recorded for a person keeps how its name was recognised, or that the adviser confirmed a name
// Mortar did not recognise.
//
// Entries seeded before this migration get the brand names the default list has gained, the address of
// the SPS page and the day the defaults were checked against it, but only where an administrator has not
// changed the source: their own words are left as they are. New default entries (clomipramine, warfarin,
// ropinirole...) are added at start-up by the reference data, as every default entry is.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table affected_medicines
      add column source_url text check (source_url ~ '^https?://'),
      add column source_checked_on date;

    -- name: the generic name or code, spelled exactly; brand: a brand name; near: a near spelling of a
    -- generic name; picked: not recognised, and the adviser picked the entry; other: a medicine Mortar knows
    -- that is not on the list; as_typed: not recognised, and the adviser confirmed it as typed. Null before 0017.
    alter table episode_medicines
      add column name_check text check (name_check in ('name', 'brand', 'near', 'picked', 'other', 'as_typed'));
  `.execute(db);
  await updateSeededEntries(db);
}

/** Exported for its test: the seeded entries' state before this migration cannot be made any other way. */
export async function updateSeededEntries(db: Kysely<unknown>): Promise<void> {
  await sql`
    update affected_medicines m
       set also_known_as = m.also_known_as || array(
             select b from unnest(v.brands) with ordinality as u(b, i)
              where lower(b) <> all (select lower(x) from unnest(m.also_known_as) as x)
              order by i)
      from (values
        ('olanzapine', array['ZypAdhera', 'Arkolamyl']),
        ('theophylline', array['Nuelin']),
        ('haloperidol', array['Serenace', 'Dozic']),
        ('amitriptyline', array['Triptafen']),
        ('imipramine', array['Tofranil'])
      ) as v(code, brands)
     where m.code = v.code;

    update affected_medicines
       set source_url = 'https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/',
           source_checked_on = date '2026-12-06'
     where source = 'SPS: Managing specific interactions with smoking'
       and source_url is null
       and code in ('clozapine', 'olanzapine', 'theophylline', 'aminophylline', 'erlotinib', 'riociguat',
                    'fluvoxamine', 'duloxetine', 'chlorpromazine', 'haloperidol', 'amitriptyline', 'imipramine',
                    'agomelatine');
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
