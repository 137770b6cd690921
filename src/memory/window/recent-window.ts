import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../shared/log.js';
import { readJsonFile, writeJsonAtomic } from '../../shared/config/json-file.js';
import { LcWindowSchema, type LcMessage } from './langchain-messages.js';

/** The window keeps at most this many messages after compression (memory.md §1.7). */
export const WINDOW_SIZE = 10;
/** Compression keeps the newest 9 and folds everything older into one summary message in front of them. */
export const WINDOW_KEEP = WINDOW_SIZE - 1;

export function windowFileName(character: string): string {
  return `recent_${character}.json`;
}

/**
 * `recent_<name>.json` on disk. Always re-read before a change, so hand edits (the page's memory editor writes
 * this file directly) win. An unreadable file is moved aside (`.corrupt-<time>`) and reported, never reset in
 * place as the original did.
 */
export class RecentWindows {
  constructor(
    private readonly folder: () => string,
    private readonly log: Logger,
  ) {}

  file(character: string): string {
    return join(this.folder(), windowFileName(character));
  }

  read(character: string): LcMessage[] {
    const result = readJsonFile(this.file(character), LcWindowSchema);
    if (result.status === 'ok') return result.value;
    if (result.status === 'corrupt') {
      this.log.error({ character, file: result.problem.file, quarantinedAs: result.problem.quarantinedAs, err: result.problem.error }, 'recent window unreadable; moved aside');
    }
    return [];
  }

  write(character: string, messages: readonly LcMessage[]): void {
    mkdirSync(this.folder(), { recursive: true });
    writeJsonAtomic(this.file(character), messages);
  }

  append(character: string, messages: readonly LcMessage[]): LcMessage[] {
    const next = [...this.read(character), ...messages];
    if (messages.length > 0) this.write(character, next);
    return next;
  }
}

/** Whether `current` still begins with exactly `prefix` (so a result computed from `prefix` may replace it). */
export function startsWith(current: readonly LcMessage[], prefix: readonly LcMessage[]): boolean {
  if (current.length < prefix.length) return false;
  return prefix.every((m, i) => JSON.stringify(m) === JSON.stringify(current[i]));
}
