import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeWav } from '../../src/main/tts/wav-stream.js';
import { serveHttp } from './loopback-server.js';

/**
 * A local server speaking OpenAI's `POST /v1/audio/transcriptions` (multipart `file` + `model`, JSON `{text}`),
 * backed by pocketsphinx restricted to a JSGF grammar of `phrases`, so espeak-ng speech is recognised
 * exactly. Records each request's form fields for assertions.
 */
export interface TranscriptionServer {
  url: string;
  requests: { model: string; language: string | null; fileName: string; audioBytes: number }[];
  close(): Promise<void>;
}

export async function startTranscriptionServer(phrases: readonly string[], opts: { failWith?: number } = {}): Promise<TranscriptionServer> {
  const dir = mkdtempSync(join(tmpdir(), 'neko-stt-'));
  const grammar = join(dir, 'phrases.gram');
  writeFileSync(grammar, `#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = ${phrases.join(' | ')};\n`);
  const requests: TranscriptionServer['requests'] = [];
  const server = await serveHttp(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
      res.writeHead(404).end();
      return;
    }
    if (opts.failWith) {
      res.writeHead(opts.failWith, { 'content-type': 'application/json' }).end('{"error":{"message":"scripted failure"}}');
      return;
    }
    const form = await readForm(req);
    const file = form.get('file');
    if (!(file instanceof Blob)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"file is required"}}');
      return;
    }
    const { format, pcm } = decodeWav(Buffer.from(await file.arrayBuffer()));
    requests.push({ model: String(form.get('model')), language: form.get('language') as string | null, fileName: (file as File).name, audioBytes: pcm.length });
    if (format.sampleRate !== 16_000) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `need 16 kHz, got ${format.sampleRate}` } }));
      return;
    }
    const text = await recognise(pcm, grammar);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text }));
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Multipart body → FormData through the WHATWG Request parser built into Node. */
async function readForm(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new Request('http://local/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData();
}

/** pocketsphinx opens its input by path (a child's stdin is a socket it cannot open), so the turn goes through a file. */
let turns = 0;
function recognise(pcm: Buffer, grammar: string): Promise<string> {
  const input = join(dirname(grammar), `turn-${++turns}.raw`);
  writeFileSync(input, pcm);
  return new Promise((resolve, reject) => {
    const child = spawn('pocketsphinx_continuous', ['-infile', input, '-jsgf', grammar, '-logfn', '/dev/null'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
}
