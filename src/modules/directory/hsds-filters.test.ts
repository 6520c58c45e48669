import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PublicService } from './directory.repository.ts';
import { matchesFilters, matchesSearch } from './hsds-filters.ts';
import { TAXONOMY_ID, termByCode } from './hsds-taxonomy.ts';

const TODAY = '2026-03-10';

const service: PublicService = {
  id: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
  organisationId: '4f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
  name: 'Bradford Stop Smoking Service',
  description: 'Free help to stop.',
  phone: null,
  email: null,
  website: null,
  openingTimes: null,
  openingDays: null,
  modes: ['group'],
  languages: ['Urdu'],
  tailoredSupport: false,
  tailoredSupportText: null,
  inTalkingTherapies: false,
  aids: [],
  eligibility: null,
  updatedAt: new Date(0),
  locations: [
    {
      id: '5f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
      name: 'Café on the corner',
      address: '1 Manningham Lane',
      postcode: 'BD1 3EA',
      latitude: 53.8,
      longitude: -1.75,
      accessibility: null,
      hours: [],
    },
  ],
  areas: [{ code: 'E08000032', name: 'Bradford' }],
  onMortar: true,
};

describe('matchesSearch', () => {
  test('every word, in any field, any case, with or without accents', () => {
    assert.ok(matchesSearch(service, 'bradford'));
    assert.ok(matchesSearch(service, 'CAFE manningham'));
    assert.ok(matchesSearch(service, 'urdu bd1'));
    assert.ok(matchesSearch(service, 'a group')); // the term's name, "In a group"
    assert.ok(!matchesSearch(service, 'bradford leeds'));
  });
});

describe('matchesFilters', () => {
  test('a term keeps the services carrying it; the taxonomy those carrying any of its terms', () => {
    assert.ok(matchesFilters(service, {}, TODAY));
    assert.ok(matchesFilters(service, { taxonomyTermId: termByCode('mode:group')!.id }, TODAY));
    assert.ok(!matchesFilters(service, { taxonomyTermId: termByCode('mode:video')!.id }, TODAY));
    assert.ok(matchesFilters(service, { taxonomyId: TAXONOMY_ID }, TODAY));
    assert.ok(!matchesFilters({ ...service, modes: [] }, { taxonomyId: TAXONOMY_ID }, TODAY));
    assert.ok(!matchesFilters(service, { taxonomyId: '00000000-0000-4000-8000-000000000000' }, TODAY));
  });

  test('modified_after keeps services changed at or after the instant', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const changed = { ...service, updatedAt: at };
    assert.ok(matchesFilters(changed, { modifiedAfter: at }, TODAY));
    assert.ok(!matchesFilters(changed, { modifiedAfter: new Date('2026-03-01T10:00:00.001Z') }, TODAY));
  });

  test("day and times: by a place open then; a day alone by the service's own days too", () => {
    const place = service.locations[0]!;
    const open = {
      ...service,
      openingDays: [1, 2, 3, 4, 5],
      locations: [
        {
          ...place,
          hours: [
            {
              id: place.id,
              locationId: place.id,
              weekday: 6 as const,
              opensAt: '10:00',
              closesAt: '12:00',
              validFrom: null,
              validTo: null,
              notes: null,
            },
          ],
        },
      ],
    };
    assert.ok(matchesFilters(open, { day: 1 }, TODAY), "Monday is one of the service's days");
    assert.ok(matchesFilters(open, { day: 6 }, TODAY), 'the place opens on Saturdays');
    assert.ok(!matchesFilters(open, { day: 7 }, TODAY));
    assert.ok(matchesFilters(open, { day: 6, startTime: '11:00', endTime: '13:00' }, TODAY));
    assert.ok(!matchesFilters(open, { day: 6, startTime: '12:00' }, TODAY), 'closes at midday');
    assert.ok(!matchesFilters(open, { day: 1, startTime: '09:00' }, TODAY), 'no times are held for Monday');
    assert.ok(!matchesFilters(service, { startTime: '09:00' }, TODAY), 'a service without times is not kept');
  });
});
