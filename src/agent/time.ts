/** The spec's timestamp shape: ISO 8601 in UTC with a trailing `Z` (agent.md §2.4). */
export function nowIso(): string {
  return new Date().toISOString();
}
