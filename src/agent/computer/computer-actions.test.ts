import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computerActions, scaleCoordinate } from './computer-actions.js';
import { Desktop } from './desktop.js';

test('coordinates 0-999 are fractions of the screen, larger ones absolute, all clamped onto it', () => {
  assert.equal(scaleCoordinate(500, 800), 400);
  assert.equal(scaleCoordinate(0, 800), 0);
  assert.equal(scaleCoordinate(999, 1920), 1918);
  assert.equal(scaleCoordinate(1200, 1920), 1200);
  assert.equal(scaleCoordinate(5000, 1920), 1919);
});

test('actions are whitelisted and their arguments validated before anything runs', () => {
  const actions = computerActions(new Desktop({}), () => ({ width: 800, height: 600 }));
  assert.deepEqual(Object.keys(actions).sort(), ['click', 'double_click', 'drag', 'key', 'move', 'screenshot', 'scroll', 'type', 'wait']);
  const key = actions.key!.schema;
  assert.equal(key.safeParse({ keys: 'ctrl+shift+t' }).success, true);
  assert.equal(key.safeParse({ keys: 'Return' }).success, true);
  for (const bad of ['ctrl+c; rm -rf /', '--help', '$(reboot)', 'a+b+c+d+e+f', '']) assert.equal(key.safeParse({ keys: bad }).success, false, bad);
  assert.equal(actions.type!.schema.safeParse({ text: '你好, neko' }).success, true, 'non-ASCII text is allowed');
  assert.equal(actions.type!.schema.safeParse({ text: 'x'.repeat(2001) }).success, false);
  assert.equal(actions.wait!.schema.safeParse({ seconds: 31 }).success, false);
  assert.equal(actions.click!.schema.safeParse({ x: -1, y: 2 }).success, false);
  assert.equal(actions.click!.schema.safeParse({ x: 1, y: 2, button: 'side' }).success, false);
});
