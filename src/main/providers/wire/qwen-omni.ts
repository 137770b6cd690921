import type { Json, RealtimeDialect, SessionParams } from './dialect.js';
import { userTextItem } from './dialect.js';

/**
 * Qwen3-Omni-Flash realtime only accepts `pcm24` as output format (DashScope client-events doc); older
 * Qwen-Omni-Turbo models take `pcm16`. Both deliver 24 kHz PCM.
 */
function outputFormat(model: string): string {
  return /qwen3/i.test(model) ? 'pcm24' : 'pcm16';
}

function session(p: SessionParams, instructions: string): Json {
  return {
    instructions,
    modalities: p.audioOutput ? ['text', 'audio'] : ['text'],
    voice: p.voice || 'Momo',
    input_audio_format: 'pcm16',
    output_audio_format: outputFormat(p.model),
    input_audio_transcription: { model: 'gummy-realtime-v1' },
    turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
    turn_detection_threshold: 0.2,
    smooth_output: false,
    repetition_penalty: 1.2,
    temperature: 0.7,
  };
}

/** Alibaba DashScope Qwen Omni realtime (beta-style event names, images via `input_image_buffer.append`). */
export const qwenOmniDialect: RealtimeDialect = {
  provider: 'qwen',
  capabilities: { audioInput: true, audioOutput: true, vision: true, serverVad: true, inputSampleRate: 16000, outputSampleRate: 24000 },
  quirks: {},
  sessionUpdate: (p) => ({ type: 'session.update', session: session(p, p.instructions) }),
  imageEvent: (jpeg) => ({ type: 'input_image_buffer.append', image: jpeg }),
  textTurn: (text) => [userTextItem(text)],
  // Qwen takes context only through the instructions, so the prime extends them for one reply and the
  // shell restores the original once that reply is done (the original kept the extension for good).
  contextPrime: (text, p) => ({
    before: [{ type: 'session.update', session: { instructions: `${p.instructions}\n${text}` } }],
    restore: [{ type: 'session.update', session: { instructions: p.instructions } }],
  }),
};
