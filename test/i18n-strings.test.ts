import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

/** The page's string files (web/src/i18n/<area>/<lang>.ts): every area in every language, same keys, same placeholders. */
const root = new URL('../web/src/i18n/', import.meta.url).pathname;
const LANGUAGES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'ru'];
type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');

const areas = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());

test('there are string areas, and the chat area is one of them', () => {
  assert.ok(areas.includes('chat'), areas.join(','));
});

for (const area of areas) {
  test(`i18n area "${area}": all six languages, same keys and placeholders as English, nothing empty`, async () => {
    const load = async (lng: string) => (await import(pathToFileURL(join(root, area, `${lng}.ts`)).href)).default as Tree;
    const en = leaves(await load('en'));
    assert.ok(en.size > 0);
    for (const lng of LANGUAGES.slice(1)) {
      const other = leaves(await load(lng));
      assert.deepEqual([...other.keys()].sort(), [...en.keys()].sort(), `${area}/${lng}.ts keys differ from English`);
      for (const [key, text] of other) {
        assert.ok(text.trim().length > 0, `${area}/${lng}: ${key} is empty`);
        assert.equal(placeholders(text), placeholders(en.get(key)!), `${area}/${lng}: ${key} placeholders differ`);
      }
    }
  });
}
