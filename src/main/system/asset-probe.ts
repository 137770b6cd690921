import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DataPaths } from '../../shared/config/paths.js';
import { encodeUrlPath, existingFileInside, isInside } from '../avatar/asset-files.js';

/**
 * The folders `/api/file-exists`, `/api/find-first-image` and `/api/steam/proxy-image` may look into: the
 * app's bundled assets and the user's avatar folders. The original let `file-exists` probe any path on the
 * disk (rest.md §16.4); here every path must name a file inside one of these.
 */
export interface AssetRoot {
  dir: string;
  /** URL prefix the folder is served under, if it is. */
  url?: string;
  /** Path relative to the app folder (the original answers `static/...` paths for bundled assets). */
  appRelative?: string;
}

export function assetRoots(paths: DataPaths, appDir: string): AssetRoot[] {
  return [
    { dir: join(appDir, 'static'), url: '/static', appRelative: 'static' },
    { dir: join(appDir, 'assets'), appRelative: 'assets' },
    { dir: paths.live2d, url: '/user_live2d' },
    { dir: paths.vrmAnimation, url: '/user_vrm/animation' },
    { dir: paths.vrm, url: '/user_vrm' },
    { dir: paths.workshop, url: '/user_mods' },
  ];
}

export type AssetPath = { ok: true; root: AssetRoot; rel: string } | { ok: false; reason: 'invalid' | 'traversal' | 'outside' };

/**
 * A path as the page sends it — a URL under one of the mounts (`/user_live2d/x/y.png`), an app-relative
 * path (`static/x`), or an absolute path inside one of the roots — as root + relative path. `..` anywhere
 * is refused before anything is looked up.
 */
export function resolveAssetPath(input: string, roots: readonly AssetRoot[]): AssetPath {
  if (!input.trim() || /[\u0000-\u001f]/.test(input)) return { ok: false, reason: 'invalid' };
  const path = input.trim().replace(/\\/g, '/');
  if (path.split('/').includes('..')) return { ok: false, reason: 'traversal' };
  const clean = (rel: string) => rel.split('/').filter((s) => s && s !== '.').join('/');
  // Longest prefix first: /user_vrm/animation before /user_vrm.
  const prefixed = roots
    .flatMap((root) => [root.url, root.appRelative].filter((p): p is string => !!p).map((p) => ({ root, prefix: p.replace(/^\//, '') })))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const stripped = path.replace(/^\/+/, '');
  for (const { root, prefix } of prefixed) {
    if (stripped === prefix || stripped.startsWith(`${prefix}/`)) return { ok: true, root, rel: clean(stripped.slice(prefix.length)) };
  }
  if (isAbsolute(path) || /^[a-z]:\//i.test(path)) {
    const abs = resolve(path);
    for (const root of roots) {
      const base = resolve(root.dir);
      if (isInside(base, abs)) return { ok: true, root, rel: relative(base, abs).split(sep).join('/') };
    }
  }
  return { ok: false, reason: 'outside' };
}

/** True when `rel` is a regular file inside the root, symlinks resolved. */
export function assetFileExists(root: AssetRoot, rel: string): boolean {
  return rel !== '' && existingFileInside(root.dir, rel) !== undefined;
}

const PREVIEW_NAMES = ['preview.jpg', 'preview.png', 'thumbnail.jpg', 'thumbnail.png', 'icon.jpg', 'icon.png', 'header.jpg', 'header.png'];
const MAX_PREVIEW_BYTES = 1024 * 1024;

/** The first preview-like image under 1 MB in a folder, as the page can load it; undefined if none. */
export function firstPreviewImage(root: AssetRoot, folderRel: string): string | undefined {
  let dir: string;
  try {
    dir = realpathSync(join(root.dir, ...folderRel.split('/').filter(Boolean)));
    if (!isInside(realpathSync(root.dir), dir) || !statSync(dir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const present = new Set(readdirSync(dir));
  for (const name of PREVIEW_NAMES) {
    if (!present.has(name)) continue;
    const rel = folderRel ? `${folderRel}/${name}` : name;
    const file = existingFileInside(root.dir, rel);
    if (!file || statSync(file).size >= MAX_PREVIEW_BYTES) continue;
    return root.appRelative ? `${root.appRelative}/${rel}` : `${root.url}/${encodeUrlPath(rel)}`;
  }
  return undefined;
}
