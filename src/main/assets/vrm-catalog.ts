import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { existingFileInside } from '../avatar/asset-files.js';

/** Folders VRM files are listed from (rest.md §8). */
export interface VrmFolders {
  bundled: string;
  bundledAnimation: string;
  user: string;
  userAnimation: string;
}

export const VRM_URLS = { user: '/user_vrm', bundled: '/static/vrm', userAnimation: '/user_vrm/animation', bundledAnimation: '/static/vrm/animation' } as const;

export interface VrmModelEntry {
  name: string;
  filename: string;
  url: string;
  type: 'vrm';
  size: number;
  location: 'project' | 'user';
}

export interface VrmAnimationEntry {
  name: string;
  filename: string;
  url: string;
  type: 'vrma' | 'vrm';
  size: number;
}

function filesIn(dir: string, ext: RegExp): Array<{ file: string; size: number }> {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.startsWith('.') && ext.test(d.name))
      .map((d) => ({ file: d.name, size: statSync(join(dir, d.name)).size }))
      .sort((a, b) => a.file.localeCompare(b.file));
  } catch {
    return [];
  }
}

const stem = (file: string) => file.replace(/\.[^.]+$/, '');

/** Bundled models first, then the user's; a URL appears once. */
export function listVrmModels(f: VrmFolders): VrmModelEntry[] {
  const out: VrmModelEntry[] = [];
  const seen = new Set<string>();
  for (const [dir, base, location] of [[f.bundled, VRM_URLS.bundled, 'project'], [f.user, VRM_URLS.user, 'user']] as const) {
    for (const { file, size } of filesIn(dir, /\.vrm$/i)) {
      const url = `${base}/${encodeURIComponent(file)}`;
      if (seen.has(url)) continue;
      seen.add(url);
      out.push({ name: stem(file), filename: file, url, type: 'vrm', size, location });
    }
  }
  return out;
}

export function listVrmAnimations(f: VrmFolders): VrmAnimationEntry[] {
  const out: VrmAnimationEntry[] = [];
  for (const [dir, base] of [[f.bundledAnimation, VRM_URLS.bundledAnimation], [f.userAnimation, VRM_URLS.userAnimation]] as const) {
    for (const { file, size } of filesIn(dir, /\.vrma?$/i)) {
      out.push({ name: stem(file), filename: file, url: `${base}/${encodeURIComponent(file)}`, type: file.toLowerCase().endsWith('.vrma') ? 'vrma' : 'vrm', size });
    }
  }
  return out;
}

/** True when `<name>.vrm` is a bundled or user model (`name` must already be `[\w.-]+`). */
export function vrmModelExists(f: VrmFolders, name: string): boolean {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return false;
  return Boolean(existingFileInside(f.bundled, `${name}.vrm`) || existingFileInside(f.user, `${name}.vrm`));
}
