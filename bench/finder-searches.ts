// The finder's searches, shared by the finder benchmark and the API benchmark's two-instance comparison:
// the two demo services' areas, between them, partial postcodes, and places far from any service (which
// still search, and answer "none found").
export const SEARCHES = [
  'LS6 1AN',
  'm14 5tq',
  'HD1 2TA',
  'LS2',
  'M1 1',
  'ls7 4bb',
  'SW1A 1AA',
  'TR18 4AA',
  'EH1 1YZ',
  'CF10 1EP',
  'B1',
  'NE1 4ST',
];
