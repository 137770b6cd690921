import { request } from 'node:http';

/**
 * GET a small JSON document over plain node:http. The launcher polls /health many times at start-up and
 * otherwise idles; node:http keeps it lighter than fetch (which loads undici, ~20 MB resident).
 */
export function getJson(url: string, opts: { timeoutMs: number; headers?: Record<string, string> }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: opts.headers, timeout: opts.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
