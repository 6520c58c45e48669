import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PublicService } from './directory.repository.ts';
import { matchesFilters, matchesSearch } from './hsds-filters.ts';
import { TAXONOMY_ID, termByCode } from './hsds-taxonomy.ts';

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
    assert.ok(matchesFilters(service, {}));
    assert.ok(matchesFilters(service, { taxonomyTermId: termByCode('mode:group')!.id }));
    assert.ok(!matchesFilters(service, { taxonomyTermId: termByCode('mode:video')!.id }));
    assert.ok(matchesFilters(service, { taxonomyId: TAXONOMY_ID }));
    assert.ok(!matchesFilters({ ...service, modes: [] }, { taxonomyId: TAXONOMY_ID }));
    assert.ok(!matchesFilters(service, { taxonomyId: '00000000-0000-4000-8000-000000000000' }));
  });
});
