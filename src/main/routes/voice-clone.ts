import { createHash, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRejectedVoice, LOCAL_TTS_BUCKET, registerVoice, voicesFor, type StoredVoiceStatus } from '../../shared/config/voice-storage.js';
import { ApiError, badRequest, conflict, notFound } from '../../shared/errors.js';
import type { MainContext } from '../context.js';
import { checkLoopbackHttpUrl } from '../net/loopback-url.js';
import { COSYVOICE_MODEL } from '../tts/cosyvoice-engine.js';
import {
  createVoice,
  DashScopeError,
  clonedVoiceKey,
  dashscopeHttpBase,
  deleteVoice,
  uploadTemporaryFile,
  VOICE_ENROLLMENT_MODEL,
  waitForDeployment,
  type DashScopeClientOptions,
  type DeploymentOutcome,
  type DeploymentWait,
} from '../tts/dashscope-voice-enrollment.js';
import type { TtsChunk } from '../tts/engine.js';
import { chooseTtsEngine } from '../tts/select-engine.js';
import { encodeWav } from '../tts/wav-stream.js';
import {
  CLOUD_CLONE_LIMITS,
  decodeClip,
  findSilences,
  KEPT_SILENCE_MS,
  mmss,
  sniffAudio,
  trimSilences,
  type AudioKind,
  type DecodedClip,
} from './voice-clone-audio.js';

/** rest.md §4.19: uploads above 100 MB are refused with 413. */
export const MAX_AUDIO_UPLOAD_BYTES = 100 * 1024 * 1024;
const TOO_LARGE_MESSAGE = '文件大小超过限制 (100 MB)';
/** Room for the multipart framing and small fields around the file when judging Content-Length. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const REF_LANGUAGES = ['ch', 'en', 'fr', 'de', 'ja', 'ko', 'ru'] as const;
/** Voice id prefix: what the providers accept (letters, digits, `_`/`-`), short. */
const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;
/** The greeting a voice preview speaks. */
const PREVIEW_TEXT = '你好，很高兴认识你！Hello, nice to meet you.';
/** A local TTS server that does not register a speaker within this long is treated as down. */
const REGISTER_TIMEOUT_MS = 30_000;

/** How a clone waits for DashScope to finish preparing a new voice before answering. */
export const DEFAULT_DEPLOYMENT_WAIT: DeploymentWait = {
  // One query a second: a new voice is usually ready within a few seconds.
  intervalMs: 1_000,
  // The page holds the upload open meanwhile; past this the voice is stored as "deploying" rather than blocking.
  limitMs: 30_000,
};

export interface VoiceCloneRouteOptions {
  /** How long a cloud clone waits for the new voice to become usable (tests shorten it). */
  deploymentWait?: DeploymentWait;
}

const STORED_STATUS: Record<DeploymentOutcome['status'], StoredVoiceStatus> = { OK: 'ok', DEPLOYING: 'deploying', UNDEPLOYED: 'undeployed' };

interface Upload {
  fileName: string;
  data: Buffer;
  fields: Record<string, string>;
}

interface TrimTask {
  progress: number;
  phase: 'queued' | 'analyzing' | 'trimming';
  cancelled: boolean;
}

/** A client file name as given, refused when it could name a path (separators, `..`, control characters). */
function safeFileName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 255 || /[/\\\u0000-\u001f]/.test(name) || name === '.' || name.includes('..')) throw badRequest('文件名无效');
  return name;
}

/**
 * Reads the one `file` part (and the small fields) of a multipart request. A declared body over the limit is
 * refused before any of it is read; an undeclared (chunked) one is cut off by the parser's file-size limit.
 */
async function readUpload(req: FastifyRequest): Promise<Upload> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_AUDIO_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES) throw new ApiError(413, TOO_LARGE_MESSAGE);
  if (!req.isMultipart()) throw badRequest('需要 multipart/form-data 上传');
  const fields: Record<string, string> = {};
  let file: { name: string; data: Buffer } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        continue;
      }
      file = { name: safeFileName((part as MultipartFile).filename), data: await part.toBuffer() };
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError(413, TOO_LARGE_MESSAGE);
    if (err instanceof ApiError) throw err;
    throw badRequest(`上传解析失败: ${(err as Error).message}`);
  }
  if (!file || file.data.length === 0) throw badRequest('未收到音频文件');
  return { fileName: file.name, data: file.data, fields };
}

/** The upload as a WAV clip; other formats and non-audio are refused. */
function wavClip(upload: Upload): DecodedClip {
  const kind = sniffAudio(upload.data.subarray(0, 16));
  if (!kind) throw badRequest('不是音频文件');
  if (kind !== 'wav') throw badRequest('静音分析仅支持 WAV 文件');
  try {
    return decodeClip(upload.data);
  } catch (err) {
    throw badRequest(`WAV 文件无效: ${(err as Error).message}`);
  }
}

function analysis(clip: DecodedClip) {
  const silences = findSilences(clip);
  const silenceMs = silences.reduce((n, s) => n + s.duration_ms, 0);
  const removable = silences.reduce((n, s) => n + Math.max(0, s.duration_ms - KEPT_SILENCE_MS), 0);
  const estimated = clip.durationMs - removable;
  return {
    silences,
    body: {
      success: true,
      original_duration: mmss(clip.durationMs),
      original_duration_ms: clip.durationMs,
      silence_duration: mmss(silenceMs),
      silence_duration_ms: silenceMs,
      removable_silence: mmss(removable),
      removable_silence_ms: removable,
      estimated_duration: mmss(estimated),
      estimated_duration_ms: estimated,
      saving_percentage: clip.durationMs ? Math.round((removable / clip.durationMs) * 1000) / 10 : 0,
      silence_segments: silences,
      has_silence: silences.length > 0,
      sample_rate: clip.sampleRate,
      sample_width: 2,
      channels: clip.channels,
    },
  };
}

/** The local TTS server's HTTP base (a `ws(s)://` custom URL names the same host over http(s)), loopback only. */
function localTtsBase(ctx: MainContext): string | null {
  const core = ctx.config.coreFile();
  const raw = core.enableCustomApi === true && typeof core.ttsModelUrl === 'string' ? core.ttsModelUrl.trim() : '';
  if (!raw) return null;
  const checked = checkLoopbackHttpUrl(raw.replace(/^ws(s?):/i, 'http$1:'));
  if (!checked.ok) throw badRequest('TTS_CUSTOM_URL_LOCALHOST_ONLY', 'TTS_CUSTOM_URL_LOCALHOST_ONLY');
  return new URL(checked.url).origin;
}

const AUDIO_TYPES: Record<AudioKind, { contentType: string; extension: string }> = {
  wav: { contentType: 'audio/wav', extension: '.wav' },
  mp3: { contentType: 'audio/mpeg', extension: '.mp3' },
  m4a: { contentType: 'audio/mp4', extension: '.m4a' },
};
/** Our reference languages as CosyVoice `language_hints`. */
const LANGUAGE_HINTS: Record<(typeof REF_LANGUAGES)[number], string> = { ch: 'zh', en: 'en', fr: 'fr', de: 'de', ja: 'ja', ko: 'ko', ru: 'ru' };

/** The reference clip checks of CosyVoice cloning (size; for WAV also length and sample rate). */
function checkCloudClip(upload: Upload, kind: AudioKind, clip: DecodedClip | null): void {
  const { maxBytes, minMp3Bytes, minDurationMs, maxDurationMs, minSampleRate } = CLOUD_CLONE_LIMITS;
  if (upload.data.length > maxBytes) throw badRequest(`云端声音克隆的音频不能超过 ${maxBytes / 1024 / 1024} MB`);
  if (kind === 'mp3' && upload.data.length < minMp3Bytes) throw badRequest('MP3 文件太小，不是有效的参考音频');
  if (!clip) return;
  if (clip.sampleRate < minSampleRate) throw badRequest(`音频采样率需不低于 ${minSampleRate} Hz（当前 ${clip.sampleRate} Hz）`);
  if (clip.durationMs < minDurationMs) throw badRequest(`音频太短（${(clip.durationMs / 1000).toFixed(1)} 秒）：至少需要 ${minDurationMs / 1000} 秒连续清晰的朗读，建议 10~20 秒`);
  if (clip.durationMs > maxDurationMs) throw badRequest(`音频太长（${Math.round(clip.durationMs / 1000)} 秒）：最长 ${maxDurationMs / 1000} 秒，建议 10~20 秒`);
}

/** A DashScope failure as the answer to the page; the API key is never part of it. */
function enrollmentError(err: unknown): ApiError {
  if (!(err instanceof DashScopeError)) return new ApiError(500, `声音克隆失败: ${(err as Error).message}`);
  const extra = err.requestId ? { request_id: err.requestId } : {};
  switch (err.kind) {
    case 'rejected-key':
      return new ApiError(err.status, `DashScope 拒绝了当前的 API Key，请在 API 设置中检查阿里云（通义）密钥 (${err.message})`, 'API_KEY_REJECTED', extra);
    case 'network':
      return new ApiError(502, `无法连接 DashScope，声音未克隆: ${err.message}`, 'TTS_CONNECTION_FAILED');
    case 'untrusted-host':
    case 'invalid-response':
      return new ApiError(502, err.message, 'VOICE_CLONE_PROVIDER_ERROR', extra);
    case 'provider':
      if (err.status === 429) return new ApiError(429, `DashScope 请求过于频繁，请稍后再试 (${err.message})`, err.code, extra);
      if (err.status === 413) return new ApiError(413, err.message, err.code, extra);
      if (err.status >= 400 && err.status < 500) return new ApiError(400, err.message, err.code ?? 'VOICE_CLONE_REJECTED', extra);
      return new ApiError(502, err.message, err.code ?? 'VOICE_CLONE_PROVIDER_ERROR', extra);
  }
}

/**
 * Where cloned voices live: DashScope with the key the engine that speaks them uses (the Qwen key first), and
 * the voice-storage bucket they are filed under (the assist key). Null without a usable key.
 */
export function dashscopeVoiceAccess(ctx: MainContext): { bucket: string; opts: DashScopeClientOptions } | null {
  const resolved = ctx.config.resolvedCore();
  const bucket = resolved.assistApiKey;
  const apiKey = clonedVoiceKey(ctx.config.coreFile(), bucket);
  if (!bucket || bucket === 'free-access' || !apiKey || apiKey === 'free-access') return null;
  return { bucket, opts: { apiKey, httpBase: dashscopeHttpBase(resolved.dashscopeWsBase) } };
}

/**
 * rest.md §4.20 cloud path, with DashScope's own temporary storage instead of the original's third-party file
 * host: the clip goes only to DashScope (upload policy → its OSS → `oss://` URL → CosyVoice `create_voice`), and
 * the voice is stored under the audio key's bucket of voice_storage.json.
 */
async function cloneWithDashScope(
  ctx: MainContext,
  wait: DeploymentWait,
  upload: Upload,
  kind: AudioKind,
  clip: DecodedClip | null,
  prefix: string,
  language: (typeof REF_LANGUAGES)[number],
  md5: string,
) {
  const access = dashscopeVoiceAccess(ctx);
  if (!access) {
    throw badRequest('云端声音克隆需要阿里云 DashScope（通义）API Key，请在 API 设置中填写；或配置本地 TTS 服务器', 'TTS_AUDIO_API_KEY_MISSING');
  }
  const { bucket, opts } = access;
  checkCloudClip(upload, kind, clip);

  // A voice that failed DashScope's review is not reused: the clip is cloned again.
  const existing = Object.values(ctx.config.voices()[bucket] ?? {}).find((v) => v.audio_md5 === md5 && typeof v.voice_id === 'string' && !isRejectedVoice(v));
  if (existing) {
    const voiceId = existing.voice_id as string;
    if (existing.status !== 'deploying') return { voice_id: voiceId, message: '已复用现有音色，跳过上传', reused: true };
    const outcome = await waitForDeployment(opts, voiceId, wait);
    const status = outcome.error ? 'deploying' : recordStatus(ctx, bucket, voiceId, STORED_STATUS[outcome.status]);
    if (status === 'undeployed') {
      throw new ApiError(400, '该音色未通过 DashScope 的审核（状态 UNDEPLOYED），无法使用，已在音色库中标出。请删除它，换一段 10~20 秒、无背景音的清晰朗读重新克隆', 'VOICE_CLONE_UNDEPLOYED', { voice_id: voiceId });
    }
    return { voice_id: voiceId, message: status === 'ok' ? '已复用现有音色，跳过上传' : '已复用现有音色，DashScope 仍在准备该音色，稍后即可使用', reused: true, status };
  }

  let fileUrl: string;
  let created: Awaited<ReturnType<typeof createVoice>>;
  try {
    // The temporary file is bound to the model that reads it: the enrollment service.
    fileUrl = await uploadTemporaryFile(opts, VOICE_ENROLLMENT_MODEL, { data: upload.data, ...AUDIO_TYPES[kind] });
    created = await createVoice(opts, { targetModel: COSYVOICE_MODEL, prefix, url: fileUrl, languageHints: [LANGUAGE_HINTS[language]] });
  } catch (err) {
    const apiErr = enrollmentError(err);
    ctx.log.warn({ status: apiErr.status, code: apiErr.code, reason: apiErr.message }, 'DashScope voice clone failed');
    throw apiErr;
  }
  const outcome = await waitForDeployment(opts, created.voiceId, wait);
  if (outcome.error) ctx.log.warn({ voiceId: created.voiceId, reason: outcome.error.message }, 'DashScope voice status unknown, stored as deploying');
  if (outcome.status === 'UNDEPLOYED') {
    // Never usable, yet it would take one of the account's voice slots: removed at DashScope too.
    const remoteDeleted = await deleteVoice(opts, created.voiceId).then(
      () => true,
      (err: Error) => (ctx.log.warn({ voiceId: created.voiceId, reason: err.message }, 'DashScope undeployed voice not deleted'), false),
    );
    ctx.log.warn({ voiceId: created.voiceId, remoteDeleted }, 'DashScope voice failed review');
    throw new ApiError(
      400,
      'DashScope 未通过该音色的审核（状态 UNDEPLOYED），音色无法使用，未保存到音色库。请换一段 10~20 秒、无背景音的清晰朗读重试',
      'VOICE_CLONE_UNDEPLOYED',
      { voice_id: created.voiceId, remote_deleted: remoteDeleted, ...(created.requestId ? { request_id: created.requestId } : {}) },
    );
  }
  const status = STORED_STATUS[outcome.status];
  // Read the storage again: other voices may have been saved while DashScope worked.
  const next = registerVoice(ctx.config.voices(), bucket, created.voiceId, {
    prefix,
    file_url: fileUrl,
    audio_md5: md5,
    ref_language: language,
    target_model: COSYVOICE_MODEL,
    ...(status === 'deploying' ? { status } : {}),
  });
  ctx.config.saveVoices(next); // atomic: temp file + rename
  return {
    voice_id: created.voiceId,
    ...(created.requestId ? { request_id: created.requestId } : {}),
    file_url: fileUrl,
    message: status === 'ok' ? '音色注册成功并已保存到音色库' : '音色已创建并保存到音色库，DashScope 仍在准备该音色，稍后即可使用',
    status,
  };
}

/** Writes a cloud voice's state into voice_storage.json (re-read first; nothing written when unchanged). */
function recordStatus(ctx: MainContext, bucket: string, voiceId: string, status: StoredVoiceStatus): StoredVoiceStatus {
  const storage = structuredClone(ctx.config.voices());
  const voice = storage[bucket]?.[voiceId];
  if (!voice || (voice.status ?? 'ok') === status) return status;
  if (status === 'ok') delete voice.status;
  else voice.status = status;
  ctx.config.saveVoices(storage); // atomic: temp file + rename
  return status;
}

/** Voice preview, voice cloning and the clip helpers of `/api/characters` (rest.md §4.18 preview, §4.19, §4.20). */
export async function voiceCloneRoutes(app: FastifyInstance, ctx: MainContext, opts: VoiceCloneRouteOptions = {}): Promise<void> {
  const deploymentWait = opts.deploymentWait ?? DEFAULT_DEPLOYMENT_WAIT;
  // preservePath: see the name as the client sent it, so a traversal attempt is refused rather than silently basenamed.
  await app.register(multipart, { preservePath: true, limits: { fileSize: MAX_AUDIO_UPLOAD_BYTES, files: 1, fields: 8, fieldSize: 4096, parts: 12 } });
  const trimTasks = new Map<string, TrimTask>();

  app.get<{ Querystring: { voice_id?: string } }>('/voice_preview', async (req) => {
    const voiceId = (req.query.voice_id ?? '').trim();
    if (!voiceId) throw badRequest('voice_id 不能为空');
    const resolved = ctx.config.resolvedCore();
    const cloud = voicesFor({ ...ctx.config.voices(), [LOCAL_TTS_BUCKET]: {} }, resolved.assistApiKey);
    if (Object.hasOwn(cloud, voiceId) && !resolved.assistApiKey) throw badRequest('TTS_AUDIO_API_KEY_MISSING', 'TTS_AUDIO_API_KEY_MISSING');
    const { engine } = chooseTtsEngine({ resolved, coreFile: ctx.config.coreFile(), voices: ctx.config.voices(), voiceId, character: voiceId });
    const chunks: TtsChunk[] = [];
    try {
      await engine.prepare(() => undefined);
      const utterance = engine.start({ audio: (c) => chunks.push(c), problem: () => undefined });
      utterance.write(PREVIEW_TEXT);
      utterance.end();
      await utterance.finished;
    } catch (err) {
      throw new ApiError(500, `语音预览失败: ${(err as Error).message}`);
    } finally {
      await engine.close();
    }
    if (chunks.length === 0) throw new ApiError(500, '语音预览失败: 没有音频');
    if (chunks.every((c) => c.format === 'ogg-opus')) {
      return { success: true, audio: Buffer.concat(chunks.map((c) => c.data)).toString('base64'), mime_type: 'audio/ogg' };
    }
    const pcm = chunks.filter((c): c is Extract<TtsChunk, { format: 'pcm16' }> => c.format === 'pcm16');
    return { success: true, audio: encodeWav(Buffer.concat(pcm.map((c) => c.data)), pcm[0]!.sampleRate).toString('base64'), mime_type: 'audio/wav' };
  });

  // Not in the original: a cloud voice's state at DashScope, asked once and kept in voice_storage.json, so the
  // page can tell when a voice stored as "deploying" has become usable (or failed the review).
  app.get<{ Params: { voice_id: string } }>('/voices/:voice_id/status', async (req) => {
    const voiceId = req.params.voice_id;
    const access = dashscopeVoiceAccess(ctx);
    if (!access) throw badRequest('TTS_AUDIO_API_KEY_MISSING', 'TTS_AUDIO_API_KEY_MISSING');
    if (!Object.hasOwn(ctx.config.voices()[access.bucket] ?? {}, voiceId)) throw notFound('音色不存在', 'TTS_VOICE_NOT_FOUND');
    const outcome = await waitForDeployment(access.opts, voiceId, { intervalMs: 0, limitMs: 0 });
    if (outcome.error) throw enrollmentError(outcome.error);
    return { success: true, voice_id: voiceId, status: recordStatus(ctx, access.bucket, voiceId, STORED_STATUS[outcome.status]) };
  });

  app.post('/audio/analyze_silence', async (req) => analysis(wavClip(await readUpload(req))).body);

  app.post('/audio/trim_silence', async (req) => {
    const upload = await readUpload(req);
    const rawId = upload.fields.task_id?.trim();
    if (rawId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(rawId)) throw badRequest('task_id 无效');
    const taskId = rawId || randomUUID();
    if (trimTasks.has(taskId)) throw conflict('任务已存在');
    const task: TrimTask = { progress: 0, phase: 'queued', cancelled: false };
    trimTasks.set(taskId, task);
    try {
      const clip = wavClip(upload);
      task.phase = 'analyzing';
      task.progress = 10;
      await nextTurn(); // lets a cancel request in between the phases
      const { silences, body } = analysis(clip);
      if (task.cancelled) return { success: false, cancelled: true, message: '已取消', task_id: taskId };
      if (body.removable_silence_ms === 0) return { success: true, has_changes: false, message: '没有需要裁剪的静音', task_id: taskId };
      task.phase = 'trimming';
      task.progress = 60;
      await nextTurn();
      if (task.cancelled) return { success: false, cancelled: true, message: '已取消', task_id: taskId };
      const wav = encodeWav(trimSilences(clip, silences), clip.sampleRate);
      const trimmedMs = Math.round(((wav.length - 44) / 2 / clip.sampleRate) * 1000);
      return {
        success: true,
        has_changes: true,
        task_id: taskId,
        audio_base64: wav.toString('base64'),
        md5: createHash('md5').update(wav).digest('hex'),
        original_duration: mmss(clip.durationMs),
        original_duration_ms: clip.durationMs,
        trimmed_duration: mmss(trimmedMs),
        trimmed_duration_ms: trimmedMs,
        removed_silence_ms: clip.durationMs - trimmedMs,
        sample_rate: clip.sampleRate,
        sample_width: 2,
        channels: 1,
        filename: `trimmed_${upload.fileName}`,
      };
    } finally {
      trimTasks.delete(taskId);
    }
  });

  app.get<{ Params: { task_id: string } }>('/audio/trim_progress/:task_id', async (req) => {
    const task = trimTasks.get(req.params.task_id);
    if (!task) return { exists: false, progress: 100, phase: 'done' };
    return { exists: true, progress: task.progress, phase: task.phase, cancelled: task.cancelled };
  });

  app.post<{ Params: { task_id: string } }>('/audio/trim_cancel/:task_id', async (req) => {
    const task = trimTasks.get(req.params.task_id);
    if (!task) return { success: false, message: '任务不存在或已完成' };
    task.cancelled = true;
    return { success: true, message: '取消请求已发送' };
  });

  app.post('/voice_clone', async (req, reply) => {
    const upload = await readUpload(req);
    const kind = sniffAudio(upload.data.subarray(0, 16));
    if (!kind) throw badRequest('不是音频文件');
    const clip = kind === 'wav' ? wavClip(upload) : null; // 16-bit PCM WAV only (rest.md §4.20)
    const prefix = (upload.fields.prefix ?? '').trim();
    if (!PREFIX_PATTERN.test(prefix)) throw badRequest('prefix 只能包含字母、数字、下划线和连字符（最多 20 个字符）');
    const language = (upload.fields.ref_language ?? 'ch').trim() || 'ch';
    if (!(REF_LANGUAGES as readonly string[]).includes(language)) throw badRequest(`ref_language 必须是 ${REF_LANGUAGES.join(', ')} 之一`);
    const md5 = createHash('md5').update(upload.data).digest('hex');

    const base = localTtsBase(ctx);
    // No third-party file host (the original's weakness): the clip goes to DashScope's own temporary storage.
    if (!base) return cloneWithDashScope(ctx, deploymentWait, upload, kind, clip, prefix, language as (typeof REF_LANGUAGES)[number], md5);
    const existing = Object.values(ctx.config.voices()[LOCAL_TTS_BUCKET] ?? {}).find((v) => v.audio_md5 === md5 && v.ref_language === language);
    if (existing?.voice_id) return { voice_id: existing.voice_id, message: '已复用现有音色，跳过上传', reused: true, is_local: true };

    const form = new FormData();
    form.append('speaker_id', prefix);
    form.append('prompt_text', '');
    form.append('prompt_audio', new Blob([upload.data]), upload.fileName);
    let res: Response;
    try {
      res = await fetch(`${base}/v1/speakers/register`, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS) });
    } catch (err) {
      throw new ApiError(503, `无法连接本地 TTS 服务器: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 300);
      return reply.code(res.status).send({ error: `本地 TTS 注册失败 (HTTP ${res.status})`, detail });
    }
    const storage = structuredClone(ctx.config.voices());
    storage[LOCAL_TTS_BUCKET] = {
      ...(storage[LOCAL_TTS_BUCKET] ?? {}),
      [prefix]: { voice_id: prefix, prefix, audio_md5: md5, ref_language: language, is_local: true, created_at: new Date().toISOString() },
    };
    ctx.config.saveVoices(storage); // atomic: temp file + rename
    return { voice_id: prefix, message: '本地音色注册成功', is_local: true };
  });
}
