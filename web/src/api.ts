/** Typed calls to main's REST API (shared/spec rest.md): the same routes the original page uses. */
import type { Expression } from './avatar/avatar';

/** A failed call: HTTP status (0 when main could not be reached), the server's sentence, its `code` and body. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string, readonly body?: unknown) {
    super(message);
  }
}

/** The server's reason from an error body (`error`, else `detail`, the original's field, else `message`). */
function reason(data: unknown, fallback: string): string {
  const d = data as { error?: unknown; detail?: unknown; message?: unknown } | undefined;
  for (const v of [d?.error, d?.detail, d?.message]) if (typeof v === 'string' && v) return v;
  return fallback;
}

/** One JSON call to main; every page's API module goes through here. A 4xx/5xx or no answer throws ApiError. */
export async function callJson<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, (err as Error).message, 'NETWORK');
  }
  const text = await res.text();
  if (!res.ok) throw apiError(res.status, text, path);
  return parseJson(text) as T;
}

/** The body as JSON, or undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The ApiError for a failed answer's status and body text (also for uploads made with XMLHttpRequest). */
export function apiError(status: number, text: string, path: string): ApiError {
  const data = parseJson(text);
  return new ApiError(status, reason(data, `${path} answered ${status}`), (data as { code?: string } | undefined)?.code, data);
}

export const getJson = <T>(path: string): Promise<T> => callJson<T>('GET', path);
export const postJson = <T>(path: string, body: unknown): Promise<T> => callJson<T>('POST', path, body);

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
