import type { FastifyInstance } from 'fastify';
import type { MainContext } from '../context.js';
import { analyzeEmotion, type EmotionAnalysis } from '../emotion/analyze.js';
import { objectBody } from './request-body.js';

export interface EmotionRouteOptions {
  timeoutMs?: number;
  /** Called with each result (the lead wires the monitor push here). */
  onResult?: (character: string | undefined, result: EmotionAnalysis) => void;
}

const MAX_TEXT_CHARS = 4000;

/**
 * POST /api/emotion/analysis (rest.md §9.2). The body may override the model name and key of the configured
 * emotion endpoint, never its URL (a request must not point the server at another host).
 */
export async function emotionRoutes(app: FastifyInstance, ctx: MainContext, opts: EmotionRouteOptions = {}): Promise<void> {
  app.post('/emotion/analysis', async (req, reply) => {
    const body = objectBody(req.body);
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (!text) return reply.code(400).send({ success: false, error: '请求体中必须包含text字段' });
    if (text.length > MAX_TEXT_CHARS) return reply.code(400).send({ success: false, error: `text 过长 (at most ${MAX_TEXT_CHARS} characters)` });
    const configured = ctx.config.resolvedCore().roles.emotion;
    const endpoint = {
      baseUrl: configured.baseUrl,
      model: typeof body.model === 'string' && body.model.trim() ? body.model.trim() : configured.model,
      apiKey: typeof body.api_key === 'string' && body.api_key.trim() ? body.api_key.trim() : configured.apiKey,
    };
    const result = await analyzeEmotion(text, endpoint, { timeoutMs: opts.timeoutMs, log: ctx.log });
    const character = typeof body.lanlan_name === 'string' && body.lanlan_name ? body.lanlan_name : undefined;
    opts.onResult?.(character, result);
    return result;
  });
}
