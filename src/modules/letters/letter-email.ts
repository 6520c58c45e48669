// The email a letter travels in: a subject and a few words with no personal details, the letter itself
// in the attached PDF. Pure. Subjects are shown in notifications and lists, so they never name the person.
import type { Letter } from '../../platform/letter.ts';

export type LetterKind = 'prescriber_letter' | 'clinician_note';

export function letterSubject(kind: LetterKind, serviceName: string): string {
  return kind === 'prescriber_letter'
    ? `Letter from ${serviceName}: a patient's medicines and stopping smoking`
    : `Note from ${serviceName}: a patient's support to stop smoking`;
}

export function letterEmailText(letter: Letter): string {
  const [service = 'the stop smoking service', ...contact] = letter.from;
  return [
    `Please find attached a letter from ${service}, addressed to ${letter.to}.`,
    '',
    'It is about a person you care for, and is sent to your secure email address.',
    '',
    `If it has reached you by mistake, please tell ${service} and delete it.`,
    ...contact,
  ].join('\n');
}
