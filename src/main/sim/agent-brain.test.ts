import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentBrainReply, SIM_NO_TASK } from './agent-brain.js';

const fn = (name: string, properties: Record<string, unknown> = {}) => ({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties } } });
const plannerTools = [
  fn('mcp__everything__get-sum', { a: { type: 'number' }, b: { type: 'number' } }),
  fn('mcp__everything__echo', { message: { type: 'string' } }),
  fn('mcp__files__list_directory', { path: { type: 'string' } }),
  fn('browser_task', { instruction: { type: 'string' } }),
  fn('computer_task', { instruction: { type: 'string' } }),
];
const ask = (text: string, tools = plannerTools) => agentBrainReply({ messages: [{ role: 'user', content: `LATEST_USER_REQUEST: ${text}\n\nRecent conversation:\nuser: ${text}` }], tools });

test('the sim planner picks the tool the request names and fills its arguments', () => {
  assert.deepEqual(ask('What is the sum of 2 and 40?').toolCall, { name: 'mcp__everything__get-sum', arguments: { a: 2, b: 40 } });
  assert.deepEqual(ask('please echo "hi there"').toolCall, { name: 'mcp__everything__echo', arguments: { message: 'hi there' } });
  assert.deepEqual(ask('list the directory /srv/data').toolCall, { name: 'mcp__files__list_directory', arguments: { path: '/srv/data' } });
  assert.equal(ask('open https://example.org in the browser').toolCall?.name, 'browser_task');
  assert.equal(ask('type hi in the terminal window').toolCall?.name, 'computer_task');
  assert.deepEqual(ask('how are you today?'), { content: SIM_NO_TASK, toolCall: null });
  assert.deepEqual(ask('open https://example.org', [plannerTools[0]!]), { content: SIM_NO_TASK, toolCall: null }, 'no browser tool offered');
});

test('the sim browser driver navigates, types, clicks, then reports the page', () => {
  const tools = ['navigate', 'click', 'type', 'scroll', 'extract', 'done'].map((n) => fn(n));
  const task = 'TASK: Open http://127.0.0.1:9/form, type "Neko" into the name field and press the Submit button';
  const page = `${task}\nSTEP: 2/20\nURL: http://127.0.0.1:9/form\nTITLE: f\nELEMENTS:\n[1] textbox "Name" value=""\n[2] button "Submit"\nTEXT:\nGreeter`;
  const messages: Record<string, unknown>[] = [{ role: 'system', content: 's' }, { role: 'user', content: `${task}\nSTEP: 1/20\nURL: about:blank` }];
  assert.deepEqual(agentBrainReply({ messages, tools }).toolCall, { name: 'navigate', arguments: { url: 'http://127.0.0.1:9/form' } });
  const did = (name: string, args: unknown) => ({ role: 'assistant', content: null, tool_calls: [{ id: name, type: 'function', function: { name, arguments: JSON.stringify(args) } }] });
  messages.push(did('navigate', {}), { role: 'tool', content: 'ok' }, { role: 'user', content: page });
  assert.deepEqual(agentBrainReply({ messages, tools }).toolCall, { name: 'type', arguments: { element: 1, text: 'Neko' } });
  messages.push(did('type', {}), { role: 'tool', content: 'ok' }, { role: 'user', content: page });
  assert.deepEqual(agentBrainReply({ messages, tools }).toolCall, { name: 'click', arguments: { element: 2 } });
  messages.push(did('click', {}), { role: 'tool', content: 'ok' }, { role: 'user', content: page.replace('Greeter', 'Hello, Neko!') });
  assert.deepEqual(agentBrainReply({ messages, tools }).toolCall, { name: 'done', arguments: { success: true, answer: 'Hello, Neko!' } });
});
