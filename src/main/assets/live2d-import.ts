import { join, posix } from 'node:path';
import { badRequest } from '../../shared/errors.js';
import { isModel3File } from './live2d-catalog.js';
import { readJsonObject } from './live2d-model-config.js';
import { stripMouthCurvesInFolder } from './live2d-lipsync.js';
import type { StagingDir } from './staging-dir.js';

/**
 * File types a Live2D model is made of. Anything else in an upload (readme pages, scripts, executables)
 * is left out: the folder is served from this origin, and only model assets belong there.
 */
const MODEL_ASSET = /\.(json|moc3|moc|png|jpe?g|webp|gif|wav|mp3|ogg|m4a|txt)$/i;

export const isLive2dAsset = (rel: string) => MODEL_ASSET.test(rel);

/** A model name usable as a folder and URL segment. */
export function validModelName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.startsWith('.') || /[\\/:*?"<>|\u0000-\u001f]/.test(trimmed) || trimmed.length > 100) {
    throw badRequest(`无效的模型名称: ${name}`, 'INVALID_MODEL_NAME');
  }
  return trimmed;
}

/**
 * Turns staged upload files into a model folder in `userRoot`: exactly one `*.model3.json`, the folder
 * holding it becomes the model (named after that folder, or after the model3 file when it sits at the top), mouth
 * curves are cleared from its motions, and the folder is moved into place in one rename.
 */
export async function commitLive2dImport(staging: StagingDir, written: readonly string[], userRoot: string): Promise<{ name: string; dir: string }> {
  const models = written.filter((rel) => isModel3File(posix.basename(rel)));
  if (models.length === 0) throw badRequest('未找到.model3.json文件', 'NO_MODEL3');
  if (models.length > 1) throw badRequest('上传的文件中包含多个.model3.json文件', 'MULTIPLE_MODEL3');
  const folder = posix.dirname(models[0]!);
  const name = validModelName(folder === '.' ? posix.basename(models[0]!).replace(/\.model3\.json$/i, '') : posix.basename(folder));
  const stagedModel = folder === '.' ? staging.path : join(staging.path, ...folder.split('/'));
  stripMouthCurvesInFolder(stagedModel, readJsonObject(join(stagedModel, posix.basename(models[0]!))));
  const target = join(userRoot, name);
  await staging.moveOut(stagedModel, target, `模型 ${name} 已存在，请先删除或重命名现有模型`);
  return { name, dir: target };
}
