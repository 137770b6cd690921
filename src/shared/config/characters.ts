import { z } from 'zod';
import { badRequest, notFound } from '../errors.js';
import { validateCharacterName, NameError } from './names.js';
import { defaultReserved, isDefaultPrompt, DEFAULT_PROMPTS, type UiLanguage } from './default-characters.js';

/**
 * characters.json (shared/spec rest.md §14.1): Chinese top-level keys kept so an existing user's file works.
 * Persona fields are free-form; `_reserved` holds what the app itself manages.
 */
export const MASTER_KEY = '主人';
export const CHARACTERS_KEY = '猫娘';
export const CURRENT_KEY = '当前猫娘';
export const MICROPHONE_KEY = '当前麦克风';
export const NAME_FIELD = '档案名';

export const SYSTEM_RESERVED_FIELDS = [
  '_reserved', 'live2d', 'voice_id', 'system_prompt', 'model_type', 'vrm', 'vrm_animation', 'lighting', 'vrm_rotation',
  'live2d_item_id', 'item_id', 'idleAnimation',
] as const;
export const WORKSHOP_RESERVED_FIELDS = ['原始数据', '文件路径', '创意工坊物品ID', 'description', 'tags', 'name', '描述', '标签', '关键词'] as const;
export const ALL_RESERVED_FIELDS: readonly string[] = [...SYSTEM_RESERVED_FIELDS, ...WORKSHOP_RESERVED_FIELDS];

const LightingSchema = z.object({
  ambient: z.number(), main: z.number(), fill: z.number(), rim: z.number(),
  top: z.number(), bottom: z.number(), exposure: z.number(), toneMapping: z.number(),
});
export type Lighting = z.infer<typeof LightingSchema>;

export const VRM_LIGHTING_RANGES: Record<keyof Lighting, [number, number]> = {
  ambient: [0, 1], main: [0, 2.5], fill: [0, 1], rim: [0, 1.5], top: [0, 1], bottom: [0, 0.5], exposure: [-10, 10], toneMapping: [0, 5],
};
export const DEFAULT_VRM_LIGHTING: Lighting = { ambient: 0.4, main: 1.2, fill: 0.5, rim: 0.8, top: 0.3, bottom: 0.15, exposure: 0, toneMapping: 0 };

const ReservedSchema = z
  .object({
    voice_id: z.string().catch(''),
    system_prompt: z.string().catch(''),
    avatar: z
      .object({
        model_type: z.enum(['live2d', 'vrm']).catch('live2d'),
        asset_source: z.string().catch('local'),
        asset_source_id: z.string().catch(''),
        live2d: z.object({ model_path: z.string().catch('') }).catchall(z.unknown()).catch({ model_path: '' }),
        vrm: z
          .object({
            model_path: z.string().catch(''),
            animation: z.string().nullable().catch(null),
            idle_animation: z.string().catch(''),
            lighting: LightingSchema.nullable().catch(null),
          })
          .catchall(z.unknown())
          .catch({ model_path: '', animation: null, idle_animation: '', lighting: null }),
      })
      .catchall(z.unknown()),
  })
  .catchall(z.unknown());
export type Reserved = z.infer<typeof ReservedSchema>;

const CardSchema = z.record(z.string(), z.unknown());
export type CharacterCard = Record<string, unknown> & { _reserved?: Reserved };

/** Shape check for a file on disk; anything that fails it is quarantined, never silently reset. */
export const CharactersFileSchema = z
  .object({
    [MASTER_KEY]: z.record(z.string(), z.unknown()).default({}),
    [CHARACTERS_KEY]: z.record(z.string(), CardSchema),
    [CURRENT_KEY]: z.string().optional(),
    [MICROPHONE_KEY]: z.string().nullable().optional(),
  })
  .catchall(z.unknown());

export interface CharactersDocument {
  [MASTER_KEY]: Record<string, unknown>;
  [CHARACTERS_KEY]: Record<string, CharacterCard>;
  [CURRENT_KEY]?: string;
  [MICROPHONE_KEY]?: string | null;
  [extra: string]: unknown;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function modelPathFromLive2d(value: string): string {
  return value.endsWith('.model3.json') ? value : `${value}/${value}.model3.json`;
}

/**
 * Moves legacy flat keys into `_reserved` and fills defaults (the original does this on every load).
 * Returns whether anything changed, so the store can persist the migration once.
 */
export function migrateCard(card: CharacterCard): boolean {
  const before = JSON.stringify(card);
  const base = defaultReserved();
  const raw = (typeof card._reserved === 'object' && card._reserved !== null ? card._reserved : {}) as Record<string, unknown>;
  const merged = ReservedSchema.parse({
    ...base,
    ...raw,
    avatar: { ...base.avatar, ...((raw.avatar as object | undefined) ?? {}) },
  });
  const avatar = merged.avatar;
  const take = (key: string): unknown => {
    const v = card[key];
    delete card[key];
    return v;
  };
  const voice = take('voice_id');
  if (typeof voice === 'string' && voice && !merged.voice_id) merged.voice_id = voice;
  const prompt = take('system_prompt');
  if (typeof prompt === 'string' && prompt && !merged.system_prompt) merged.system_prompt = prompt;
  const modelType = take('model_type');
  if (modelType === 'vrm' || modelType === 'live2d') avatar.model_type = modelType;
  const live2d = take('live2d');
  if (typeof live2d === 'string' && live2d) avatar.live2d.model_path = modelPathFromLive2d(live2d);
  const vrm = take('vrm');
  if (typeof vrm === 'string' && vrm) avatar.vrm.model_path = vrm;
  const vrmAnimation = take('vrm_animation');
  if (typeof vrmAnimation === 'string') avatar.vrm.animation = vrmAnimation;
  const idle = take('idleAnimation');
  if (typeof idle === 'string') avatar.vrm.idle_animation = idle;
  const lighting = LightingSchema.safeParse(take('lighting'));
  if (lighting.success) avatar.vrm.lighting = lighting.data;
  const itemId = take('live2d_item_id') ?? take('item_id');
  take('item_id');
  if ((typeof itemId === 'string' || typeof itemId === 'number') && String(itemId)) {
    avatar.asset_source_id = String(itemId);
    avatar.asset_source = 'steam_workshop';
  }
  const rotation = take('vrm_rotation');
  if (rotation && typeof rotation === 'object') avatar.vrm.rotation = rotation;
  card._reserved = merged;
  return JSON.stringify(card) !== before;
}

/** Validates and migrates a document read from disk; returns the migrated copy and whether it changed. */
export function normaliseDocument(input: z.infer<typeof CharactersFileSchema>): { doc: CharactersDocument; changed: boolean } {
  const doc = clone(input) as CharactersDocument;
  let changed = false;
  for (const card of Object.values(doc[CHARACTERS_KEY])) changed = migrateCard(card) || changed;
  const current = doc[CURRENT_KEY];
  if (!current || !(current in doc[CHARACTERS_KEY])) {
    const first = Object.keys(doc[CHARACTERS_KEY])[0];
    if (first !== undefined && first !== current) {
      doc[CURRENT_KEY] = first;
      changed = true;
    }
  }
  return { doc, changed };
}

/** Adds the legacy flat keys next to `_reserved`, as the original's GET /api/characters/ does. */
export function flattenCard(card: CharacterCard): Record<string, unknown> {
  const out: Record<string, unknown> = clone(card);
  const r = card._reserved;
  if (!r) return out;
  const avatar = r.avatar;
  const live2dPath = avatar.live2d.model_path ?? '';
  out.voice_id = r.voice_id;
  out.system_prompt = r.system_prompt;
  out.model_type = avatar.model_type;
  out.live2d = live2dPath ? live2dPath.split('/')[0]!.replace(/\.model3\.json$/, '') : '';
  out.vrm = avatar.vrm.model_path;
  out.live2d_item_id = avatar.asset_source_id;
  out.vrm_animation = avatar.vrm.animation;
  out.idleAnimation = avatar.vrm.idle_animation;
  out.lighting = avatar.vrm.lighting;
  return out;
}

export function flattenDocument(doc: CharactersDocument): Record<string, unknown> {
  const out: Record<string, unknown> = clone(doc);
  out[CHARACTERS_KEY] = Object.fromEntries(Object.entries(doc[CHARACTERS_KEY]).map(([n, c]) => [n, flattenCard(c)]));
  return out;
}

/** The system prompt a session uses: stored unless it is a default, then the current language's default. */
export function effectiveSystemPrompt(doc: CharactersDocument, name: string, language: UiLanguage): string {
  const card = doc[CHARACTERS_KEY][name];
  const stored = card?._reserved?.system_prompt;
  const template = isDefaultPrompt(stored) ? DEFAULT_PROMPTS[language] : stored!;
  const master = String(doc[MASTER_KEY]?.[NAME_FIELD] ?? '');
  return template.replaceAll('{LANLAN_NAME}', name).replaceAll('{MASTER_NAME}', master);
}

/** Persona fields only: reserved keys stripped, falsy values dropped (the original's filter). */
export function mutablePersonaFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === NAME_FIELD || ALL_RESERVED_FIELDS.includes(k)) continue;
    if (v === '' || v === 0 || v === false || v === null || v === undefined) continue;
    if (typeof v === 'string' && v.length > 20_000) throw badRequest(`字段 ${k} 过长 (at most 20000 characters)`);
    out[k] = v;
  }
  return out;
}

export function requireCharacter(doc: CharactersDocument, name: string, message = '猫娘不存在'): CharacterCard {
  const card = Object.hasOwn(doc[CHARACTERS_KEY], name) ? doc[CHARACTERS_KEY][name] : undefined;
  if (!card) throw notFound(message);
  return card;
}

export function validName(raw: unknown, field = '档案名'): string {
  try {
    return validateCharacterName(raw, field);
  } catch (err) {
    if (err instanceof NameError) throw badRequest(err.message);
    throw err;
  }
}

/** Writes a card made of the body's persona fields under `name`, with default reserved fields. */
function putNewCard(doc: CharactersDocument, name: string, body: Record<string, unknown>): { doc: CharactersDocument; name: string } {
  const next = clone(doc);
  const card: CharacterCard = mutablePersonaFields(body);
  migrateCard(card);
  next[CHARACTERS_KEY][name] = card;
  if (!next[CURRENT_KEY]) next[CURRENT_KEY] = name;
  return { doc: next, name };
}

export function addCharacter(doc: CharactersDocument, body: Record<string, unknown>): { doc: CharactersDocument; name: string } {
  const name = validName(body[NAME_FIELD]);
  if (Object.hasOwn(doc[CHARACTERS_KEY], name)) throw badRequest('该猫娘已存在');
  return putNewCard(doc, name, body);
}

/** Replaces all persona fields (rest.md §4.13); reserved fields in the body are ignored and reported. */
export function replacePersona(doc: CharactersDocument, name: string, body: Record<string, unknown>) {
  requireCharacter(doc, name);
  const next = clone(doc);
  const card = next[CHARACTERS_KEY][name]!;
  const reserved = card._reserved!;
  const ignored = Object.keys(body).filter((k) => ALL_RESERVED_FIELDS.includes(k) && k !== 'voice_id');
  next[CHARACTERS_KEY][name] = { ...mutablePersonaFields(body), _reserved: reserved };
  return { doc: next, ignoredReservedFields: ignored };
}

export function renameCharacter(doc: CharactersDocument, oldName: string, rawNew: unknown): { doc: CharactersDocument; newName: string } {
  if (typeof rawNew !== 'string' || rawNew.trim() === '') throw badRequest('新档案名不能为空');
  const newName = validName(rawNew, '新档案名');
  requireCharacter(doc, oldName, '原猫娘不存在');
  if (newName !== oldName && Object.hasOwn(doc[CHARACTERS_KEY], newName)) throw badRequest('新档案名已存在');
  const next = clone(doc);
  const card = next[CHARACTERS_KEY][oldName]!;
  delete next[CHARACTERS_KEY][oldName];
  next[CHARACTERS_KEY][newName] = card;
  if (next[CURRENT_KEY] === oldName) next[CURRENT_KEY] = newName;
  return { doc: next, newName };
}

export function deleteCharacter(doc: CharactersDocument, name: string): CharactersDocument {
  requireCharacter(doc, name);
  if (doc[CURRENT_KEY] === name) throw badRequest('不能删除当前正在使用的猫娘！请先切换到其他猫娘后再删除。');
  const next = clone(doc);
  delete next[CHARACTERS_KEY][name];
  return next;
}

export function setCurrentCharacter(doc: CharactersDocument, raw: unknown): CharactersDocument {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('猫娘名称不能为空');
  requireCharacter(doc, raw.trim(), '指定的猫娘不存在');
  return { ...clone(doc), [CURRENT_KEY]: raw.trim() };
}

/** POST /api/characters/set_microphone: the page's chosen input device id (null = system default). */
export function setMicrophone(doc: CharactersDocument, deviceId: unknown): CharactersDocument {
  if (deviceId !== null && deviceId !== undefined && typeof deviceId !== 'string') throw badRequest('microphone_id 必须是字符串或 null');
  if (typeof deviceId === 'string' && (deviceId.length > 512 || /[\u0000-\u001f]/.test(deviceId))) throw badRequest('microphone_id 无效');
  return { ...clone(doc), [MICROPHONE_KEY]: deviceId ?? null };
}

/** Replaces the master profile with its truthy fields (rest.md §4.11). */
export function replaceMaster(doc: CharactersDocument, body: Record<string, unknown>): CharactersDocument {
  validName(body[NAME_FIELD]);
  const master: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === '' || v === 0 || v === false || v === null || v === undefined) continue;
    if (typeof v === 'string' && v.length > 20_000) throw badRequest(`字段 ${k} 过长 (at most 20000 characters)`);
    master[k] = typeof v === 'string' ? v.trim() : v;
  }
  return { ...clone(doc), [MASTER_KEY]: master };
}

const ANIMATION_PREFIXES = ['/user_vrm/animation/', '/static/vrm/animation/'];
const VRM_PREFIXES = ['/user_vrm/', '/static/vrm/'];

function checkAssetPath(value: string, prefixes: string[], what: string): void {
  if (value.includes('://') || value.startsWith('data:') || value.includes('..') || /[\u0000-\u001f\\]/.test(value)) {
    throw badRequest(`${what}路径无效: ${value}`);
  }
  if (!prefixes.some((p) => value.startsWith(p))) throw badRequest(`${what}路径必须以 ${prefixes.join(' 或 ')} 开头`);
}

/** PUT /api/characters/catgirl/l2d/{name} (rest.md §4.3). */
export function bindAvatar(doc: CharactersDocument, name: string, body: Record<string, unknown>): { doc: CharactersDocument; model: string } {
  const modelType = body.model_type ?? 'live2d';
  if (modelType !== 'live2d' && modelType !== 'vrm') throw badRequest('model_type 必须是 live2d 或 vrm');
  requireCharacter(doc, name);
  const next = clone(doc);
  const avatar = next[CHARACTERS_KEY][name]!._reserved!.avatar;
  if (modelType === 'vrm') {
    const vrm = body.vrm;
    if (typeof vrm !== 'string' || !vrm) throw badRequest('VRM模型路径不能为空');
    checkAssetPath(vrm, VRM_PREFIXES, 'VRM模型');
    for (const key of ['vrm_animation', 'idle_animation'] as const) {
      const v = body[key];
      if (v === undefined) continue;
      if (v !== null && typeof v !== 'string') throw badRequest(`${key} 必须是字符串`);
      if (v) checkAssetPath(v, ANIMATION_PREFIXES, '动作');
    }
    avatar.model_type = 'vrm';
    avatar.live2d.model_path = '';
    avatar.asset_source_id = '';
    avatar.vrm.model_path = vrm;
    if (body.vrm_animation !== undefined) avatar.vrm.animation = (body.vrm_animation as string | null) || null;
    if (body.idle_animation !== undefined) avatar.vrm.idle_animation = (body.idle_animation as string | null) || '';
    return { doc: next, model: vrm };
  }
  const live2d = body.live2d;
  if (typeof live2d !== 'string' || !live2d.trim()) throw badRequest('Live2D模型名称不能为空');
  const value = live2d.trim();
  if (value.includes('..') || value.includes('://') || value.startsWith('/') || /[\u0000-\u001f\\]/.test(value)) {
    throw badRequest(`Live2D模型路径无效: ${value}`);
  }
  const itemId = body.item_id;
  avatar.model_type = 'live2d';
  avatar.vrm = { ...avatar.vrm, model_path: '', animation: null, lighting: null };
  avatar.live2d.model_path = modelPathFromLive2d(value);
  avatar.asset_source_id = itemId === undefined || itemId === null ? '' : String(itemId);
  avatar.asset_source = avatar.asset_source_id ? 'steam_workshop' : 'local';
  return { doc: next, model: value };
}

/** PUT /api/characters/catgirl/{name}/lighting (rest.md §4.4): merged over existing, every key range-checked. */
export function setLighting(doc: CharactersDocument, name: string, lighting: unknown): { doc: CharactersDocument; lighting: Lighting } {
  if (typeof lighting !== 'object' || lighting === null || Array.isArray(lighting)) throw badRequest('lighting 必须是对象');
  requireCharacter(doc, name);
  const next = clone(doc);
  const vrm = next[CHARACTERS_KEY][name]!._reserved!.avatar.vrm;
  const merged: Record<string, unknown> = { ...DEFAULT_VRM_LIGHTING, ...(vrm.lighting ?? {}), ...lighting };
  const out = {} as Lighting;
  for (const [key, [min, max]] of Object.entries(VRM_LIGHTING_RANGES) as [keyof Lighting, [number, number]][]) {
    const v = Number(merged[key]);
    if (merged[key] === undefined || merged[key] === null || merged[key] === '') throw badRequest(`缺少打光参数: ${key}`);
    if (!Number.isFinite(v) || v < min || v > max) throw badRequest(`打光参数 ${key} 超出范围 (${min}-${max})`);
    out[key] = v;
  }
  vrm.lighting = out;
  return { doc: next, lighting: out };
}

export function setVoiceId(doc: CharactersDocument, name: string, voiceId: string): { doc: CharactersDocument; changed: boolean } {
  const card = requireCharacter(doc, name);
  if (card._reserved!.voice_id === voiceId) return { doc, changed: false };
  const next = clone(doc);
  next[CHARACTERS_KEY][name]!._reserved!.voice_id = voiceId;
  return { doc: next, changed: true };
}

/** Longest system prompt stored; real prompts are a few thousand characters. */
const MAX_SYSTEM_PROMPT = 50_000;

/**
 * `system_prompt` in a create/edit/card body (neko's settings page edits it; the original had no route for it):
 * a string replaces `_reserved.system_prompt` ("" = the language's default). Absent: unchanged.
 */
export function applySystemPrompt(doc: CharactersDocument, name: string, body: Record<string, unknown>): CharactersDocument {
  if (!('system_prompt' in body) || body.system_prompt === undefined || body.system_prompt === null) return doc;
  const prompt = body.system_prompt;
  if (typeof prompt !== 'string') throw badRequest('system_prompt 必须是字符串');
  if (prompt.length > MAX_SYSTEM_PROMPT) throw badRequest(`system_prompt 过长 (at most ${MAX_SYSTEM_PROMPT} characters)`);
  requireCharacter(doc, name);
  const next = clone(doc);
  next[CHARACTERS_KEY][name]!._reserved!.system_prompt = prompt;
  return next;
}

export function clearVoiceIds(doc: CharactersDocument, only?: (voiceId: string) => boolean): { doc: CharactersDocument; cleared: string[] } {
  const next = clone(doc);
  const cleared: string[] = [];
  for (const [name, card] of Object.entries(next[CHARACTERS_KEY])) {
    const id = card._reserved?.voice_id;
    if (id && (!only || only(id))) {
      card._reserved!.voice_id = '';
      cleared.push(name);
    }
  }
  return { doc: next, cleared };
}

/** Creates or replaces a character from a card (rest.md §4.21 save): reserved fields come back as defaults. */
export function upsertFromCard(doc: CharactersDocument, chara: Record<string, unknown>, fallbackName: unknown) {
  return putNewCard(doc, validName(chara[NAME_FIELD] || chara.name || fallbackName), chara);
}
