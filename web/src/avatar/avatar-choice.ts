import { getJson } from '../api';
import type { VrmLighting } from './vrm/vrm-avatar';

/** Which avatar a character gets, as decided from the server's answer. */
export type AvatarChoice =
  | { type: 'default' }
  | { type: 'vrm'; url: string; modelName: string; lighting?: Partial<VrmLighting> }
  | { type: 'live2d'; url: string; modelName: string }
  /** A model is set but its file is not there: the built-in avatar, and say why. */
  | { type: 'missing'; modelType: 'vrm' | 'live2d'; file: string };

type PageConfig = { success?: boolean; model_type?: string; model_path?: string };
type StoredAvatar = { model_type?: string; live2d?: { model_path?: string }; vrm?: { model_path?: string; lighting?: Record<string, unknown> | null } };
type Card = { _reserved?: { avatar?: StoredAvatar } };

/** The Live2D model every new character starts with in the original; neko ships the built-in avatar instead. */
const ORIGINAL_DEFAULT_LIVE2D = 'mao_pro/mao_pro.model3.json';

/** `/user_vrm/My%20Girl.vrm` → `My Girl` (the name the emotion-mapping route takes). */
export function vrmModelName(url: string): string {
  const file = url.split('?')[0]!.split('/').pop() ?? '';
  let name = file;
  try {
    name = decodeURIComponent(file);
  } catch {
    // keep it encoded
  }
  return name.replace(/\.vrm$/i, '');
}

/** `/user_live2d/hiyori/hiyori.model3.json` → `hiyori` (its folder: the Live2D routes' model name). */
export function live2dModelName(url: string): string {
  const parts = url.split('?')[0]!.split('/').filter(Boolean);
  const folder = parts.length >= 2 ? parts[parts.length - 2]! : (parts[0] ?? '');
  try {
    return decodeURIComponent(folder);
  } catch {
    return folder;
  }
}

function numbers(raw: Record<string, unknown> | null | undefined): Partial<VrmLighting> | undefined {
  if (!raw) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out as Partial<VrmLighting>;
}

/**
 * Asks main which model `character` uses: `GET /api/config/page_config` (rest.md §3.2) resolves the stored path
 * to a URL that exists, and the characters file says what was stored, so a missing file can be named.
 * Never throws: if the server cannot tell, the built-in avatar is shown.
 */
export async function chooseAvatar(character: string): Promise<AvatarChoice> {
  const doc = await getJson<{ 猫娘?: Record<string, Card> }>('/api/characters/').catch(() => undefined);
  // A name from the address that is no character (the server corrects it on connect): nothing to ask about.
  if (doc?.猫娘 && !Object.hasOwn(doc.猫娘, character)) return { type: 'default' };
  const config = await getJson<PageConfig>(`/api/config/page_config?lanlan_name=${encodeURIComponent(character)}`).catch(() => undefined);
  const stored = doc?.猫娘?.[character]?._reserved?.avatar;
  const path = config?.model_path?.trim() ?? '';
  if (config?.model_type === 'vrm') {
    if (path) return { type: 'vrm', url: path, modelName: vrmModelName(path), lighting: numbers(stored?.vrm?.lighting) };
    const file = stored?.vrm?.model_path?.trim();
    return file ? { type: 'missing', modelType: 'vrm', file } : { type: 'default' };
  }
  if (path) return { type: 'live2d', url: path, modelName: live2dModelName(path) };
  const file = stored?.live2d?.model_path?.trim();
  return file && file !== ORIGINAL_DEFAULT_LIVE2D ? { type: 'missing', modelType: 'live2d', file } : { type: 'default' };
}

/** Two choices that show the same thing (no reload needed on a character switch). */
export function sameChoice(a: AvatarChoice | undefined, b: AvatarChoice): boolean {
  if (!a || a.type !== b.type) return false;
  if (a.type === 'vrm' && b.type === 'vrm') return a.url === b.url && JSON.stringify(a.lighting ?? {}) === JSON.stringify(b.lighting ?? {});
  if (a.type === 'live2d' && b.type === 'live2d') return a.url === b.url;
  if (a.type === 'missing' && b.type === 'missing') return a.file === b.file;
  return true;
}
