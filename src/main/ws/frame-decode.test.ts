import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAudioFrame, inspectJpeg } from './frame-decode.js';

test('audio frames become PCM16 LE; rate by explicit field, else by the 480-sample rule', () => {
  const { pcm, rate } = decodeAudioFrame([1, -2, 32767, -32768], undefined);
  assert.equal(rate, 16_000);
  assert.deepEqual([pcm.readInt16LE(0), pcm.readInt16LE(2), pcm.readInt16LE(4), pcm.readInt16LE(6)], [1, -2, 32767, -32768]);
  assert.equal(decodeAudioFrame(Array(480).fill(0)).rate, 48_000);
  assert.equal(decodeAudioFrame(Array(512).fill(0)).rate, 16_000);
  assert.equal(decodeAudioFrame(Array(480).fill(0), 16_000).rate, 16_000, 'an explicit rate wins');
});

test('JPEG check: magic bytes and valid base64', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]).toString('base64');
  assert.equal(inspectJpeg(jpeg.padEnd(Math.ceil(jpeg.length / 4) * 4, '=')), undefined);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
  assert.match(inspectJpeg(png)!, /not a JPEG/);
  assert.match(inspectJpeg('/9j/4AA*AAAA')!, /base64/);
  assert.match(inspectJpeg('')!, /empty/);
});
