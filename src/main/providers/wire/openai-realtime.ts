import { userTextItem, type RealtimeDialect } from './dialect.js';

/** The original appended this to OpenAI's instructions so the default voice sounds like a companion. */
export const OPENAI_VOICE_STYLE_SUFFIX = '\nSpeak with a cute, lively voice.';

/** OpenAI's GA realtime API accepts PCM input only at 24 kHz (docs: "Only a 24kHz sample rate is supported"). */
const OPENAI_PCM_RATE = 24000;

/** OpenAI Realtime, GA event shapes (`session.type: "realtime"`, `output_modalities`, `audio.input/output`). */
export const openAiRealtimeDialect: RealtimeDialect = {
  provider: 'openai',
  capabilities: { audioInput: true, audioOutput: true, vision: true, serverVad: true, inputSampleRate: OPENAI_PCM_RATE, outputSampleRate: OPENAI_PCM_RATE },
  quirks: {},
  sessionUpdate: (p) => ({
    type: 'session.update',
    session: {
      type: 'realtime',
      model: p.model,
      instructions: p.instructions + OPENAI_VOICE_STYLE_SUFFIX,
      output_modalities: p.audioOutput ? ['audio'] : ['text'],
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: OPENAI_PCM_RATE },
          transcription: { model: 'gpt-4o-mini-transcribe' },
          turn_detection: { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true },
        },
        output: { format: { type: 'audio/pcm', rate: OPENAI_PCM_RATE }, voice: p.voice || 'marin', speed: 1.0 },
      },
    },
  }),
  imageEvent: (jpeg) => ({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: `data:image/jpeg;base64,${jpeg}` }] },
  }),
  textTurn: (text) => [userTextItem(text)],
  // A system item adds context to the conversation without touching the session instructions.
  contextPrime: (text) => ({ before: [userTextItem(text, 'system')], restore: [] }),
};
