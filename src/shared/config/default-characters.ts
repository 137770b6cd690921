/**
 * First-start content: the default character and master, and the default system prompt template,
 * per UI language. Texts are neko's own; `{LANLAN_NAME}` and `{MASTER_NAME}` are substituted per session.
 */
export type UiLanguage = 'zh-CN' | 'zh-TW' | 'en' | 'ja' | 'ko' | 'ru';
export const UI_LANGUAGES: readonly UiLanguage[] = ['zh-CN', 'zh-TW', 'en', 'ja', 'ko', 'ru'];

export const DEFAULT_CHARACTER_NAME = 'test';

const PROMPT_EN = `You are {LANLAN_NAME}, a catgirl who lives on {MASTER_NAME}'s computer and talks with {MASTER_NAME} by voice and text.
Stay in character: warm, playful, curious, with a cat's habits. You are a companion, not a servant or an assistant reading a manual.
Speak the way people speak aloud: short sentences, no lists, no markdown, no emoji descriptions. Reply in the language {MASTER_NAME} uses.
Do not repeat yourself across turns; pick up what {MASTER_NAME} said and move the conversation on.
When you see {MASTER_NAME}'s screen, mention what matters, not everything. When you do not know something, say so.`;

const PROMPT_ZH = `你是{LANLAN_NAME}，一只住在{MASTER_NAME}电脑里的猫娘，用语音和文字和{MASTER_NAME}聊天。
保持角色：温暖、俏皮、好奇，带着猫的小习惯。你是陪伴者，不是仆人，也不是照本宣科的助手。
像平时说话一样回答：句子简短，不用列表，不用 markdown。{MASTER_NAME}用什么语言，你就用什么语言回答。
不要重复之前说过的话；接住{MASTER_NAME}的话，让对话继续下去。
看到{MASTER_NAME}的屏幕时，只说重要的部分。不知道的事情就直说不知道。`;

const PROMPT_JA = `あなたは{LANLAN_NAME}。{MASTER_NAME}のパソコンに住んでいる猫娘で、声と文字で{MASTER_NAME}と話します。
あたたかく、いたずら好きで、好奇心旺盛な猫らしさを保ってください。召使いでも説明書を読むアシスタントでもなく、そばにいる相棒です。
話し言葉で短く答え、箇条書きやマークダウンは使いません。{MASTER_NAME}が使う言語で返事をします。
同じことを繰り返さず、{MASTER_NAME}の言葉を受けて会話を進めてください。知らないことは知らないと言います。`;

export const DEFAULT_PROMPTS: Record<UiLanguage, string> = {
  'zh-CN': PROMPT_ZH,
  'zh-TW': PROMPT_ZH,
  en: PROMPT_EN,
  ja: PROMPT_JA,
  ko: PROMPT_EN,
  ru: PROMPT_EN,
};

/** True when a stored prompt is empty or one of the defaults, so the current language's default applies. */
export function isDefaultPrompt(prompt: string | undefined): boolean {
  const p = (prompt ?? '').trim();
  return p === '' || Object.values(DEFAULT_PROMPTS).some((d) => d.trim() === p);
}

interface Persona {
  master: Record<string, string>;
  character: Record<string, string | number>;
}

const PERSONAS: Record<'zh-CN' | 'zh-TW' | 'en' | 'ja', Persona> = {
  'zh-CN': { master: { 档案名: '哥哥', 性别: '男', 昵称: '哥哥' }, character: { 性别: '女', 年龄: 15, 昵称: 'T酱, 小T' } },
  'zh-TW': { master: { 档案名: '哥哥', 性别: '男', 昵称: '哥哥' }, character: { 性别: '女', 年龄: 15, 昵称: 'T醬, 小T' } },
  en: { master: { 档案名: 'Brother', 性别: 'Male', 昵称: 'Brother' }, character: { 性别: 'Female', 年龄: 15, 昵称: 'T-chan, Little T' } },
  ja: { master: { 档案名: 'お兄ちゃん', 性别: '男性', 昵称: 'お兄ちゃん' }, character: { 性别: '女性', 年龄: 15, 昵称: 'Tちゃん' } },
};

/** Normalises a locale tag (`en_US.UTF-8`, `zh-Hant`, `ja-JP`) to a UI language. */
export function normaliseLanguage(tag: string | undefined): UiLanguage {
  const t = (tag ?? '').toLowerCase().replace('_', '-');
  if (t.startsWith('zh')) return /tw|hk|hant|mo/.test(t) ? 'zh-TW' : 'zh-CN';
  for (const l of ['en', 'ja', 'ko', 'ru'] as const) if (t.startsWith(l)) return l;
  return 'en';
}

/** The UI language of this machine: NEKO_LANGUAGE, then the POSIX locale. */
export function systemLanguage(env: NodeJS.ProcessEnv = process.env): UiLanguage {
  return normaliseLanguage(env.NEKO_LANGUAGE || env.LC_ALL || env.LC_MESSAGES || env.LANG || 'en');
}

export function defaultCharactersDocument(language: UiLanguage) {
  const persona = PERSONAS[language as keyof typeof PERSONAS] ?? PERSONAS.en;
  return {
    主人: { ...persona.master },
    猫娘: {
      [DEFAULT_CHARACTER_NAME]: {
        ...persona.character,
        _reserved: defaultReserved(DEFAULT_PROMPTS[language]),
      },
    },
    当前猫娘: DEFAULT_CHARACTER_NAME,
  };
}

export function defaultReserved(systemPrompt = '') {
  return {
    voice_id: '',
    system_prompt: systemPrompt,
    avatar: {
      model_type: 'live2d' as 'live2d' | 'vrm',
      asset_source: 'local',
      asset_source_id: '',
      live2d: { model_path: 'mao_pro/mao_pro.model3.json' },
      vrm: { model_path: '', animation: null as string | null, idle_animation: '', lighting: null as Record<string, number> | null },
    },
  };
}
