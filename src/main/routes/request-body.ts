import { badRequest } from '../../shared/errors.js';

/** The JSON object a route expects; arrays, strings and empty bodies are a 400, not a crash further down. */
export function objectBody(body: unknown, emptyMessage = '请求体必须是 JSON 对象 (a JSON object body is required)'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(emptyMessage);
  return body as Record<string, unknown>;
}
