// SNOMED CT identifiers (SCTIDs): their shape, partition and Verhoeff check digit, as the SNOMED CT
// release file specification sets out ("SCTID data type"). Used to catch a mistyped concept id before it
// reaches a GP record: a single wrong or swapped digit always fails the check. Pure.

/** The dihedral group D5's multiplication table. */
const D5 = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/** The permutation applied to a digit by its position from the right (it repeats every 8). */
const F = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the last digit is the Verhoeff check digit of the rest. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let check = 0;
  const reversed = [...digits].reverse();
  for (let i = 0; i < reversed.length; i++) check = D5[check]![F[i % 8]![Number(reversed[i])]!]!;
  return check === 0;
}

export type SctidKind = 'concept' | 'description' | 'relationship';

/**
 * The partition: the second and third digits from the right. 0x is the short form (international
 * core), 1x the long form with a 7-digit namespace (for example the UK's 1000000 or 1000001).
 */
export function sctidPartition(id: string): { format: 'short' | 'long'; kind: SctidKind } | null {
  const kinds: Record<string, SctidKind> = { '0': 'concept', '1': 'description', '2': 'relationship' };
  const partition = id.slice(-3, -1);
  const kind = kinds[partition[1] ?? ''];
  if (!kind || (partition[0] !== '0' && partition[0] !== '1')) return null;
  return { format: partition[0] === '0' ? 'short' : 'long', kind };
}

/** A well-formed SNOMED CT concept id: 6 to 18 digits, no leading zero, a concept partition, a valid check digit. */
export function isSnomedConceptId(id: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(id)) return false;
  const partition = sctidPartition(id);
  if (!partition || partition.kind !== 'concept') return false;
  // The long form needs room for the 7-digit namespace and at least one digit of item.
  if (partition.format === 'long' && id.length < 11) return false;
  return verhoeffValid(id);
}
