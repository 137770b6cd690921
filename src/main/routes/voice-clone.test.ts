import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startMainApp } from '../../../test/support/main-app.js';
import { silence16k, speechAt16k } from '../../../test/support/spoken-audio.js';
import { encodeWav } from '../tts/wav-stream.js';

/** A multipart body with one file part and some fields. */
function multipartBody(file: { name: string; data: Buffer; type?: string }, fields: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = `----neko${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'audio/wav'}\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const clip = encodeWav(Buffer.concat([speechAt16k('hello'), silence16k(1500), speechAt16k('there')]), 16_000);

test('voice clone upload validation: non-audio, path-traversal names, and a declared 200 MB body (413 before reading it)', async () => {
  const h = await startMainApp();
  after(() => h.close());
  const before = h.snapshot();
  const send = (f: { name: string; data: Buffer }, fields = { prefix: 'neko1' }) => {
    const { body, contentType } = multipartBody(f, fields);
    return h.inject({ method: 'POST', url: '/api/characters/voice_clone', payload: body, headers: { 'content-type': contentType } });
  };
  const text = await send({ name: 'notes.wav', data: Buffer.from('just some text, not audio at all') });
  assert.equal(text.status, 400);
  assert.match(JSON.stringify(text.body), /不是音频文件/);
  for (const name of ['../../etc/passwd.wav', '..\\evil.wav', 'a/b.wav']) {
    const res = await send({ name, data: clip });
    assert.equal(res.status, 400, name);
    assert.match(JSON.stringify(res.body), /文件名无效/);
  }

  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.app.server.address() as AddressInfo;
  const status = await new Promise<{ code: number; body: string; sent: number }>((resolve, reject) => {
    const boundary = 'big';
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/characters/voice_clone', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 200 * 1024 * 1024 } });
    let sent = 0;
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ code: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n`);
    // Only a small part of the declared 200 MB is ever written: the answer must come without the rest.
    for (let i = 0; i < 4; i++) {
      req.write(chunk);
      sent += chunk.length;
    }
  });
  assert.equal(status.code, 413);
  assert.match(status.body, /文件大小超过限制 \(100 MB\)/);
  assert.deepEqual(h.snapshot(), before, 'refused uploads change no config file');
});

test('analyze_silence finds the pause; trim_silence shortens it to 200 ms', async () => {
  const h = await startMainApp();
  after(() => h.close());
  const { body, contentType } = multipartBody({ name: 'ref.wav', data: clip });
  const analysis = await h.inject({ method: 'POST', url: '/api/characters/audio/analyze_silence', payload: body, headers: { 'content-type': contentType } });
  assert.equal(analysis.status, 200);
  assert.equal(analysis.body.has_silence, true);
  const pause = analysis.body.silence_segments.find((s: { duration_ms: number }) => s.duration_ms >= 1400);
  assert.ok(pause, JSON.stringify(analysis.body.silence_segments));
  const trimmed = await h.inject({ method: 'POST', url: '/api/characters/audio/trim_silence', payload: body, headers: { 'content-type': contentType } });
  assert.equal(trimmed.status, 200);
  assert.equal(trimmed.body.has_changes, true);
  assert.ok(trimmed.body.removed_silence_ms >= 1200, `removed ${trimmed.body.removed_silence_ms} ms`);
  assert.equal(trimmed.body.filename, 'trimmed_ref.wav');
  const progress = await h.inject({ method: 'GET', url: `/api/characters/audio/trim_progress/${trimmed.body.task_id}` });
  assert.deepEqual(progress.body, { exists: false, progress: 100, phase: 'done' });
});

test('voice_clone with a local TTS server registers the speaker there, stores it in voice_storage, and reuses it', async () => {
  const registered: string[] = [];
  const local = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('latin1')));
    req.on('end', () => {
      if (req.url !== '/v1/speakers/register') return res.writeHead(404).end();
      registered.push(/name="speaker_id"\r\n\r\n([^\r]*)/.exec(body)?.[1] ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
  after(() => local.close());
  const port = (local.address() as AddressInfo).port;
  const h = await startMainApp({ files: { 'core_config.json': { coreApi: 'sim', enableCustomApi: true, ttsModelUrl: `ws://127.0.0.1:${port}` } } });
  after(() => h.close());
  const { body, contentType } = multipartBody({ name: 'ref.wav', data: clip }, { prefix: 'myneko', ref_language: 'en' });
  const first = await h.inject({ method: 'POST', url: '/api/characters/voice_clone', payload: body, headers: { 'content-type': contentType } });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.voice_id, 'myneko');
  assert.deepEqual(registered, ['myneko']);
  const stored = h.ctx.config.voices().__LOCAL_TTS__?.myneko;
  assert.equal(stored?.ref_language, 'en');
  assert.equal(stored?.is_local, true);
  const again = await h.inject({ method: 'POST', url: '/api/characters/voice_clone', payload: body, headers: { 'content-type': contentType } });
  assert.equal(again.body.reused, true);
  assert.deepEqual(registered, ['myneko'], 'the same clip is not uploaded twice');
});

test('voice_preview speaks a greeting with the offline engine when no provider TTS is configured', async () => {
  const h = await startMainApp({ files: { 'core_config.json': { coreApi: 'sim' } } });
  after(() => h.close());
  const res = await h.inject({ method: 'GET', url: '/api/characters/voice_preview?voice_id=anything' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.mime_type, 'audio/wav');
  const wav = Buffer.from(res.body.audio, 'base64');
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.ok(wav.length > 10_000);
});
