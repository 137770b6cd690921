import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

/** The user data folder, laid out as the original's (shared/spec rest.md §13.1). */
export interface DataPaths {
  root: string;
  config: string;
  memory: string;
  live2d: string;
  vrm: string;
  vrmAnimation: string;
  characterCards: string;
  workshop: string;
  plugins: string;
  /** neko's own state (outboxes, databases) that the original never had. */
  state: string;
}

export const CONFIG_FILES = {
  characters: 'characters.json',
  core: 'core_config.json',
  preferences: 'user_preferences.json',
  voices: 'voice_storage.json',
} as const;

/** `NEKO_DATA_DIR` > `$XDG_DOCUMENTS_DIR/N.E.K.O` > `~/Documents/N.E.K.O`. */
export function resolveDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NEKO_DATA_DIR?.trim()) return resolve(env.NEKO_DATA_DIR.trim());
  const docs = env.XDG_DOCUMENTS_DIR?.trim() || join(homedir(), 'Documents');
  return join(docs, 'N.E.K.O');
}

export function dataPaths(root = resolveDataRoot()): DataPaths {
  return {
    root,
    config: join(root, 'config'),
    memory: join(root, 'memory'),
    live2d: join(root, 'live2d'),
    vrm: join(root, 'vrm'),
    vrmAnimation: join(root, 'vrm', 'animation'),
    characterCards: join(root, 'character_cards'),
    workshop: join(root, 'workshop'),
    plugins: join(root, 'plugins'),
    state: join(root, 'neko'),
  };
}

export function ensureDataDirs(paths: DataPaths): void {
  for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
}
