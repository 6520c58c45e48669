// What the episode page shows of messages: the tasks from the person's answers (open ones near the top),
// the person's say in one line with a link to change it, and every message planned and sent with its status.
import type { Executor } from '../../db/database.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { messagesOf } from './message-preferences.service.ts';
import { tasksOfEpisode } from './message-tasks.service.ts';
import { messageRows, preferencesWords } from './message-words.ts';

export async function messagesSection(db: Executor, episode: Pick<EpisodeRow, 'id' | 'person_id'>) {
  const [{ preferences, messages }, tasks] = await Promise.all([
    messagesOf(db, episode),
    tasksOfEpisode(db, episode.id),
  ]);
  return {
    href: `/episodes/${episode.id}/messages`,
    preferences: preferencesWords(preferences),
    tasks,
    messages: messageRows(messages),
  };
}

export type MessagesSection = Awaited<ReturnType<typeof messagesSection>>;
