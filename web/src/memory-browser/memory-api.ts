/** The memory browser's calls to main (`/api/memory/browser/…`, rest.md §5's review switch). */
import type {
  BrowserChange, BrowserFacts, BrowserHistoryPage, BrowserRecent,
} from '../../../src/shared/protocol/memory-browser';
import { ApiError, callJson } from '../api';

export type { BrowserFact, BrowserHistoryPage } from '../../../src/shared/protocol/memory-browser';
export type { HistoryItem, RecentItem } from '../../../src/shared/protocol/memory';

const call = callJson;

/** A failed call, with main's error code (MEMORY_UNAVAILABLE, UNKNOWN_CHARACTER, NOT_FOUND, …). */
export { ApiError as BrowserApiError };

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
