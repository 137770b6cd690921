import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeUrlPath, existingFileInside, isPlainRelativePath } from './asset-files.js';

/** Where Live2D models live and the URL each folder is served under (rest.md §7.1). */
export interface Live2dRoot {
  dir: string;
  url: '/user_live2d' | '/static';
  source: 'documents' | 'static';
}

export interface Live2dModelInfo {
  name: string;
  path: string;
  source: Live2dRoot['source'];
  is_fallback?: boolean;
}

export const DEFAULT_LIVE2D_MODEL = 'mao_pro';

/** User models win over bundled ones of the same path. */
export function live2dRoots(userDir: string, staticDir: string): Live2dRoot[] {
  return [
    { dir: userDir, url: '/user_live2d', source: 'documents' },
    { dir: staticDir, url: '/static', source: 'static' },
  ];
}

/** `mao_pro/mao_pro.model3.json` → the URL of the first root holding that file, or null. */
export function locateLive2dModel(roots: readonly Live2dRoot[], modelPath: string): Live2dModelInfo | null {
  if (!isPlainRelativePath(modelPath)) return null;
  for (const root of roots) {
    if (existingFileInside(root.dir, modelPath)) {
      return { name: modelPath.split('/')[0]!, path: `${root.url}/${encodeUrlPath(modelPath)}`, source: root.source };
    }
  }
  return null;
}

/** A model by folder name: `<name>/<name>.model3.json`, else the first `*.model3.json` in that folder. */
export function findLive2dModelByName(roots: readonly Live2dRoot[], name: string): Live2dModelInfo | null {
  if (!isPlainRelativePath(name) || name.includes('/')) return null;
  const preferred = locateLive2dModel(roots, `${name}/${name}.model3.json`);
  if (preferred) return preferred;
  for (const root of roots) {
    let files: string[];
    try {
      files = readdirSync(join(root.dir, name));
    } catch {
      continue;
    }
    const model = files.sort().find((f) => f.endsWith('.model3.json'));
    if (model) return locateLive2dModel([root], `${name}/${model}`);
  }
  return null;
}
