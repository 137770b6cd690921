import { join } from 'node:path';
import { appRoot } from '../../shared/app-root.js';
import type { CharacterCard } from '../../shared/config/characters.js';
import type { DataPaths } from '../../shared/config/paths.js';
import { DEFAULT_LIVE2D_MODEL, findLive2dModelByName, live2dRoots, locateLive2dModel, type Live2dModelInfo, type Live2dRoot } from './live2d-models.js';
import { resolveVrmPagePath, type VrmDirs } from './vrm-models.js';

/** The folders avatar files are looked up in: the user's data folder and the bundled `<app>/static`. */
export interface AvatarDirs {
  live2d: Live2dRoot[];
  vrm: VrmDirs;
}

export function avatarDirs(paths: DataPaths, staticDir = join(appRoot(), 'static')): AvatarDirs {
  return { live2d: live2dRoots(paths.live2d, staticDir), vrm: { user: paths.vrm, bundled: join(staticDir, 'vrm') } };
}

/** What GET /api/config/page_config tells the page to load (rest.md §3.2); "" = the page's built-in avatar. */
export function pageModel(card: CharacterCard, dirs: AvatarDirs): { model_path: string; model_type: 'live2d' | 'vrm' } {
  const avatar = card._reserved?.avatar;
  if (avatar?.model_type === 'vrm') return { model_type: 'vrm', model_path: resolveVrmPagePath(avatar.vrm.model_path ?? '', dirs.vrm) };
  const stored = avatar?.live2d.model_path ?? '';
  return { model_type: 'live2d', model_path: stored ? (locateLive2dModel(dirs.live2d, stored)?.path ?? '') : '' };
}

/**
 * GET /api/characters/current_live2d_model (rest.md §4.2): the stored path, else a model folder of that name,
 * else the bundled default marked `is_fallback`; null when even that is missing.
 */
export function currentLive2dModel(card: CharacterCard, dirs: AvatarDirs): { model_name: string; model_info: Live2dModelInfo | null } {
  const stored = card._reserved?.avatar.live2d.model_path ?? '';
  const folder = stored.split('/')[0] ?? '';
  const found = (stored && locateLive2dModel(dirs.live2d, stored)) || (folder && findLive2dModelByName(dirs.live2d, folder)) || null;
  if (found) return { model_name: found.name, model_info: found };
  const fallback = findLive2dModelByName(dirs.live2d, DEFAULT_LIVE2D_MODEL);
  return { model_name: DEFAULT_LIVE2D_MODEL, model_info: fallback ? { ...fallback, is_fallback: true } : null };
}
