import { JPEG_DATA_URL_PREFIX } from '../../shared/protocol/ws-client.js';
import { ApiError, conflict, notFound } from '../../shared/errors.js';
import { completeOnce, OneShotTimeout } from './one-shot.js';
import type { RealtimeProvider } from '../providers/realtime.js';

/** The user must have been quiet this long before the character speaks up (the original's 30 s). */
export const MIN_IDLE_MS = 30_000;
/** At most this many unprompted lines per character per hour. */
export const MAX_PER_HOUR = 10;
const HOUR_MS = 3_600_000;
/** Longest proactive line, and how long generation may take. */
const MAX_CHARS = 400;
const GENERATION_TIMEOUT_MS = 25_000;

export interface ProactiveSession {
  isVoiceActive(): boolean;
  isReplying(): boolean;
  hasPage(): boolean;
  idleMs(now?: number): number;
  deliverProactive(text: string): Promise<boolean>;
}

export interface ProactiveDeps {
  sessionFor(character: string): ProactiveSession | undefined;
  currentCharacter(): string;
  /** Character prompt and names, as a session uses them. */
  profile(character: string): { prompt: string; master: string; language: string };
  memoryContext(character: string): Promise<string>;
  /** A fresh text provider for one generation (configured model, local server, or the offline sim). */
  textProvider(): Promise<RealtimeProvider>;
  now?: () => number;
}

export interface ProactiveRequest {
  lanlan_name?: unknown;
  enabled_modes?: unknown;
  screenshot_data?: unknown;
}

export type ProactiveAnswer =
  | { success: true; action: 'pass'; message: string }
  | { success: true; action: 'chat'; message: string; lanlan_name: string; source_mode: string; source_tag: string; active_channels: string[]; source_links: string[] };

function timeOfDay(d: Date): string {
  const h = d.getHours();
  const part = h < 5 ? 'late at night' : h < 11 ? 'morning' : h < 14 ? 'around noon' : h < 18 ? 'afternoon' : h < 22 ? 'evening' : 'night';
  return `It is ${part} (${d.toLocaleString('en-GB', { weekday: 'long', hour: '2-digit', minute: '2-digit' })}).`;
}

/** Cleans a generated line: no tags, no text after a second `|`, bounded length. */
export function cleanProactiveLine(raw: string): string {
  const parts = raw.split(/[|｜]/);
  const text = (parts.length > 2 ? parts.slice(0, 2).join('') : raw.replace(/[|｜]/g, ''))
    .replace(/\[(PASS|SCREEN|WEB|BOTH|MUSIC|TIME|MEMORY)\]/gi, '')
    .replace(/<[^<>]*>/g, '')
    .trim();
  return text.slice(0, MAX_CHARS);
}

/**
 * `POST /api/proactive_chat`: the character starts a conversation when the user has been idle — never
 * during a voice session or while a reply streams, at most MAX_PER_HOUR times an hour. Sources that need
 * no outside service come first: the time of day, the user's memory, and a screen frame when given.
 */
export class ProactiveChat {
  private readonly sent = new Map<string, number[]>();
  private readonly recentLines = new Map<string, string[]>();

  constructor(private readonly deps: ProactiveDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async run(body: ProactiveRequest): Promise<ProactiveAnswer> {
    const character = typeof body.lanlan_name === 'string' && body.lanlan_name ? body.lanlan_name : this.deps.currentCharacter();
    const session = this.deps.sessionFor(character);
    if (!session) throw notFound(`角色 ${character} 不存在`);
    if (session.isReplying()) throw new ApiError(409, 'AI正在响应中，无法主动搭话', undefined, { message: '请等待当前响应完成' });
    if (session.isVoiceActive()) return { success: true, action: 'pass', message: 'a voice conversation is running' };
    if (!session.hasPage()) return { success: true, action: 'pass', message: 'no page is open for this character' };
    const now = this.now();
    if (session.idleMs(now) < MIN_IDLE_MS) return { success: true, action: 'pass', message: 'the user was active recently' };
    const recent = (this.sent.get(character) ?? []).filter((t) => now - t < HOUR_MS);
    this.sent.set(character, recent);
    if (recent.length >= MAX_PER_HOUR) return { success: true, action: 'pass', message: `already spoke up ${MAX_PER_HOUR} times this hour` };

    const modes = Array.isArray(body.enabled_modes) ? body.enabled_modes.filter((m): m is string => typeof m === 'string') : [];
    const screenshot = typeof body.screenshot_data === 'string' && body.screenshot_data.startsWith(JPEG_DATA_URL_PREFIX) ? body.screenshot_data.slice(JPEG_DATA_URL_PREFIX.length) : undefined;
    const useScreen = screenshot !== undefined && (modes.length === 0 || modes.includes('vision'));
    const profile = this.deps.profile(character);
    const memory = await this.deps.memoryContext(character).catch(() => '');
    const said = this.recentLines.get(character) ?? [];
    const sources = [timeOfDay(new Date(now)), memory.trim() ? `What you remember:\n${memory.trim()}` : '', said.length ? `Things you already brought up this hour (do not repeat them): ${said.join(' / ')}` : '']
      .filter(Boolean)
      .join('\n\n');
    const instructions = `${profile.prompt}\n\n${sources}\n\n${profile.master} has been quiet for a while. If there is something natural and worth saying — about the time of day, something you remember, or what is on the screen — say ONE short line to start a conversation, in ${profile.master}'s language. If not, answer exactly [PASS].`;
    let raw: string;
    try {
      raw = await completeOnce(await this.deps.textProvider(), {
        instructions,
        userText: `(${Math.round(session.idleMs(now) / 1000)} s of silence)`,
        imageBase64: useScreen ? screenshot : undefined,
        timeoutMs: GENERATION_TIMEOUT_MS,
      });
    } catch (err) {
      if (err instanceof OneShotTimeout) throw new ApiError(504, 'AI处理超时');
      throw err;
    }
    if (/\[PASS\]/i.test(raw)) return { success: true, action: 'pass', message: 'nothing worth saying now' };
    const line = cleanProactiveLine(raw);
    if (!line) return { success: true, action: 'pass', message: 'nothing worth saying now' };
    if (!(await session.deliverProactive(line))) {
      throw conflict('AI正在响应中，无法主动搭话');
    }
    recent.push(now);
    this.recentLines.set(character, [...said, line].slice(-MAX_PER_HOUR));
    const source = useScreen ? 'vision' : memory.trim() ? 'personal' : 'home';
    return {
      success: true, action: 'chat', message: '主动搭话已发送', lanlan_name: character,
      source_mode: source, source_tag: source, active_channels: useScreen ? ['vision'] : [], source_links: [],
    };
  }
}
