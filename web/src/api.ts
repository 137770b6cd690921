/** Typed calls to main's REST API (shared/spec rest.md): the same routes the original page uses. */
import type { Expression } from './avatar/avatar';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const message = (data as { error?: string } | undefined)?.error ?? `${path} answered ${res.status}`;
    throw new ApiError(res.status, message);
  }
  return data as T;
}

export const getJson = <T>(path: string): Promise<T> => request<T>(path);
export const postJson = <T>(path: string, body: unknown): Promise<T> => request<T>(path, { method: 'POST', body: JSON.stringify(body) });

/** `GET /api/characters/`: the whole characters file (keys are the original's Chinese ones). */
export type CharactersDocument = {
  主人: Record<string, unknown>;
  猫娘: Record<string, Record<string, unknown>>;
  当前猫娘?: string;
};

/** neko's `GET /api/config/status`. */
export type ConfigStatus = {
  success: boolean;
  language?: string;
  problems: { file: string; error: string; quarantinedAs?: string }[];
  core: { coreApi: string; assistApi: string; coreKeyMissing: boolean };
};

export function loadCharacters(): Promise<CharactersDocument> {
  return getJson<CharactersDocument>('/api/characters/');
}

export function setCurrentCharacter(name: string): Promise<{ success: boolean }> {
  return postJson('/api/characters/current_catgirl', { catgirl_name: name });
}

export function loadConfigStatus(): Promise<ConfigStatus> {
  return getJson<ConfigStatus>('/api/config/status');
}

/** True when replies come from the built-in offline `sim` (chosen, or the fallback for a missing key). */
export function isOfflineDemo(status: ConfigStatus): boolean {
  return status.core.coreApi === 'sim' || status.core.coreKeyMissing;
}

const EXPRESSIONS: readonly Expression[] = ['neutral', 'happy', 'sad', 'angry', 'surprised'];

/**
 * `POST /api/emotion/analysis` (rest.md §9.2). Resolves to null when the route does not exist (404) so the
 * caller can stop asking; other failures and unknown emotions read as neutral.
 */
export async function analyseEmotion(text: string, character: string): Promise<Expression | null> {
  try {
    const res = await postJson<{ emotion?: string; confidence?: number }>('/api/emotion/analysis', { text, lanlan_name: character });
    const emotion = EXPRESSIONS.find((e) => e === res.emotion);
    return emotion ?? 'neutral';
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501)) return null;
    return 'neutral';
  }
}
