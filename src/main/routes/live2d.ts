import { readFile, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError, badRequest, notFound } from '../../shared/errors.js';
import { isInside } from '../avatar/asset-files.js';
import { avatarDirs } from '../avatar/page-model.js';
import { ByteBudget } from '../assets/byte-budget.js';
import { findLive2dModelDir, listLive2dModels, modelDirsIn, model3FileIn, modelFileUrl, type Live2dModelDir } from '../assets/live2d-catalog.js';
import { commitLive2dImport, isLive2dAsset } from '../assets/live2d-import.js';
import { applyReferenceUpdate, ensureReferences, modelFiles, modelParameters, parseEmotionMapping, parseParameters, readModel3, writeModel3 } from '../assets/live2d-model-config.js';
import { Live2dModelSettings } from '../assets/live2d-model-settings.js';
import { saveUploadedFile, uploadFileName } from '../assets/single-file-upload.js';
import { StagingDir } from '../assets/staging-dir.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../assets/upload-limits.js';
import { extractZip } from '../assets/zip-extract.js';
import type { MainContext } from '../context.js';
import { discardPart, enableMultipart, singleUpload, uploadedFiles } from './multipart-upload.js';
import { objectBody } from './request-body.js';

export interface AvatarRouteOptions {
  /** Bundled assets folder (`<app>/static`); tests point it elsewhere. */
  staticDir?: string;
  limits?: Partial<UploadLimits>;
}

type NameParams = { Params: { model_name: string } };

const readOnlyBundled = () => new ApiError(403, '内置模型为只读，无法修改 (bundled models are read-only)', 'READ_ONLY_MODEL');
const isZip = (name: string) => /\.zip$/i.test(name);

/** `/api/live2d/*` (rest.md §7): discovery, per-model config and emotion mapping, uploads, delete. */
export async function live2dRoutes(app: FastifyInstance, ctx: MainContext, opts: AvatarRouteOptions = {}): Promise<void> {
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...opts.limits };
  const roots = avatarDirs(ctx.config.paths, opts.staticDir).live2d;
  const userRoot = ctx.config.paths.live2d;
  const settings = Live2dModelSettings.forDataRoot(ctx.config.paths.root);
  await enableMultipart(app);

  const model = (name: string): Live2dModelDir => {
    const found = findLive2dModelDir(roots, name);
    if (!found) throw notFound('模型目录不存在');
    return found;
  };

  app.get<{ Querystring: { simple?: string } }>('/models', async (req) => {
    const models = listLive2dModels(roots);
    if (req.query.simple === 'true') return { success: true, models: models.map((m) => m.name) };
    return models;
  });

  app.get('/user_models', async () => {
    const userOnly = roots.filter((r) => r.source === 'documents');
    const models = userOnly.flatMap((root) => modelDirsIn(root).map((m) => ({ name: m.name, path: modelFileUrl(m, model3FileIn(m.dir, m.name)!), source: 'user_documents' })));
    return { success: true, models };
  });

  app.get<NameParams>('/model_config/:model_name', async (req) => {
    const m = model(req.params.model_name);
    const config = readModel3(m);
    if (ensureReferences(config) && !settings.isBundled(m)) writeModel3(m, config);
    return { success: true, config };
  });

  app.post<NameParams>('/model_config/:model_name', async (req) => {
    const m = model(req.params.model_name);
    const body = objectBody(req.body);
    if (settings.isBundled(m)) throw readOnlyBundled();
    const config = readModel3(m);
    applyReferenceUpdate(config, body);
    writeModel3(m, config);
    return { success: true, message: '模型配置已更新' };
  });

  app.get<NameParams>('/emotion_mapping/:model_name', async (req) => ({ success: true, config: settings.emotionMapping(model(req.params.model_name)) }));

  app.post<NameParams>('/emotion_mapping/:model_name', async (req) => {
    const m = model(req.params.model_name);
    settings.saveEmotionMapping(m, parseEmotionMapping(req.body));
    return { success: true, message: '情绪映射配置已保存' };
  });

  app.get<NameParams>('/model_files/:model_name', async (req) => {
    const m = model(req.params.model_name);
    return { success: true, ...modelFiles(m.dir), model_config_url: modelFileUrl(m, model3FileIn(m.dir, m.name)!) };
  });

  app.get<NameParams>('/model_parameters/:model_name', async (req) => ({ success: true, ...modelParameters(model(req.params.model_name).dir) }));

  app.post<NameParams>('/save_model_parameters/:model_name', async (req) => {
    const m = model(req.params.model_name);
    settings.saveParameters(m, parseParameters(req.body));
    return { success: true, message: '参数保存成功' };
  });

  app.get<NameParams>('/load_model_parameters/:model_name', async (req) => ({ success: true, parameters: settings.loadParameters(model(req.params.model_name)) }));

  // Steam Workshop items: neko has no Workshop, so no item id resolves.
  const noWorkshop = async () => {
    throw notFound('创意工坊物品不存在 (Steam Workshop is not available in neko)', 'WORKSHOP_UNAVAILABLE');
  };
  app.get('/model_config_by_id/:model_id', noWorkshop);
  app.post('/model_config_by_id/:model_id', noWorkshop);
  app.get('/model_files_by_id/:model_id', noWorkshop);

  // A server process must not pop up windows on request (and a GET could be triggered by any page).
  app.get<NameParams>('/open_model_directory/:model_name', async (req) => {
    const m = model(req.params.model_name);
    return { success: false, error: '请在文件管理器中手动打开该目录 (neko does not open folders on request)', directory: m.dir };
  });

  app.post('/upload_model', async (req) => {
    const staging = await StagingDir.create(userRoot);
    let zipStaging: StagingDir | undefined;
    try {
      const budget = new ByteBudget({ fileBytes: limits.live2dFileBytes, totalBytes: limits.live2dTotalBytes, maxFiles: limits.live2dMaxFiles }, 'Live2D upload');
      let written: string[] = [];
      let skipped: string[] = [];
      let zipFile: string | undefined;
      const partLimit = Math.max(limits.live2dFileBytes, limits.live2dZipBytes);
      for await (const part of uploadedFiles(req, { maxFiles: limits.live2dMaxFiles, fileBytes: partLimit })) {
        const rel = part.filename.trim();
        if (part.fieldname !== 'files' && part.fieldname !== 'file') {
          await discardPart(part.stream);
          continue;
        }
        if (isZip(rel)) {
          if (zipFile || written.length) throw badRequest('压缩包必须单独上传 (upload a zip on its own)', 'ZIP_NOT_ALONE');
          zipStaging = await StagingDir.create(userRoot);
          const saved = await saveUploadedFile({
            dir: zipStaging.path, root: userRoot, filename: 'upload.zip', chunks: part.stream, maxBytes: limits.live2dZipBytes, what: 'Live2D zip', existsMessage: 'zip exists',
          });
          zipFile = saved.path;
          continue;
        }
        if (zipFile) throw badRequest('压缩包必须单独上传 (upload a zip on its own)', 'ZIP_NOT_ALONE');
        if (!isLive2dAsset(rel)) {
          skipped.push(rel);
          await discardPart(part.stream);
          continue;
        }
        await staging.writeFile(rel, part.stream, budget);
        written.push(rel);
      }
      if (zipFile) {
        ({ written, skipped } = await extractZip(zipFile, staging, { maxEntries: limits.live2dMaxFiles, fileBytes: limits.live2dFileBytes, totalBytes: limits.live2dTotalBytes }, isLive2dAsset));
      }
      if (written.length === 0 && skipped.length === 0) throw badRequest('没有上传文件', 'NO_FILES');
      const { name, dir } = await commitLive2dImport(staging, written, userRoot);
      return { success: true, message: `模型 ${name} 上传成功`, model_name: name, model_path: dir, skipped_files: skipped };
    } finally {
      await staging.discard();
      await zipStaging?.discard();
    }
  });

  app.post<NameParams & { Querystring: { file_type?: string } }>('/upload_file/:model_name', async (req) => {
    const fileType = req.query.file_type;
    if (fileType !== 'motion' && fileType !== 'expression') throw badRequest('file_type 必须是 motion 或 expression');
    const m = model(req.params.model_name);
    if (settings.isBundled(m)) throw readOnlyBundled();
    const part = await singleUpload(req, limits.motionBytes);
    const ext = fileType === 'motion' ? /\.motion3\.json$/i : /\.exp3\.json$/i;
    const filename = uploadFileName(part.filename, ext, fileType === 'motion' ? '文件必须是.motion3.json格式' : '文件必须是.exp3.json格式');
    const folder = fileType === 'motion' ? 'motions' : 'expressions';
    await saveUploadedFile({
      dir: join(m.dir, folder),
      root: m.dir,
      filename,
      chunks: part.stream,
      maxBytes: limits.motionBytes,
      what: `${fileType} file`,
      existsMessage: `文件 ${filename} 已存在`,
      checkFile: async (path) => {
        try {
          JSON.parse(await readFile(path, 'utf8'));
          return undefined;
        } catch {
          return '文件不是有效的JSON (the file is not valid JSON)';
        }
      },
    });
    return { success: true, message: `文件 ${filename} 上传成功`, filename, file_path: `${folder}/${filename}` };
  });

  app.delete<NameParams>('/model/:model_name', async (req) => {
    const m = model(req.params.model_name);
    const root = realpathSync(userRoot);
    if (settings.isBundled(m) || !isInside(root, m.dir) || realpathSync(m.dir) === root) {
      throw new ApiError(403, '只能删除用户导入的模型，无法删除内置模型', 'BUNDLED_MODEL');
    }
    await rm(m.dir, { recursive: true, force: true });
    return { success: true, message: `模型 ${m.name} 已成功删除` };
  });
}
