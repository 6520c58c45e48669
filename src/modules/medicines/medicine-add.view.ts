import { describeMatch, KEEP_AS_TYPED, type NameCheck, type NameMatch } from './medicine-names.ts';
import { MEDICINE_CONCERNS, type AffectedMedicine } from './medicines.ts';

// What the add-a-medicine page says: the question asked when Mortar does not recognise a name, and the
// message once a medicine is recorded, naming what it was recognised as (never just "added").

type Entry = Pick<AffectedMedicine, 'code' | 'name' | 'alsoKnownAs'>;

const withBrands = (m: Entry) => (m.alsoKnownAs.length ? `${m.name} (${m.alsoKnownAs.join(', ')})` : m.name);

/** The answers to "which medicine is it?": the closest entries first, the rest of the list, then "keep as typed". */
export function confirmItems(
  check: { name: string; suggestions: readonly string[] },
  list: readonly Entry[],
  selected?: string,
) {
  const closest = check.suggestions.flatMap((code) => list.filter((m) => m.code === code));
  const rest = list
    .filter((m) => !check.suggestions.includes(m.code))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [
    ...[...closest, ...rest].map((m) => ({
      value: m.code,
      text: withBrands(m),
      checked: selected === m.code,
    })),
    { divider: 'or' },
    {
      value: KEEP_AS_TYPED,
      text: `Keep “${check.name}” as typed`,
      hint: { text: 'It is not on the list, so no alert will be raised for it' },
      checked: selected === KEEP_AS_TYPED,
    },
  ];
}

const joinAnd = (xs: string[]) =>
  xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

export function addedMessage(
  name: string,
  result: {
    nameCheck: NameCheck;
    recognition: { matches: NameMatch[] };
    listed: readonly Pick<AffectedMedicine, 'name' | 'concern'>[];
    raised: number;
  },
): string {
  const matches = result.recognition.matches;
  const recognised =
    result.nameCheck === 'as_typed'
      ? ' Mortar did not recognise the name and you kept it as typed, so no alert will be raised for it.'
      : result.nameCheck === 'picked'
        ? ` You chose ${joinAnd(result.listed.map((m) => m.name.toLowerCase()))} from the list.`
        : ` Recognised as ${joinAnd(matches.map(describeMatch))}.`;
  const onList = result.listed.length
    ? ` It is on the list of medicines affected by stopping smoking (${result.listed.map((m) => `${m.name}: ${MEDICINE_CONCERNS[m.concern].toLowerCase()}`).join('; ')}).`
    : result.nameCheck === 'as_typed'
      ? ''
      : ' It is not on the list of medicines affected by stopping smoking.';
  const alerted = result.raised
    ? ' Their quit date is set, so an alert has been raised: act on it below.'
    : '';
  return `${name} has been added.${recognised}${onList}${alerted}`;
}
