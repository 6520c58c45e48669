// The adviser's tasks from messages, in the order they are worked: someone who asked to be called or said
// they smoked first (a slip is when support matters most), then a message that could not be delivered
// (the person is not being reached), then "still smokefree"; oldest first within each. Pure.

export const TASK_KINDS = ['call_me', 'smoked', 'not_delivered', 'smokefree'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_RANK: Record<TaskKind, number> = { call_me: 0, smoked: 0, not_delivered: 1, smokefree: 2 };

export const TASK_LABELS: Record<TaskKind, string> = {
  call_me: 'Asked to be called',
  smoked: 'Said they have smoked',
  not_delivered: 'A message could not be delivered',
  smokefree: 'Said they are still smokefree',
};

/** What the adviser is asked to do about each. */
export const TASK_ADVICE: Record<TaskKind, string> = {
  call_me: 'Call them back.',
  smoked:
    'Call them: a slip is common and is the time support matters most. Talk it through and agree what to do next. Do not record the four-week outcome from this answer: it needs the follow-up.',
  not_delivered: 'Check their phone number and email address with them another way, and update their record.',
  smokefree: 'Let them know you have seen it at their next contact.',
};

const rank = (kind: string) => TASK_RANK[kind as TaskKind] ?? TASK_RANK.smokefree;

/** The tasks in working order (a new array). */
export function orderTasks<T extends { kind: string; raised_at: Date }>(tasks: readonly T[]): T[] {
  return [...tasks].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) || new Date(a.raised_at).getTime() - new Date(b.raised_at).getTime(),
  );
}
