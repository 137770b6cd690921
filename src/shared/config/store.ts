import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../log.js';
import { CONFIG_FILES, dataPaths, ensureDataDirs, type DataPaths } from './paths.js';
import { readJsonFile, writeJsonAtomic, type FileProblem } from './json-file.js';
import { CharactersFileSchema, normaliseDocument, type CharactersDocument, CURRENT_KEY, CHARACTERS_KEY } from './characters.js';
import { defaultCharactersDocument, systemLanguage, type UiLanguage } from './default-characters.js';
import { CoreConfigFileSchema, resolveCoreConfig, type CoreConfigFile, type ResolvedCoreConfig } from './core-config.js';
import { PreferencesFileSchema } from './preferences.js';
import { VoiceStorageSchema, type VoiceStorage } from './voice-storage.js';

interface Cached<T> {
  value: T;
  /** mtime+size of the file when read, so edits by another process or by hand are picked up. */
  stamp: string;
}

function fileStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

export interface ConfigStoreEvents {
  /** A config file was written by this process. */
  changed: [file: keyof typeof CONFIG_FILES];
  /** A file was unreadable and has been moved aside. */
  problem: [problem: FileProblem];
}

/**
 * The user's config folder, layered: env `NEKO_*` > files in the data folder > provider catalogue > defaults.
 * Reads are cached and revalidated by mtime; writes are atomic and synchronous, so two requests
 * in one process can never interleave a read-modify-write.
 */
export class ConfigStore extends EventEmitter<ConfigStoreEvents> {
  readonly paths: DataPaths;
  readonly language: UiLanguage;
  /** Files found unreadable since start (kept so the API can show them). */
  readonly problems: FileProblem[] = [];
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(
    private readonly log: Logger,
    opts: { paths?: DataPaths; language?: UiLanguage; env?: NodeJS.ProcessEnv } = {},
  ) {
    super();
    this.env = opts.env ?? process.env;
    this.paths = opts.paths ?? dataPaths();
    this.language = opts.language ?? systemLanguage(this.env);
    ensureDataDirs(this.paths);
  }

  private readonly env: NodeJS.ProcessEnv;

  file(name: keyof typeof CONFIG_FILES): string {
    return join(this.paths.config, CONFIG_FILES[name]);
  }

  private read<T>(name: keyof typeof CONFIG_FILES, schema: z.ZodType<T>, fallback: () => T, onLoad?: (v: T) => T): T {
    const file = this.file(name);
    const stamp = fileStamp(file);
    const hit = this.cache.get(name);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const result = readJsonFile(file, schema);
    let value: T;
    if (result.status === 'ok') {
      value = onLoad ? onLoad(result.value) : result.value;
    } else {
      if (result.status === 'corrupt') this.report(result.problem);
      value = fallback();
    }
    this.cache.set(name, { value, stamp: fileStamp(file) });
    return value;
  }

  private report(problem: FileProblem): void {
    this.problems.push(problem);
    this.log.error({ file: problem.file, quarantinedAs: problem.quarantinedAs, err: problem.error }, 'config file unreadable; moved aside and started from defaults');
    this.emit('problem', problem);
  }

  private write(name: keyof typeof CONFIG_FILES, value: unknown): void {
    const file = this.file(name);
    writeJsonAtomic(file, value);
    this.cache.set(name, { value, stamp: fileStamp(file) });
    this.emit('changed', name);
  }

  /** characters.json; created with the default character on first start, migrated on load. */
  characters(): CharactersDocument {
    return this.read(
      'characters',
      CharactersFileSchema,
      () => {
        const doc = normaliseDocument(defaultCharactersDocument(this.language)).doc;
        this.write('characters', doc);
        return doc;
      },
      (raw) => {
        const { doc, changed } = normaliseDocument(raw);
        if (changed) writeJsonAtomic(this.file('characters'), doc);
        return doc;
      },
    );
  }

  saveCharacters(doc: CharactersDocument): void {
    this.write('characters', doc);
  }

  currentCharacter(): string {
    const doc = this.characters();
    return doc[CURRENT_KEY] ?? Object.keys(doc[CHARACTERS_KEY])[0] ?? '';
  }

  hasCharacter(name: string): boolean {
    return Object.hasOwn(this.characters()[CHARACTERS_KEY], name);
  }

  coreFile(): CoreConfigFile {
    return this.read('core', CoreConfigFileSchema, () => ({}));
  }

  saveCore(file: CoreConfigFile): void {
    this.write('core', file);
  }

  resolvedCore(): ResolvedCoreConfig {
    return resolveCoreConfig(this.coreFile(), this.env);
  }

  preferences(): Record<string, unknown>[] {
    return this.read('preferences', PreferencesFileSchema, () => []);
  }

  savePreferences(list: Record<string, unknown>[]): void {
    this.write('preferences', list);
  }

  voices(): VoiceStorage {
    return this.read('voices', VoiceStorageSchema, () => ({}));
  }

  saveVoices(storage: VoiceStorage): void {
    this.write('voices', storage);
  }

  /** Forget cached reads (POST /api/characters/reload). */
  reload(): void {
    this.cache.clear();
  }
}
