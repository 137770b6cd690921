import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameUnits, validateCharacterName } from './names.js';

test('real names pass: CJK, spaces, dashes, Latin', () => {
  for (const name of ['test', '小天', 'T酱', 'Neko-chan', 'Little T', 'ねこ', '고양이']) assert.equal(validateCharacterName(name), name);
  assert.equal(validateCharacterName('  padded  '), 'padded');
});

test('names that could escape a folder or break a file system are refused', () => {
  for (const bad of ['a/b', 'a\\b', '..', '../x', 'x..y', '.hidden', 'tab\there', 'nul\u0000', 'bell\u0007', 'a:b', 'a|b', 'a?b', 'a*b', '<x>', '"q"']) {
    assert.throws(() => validateCharacterName(bad), `${JSON.stringify(bad)} accepted`);
  }
});

test('empty and non-string names are refused with the original message', () => {
  assert.throws(() => validateCharacterName(''), /档案名为必填项/);
  assert.throws(() => validateCharacterName('   '), /档案名为必填项/);
  assert.throws(() => validateCharacterName(42), /档案名为必填项/);
});

test('length counts ASCII as 1 unit and others as 2, at most 20', () => {
  assert.equal(nameUnits('ab小'), 4);
  assert.equal(validateCharacterName('a'.repeat(20)), 'a'.repeat(20));
  assert.throws(() => validateCharacterName('a'.repeat(21)), /20/);
  assert.equal(validateCharacterName('小'.repeat(10)), '小'.repeat(10));
  assert.throws(() => validateCharacterName('小'.repeat(11)), /20/);
});
