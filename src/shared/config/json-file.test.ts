import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from './json-file.js';
import { tempDataDir } from '../../../test/support/services.js';

const Schema = z.object({ a: z.number() });

test('atomic write replaces the file whole and leaves no temp files', (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const file = join(dir, 'x.json');
  writeJsonAtomic(file, { a: 1 });
  writeJsonAtomic(file, { a: 2, text: '猫娘' });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { a: 2, text: '猫娘' });
  assert.deepEqual(readdirSync(dir), ['x.json']);
});

test('a missing file reads as missing, not as an error', (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  assert.deepEqual(readJsonFile(join(dir, 'none.json'), Schema), { status: 'missing' });
});

test('invalid JSON is quarantined with its bytes intact', (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const file = join(dir, 'bad.json');
  writeFileSync(file, '{"a": 1,,');
  const result = readJsonFile(file, Schema);
  assert.equal(result.status, 'corrupt');
  if (result.status !== 'corrupt') return;
  assert.match(result.problem.error, /invalid JSON/);
  assert.ok(result.problem.quarantinedAs?.startsWith(`${file}.corrupt-`));
  assert.equal(readFileSync(result.problem.quarantinedAs!, 'utf8'), '{"a": 1,,');
  assert.deepEqual(readdirSync(dir).filter((f) => f === 'bad.json'), []);
});

test('valid JSON of the wrong shape is quarantined and the reason names the field', (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const file = join(dir, 'shape.json');
  writeFileSync(file, '{"a": "one"}');
  const result = readJsonFile(file, Schema);
  assert.equal(result.status, 'corrupt');
  if (result.status === 'corrupt') assert.match(result.problem.error, /^invalid content: a:/);
});

test('a UTF-8 BOM written by Windows editors is accepted', (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const file = join(dir, 'bom.json');
  writeFileSync(file, '\uFEFF{"a": 3}');
  assert.deepEqual(readJsonFile(file, Schema), { status: 'ok', value: { a: 3 } });
});
