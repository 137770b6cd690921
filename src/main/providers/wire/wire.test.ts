import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyProviderError } from '../errors.js';
import { chatRequestBody, mapChatChunk, mapChatHttpError, SseReader, userMessageWithImages } from './chat-completions.js';
import type { RealtimeDialect } from './dialect.js';
import { geminiAudioInput, geminiImageInput, geminiSetup, geminiTextTurn, mapGeminiServerMessage } from './gemini-live.js';
import { glmDialect } from './glm.js';
import { OPENAI_VOICE_STYLE_SUFFIX, openAiRealtimeDialect } from './openai-realtime.js';
import { qwenOmniDialect } from './qwen-omni.js';
import { mapRealtimeServerEvent } from './realtime-events.js';
import { stepDialect } from './step.js';

type Json = Record<string, unknown>;

function fixture(name: string): Array<{ in: Json; out: unknown }> {
  const text = readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as { in: Json; out: unknown });
}

/** Buffers become base64 so mapped events compare with the JSON fixtures. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('base64') : v)));
}

const realtimeFixtures: Array<[string, RealtimeDialect]> = [
  ['openai-realtime.jsonl', openAiRealtimeDialect],
  ['qwen-omni.jsonl', qwenOmniDialect],
  ['glm.jsonl', glmDialect],
  ['step.jsonl', stepDialect],
];

for (const [file, dialect] of realtimeFixtures) {
  test(`realtime mapping: ${file} events map to the normalised vocabulary`, () => {
    const rows = fixture(file);
    assert.ok(rows.length >= 6);
    for (const row of rows) {
      assert.deepEqual(plain(mapRealtimeServerEvent(row.in, dialect.quirks)), row.out, `event ${String(row.in.type)}`);
    }
  });
}

test('openai session.update is the GA shape with semantic VAD and 24 kHz PCM', () => {
  const update = openAiRealtimeDialect.sessionUpdate({ model: 'gpt-realtime-mini', instructions: 'You are Neko.', audioOutput: true });
  assert.deepEqual(update, {
    type: 'session.update',
    session: {
      type: 'realtime',
      model: 'gpt-realtime-mini',
      instructions: `You are Neko.${OPENAI_VOICE_STYLE_SUFFIX}`,
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'gpt-4o-mini-transcribe' },
          turn_detection: { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1.0 },
      },
    },
  });
  const textOnly = openAiRealtimeDialect.sessionUpdate({ model: 'm', instructions: '', audioOutput: false, voice: 'cedar' }).session as Json;
  assert.deepEqual(textOnly.output_modalities, ['text']);
  assert.equal(((textOnly.audio as Json).output as Json).voice, 'cedar');
});

test('qwen, glm and step session bodies carry the fields of sessions.md §7.2', () => {
  const q = qwenOmniDialect.sessionUpdate({ model: 'qwen3-omni-flash-realtime', instructions: 'I', audioOutput: true }).session as Json;
  assert.deepEqual(q.modalities, ['text', 'audio']);
  assert.equal(q.voice, 'Momo');
  assert.equal(q.output_audio_format, 'pcm24');
  assert.deepEqual(q.turn_detection, { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 });
  assert.deepEqual(q.input_audio_transcription, { model: 'gummy-realtime-v1' });
  const turbo = qwenOmniDialect.sessionUpdate({ model: 'qwen-omni-turbo-realtime', instructions: '', audioOutput: false }).session as Json;
  assert.equal(turbo.output_audio_format, 'pcm16');
  assert.deepEqual(turbo.modalities, ['text']);

  const g = glmDialect.sessionUpdate({ model: 'glm-realtime-air', instructions: 'I', audioOutput: false }).session as Json;
  assert.deepEqual(g.modalities, ['text']);
  assert.equal(g.voice, 'tongtong');
  assert.equal(g.output_audio_format, 'pcm');
  assert.deepEqual(g.beta_fields, { chat_mode: 'video_passive', auto_search: true });

  const s = stepDialect.sessionUpdate({ model: 'step-audio-2', instructions: 'I', audioOutput: false }).session as Json;
  assert.deepEqual(s.modalities, ['text', 'audio'], 'StepFun always answers with audio');
  assert.equal(s.voice, 'qingchunshaonv');
  assert.equal((s.tools as Json[])[0]!.type, 'web_search');
});

test('each dialect sends images its own way (step has no native vision)', () => {
  assert.deepEqual(qwenOmniDialect.imageEvent('QUJD'), { type: 'input_image_buffer.append', image: 'QUJD' });
  assert.deepEqual(glmDialect.imageEvent('QUJD'), { type: 'input_audio_buffer.append_video_frame', video_frame: 'QUJD' });
  assert.deepEqual(openAiRealtimeDialect.imageEvent('QUJD'), {
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:image/jpeg;base64,QUJD' }] },
  });
  assert.equal(stepDialect.imageEvent('QUJD'), null);
  assert.equal(stepDialect.capabilities.vision, false);
});

test('a context prime never extends instructions for good: qwen restores them, the others add an item', () => {
  const p = { model: 'qwen3-omni-flash-realtime', instructions: 'BASE', audioOutput: true };
  const qwen = qwenOmniDialect.contextPrime('Agent result: done.', p);
  assert.deepEqual(qwen.before, [{ type: 'session.update', session: { instructions: 'BASE\nAgent result: done.' } }]);
  assert.deepEqual(qwen.restore, [{ type: 'session.update', session: { instructions: 'BASE' } }]);
  for (const d of [openAiRealtimeDialect, glmDialect, stepDialect]) {
    const prime = d.contextPrime('ctx', p);
    assert.equal(prime.restore.length, 0);
    assert.equal(prime.before[0]!.type, 'conversation.item.create');
    assert.equal(JSON.stringify(prime.before).includes('BASE'), false);
  }
});

test('error classification reads structured fields, not numbers inside messages', () => {
  assert.deepEqual(classifyProviderError({ httpStatus: 401 }), { code: 'API_KEY_REJECTED', fatal: true });
  assert.deepEqual(classifyProviderError({ httpStatus: 429 }), { code: 'API_RATE_LIMIT', fatal: true });
  assert.deepEqual(classifyProviderError({ httpStatus: 503 }), { code: 'SERVER_BUSY_THROTTLE', fatal: false });
  assert.deepEqual(classifyProviderError({ code: 'InvalidApiKey', httpStatus: 401 }), { code: 'API_KEY_REJECTED', fatal: true });
  assert.deepEqual(classifyProviderError({ code: 'invalid_value', type: 'invalid_request_error' }), { code: 'API_UNKNOWN_ERROR', fatal: false });
  assert.deepEqual(classifyProviderError({ closeCode: 1006 }), { code: 'CONNECTION_CLOSED_ABNORMAL', fatal: true });
  assert.deepEqual(classifyProviderError({ closeCode: 1008 }), { code: 'API_POLICY_VIOLATION', fatal: true });
  assert.deepEqual(classifyProviderError({ closeCode: 1007, closeReason: 'API key not valid. Please pass a valid API key.' }), { code: 'API_KEY_REJECTED', fatal: true });
  assert.deepEqual(classifyProviderError({ closeCode: 1013 }), { code: 'SERVER_BUSY_THROTTLE', fatal: true });
});

test('gemini: messages we send, and server messages mapped from fixtures', () => {
  const setup = geminiSetup({ model: 'gemini-2.5-flash-native-audio-preview-12-2025', instructions: 'Be Neko.' }).setup as Json;
  assert.equal(setup.model, 'models/gemini-2.5-flash-native-audio-preview-12-2025');
  assert.deepEqual((setup.generationConfig as Json).responseModalities, ['AUDIO']);
  assert.equal(((((setup.generationConfig as Json).speechConfig as Json).voiceConfig as Json).prebuiltVoiceConfig as Json).voiceName, 'Leda');
  assert.deepEqual(setup.systemInstruction, { parts: [{ text: 'Be Neko.' }] });
  assert.deepEqual(setup.inputAudioTranscription, {});
  assert.deepEqual(setup.outputAudioTranscription, {});
  assert.deepEqual(geminiAudioInput(Buffer.from([1, 2])), { realtimeInput: { audio: { data: 'AQI=', mimeType: 'audio/pcm;rate=16000' } } });
  assert.deepEqual(geminiImageInput('QUJD'), { realtimeInput: { video: { data: 'QUJD', mimeType: 'image/jpeg' } } });
  assert.deepEqual(geminiTextTurn('hi', false), { clientContent: { turns: [{ role: 'user', parts: [{ text: 'hi' }] }], turnComplete: false } });
  for (const row of fixture('gemini-live.jsonl')) assert.deepEqual(plain(mapGeminiServerMessage(row.in)), row.out, JSON.stringify(row.in));
});

test('chat completions: SSE split at arbitrary byte boundaries yields the same deltas', () => {
  const wire = readFileSync(new URL('../__fixtures__/chat-completions.sse', import.meta.url), 'utf8');
  for (const step of [1, 7, 64, wire.length]) {
    const reader = new SseReader();
    const payloads: string[] = [];
    for (let i = 0; i < wire.length; i += step) payloads.push(...reader.push(wire.slice(i, i + step)));
    const mapped = payloads.map(mapChatChunk);
    assert.deepEqual(mapped.filter((m) => m.kind === 'delta').map((m) => (m as { text: string }).text), ['Hello', ', 世界'], `step ${step}`);
    assert.equal(mapped.at(-1)!.kind, 'done');
  }
});

test('chat completions: error bodies, mid-stream errors and multimodal user messages', () => {
  assert.equal(mapChatHttpError(401, '{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}').classified.code, 'API_KEY_REJECTED');
  assert.equal(mapChatHttpError(429, '{"error":{"message":"slow down","code":"rate_limit_exceeded"}}').classified.code, 'API_RATE_LIMIT');
  assert.equal(mapChatHttpError(502, '<html>bad gateway</html>').classified.code, 'LLM_CONNECTION_FAILED');
  const err = mapChatChunk('{"error":{"message":"content filtered","code":"content_filter"}}');
  assert.equal(err.kind, 'error');
  assert.equal(err.kind === 'error' && err.classified.code, 'API_POLICY_VIOLATION');
  assert.deepEqual(userMessageWithImages('look', ['QQ==']), {
    role: 'user',
    content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,QQ==' } }, { type: 'text', text: 'look' }],
  });
  assert.deepEqual(userMessageWithImages('plain', []), { role: 'user', content: 'plain' });
  assert.deepEqual(chatRequestBody('m', []), { model: 'm', messages: [], stream: true, temperature: 1.0 });
});
