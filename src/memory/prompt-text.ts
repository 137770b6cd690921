import type { UiLanguage } from '../shared/config/default-characters.js';
import type { RecallItem } from './search/recall.js';
import { messageText, speakerOf, type LcMessage } from './window/langchain-messages.js';

/**
 * The texts memory hands to prompts and tools (memory.md §1.4, §1.9, §1.12), in neko's own words, in the
 * user's UI language (Chinese for zh-*, English otherwise; the original's zh header of /get_recent_history is
 * kept verbatim because clients match on it).
 */
interface Phrases {
  innerHeader: (name: string) => string;
  innerBody: (name: string, master: string, settings: string, time: string) => string;
  recalled: (name: string) => string;
  recallHeader: (name: string) => string;
  resultsHeader: (name: string) => string;
}

const ZH: Phrases = {
  innerHeader: (name) => `\n======${name}的内心活动======\n`,
  innerBody: (name, master, settings, time) =>
    `${name}常常想起自己和${master}之间的事。${name}记得：${settings}\n\n现在是${time}。聊天开始前，${name}在脑海里回顾了最近发生的事情。\n`,
  recalled: (name) => `${name}还想起了和现在的话题有关的往事：\n`,
  recallHeader: (name) => `======${name}尝试回忆======\n`,
  resultsHeader: (name) => `======${name}想起了这些======\n`,
};

const EN: Phrases = {
  innerHeader: (name) => `\n======${name}'s Inner Thoughts======\n`,
  innerBody: (name, master, settings, time) =>
    `${name} often thinks about herself and ${master}. She remembers: ${settings}\n\nIt is now ${time}. Before the conversation begins, ${name} goes over what happened recently.\n`,
  recalled: (name) => `${name} also remembers these moments related to what was just said:\n`,
  recallHeader: (name) => `======${name} tries to remember======\n`,
  resultsHeader: (name) => `======What ${name} remembers======\n`,
};

function phrases(language: UiLanguage): Phrases {
  return language.startsWith('zh') ? ZH : EN;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as `2026-03-12 07:47 Thu`. */
export function localTime(t: Date): string {
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())} ${WEEKDAYS[t.getDay()]}`;
}

/** The original strips every bracketed group ((), [], {}, <>, （）, 【】) from window lines in the prompt. */
export function withoutBracketGroups(text: string): string {
  return text.replace(/\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}|<[^<>]*>|（[^（）]*）|【[^【】]*】/g, '').trim();
}

export interface Names {
  character: string;
  master: string;
}

/** `/get_recent_history`: the window as `speaker | text` lines (system messages raw). */
export function recentHistoryText(window: readonly LcMessage[], names: Names): string {
  let out = `开始聊天前，${names.character}又在脑海内整理了近期发生的事情。\n`;
  for (const m of window) out += m.type === 'system' ? `${messageText(m)}\n` : `${speakerOf(m, names)} | ${messageText(m)}\n`;
  return out;
}

export const NO_HISTORY_TEXT = '开始聊天前，没有历史记录。\n';

function recalledLine(item: RecallItem): string {
  return `[${item.timestamp.slice(0, 10)}] ${item.speaker} | ${item.text}`;
}

/** `/new_dialog`: inner thoughts (settings, time), the window, then recalled moments related to the last exchange. */
export function newDialogText(opts: {
  names: Names;
  language: UiLanguage;
  settings: unknown;
  window: readonly LcMessage[];
  recalled: readonly RecallItem[];
  now?: Date;
}): string {
  const p = phrases(opts.language);
  const { character, master } = opts.names;
  let out = p.innerHeader(character) + p.innerBody(character, master, JSON.stringify(opts.settings), localTime(opts.now ?? new Date()));
  for (const m of opts.window) out += `${speakerOf(m, opts.names)} | ${withoutBracketGroups(messageText(m))}\n`;
  if (opts.recalled.length > 0) {
    out += `\n${p.recalled(character)}`;
    for (const item of opts.recalled) out += `${recalledLine(item)}\n`;
  }
  return out;
}

/** `/search_for_memory`: the original's text layout (header, query, results header, numbered fragments). */
export function searchText(character: string, query: string, items: readonly RecallItem[], language: UiLanguage): string {
  const p = phrases(language);
  const fragments = items.map((item, i) => `记忆片段${i + 1} | \n${recalledLine(item)}\n`);
  return `${p.recallHeader(character)}${query}\n\n${p.resultsHeader(character)}${fragments.join('\n')}`;
}
