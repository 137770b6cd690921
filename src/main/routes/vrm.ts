import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.js';
import { existingFileInside } from '../avatar/asset-files.js';
import { GLB_HEADER_BYTES, glbHeaderProblem } from '../assets/gltf-magic.js';
import { saveUploadedFile, uploadFileName } from '../assets/single-file-upload.js';
import { DEFAULT_UPLOAD_LIMITS } from '../assets/upload-limits.js';
import { listVrmAnimations, listVrmModels, VRM_URLS, vrmModelExists, type VrmFolders } from '../assets/vrm-catalog.js';
import { normaliseMoodMap, VRM_EXPRESSIONS, VrmEmotionMappings } from '../assets/vrm-emotion-mapping.js';
import { appRoot } from '../../shared/app-root.js';
import type { MainContext } from '../context.js';
import type { AvatarRouteOptions } from './live2d.js';
import { enableMultipart, singleUpload } from './multipart-upload.js';

type NameParams = { Params: { model_name: string } };

/** `/api/model/vrm/*` (rest.md §8): listing, uploads with a glTF signature check, emotion mappings, delete. */
export async function vrmRoutes(app: FastifyInstance, ctx: MainContext, opts: AvatarRouteOptions = {}): Promise<void> {
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...opts.limits };
  const staticDir = opts.staticDir ?? join(appRoot(), 'static');
  const folders: VrmFolders = {
    bundled: join(staticDir, 'vrm'),
    bundledAnimation: join(staticDir, 'vrm', 'animation'),
    user: ctx.config.paths.vrm,
    userAnimation: ctx.config.paths.vrmAnimation,
  };
  const mappings = new VrmEmotionMappings(join(ctx.config.paths.vrm, 'configs'));
  const glbHead = { bytes: GLB_HEADER_BYTES, check: glbHeaderProblem };
  await enableMultipart(app);

  app.post('/upload', async (req) => {
    const part = await singleUpload(req, limits.vrmBytes);
    const filename = uploadFileName(part.filename, /\.vrm$/i, '文件必须是.vrm格式');
    const saved = await saveUploadedFile({
      dir: folders.user, root: folders.user, filename, chunks: part.stream, maxBytes: limits.vrmBytes, what: 'VRM model',
      existsMessage: `VRM模型 ${filename} 已存在，请先删除或重命名现有模型`, checkHead: glbHead,
    });
    const name = filename.replace(/\.vrm$/i, '');
    return { success: true, message: `VRM模型 ${filename} 上传成功`, model_name: name, model_url: `${VRM_URLS.user}/${encodeURIComponent(filename)}`, file_size: saved.size };
  });

  app.post('/upload_animation', async (req) => {
    const part = await singleUpload(req, limits.vrmaBytes);
    const filename = uploadFileName(part.filename, /\.vrma$/i, '文件必须是.vrma格式');
    await saveUploadedFile({
      dir: folders.userAnimation, root: folders.user, filename, chunks: part.stream, maxBytes: limits.vrmaBytes, what: 'VRM animation',
      existsMessage: `动作文件 ${filename} 已存在`, checkHead: glbHead,
    });
    return { success: true, message: `动作文件 ${filename} 上传成功`, filename, file_path: `${VRM_URLS.userAnimation}/${encodeURIComponent(filename)}` };
  });

  app.get('/models', async () => ({ success: true, models: listVrmModels(folders) }));
  app.get('/animations', async () => ({ success: true, animations: listVrmAnimations(folders) }));
  app.get('/config', async () => ({ success: true, paths: { user_vrm: VRM_URLS.user, static_vrm: VRM_URLS.bundled, static_animation: VRM_URLS.bundledAnimation } }));

  app.get<NameParams>('/emotion_mapping/:model_name', async (req) => ({ success: true, config: mappings.get(req.params.model_name) }));

  app.post<NameParams>('/emotion_mapping/:model_name', async (req) => {
    const mapping = normaliseMoodMap(req.body);
    if (!vrmModelExists(folders, req.params.model_name)) throw notFound(`模型 ${req.params.model_name} 不存在`);
    mappings.save(req.params.model_name, mapping);
    return { success: true, message: '配置保存成功' };
  });

  app.get('/expressions/:model_name', async () => ({
    success: true,
    expressions: VRM_EXPRESSIONS,
    note: 'Common VRM expression names; a model may define fewer or others.',
  }));

  // neko addition: the original had no VRM delete route. Only the user's own files can be removed.
  app.delete<{ Params: { filename: string } }>('/model/:filename', async (req) => {
    const name = req.params.filename;
    const file = name.includes('/') ? undefined : existingFileInside(folders.user, name);
    if (!file || !/\.vrm$/i.test(file)) throw notFound(`VRM模型 ${req.params.filename} 不存在`);
    await rm(file);
    return { success: true, message: `VRM模型 ${req.params.filename} 已删除` };
  });
}
