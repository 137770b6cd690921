import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { buildZip, type ZipEntrySpec } from '../../../test/support/zip-writer.js';
import { tempDataDir } from '../../../test/support/services.js';
import { treeSnapshot } from '../../../test/support/avatar-files.js';
import { ApiError } from '../../shared/errors.js';
import { StagingDir } from './staging-dir.js';
import { extractZip } from './zip-extract.js';

const LIMITS = { maxEntries: 20, fileBytes: 1000, totalBytes: 3000 };

describe('extractZip', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  /** A root folder with a sibling "outside" folder; returns both and a zip path. */
  async function setup(entries: ZipEntrySpec[]) {
    const { dir, cleanup } = tempDataDir('neko-zip-');
    cleanups.push(cleanup);
    const root = join(dir, 'live2d');
    mkdirSync(root);
    mkdirSync(join(dir, 'outside'));
    const zip = join(dir, 'upload.zip');
    writeFileSync(zip, buildZip(entries));
    const staging = await StagingDir.create(root);
    return { dir, root, zip, staging };
  }

  it('extracts plain files and folders, skipping junk and types the caller refuses', async () => {
    const { staging, zip } = await setup([
      { name: 'm/' },
      { name: 'm/m.model3.json', data: '{}' },
      { name: 'm/tex/a.png', data: 'png' },
      { name: 'm/readme.html', data: '<script>x</script>' },
      { name: '__MACOSX/m/._a.png', data: 'junk' },
      { name: 'm/.DS_Store', data: 'junk' },
    ]);
    const result = await extractZip(zip, staging, LIMITS, (rel) => !rel.endsWith('.html'));
    assert.deepEqual(result.written.sort(), ['m/m.model3.json', 'm/tex/a.png']);
    assert.deepEqual(result.skipped, ['m/readme.html']);
    assert.equal(readFileSync(join(staging.path, 'm', 'tex', 'a.png'), 'utf8'), 'png');
    assert.deepEqual(readdirSync(join(staging.path, 'm')).sort(), ['m.model3.json', 'tex']);
  });

  const refusals: Array<[string, ZipEntrySpec[], number]> = [
    ['a ../ entry', [{ name: 'm/m.model3.json', data: '{}' }, { name: 'm/../../outside/pwned.txt', data: 'x' }], 400],
    ['a leading ../ entry', [{ name: '../outside/pwned.txt', data: 'x' }], 400],
    ['an absolute path', [{ name: '/tmp/neko-pwned.txt', data: 'x' }], 400],
    ['a Windows drive path', [{ name: 'C:/pwned.txt', data: 'x' }], 400],
    ['a backslash path', [{ name: 'm\\..\\..\\pwned.txt', data: 'x' }], 400],
    ['a symlink', [{ name: 'm/m.model3.json', data: '{}' }, { name: 'm/link', data: '../../outside', mode: 0o120777 }], 400],
    ['a character device', [{ name: 'm/dev', data: '', mode: 0o020644 }], 400],
    ['a FIFO', [{ name: 'm/fifo', data: '', mode: 0o010644 }], 400],
    ['duplicate entries', [{ name: 'm/a.png', data: '1' }, { name: 'm/a.png', data: '2' }], 400],
    ['a file bigger than the per-file cap', [{ name: 'm/big.png', data: Buffer.alloc(1001) }], 413],
    ['more content than the total cap', [0, 1, 2, 3].map((i) => ({ name: `m/${i}.png`, data: Buffer.alloc(900) })), 413],
    ['more entries than allowed', Array.from({ length: 21 }, (_, i) => ({ name: `m/${i}.png`, data: 'x' })), 413],
    ['an entry that lies about its size', [{ name: 'm/a.png', data: Buffer.alloc(500), declaredSize: 10 }], 400],
  ];
  for (const [what, entries, status] of refusals) {
    it(`refuses ${what} (${status}) and leaves nothing outside the staging folder`, async () => {
      const { dir, zip, staging } = await setup(entries);
      const before = treeSnapshot(dir);
      await assert.rejects(extractZip(zip, staging, LIMITS, () => true), (err: unknown) => {
        assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
        assert.equal(err.status, status, err.message);
        return true;
      });
      await staging.discard();
      const after = treeSnapshot(dir);
      const stagingKey = `${staging.path.slice(dir.length + 1)}/`;
      delete before[stagingKey];
      assert.deepEqual(after, before);
    });
  }

  it('refuses a file that is not a zip', async () => {
    const { dir, cleanup } = tempDataDir('neko-zip-');
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'x.zip'), '<html>not a zip</html>');
    const staging = await StagingDir.create(join(dir, 'root'));
    await assert.rejects(extractZip(join(dir, 'x.zip'), staging, LIMITS, () => true), (err: unknown) => err instanceof ApiError && err.status === 400);
  });
});
