/** The memory browser's calls to main (`/api/memory/browser/…`, rest.md §5's review switch). */
import type {
  BrowserChange, BrowserFacts, BrowserHistoryPage, BrowserRecent,
} from '../../../src/shared/protocol/memory-browser';
import { ApiError } from '../api';

export type { BrowserFact, BrowserHistoryPage } from '../../../src/shared/protocol/memory-browser';
export type { HistoryItem, RecentItem } from '../../../src/shared/protocol/memory';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    // main itself is unreachable: the same situation for the page as memory being down.
    throw new ApiError(0, (err as Error).message);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) throw new BrowserApiError(res.status, (data as { error?: string } | undefined)?.error ?? `${path} answered ${res.status}`, (data as { code?: string } | undefined)?.code);
  return data as T;
}

/** A failed call, with main's error code (MEMORY_UNAVAILABLE, UNKNOWN_CHARACTER, NOT_FOUND, …). */
export class BrowserApiError extends ApiError {
  constructor(status: number, message: string, readonly code?: string) {
    super(status, message);
  }
}

/** The memory service (or main) cannot be reached right now: worth trying again later. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status === 502 || err.status === 503);
}

const base = (character: string) => `/api/memory/browser/${encodeURIComponent(character)}`;

export interface HistoryFilter {
  q?: string;
  /** ISO time: only items at or after it. */
  after?: string;
  /** ISO time: only items at or before it. */
  before?: string;
}

export function loadHistory(character: string, filter: HistoryFilter, cursor?: string, limit = 50): Promise<BrowserHistoryPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (filter.q) params.set('q', filter.q);
  if (filter.after) params.set('after', filter.after);
  if (filter.before) params.set('before', filter.before);
  if (cursor) params.set('cursor', cursor);
  return call('GET', `${base(character)}/history?${params}`);
}

export const loadRecent = (character: string): Promise<BrowserRecent> => call('GET', `${base(character)}/recent`);
export const editItem = (character: string, id: string, text: string): Promise<BrowserChange> =>
  call('PATCH', `${base(character)}/history/${encodeURIComponent(id)}`, { text });
export const forgetItem = (character: string, id: string): Promise<BrowserChange> =>
  call('DELETE', `${base(character)}/history/${encodeURIComponent(id)}`);

export const loadFacts = (character: string): Promise<BrowserFacts> => call('GET', `${base(character)}/facts`);
export const editFact = (character: string, id: string, value: string): Promise<BrowserChange> =>
  call('PATCH', `${base(character)}/facts/${encodeURIComponent(id)}`, { value });
export const forgetFact = (character: string, id: string): Promise<BrowserChange> =>
  call('DELETE', `${base(character)}/facts/${encodeURIComponent(id)}`);

export const loadReviewConfig = (): Promise<{ enabled: boolean }> => call('GET', '/api/memory/review_config');
export const saveReviewConfig = (enabled: boolean): Promise<{ success: boolean; enabled: boolean }> =>
  call('POST', '/api/memory/review_config', { enabled });
