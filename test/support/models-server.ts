import { serveHttp } from './loopback-server.js';

export type ModelsServerMode = 'ok' | 'hang' | 'html' | 'not-found' | 'redirect';

export interface ModelsServer {
  /** OpenAI-compatible base URL (`…/v1`). */
  baseUrl: string;
  /** What each request asked for, with the Authorization header it carried. */
  requests: Array<{ method: string; path: string; authorization?: string }>;
  mode: ModelsServerMode;
  close(): Promise<void>;
}

/**
 * A tiny OpenAI-compatible model server for connection tests: `GET /v1/models` lists `models` when the
 * request carries `Bearer <key>` (any key, or none, when `key` is empty), else answers 401 the way OpenAI
 * does, quoting the presented key so a test can prove it is not passed on. `mode` scripts other behaviour:
 * never answering, an HTML page, no such route, a redirect elsewhere.
 */
export async function startModelsServer(opts: { key?: string; models?: string[] } = {}): Promise<ModelsServer> {
  const models = opts.models ?? ['tiny-chat', 'tiny-vision'];
  const requests: ModelsServer['requests'] = [];
  const server = await serveHttp(async (req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    const mode = state.mode;
    if (mode === 'hang') return; // the socket stays open without an answer
    if (mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>router login</title>');
      return;
    }
    if (mode === 'redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1:9/v1/models' }).end();
      return;
    }
    if (mode === 'not-found' || req.method !== 'GET' || req.url !== '/v1/models') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const presented = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '';
    if (opts.key && presented !== opts.key) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${presented}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })) }));
  });
  const state: ModelsServer = { baseUrl: `http://127.0.0.1:${server.port}/v1`, requests, mode: 'ok', close: server.close };
  return state;
}
