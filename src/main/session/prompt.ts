import type { UiLanguage } from '../../shared/config/default-characters.js';

/**
 * Texts the chat core adds around the character prompt. neko's own wording; the structure follows the
 * original (character prompt, then memory context, then a "context ends here" line; on hot-swap, the turns
 * since the swap was triggered).
 */
const CONTEXT_READY: Record<'zh' | 'en' | 'ja', string> = {
  en: '\n(End of remembered context. Continue the conversation with {MASTER} naturally, by voice, as {NAME}.)\n',
  zh: '\n（回忆到此结束。以{NAME}的身份，继续用语音和{MASTER}自然地聊天。）\n',
  ja: '\n（記憶の整理はここまで。{NAME}として、{MASTER}との会話を声で自然に続けてください。）\n',
};

const RECENT_TURNS_HEADER: Record<'zh' | 'en' | 'ja', string> = {
  en: '\nWhat was said most recently in this conversation:\n',
  zh: '\n这段对话最近说过的话：\n',
  ja: '\nこの会話で直前に話した内容：\n',
};

const TASKS_DONE_HEADER: Record<'zh' | 'en' | 'ja', string> = {
  en: '\n[System notice] Background tasks you started for {MASTER} have finished. Tell {MASTER} the results briefly, in your own words:\n',
  zh: '\n[系统通知] 你为{MASTER}启动的后台任务已经完成。请用自己的话简短地告诉{MASTER}结果：\n',
  ja: '\n[システム通知] {MASTER}のために始めたバックグラウンドの作業が終わりました。結果を自分の言葉で短く伝えてください：\n',
};

function lang(language: UiLanguage): 'zh' | 'en' | 'ja' {
  return language.startsWith('zh') ? 'zh' : language === 'ja' ? 'ja' : 'en';
}

function fill(template: string, names: PromptNames): string {
  return template.replaceAll('{NAME}', names.character).replaceAll('{MASTER}', names.master);
}

export interface PromptNames {
  character: string;
  master: string;
}

/** Instructions for a new provider session. */
export function sessionInstructions(opts: {
  characterPrompt: string;
  memoryContext: string;
  recentTurns?: string;
  names: PromptNames;
  language: UiLanguage;
}): string {
  const l = lang(opts.language);
  let text = opts.characterPrompt.trim();
  if (opts.memoryContext.trim()) text += `\n${opts.memoryContext.trim()}\n`;
  if (opts.recentTurns?.trim()) text += fill(RECENT_TURNS_HEADER[l], opts.names) + opts.recentTurns;
  return text + fill(CONTEXT_READY[l], opts.names);
}

/** The prime a hot-swapped session receives: turns since preparation began, plus finished tasks to report. */
export function swapPrime(opts: { turns: string; taskResults: string[]; names: PromptNames; language: UiLanguage }): string {
  const l = lang(opts.language);
  let text = opts.turns ? fill(RECENT_TURNS_HEADER[l], opts.names) + opts.turns : '';
  if (opts.taskResults.length) text += fill(TASKS_DONE_HEADER[l], opts.names) + opts.taskResults.map((r) => `- ${r}\n`).join('');
  else text += fill(CONTEXT_READY[l], opts.names);
  return text;
}

/** One finished task as the character should hear it. */
export function taskResultLine(r: { success: boolean; status?: string; summary: string; detail?: string }): string {
  const mark = r.success ? '✅' : r.status === 'partial' ? '⚠️' : '❌';
  return `${mark} ${r.summary}${r.detail ? ` (${r.detail.slice(0, 300)})` : ''}`;
}
