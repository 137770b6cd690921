import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FRAME_BYTES, parseAgentEvent, parseAnalyzeRequest, parseFrame } from './zmq.js';

function errorOf(result: { ok: boolean; error?: string }): string {
  assert.equal(result.ok, false, 'expected a parse error');
  return result.error ?? '';
}

test('parseAgentEvent rejects malformed frames with a reason instead of throwing', () => {
  assert.match(errorOf(parseAgentEvent(Buffer.from('{not json'))), /malformed JSON/);
  assert.match(errorOf(parseAgentEvent(Buffer.from(''))), /malformed JSON/);
  assert.match(errorOf(parseAgentEvent(Buffer.from([0xff, 0xfe, 0x00]))), /malformed JSON/);
  assert.match(errorOf(parseAgentEvent('[1,2]')), /JSON object, got an array/);
  assert.match(errorOf(parseAgentEvent('null')), /JSON object, got null/);
  assert.match(errorOf(parseAgentEvent('"analyze_ack"')), /JSON object, got string/);
  assert.match(errorOf(parseAgentEvent('{"type":"task_result"}')), /missing event_type/);
  assert.match(errorOf(parseAgentEvent('{"event_type":42}')), /missing event_type/);
  assert.match(errorOf(parseAgentEvent('{"event_type":"launch_rockets"}')), /unknown event_type "launch_rockets"/);
  assert.match(errorOf(parseAgentEvent('{"event_type":"analyze_ack","lanlan_name":"a"}')), /invalid analyze_ack: event_id/);
  assert.match(errorOf(parseAgentEvent('{"event_type":"task_update","task":{"id":"t"}}')), /invalid task_update: task\.status/);
  assert.match(errorOf(parseAgentEvent(`{"event_type":"analyze_ack","pad":"${'x'.repeat(MAX_FRAME_BYTES)}"}`)), /exceeds/);
});

test('parseAgentEvent types every agent→main event of agent.md §3.4', () => {
  const frames = [
    { event_type: 'analyze_ack', lanlan_name: '小白', event_id: '9f1c' },
    { event_type: 'agent_status_update', lanlan_name: null, snapshot: { analyzer_enabled: true } },
    { event_type: 'task_update', lanlan_name: '小白', task: { id: 't1', status: 'running', type: 'computer_use', params: { instruction: '打开计算器' } } },
    {
      event_type: 'task_result', lanlan_name: '小白', text: 'done', task_id: 't1', channel: 'computer_use', status: 'completed',
      success: true, summary: 's', detail: 'd', error_message: '', timestamp: '2026-03-12T00:00:09.1Z',
    },
    { event_type: 'agent_notification', lanlan_name: '小白', text: '⚠️', source: 'brain', status: 'error', error_message: 'boom' },
    { event_type: 'proactive_message', lanlan_name: null, text: '提醒：该喝水了', channel: 'plugin:memo_reminder', success: true, status: 'completed' },
  ];
  for (const frame of frames) {
    const result = parseAgentEvent(Buffer.from(JSON.stringify(frame)));
    assert.ok(result.ok, `${frame.event_type}: ${result.ok ? '' : result.error}`);
    assert.deepEqual(result.event, frame, 'fields (including unknown extras) pass through unchanged');
  }
  const task = parseAgentEvent(JSON.stringify(frames[3]));
  assert.ok(task.ok && task.event.event_type === 'task_result' && task.event.success === true);
});

test('parseAnalyzeRequest accepts content or text and checks the trigger', () => {
  const base = { event_type: 'analyze_request', event_id: 'e1', trigger: 'turn_end', lanlan_name: 'a', conversation_id: 'c' };
  const ok = parseFrame(JSON.stringify({ ...base, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', text: 'yo' }] }));
  assert.ok(ok.ok);
  assert.ok(parseAnalyzeRequest(ok.event).ok);
  const badTrigger = parseFrame(JSON.stringify({ ...base, trigger: 'whenever', messages: [] }));
  assert.ok(badTrigger.ok);
  assert.match(errorOf(parseAnalyzeRequest(badTrigger.event)), /trigger/);
});
