import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { encodeUrlPath, isInside } from '../avatar/asset-files.js';
import type { Live2dRoot } from '../avatar/live2d-models.js';

/** One entry of GET /api/live2d/models (rest.md §7.1). */
export interface Live2dModelEntry {
  name: string;
  display_name?: string;
  /** URL of the model3.json. */
  path: string;
  source: Live2dRoot['source'];
}

/** A model folder on disk with the root it was found in. */
export interface Live2dModelDir {
  name: string;
  dir: string;
  /** Path of the folder relative to its root, POSIX separators. */
  rel: string;
  root: Live2dRoot;
}

/** Deep enough for `pack/author/model/`, shallow enough that a stray huge tree costs little. */
const MAX_DEPTH = 5;

export const isModel3File = (file: string) => file.toLowerCase().endsWith('.model3.json');

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The model3.json a folder is loaded by: `<folder>.model3.json` if present, else the first by name. */
export function model3FileIn(dir: string, name: string): string | undefined {
  const files = listDir(dir).filter((d) => d.isFile() && isModel3File(d.name)).map((d) => d.name).sort();
  return files.find((f) => f === `${name}.model3.json`) ?? files[0];
}

/**
 * Every folder holding a `*.model3.json` under one root; a model folder is not searched further. Symlinks
 * and dot-folders are skipped, so discovery never leaves the root or enters an upload in progress.
 */
export function modelDirsIn(root: Live2dRoot): Live2dModelDir[] {
  const found: Live2dModelDir[] = [];
  const walk = (dir: string, depth: number) => {
    const entries = listDir(dir);
    if (depth > 0 && entries.some((d) => d.isFile() && isModel3File(d.name))) {
      const rel = relative(root.dir, dir).split(sep).join('/');
      found.push({ name: rel.split('/').pop()!, dir, rel, root });
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const d of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.isDirectory() && !d.name.startsWith('.')) walk(join(dir, d.name), depth + 1);
    }
  };
  walk(root.dir, 0);
  return found;
}

/** The model list the page shows: bundled first, then the user's, duplicate names made unique as the original did. */
export function listLive2dModels(roots: readonly Live2dRoot[]): Live2dModelEntry[] {
  const ordered = [...roots].sort((a, b) => (a.source === 'static' ? -1 : 0) - (b.source === 'static' ? -1 : 0));
  const taken = new Set<string>();
  const out: Live2dModelEntry[] = [];
  for (const root of ordered) {
    for (const m of modelDirsIn(root)) {
      const file = model3FileIn(m.dir, m.name);
      if (!file) continue;
      const entry: Live2dModelEntry = { name: m.name, path: `${root.url}/${encodeUrlPath(`${m.rel}/${file}`)}`, source: root.source };
      if (taken.has(m.name)) {
        let unique = `${m.name}_${root.source}`;
        for (let n = 1; taken.has(unique); n++) unique = `${m.name}_${root.source}_${n}`;
        entry.name = unique;
        entry.display_name = `${m.name} (${root.source})`;
      }
      taken.add(entry.name);
      out.push(entry);
    }
  }
  return out;
}

const isSingleName = (name: string) => name !== '' && name !== '.' && name !== '..' && !/[\\/\u0000-\u001f]/.test(name);

/**
 * A model folder by name (rest.md §7.1 `find_model_directory`): `<root>/<name>` in the user folder, then the
 * bundled one, then a nested model of that name; realpath-checked to stay inside its root.
 */
export function findLive2dModelDir(roots: readonly Live2dRoot[], name: string): Live2dModelDir | undefined {
  if (!isSingleName(name)) return undefined;
  for (const root of roots) {
    const dir = join(root.dir, name);
    try {
      const real = realpathSync(dir);
      if (isInside(realpathSync(root.dir), real) && statSync(real).isDirectory() && model3FileIn(real, name)) return { name, dir: real, rel: name, root };
    } catch {
      // not in this root
    }
  }
  for (const root of roots) {
    const nested = modelDirsIn(root).find((m) => m.name === name);
    if (nested) return nested;
  }
  return undefined;
}

/** URL of a file inside a model folder, for responses such as `model_config_url`. */
export function modelFileUrl(model: Live2dModelDir, fileRel: string): string {
  return `${model.root.url}/${encodeUrlPath(`${model.rel}/${fileRel}`)}`;
}
