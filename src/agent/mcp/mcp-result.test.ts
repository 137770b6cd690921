import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeToolResult } from './mcp-result.js';

test('tool results become readable text; errors and junk are unsuccessful with a reason', () => {
  assert.deepEqual(describeToolResult({ content: [{ type: 'text', text: 'The sum of 2 and 3 is 5.' }] }), { success: true, text: 'The sum of 2 and 3 is 5.' });
  assert.deepEqual(describeToolResult({ content: [{ type: 'text', text: 'no such file' }], isError: true }), { success: false, text: 'no such file' });
  assert.equal(describeToolResult({ content: [], structuredContent: { temp: 21 } }).text, '{"temp":21}');
  assert.match(describeToolResult({ content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] }).text, /\[image image\/png/);
  assert.equal(describeToolResult('a string').success, false);
  assert.equal(describeToolResult({ content: [{ type: 'text', text: 42 }] }).success, false);
  const huge = describeToolResult({ content: [{ type: 'text', text: 'y'.repeat(100_000) }] });
  assert.ok(huge.text.length < 4100 && /more characters/.test(huge.text));
  assert.equal(describeToolResult({ content: [] }).text, 'the tool returned no content');
});
