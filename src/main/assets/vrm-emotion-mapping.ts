import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import { badRequest } from '../../shared/errors.js';
import { readJsonObject } from './live2d-model-config.js';
import { DEFAULT_MOOD_MAP } from '../../shared/vrm-mood-map.js';

export { DEFAULT_MOOD_MAP };

/** The expression names the VRM emotion editor offers (the original's fixed list; the model is not read). */
export const VRM_EXPRESSIONS = [
  'neutral', 'happy', 'joy', 'fun', 'smile', 'joy_01', 'relaxed', 'content', 'sad', 'sorrow', 'grief', 'angry', 'anger',
  'surprised', 'surprise', 'shock', 'blink', 'blink_l', 'blink_r', 'aa', 'ih', 'ou', 'ee', 'oh', 'lookUp', 'lookDown', 'lookLeft', 'lookRight',
] as const;

/** `sister1.0` → `sister10`: the original's file-name key (characters other than `\w` and `-` removed). */
export function safeVrmKey(modelName: string): string {
  const key = modelName.replace(/[^\w-]/g, '');
  if (!key) throw badRequest('Invalid model name', 'INVALID_MODEL_NAME');
  return key;
}

/** `{emotion: "x" | ["x", …]}` → `{emotion: ["x", …]}`; anything else, or nothing usable, is a 400. */
export function normaliseMoodMap(body: unknown): Record<string, string[]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('无效的配置数据 (a JSON object is required)');
  const out: Record<string, string[]> = {};
  for (const [emotion, value] of Object.entries(body)) {
    if (!/^[\w-]{1,40}$/.test(emotion)) throw badRequest(`无效的情绪名称: ${emotion}`);
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
    if (list.length) out[emotion] = list;
  }
  if (Object.keys(out).length === 0) throw badRequest('无效的配置数据 (empty emotion mapping)');
  return out;
}

/**
 * Per-model VRM emotion mappings, kept in the user's VRM folder (`configs/<key>_emotion.json`) — the
 * original wrote them into the installation's static tree, which fails on a read-only install.
 */
export class VrmEmotionMappings {
  constructor(private readonly dir: string) {}

  private file(modelName: string): string {
    return join(this.dir, `${safeVrmKey(modelName)}_emotion.json`);
  }

  get(modelName: string): Record<string, unknown> {
    const stored = readJsonObject(this.file(modelName));
    return stored && Object.keys(stored).length ? stored : { ...DEFAULT_MOOD_MAP };
  }

  save(modelName: string, mapping: Record<string, string[]>): void {
    mkdirSync(this.dir, { recursive: true });
    writeJsonAtomic(this.file(modelName), mapping, 2);
  }
}
