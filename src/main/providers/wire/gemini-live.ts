/**
 * Gemini Live (BidiGenerateContent over WebSocket, JSON frames): builders for our messages and a pure
 * mapping of server messages to a normalised vocabulary. One server message can carry several things
 * (model audio, an output transcription, turnComplete), so the mapping returns a list.
 */
type Json = Record<string, unknown>;

export interface GeminiSetupParams {
  model: string;
  instructions: string;
  voice?: string;
}

export const GEMINI_INPUT_MIME = 'audio/pcm;rate=16000';

export function geminiSetup(p: GeminiSetupParams): Json {
  return {
    setup: {
      model: p.model.startsWith('models/') ? p.model : `models/${p.model}`,
      generationConfig: {
        responseModalities: ['AUDIO'],
        temperature: 1.1,
        mediaResolution: 'MEDIA_RESOLUTION_LOW',
        speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: p.voice || 'Leda' } } },
      },
      systemInstruction: { parts: [{ text: p.instructions }] },
      tools: [{ googleSearch: {} }],
      inputAudioTranscription: {},
      outputAudioTranscription: {},
    },
  };
}

export const geminiAudioInput = (pcm: Buffer): Json => ({ realtimeInput: { audio: { data: pcm.toString('base64'), mimeType: GEMINI_INPUT_MIME } } });

export const geminiImageInput = (jpegBase64: string): Json => ({ realtimeInput: { video: { data: jpegBase64, mimeType: 'image/jpeg' } } });

/** A user text turn; `turnComplete: false` only adds context and asks for no reply. */
export const geminiTextTurn = (text: string, turnComplete: boolean): Json => ({
  clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete },
});

export type GeminiWireEvent =
  | { kind: 'setup_complete' }
  | { kind: 'audio'; pcm: Buffer; sampleRate: number }
  | { kind: 'text'; text: string; source: 'text' | 'transcript' }
  | { kind: 'input_transcript'; text: string }
  | { kind: 'interrupted' }
  | { kind: 'turn_complete' }
  | { kind: 'go_away'; timeLeft: string };

const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

/** `audio/pcm;rate=24000` → 24000; Gemini's native audio is 24 kHz when the rate is not stated. */
export function pcmRateOf(mimeType: string): number {
  const m = /rate=(\d+)/.exec(mimeType);
  return m ? Number(m[1]) : 24000;
}

export function mapGeminiServerMessage(message: Json): GeminiWireEvent[] {
  const out: GeminiWireEvent[] = [];
  if (message.setupComplete !== undefined) out.push({ kind: 'setup_complete' });
  const content = obj(message.serverContent);
  const input = obj(content.inputTranscription);
  if (typeof input.text === 'string' && input.text) out.push({ kind: 'input_transcript', text: input.text });
  const parts = Array.isArray(obj(content.modelTurn).parts) ? (obj(content.modelTurn).parts as unknown[]) : [];
  for (const raw of parts) {
    const part = obj(raw);
    if (part.thought === true) continue; // reasoning summaries are not for the user
    const inline = obj(part.inlineData);
    const mime = typeof inline.mimeType === 'string' ? inline.mimeType : '';
    if (typeof inline.data === 'string' && mime.startsWith('audio/')) {
      out.push({ kind: 'audio', pcm: Buffer.from(inline.data, 'base64'), sampleRate: pcmRateOf(mime) });
    } else if (typeof part.text === 'string' && part.text) {
      out.push({ kind: 'text', text: part.text, source: 'text' });
    }
  }
  const output = obj(content.outputTranscription);
  if (typeof output.text === 'string' && output.text) out.push({ kind: 'text', text: output.text, source: 'transcript' });
  if (content.interrupted === true) out.push({ kind: 'interrupted' });
  if (content.turnComplete === true) out.push({ kind: 'turn_complete' });
  const goAway = obj(message.goAway);
  if (message.goAway !== undefined) out.push({ kind: 'go_away', timeLeft: typeof goAway.timeLeft === 'string' ? goAway.timeLeft : '' });
  return out;
}
