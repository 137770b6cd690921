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

  // Output travels over main's output socket, not the helper's IPC: every byte of a large stream arrives.
  const big = runner.run('head', ['-c', '3000000', '/dev/urandom']);
  const sizes = await Promise.all([
    (async () => {
      let n = 0;
      for await (const c of big.stdout) n += c.length;
      return n;
    })(),
    big.done,
  ]);
  assert.equal(sizes[0], 3_000_000);
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

test('a pipeline joins programs stdout → stdin; the first failing stage decides the exit code', async (t) => {
  const runner = new ProcessRunner();
  t.after(() => runner.close());
  const run = runner.runPipeline(
    [
      { command: 'tr', args: ['a-z', 'A-Z'] },
      { command: 'rev', args: [] },
    ],
    { stdin: 'neko pipeline' },
  );
  const chunks: Buffer[] = [];
  for await (const c of run.stdout) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString(), 'ENILEPIP OKEN');
  assert.equal((await run.done).code, 0);

  const failing = runner.runPipeline([
    { command: 'sh', args: ['-c', 'echo broken >&2; exit 3'] },
    { command: 'cat', args: [] },
  ]);
  for await (const _ of failing.stdout) assert.fail('no output expected');
  const result = await failing.done;
  assert.equal(result.code, 3);
  assert.match(result.stderr, /broken/);

  const missing = runner.runPipeline([
    { command: 'cat', args: [] },
    { command: '/nonexistent/stage', args: [] },
  ]);
  await assert.rejects(missing.done, /\/nonexistent\/stage.*ENOENT/);
});
