import { userTextItem, type RealtimeDialect } from './dialect.js';

/** Zhipu GLM-Realtime: video frames ride on the audio buffer; its text deltas duplicate the transcript. */
export const glmDialect: RealtimeDialect = {
  provider: 'glm',
  capabilities: { audioInput: true, audioOutput: true, vision: true, serverVad: true, inputSampleRate: 16000, outputSampleRate: 24000 },
  quirks: { ignoreTextDeltas: true },
  sessionUpdate: (p) => ({
    type: 'session.update',
    session: {
      instructions: p.instructions,
      modalities: p.audioOutput ? ['text', 'audio'] : ['text'],
      voice: p.voice || 'tongtong',
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm',
      turn_detection: { type: 'server_vad' },
      input_audio_noise_reduction: { type: 'far_field' },
      beta_fields: { chat_mode: 'video_passive', auto_search: true },
      temperature: 1.0,
    },
  }),
  imageEvent: (jpeg) => ({ type: 'input_audio_buffer.append_video_frame', video_frame: jpeg }),
  textTurn: (text) => [userTextItem(text)],
  contextPrime: (text) => ({ before: [userTextItem(text)], restore: [] }),
};
