// The Very Brief Advice module's knowledge check: its questions, the answer key, how an attempt is marked
// and when a member of staff is offered the module. Pure: no I/O. The facts each question rests on are in
// docs/domain.md (Very Brief Advice; Who smokes; Medicines affected by stopping smoking).

import type { IsoDate } from '../../platform/dates.ts';
import { isCurrentOn } from '../partners/training.ts';

export type Option = { value: string; text: string };

export type Question = {
  id: string;
  text: string;
  options: readonly Option[];
  /** The value of the one right option. */
  answer: string;
  /** Why the right answer is right, shown after every attempt whatever was chosen. */
  explanation: string;
};

export const QUESTIONS: readonly Question[] = [
  {
    id: 'steps',
    text: 'What are the three steps of Very Brief Advice?',
    options: [
      { value: 'assess', text: 'Ask, assess, arrange' },
      { value: 'ask-advise-act', text: 'Ask, advise, act' },
      { value: 'agree', text: 'Advise, agree, assist' },
    ],
    answer: 'ask-advise-act',
    explanation:
      'Ask whether the person smokes. Advise that the best way to stop is with medicine and specialist support. Act by offering a referral. It takes about 30 seconds.',
  },
  {
    id: 'readiness',
    text: 'Someone tells you they smoke. What do you do next?',
    options: [
      { value: 'ask-ready', text: 'Ask whether they are ready to stop, and advise them only if they are' },
      {
        value: 'advise-all',
        text: 'Advise them and offer a referral, whether or not they have said they want to stop',
      },
      { value: 'leave', text: 'Leave it, unless they raise it again' },
    ],
    answer: 'advise-all',
    explanation:
      'Very Brief Advice does not ask whether someone wants to stop. Everyone who smokes is advised and offered help. Many people accept help when it is offered, even if they had not planned to stop.',
  },
  {
    id: 'calms',
    text: 'Someone says: “Smoking is the only thing that calms me down.” What does the evidence say?',
    options: [
      { value: 'worse', text: 'Stopping usually leaves people more anxious for good' },
      {
        value: 'better',
        text: 'People who stop have less anxiety, depression and stress than people who carry on',
      },
      { value: 'unknown', text: 'Nobody knows either way' },
    ],
    answer: 'better',
    explanation:
      'The calm a cigarette brings is mostly relief from the craving and irritability that build up between cigarettes. Studies of people who stopped found lower anxiety, depression and stress than in people who carried on (Taylor and others, BMJ 2014; Cochrane review 2021).',
  },
  {
    id: 'low',
    text: 'Someone you support is anxious and low today. How do you raise smoking?',
    options: [
      { value: 'wait', text: 'Wait until their mental health is better' },
      { value: 'warn', text: 'Tell them smoking is making them ill and they must stop' },
      {
        value: 'kindly',
        text: 'Ask in your usual calm way, and tell them support can be fitted around their mental health',
      },
    ],
    answer: 'kindly',
    explanation:
      'People with anxiety or depression want to stop as much as anyone, and waiting means they miss out on help. Ask without judging, and say the stop smoking service can tailor support. If they take medicine for their mental health, the service will check it: some medicines, such as clozapine and olanzapine, need a review when someone stops smoking.',
  },
  {
    id: 'refer',
    text: 'The person would like help to stop. What do you do?',
    options: [
      { value: 'leaflet', text: 'Give them a leaflet and ask them to phone a service themselves' },
      { value: 'gp', text: 'Tell them to see their GP' },
      {
        value: 'mortar',
        text: 'Fill in Mortar’s referral form with them: their postcode sends it to their local stop smoking service',
      },
    ],
    answer: 'mortar',
    explanation:
      'A referral works better than asking someone to get in touch themselves. Mortar’s referral form takes under a minute, and the person’s postcode decides which local stop smoking service receives it. If they say no, record that you gave the advice.',
  },
];

/** Right answers needed to pass: four of the five. */
export const PASS_MARK = 4;

export type Mark = { id: string; chosen: string; right: boolean };

export type CheckResult =
  | { kind: 'unanswered'; missing: string[] }
  | { kind: 'marked'; score: number; total: number; passed: boolean; marks: Mark[] };

/** The option chosen for a question, or undefined when none of its options was sent. */
function chosenFor(q: Question, v: unknown): string | undefined {
  return typeof v === 'string' && q.options.some((o) => o.value === v) ? v : undefined;
}

/**
 * Marks an attempt. Every question must have one of its own options chosen: otherwise the attempt is not
 * marked and the questions left are named, in order, so the form can ask for them. One mark per right
 * answer; passed when the score reaches the pass mark.
 */
export function markCheck(
  answers: Readonly<Record<string, unknown>>,
  questions: readonly Question[] = QUESTIONS,
  passMark: number = PASS_MARK,
): CheckResult {
  const missing = questions.filter((q) => chosenFor(q, answers[q.id]) === undefined).map((q) => q.id);
  if (missing.length) return { kind: 'unanswered', missing };
  const marks = questions.map((q) => {
    const chosen = chosenFor(q, answers[q.id])!;
    return { id: q.id, chosen, right: chosen === q.answer };
  });
  const score = marks.filter((m) => m.right).length;
  return { kind: 'marked', score, total: questions.length, passed: score >= passMark, marks };
}

export type TrainingOffer = 'take' | 'renew' | null;

/**
 * Whether a member of staff is offered the module on `today`, from the day they last passed it: 'take'
 * when they never have, 'renew' once that pass is no longer current by the course's renewal rule (the
 * same rule that counts trained staff, partners/training.ts), and nothing while it is current.
 */
export function trainingOfferOn(lastPassedOn: IsoDate | null, today: IsoDate): TrainingOffer {
  if (lastPassedOn === null) return 'take';
  return isCurrentOn({ course: 'vba', completedOn: lastPassedOn, renewalDueOn: null }, today)
    ? null
    : 'renew';
}
