import { z } from 'zod';

/**
 * voice_storage.json (rest.md §13.5): voices bucketed by the API key they were registered with, or
 * `__LOCAL_TTS__`. Bucket names are secrets and never leave the server.
 */
export const LOCAL_TTS_BUCKET = '__LOCAL_TTS__';

const Voice = z.object({ voice_id: z.string().optional() }).catchall(z.unknown());
export const VoiceStorageSchema = z.record(z.string(), z.record(z.string(), Voice));
export type VoiceStorage = z.infer<typeof VoiceStorageSchema>;

/** Legacy CosyVoice ids that no longer work with the provider (rest.md §4.5). */
export function isLegacyVoiceId(id: string): boolean {
  return id.startsWith('cosyvoice-v2') || id.startsWith('cosyvoice-v3-');
}

/** The voices usable with `audioKey`: its bucket plus locally registered ones. */
export function voicesFor(storage: VoiceStorage, audioKey: string): Record<string, Record<string, unknown>> {
  return { ...(audioKey ? storage[audioKey] ?? {} : {}), ...(storage[LOCAL_TTS_BUCKET] ?? {}) };
}

/**
 * A cloud voice's state as stored (`status`): absent or `ok` when usable; `deploying` while the provider still
 * prepares it (synthesis fails until then); `undeployed` when it failed the provider's review.
 */
export type StoredVoiceStatus = 'ok' | 'deploying' | 'undeployed';

/** A clone the provider rejected in review: it can never speak (one still being prepared may). */
export function isRejectedVoice(voice: Record<string, unknown>): boolean {
  return voice.status === 'undeployed';
}

export function isKnownVoice(storage: VoiceStorage, audioKey: string, voiceId: string): boolean {
  if (voiceId === '') return true;
  if (isLegacyVoiceId(voiceId)) return false;
  if (voiceId.startsWith('gsv:')) return voiceId.length > 4;
  const voices = voicesFor(storage, audioKey);
  return Object.hasOwn(voices, voiceId) && !isRejectedVoice(voices[voiceId]!);
}

/** POST /api/characters/voices: stores a voice under the key it was made with, stamped with id and time. */
export function registerVoice(storage: VoiceStorage, audioKey: string, voiceId: string, data: Record<string, unknown>, now = new Date()): VoiceStorage {
  const next = structuredClone(storage);
  next[audioKey] = { ...(next[audioKey] ?? {}), [voiceId]: { ...data, voice_id: voiceId, created_at: now.toISOString() } };
  return next;
}

/** Removes a voice from the current key's bucket, else from the local-TTS bucket; `removed` false when in neither. */
export function removeVoice(storage: VoiceStorage, audioKey: string, voiceId: string): { storage: VoiceStorage; removed: boolean } {
  for (const bucket of [audioKey, LOCAL_TTS_BUCKET]) {
    if (bucket && storage[bucket] && Object.hasOwn(storage[bucket], voiceId)) {
      const next = structuredClone(storage);
      delete next[bucket]![voiceId];
      return { storage: next, removed: true };
    }
  }
  return { storage, removed: false };
}
