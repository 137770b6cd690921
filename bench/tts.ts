// Voice pipeline figures: first-audio latency of espeak-ng TTS, event-loop lag while four characters speak,
// and the STT+VAD turn latency against a local /v1/audio/transcriptions server.
import { performance } from 'node:perf_hooks';
import { AudioWorkerPool } from '../src/main/audio/audio-worker-pool.js';
import { ScriptedProvider } from '../src/main/providers/testing.js';
import { withVoiceInput } from '../src/main/stt/with-voice-input.js';
import { EspeakEngine } from '../src/main/tts/espeak-engine.js';
import { PooledSpeechResampler } from '../src/main/tts/speech-resampler.js';
import { TtsPipeline } from '../src/main/tts/tts-pipeline.js';
import { frames16k, silence16k, speechAt16k } from '../test/support/spoken-audio.js';
import { startTranscriptionServer } from '../test/support/transcription-server.js';
import { eventLoopLag, median, percentile, type Figure } from './stats.js';

const FIRST_AUDIO_RUNS = 20;
const STT_RUNS = 8;
/** Rounds of four characters speaking at once, pooled into one lag histogram (one round is ~0.5 s of samples). */
const SPEAKING_ROUNDS = 5;
const REPLY = 'Of course! Let me think about that for a moment. I believe the answer is quite simple, really.';

function once<T>(register: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise(register);
}

export async function ttsBench(): Promise<Figure[]> {
  const pool = new AudioWorkerPool();
  try {
    // Warm the worker and the espeak-ng binary so the figures are steady-state, as in a running session.
    const warm = new TtsPipeline({ engine: new EspeakEngine(), resampler: new PooledSpeechResampler(pool, 'warm') });
    await warm.ready;
    warm.push('w', 'Warm up. ');
    warm.end('w');
    await warm.whenIdle();
    await warm.close();

    const firstAudio: number[] = [];
    for (let i = 0; i < FIRST_AUDIO_RUNS; i++) {
      const tts = new TtsPipeline({ engine: new EspeakEngine(), resampler: new PooledSpeechResampler(pool, `first-${i}`) });
      await tts.ready;
      const heard = once<number>((resolve) => tts.once('audio', () => resolve(performance.now())));
      const t0 = performance.now();
      // Token-sized deltas, as a model streams them; the first clause ends at "course!".
      for (const piece of REPLY.match(/.{1,4}/g) ?? []) tts.push(`r${i}`, piece);
      firstAudio.push((await heard) - t0);
      tts.end(`r${i}`);
      await tts.whenIdle();
      await tts.close();
    }

    const lag = eventLoopLag();
    for (let round = 0; round < SPEAKING_ROUNDS; round++) {
      const speakers = Array.from({ length: 4 }, (_, i) => new TtsPipeline({ engine: new EspeakEngine(), resampler: new PooledSpeechResampler(pool, `four-${round}-${i}`) }));
      await Promise.all(speakers.map((s) => s.ready));
      lag.enable();
      speakers.forEach((s, i) => {
        for (const piece of `${REPLY} ${REPLY}`.match(/.{1,4}/g) ?? []) s.push(`c${i}`, piece);
        s.end(`c${i}`);
      });
      await Promise.all(speakers.map((s) => s.whenIdle()));
      lag.disable();
      await Promise.all(speakers.map((s) => s.close()));
    }
    const lagP99 = lag.percentile(99);

    const stt = await startTranscriptionServer(['what time is it', 'hello']);
    const turns: number[] = [];
    try {
      const speech = speechAt16k('what time is it');
      for (let i = 0; i < STT_RUNS; i++) {
        const inner = new ScriptedProvider({ audioInput: false, audioOutput: false, vision: false, serverVad: false, inputSampleRate: 16_000, outputSampleRate: 24_000 });
        const voice = withVoiceInput(inner, { baseUrl: `${stt.url}/v1`, apiKey: 'bench' });
        let stoppedAt = 0;
        voice.on('speech_stopped', () => (stoppedAt = performance.now()));
        const transcribed = once<number>((resolve) => voice.on('input_transcript', () => resolve(performance.now())));
        for (const f of frames16k(Buffer.concat([silence16k(300), speech, silence16k(700)]))) voice.sendAudio(f);
        // Turn latency = from the end of the user's speech (VAD hang-over included: it is part of what the user waits) to the transcript.
        const hangoverMs = 500;
        turns.push((await transcribed) - stoppedAt + hangoverMs);
        await voice.close();
      }
    } finally {
      await stt.close();
    }

    const p50 = median(firstAudio);
    return [
      { name: 'TTS first text delta → first audio (espeak-ng, p50)', value: `${p50.toFixed(1)} ms`, target: '< 60 ms', ok: p50 < 60 },
      { name: `event-loop lag p99, 4 pipelines speaking (${SPEAKING_ROUNDS} rounds)`, value: `${lagP99.toFixed(2)} ms`, target: '< 5 ms', ok: lagP99 < 5 },
      { name: 'STT+VAD turn latency (end of speech → transcript, p50)', value: `${median(turns).toFixed(0)} ms (p90 ${percentile(turns, 90).toFixed(0)} ms)` },
    ];
  } finally {
    await pool.terminate();
  }
}
