import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { badRequest, notFound } from '../../shared/errors.js';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import { existingFileInside, isPlainRelativePath } from '../avatar/asset-files.js';
import { model3FileIn, type Live2dModelDir } from './live2d-catalog.js';

/**
 * The parts of a Live2D `model3.json` the model manager edits (rest.md §7.2): motion groups, expressions and
 * the emotion mapping. Pure functions over the parsed JSON plus the reads and writes of that one file.
 */
export type Model3 = Record<string, unknown> & { FileReferences?: Record<string, unknown> };
export interface EmotionMapping {
  motions: Record<string, string[]>;
  expressions: Record<string, string[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function model3Path(model: Live2dModelDir): string {
  const file = model3FileIn(model.dir, model.name);
  if (!file) throw notFound('模型配置文件不存在');
  return join(model.dir, file);
}

export function readModel3(model: Live2dModelDir): Model3 {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(model3Path(model), 'utf8'));
  } catch (err) {
    if ((err as { status?: number }).status) throw err;
    throw badRequest(`模型配置文件无法解析 (model3.json is not valid JSON: ${(err as Error).message})`, 'INVALID_MODEL_CONFIG');
  }
  if (!isObject(value)) throw badRequest('模型配置文件无法解析 (model3.json is not an object)', 'INVALID_MODEL_CONFIG');
  return value as Model3;
}

export function writeModel3(model: Live2dModelDir, config: Model3): void {
  writeJsonAtomic(model3Path(model), config, 4);
}

/** Adds empty `Motions`/`Expressions` where missing (the page expects both); true when something changed. */
export function ensureReferences(config: Model3): boolean {
  let changed = false;
  if (!isObject(config.FileReferences)) {
    config.FileReferences = {};
    changed = true;
  }
  const refs = config.FileReferences;
  if (!isObject(refs.Motions)) {
    refs.Motions = {};
    changed = true;
  }
  if (!Array.isArray(refs.Expressions)) {
    refs.Expressions = [];
    changed = true;
  }
  return changed;
}

/** POST model_config: only `FileReferences.Motions` and `.Expressions` may be replaced. */
export function applyReferenceUpdate(config: Model3, body: Record<string, unknown>): void {
  const refs = body.FileReferences;
  if (!isObject(refs)) throw badRequest('FileReferences 必须是对象 (FileReferences object required)');
  if (refs.Motions !== undefined && !isObject(refs.Motions)) throw badRequest('FileReferences.Motions 必须是对象');
  if (refs.Expressions !== undefined && !Array.isArray(refs.Expressions)) throw badRequest('FileReferences.Expressions 必须是数组');
  ensureReferences(config);
  if (refs.Motions !== undefined) config.FileReferences!.Motions = refs.Motions;
  if (refs.Expressions !== undefined) config.FileReferences!.Expressions = refs.Expressions;
}

const EXPRESSION_SUFFIX = /\.exp3\.json$/i;

/** The stored `EmotionMapping`, else one derived from motion groups and expression-name prefixes. */
export function emotionMappingOf(config: Model3): EmotionMapping {
  const stored = config.EmotionMapping;
  if (isObject(stored) && isObject(stored.motions) && isObject(stored.expressions)) return stored as unknown as EmotionMapping;
  const refs = isObject(config.FileReferences) ? config.FileReferences : {};
  const motions: Record<string, string[]> = {};
  for (const [group, list] of Object.entries(isObject(refs.Motions) ? refs.Motions : {})) {
    motions[group] = (Array.isArray(list) ? list : []).map((m) => (isObject(m) && typeof m.File === 'string' ? m.File : '')).filter(Boolean);
  }
  const expressions: Record<string, string[]> = {};
  for (const e of Array.isArray(refs.Expressions) ? refs.Expressions : []) {
    if (!isObject(e) || typeof e.File !== 'string') continue;
    const name = typeof e.Name === 'string' ? e.Name : '';
    const emotion = name.includes('_') ? name.slice(0, name.indexOf('_')) : 'neutral';
    (expressions[emotion] ??= []).push(e.File);
  }
  return { motions, expressions };
}

/** Validates a posted mapping: `{motions?: {emotion: [path]}, expressions?: {emotion: [path]}}`. */
export function parseEmotionMapping(body: unknown): EmotionMapping {
  if (!isObject(body) || Object.keys(body).length === 0) throw badRequest('无效的数据 (an emotion mapping object is required)');
  const section = (key: 'motions' | 'expressions'): Record<string, string[]> => {
    const value = body[key] ?? {};
    if (!isObject(value)) throw badRequest(`${key} 必须是对象`);
    const out: Record<string, string[]> = {};
    for (const [emotion, list] of Object.entries(value)) {
      if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) throw badRequest(`${key}.${emotion} 必须是字符串数组`);
      out[emotion] = list as string[];
    }
    return out;
  };
  const mapping = { motions: section('motions'), expressions: section('expressions') };
  if (Object.keys(mapping.motions).length === 0 && Object.keys(mapping.expressions).length === 0) throw badRequest('无效的数据 (empty emotion mapping)');
  return mapping;
}

/** Group the original never rewrites: the idle motions the model plays on its own. */
const IDLE_GROUP = '常驻';

/**
 * Writes a mapping into the model's references: posted motion groups are replaced by the listed files,
 * expressions of a posted emotion are renamed `<emotion>_<file>`; paths that are absolute, climb out or do
 * not exist in the model folder are dropped. The raw mapping is kept under `EmotionMapping`.
 */
export function applyEmotionMapping(config: Model3, mapping: EmotionMapping, modelDir: string): void {
  ensureReferences(config);
  const refs = config.FileReferences!;
  const usable = (p: string) => isPlainRelativePath(p) && existingFileInside(modelDir, p) !== undefined;
  const motions = refs.Motions as Record<string, unknown>;
  for (const [emotion, files] of Object.entries(mapping.motions)) {
    if (emotion === IDLE_GROUP) continue;
    motions[emotion] = files.filter(usable).map((File) => ({ File }));
  }
  const posted = new Set(Object.keys(mapping.expressions));
  const kept = (refs.Expressions as unknown[]).filter((e) => {
    const name = isObject(e) && typeof e.Name === 'string' ? e.Name : '';
    return !posted.has(name.includes('_') ? name.slice(0, name.indexOf('_')) : '');
  });
  for (const [emotion, files] of Object.entries(mapping.expressions)) {
    for (const File of files.filter(usable)) kept.push({ Name: `${emotion}_${posix.basename(File).replace(EXPRESSION_SUFFIX, '')}`, File });
  }
  refs.Expressions = kept;
  config.EmotionMapping = mapping;
}

/** Motion and expression files anywhere in the model folder, POSIX-relative, sorted. */
export function modelFiles(dir: string): { motion_files: string[]; expression_files: string[] } {
  const motion_files: string[] = [];
  const expression_files: string[] = [];
  const walk = (abs: string, rel: string, depth: number) => {
    if (depth > 6) return;
    for (const d of readdirSync(abs, { withFileTypes: true })) {
      if (d.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(join(abs, d.name), r, depth + 1);
      else if (d.isFile() && d.name.toLowerCase().endsWith('.motion3.json')) motion_files.push(r);
      else if (d.isFile() && EXPRESSION_SUFFIX.test(d.name)) expression_files.push(r);
    }
  };
  walk(dir, '', 0);
  return { motion_files: motion_files.sort(), expression_files: expression_files.sort() };
}

/** Parameter ids and groups from the first `*.cdi3.json` (display info shipped with Cubism models). */
export function modelParameters(dir: string): { parameters: Array<{ id: string; groupId: string; name: string }>; parameter_groups: Record<string, { id: string; name: string }> } {
  const file = readdirSync(dir).sort().find((f) => f.toLowerCase().endsWith('.cdi3.json'));
  if (!file) throw notFound('未找到.cdi3.json文件');
  let cdi: Record<string, unknown>;
  try {
    cdi = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  } catch {
    throw badRequest('.cdi3.json 文件无法解析');
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const parameters = (Array.isArray(cdi.Parameters) ? cdi.Parameters : []).filter(isObject).map((p) => ({ id: str(p.Id), groupId: str(p.GroupId), name: str(p.Name) }));
  const parameter_groups: Record<string, { id: string; name: string }> = {};
  for (const g of (Array.isArray(cdi.ParameterGroups) ? cdi.ParameterGroups : []).filter(isObject)) {
    parameter_groups[str(g.Id)] = { id: str(g.Id), name: str(g.Name) };
  }
  return { parameters, parameter_groups };
}

/** `{ParamX: 0.5}` only: finite numbers keyed by parameter id. */
export function parseParameters(body: unknown): Record<string, number> {
  const params = isObject(body) ? body.parameters : undefined;
  if (!isObject(params)) throw badRequest('parameters 必须是对象 (a parameters object is required)');
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || k.length > 200) throw badRequest(`参数 ${k} 必须是数字`);
  }
  return params as Record<string, number>;
}

export function readJsonObject(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
