import { userTextItem, type RealtimeDialect } from './dialect.js';

/**
 * StepFun realtime. Always answers with text and audio; no native vision (the session describes frames
 * with a vision model instead, sessions.md §9); provider-side web search is its only tool.
 */
export const stepDialect: RealtimeDialect = {
  provider: 'step',
  capabilities: { audioInput: true, audioOutput: true, vision: false, serverVad: true, inputSampleRate: 16000, outputSampleRate: 24000 },
  quirks: {},
  sessionUpdate: (p) => ({
    type: 'session.update',
    session: {
      instructions: p.instructions,
      modalities: ['text', 'audio'],
      voice: p.voice || 'qingchunshaonv',
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      turn_detection: { type: 'server_vad' },
      tools: [{ type: 'web_search', function: { description: 'Search the web for current information when the user asks about recent events.' } }],
    },
  }),
  imageEvent: () => null,
  textTurn: (text) => [userTextItem(text)],
  contextPrime: (text) => ({ before: [userTextItem(text)], restore: [] }),
};
