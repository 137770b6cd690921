import { createServer } from 'node:net';
import { isNekoHealth } from '../shared/health.js';
import { getJson } from './get-json.js';

/** True when nothing listens on host:port (we could bind it ourselves). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** What holds a taken port: a running neko (same app signature) or some other program. */
export async function describePortHolder(url: string): Promise<'neko' | 'other'> {
  try {
    return isNekoHealth(await getJson(`${url}/health`, { timeoutMs: 500 })) ? 'neko' : 'other';
  } catch {
    return 'other';
  }
}
