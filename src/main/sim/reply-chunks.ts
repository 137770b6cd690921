/**
 * Splits a spoken reply into streaming deltas: equal audio slices, each paired with the words spoken in
 * it (words are spread over the audio in proportion to their length), so transcript and audio stay in step.
 */
export interface ReplyChunk {
  pcm: Buffer;
  text: string;
}

export function splitReply(pcm: Buffer, text: string, sampleRate: number, chunkMs: number): ReplyChunk[] {
  const chunkBytes = Math.max(2, Math.round((sampleRate * chunkMs) / 1000) * 2);
  const count = Math.max(1, Math.ceil(pcm.length / chunkBytes));
  const words = text.match(/\S+\s*/g) ?? [];
  const totalChars = words.reduce((n, w) => n + w.length, 0) || 1;
  const chunks: ReplyChunk[] = [];
  let wordIndex = 0;
  let charsSoFar = 0;
  for (let i = 0; i < count; i++) {
    const until = ((i + 1) / count) * totalChars;
    let piece = '';
    while (wordIndex < words.length && (charsSoFar < until || i === count - 1)) {
      piece += words[wordIndex];
      charsSoFar += words[wordIndex]!.length;
      wordIndex++;
    }
    chunks.push({ pcm: pcm.subarray(i * chunkBytes, (i + 1) * chunkBytes), text: piece });
  }
  return chunks;
}

/** Text-only replies stream word by word. */
export function splitTextReply(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}
