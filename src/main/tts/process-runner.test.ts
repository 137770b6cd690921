import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessRunner } from './process-runner.js';

test('runs a program through the helper process: stdin in, stdout streamed back, exit code reported', async (t) => {
  const runner = new ProcessRunner();
  t.after(() => runner.close());
  const run = runner.run('cat', [], { stdin: 'hello from neko' });
  const chunks: Buffer[] = [];
  for await (const c of run.stdout) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString(), 'hello from neko');
  assert.deepEqual(await run.done, { code: 0, stderr: '' });
});

test('abort kills the program at once; a missing program is a clear error', async (t) => {
  const runner = new ProcessRunner();
  t.after(() => runner.close());
  const controller = new AbortController();
  const run = runner.run('sleep', ['30'], { signal: controller.signal });
  controller.abort();
  const result = await run.done;
  assert.equal(result.code, null, 'killed by a signal, not finished');
  const missing = runner.run('/nonexistent/program', []);
  await assert.rejects(missing.done, /ENOENT/);
});
