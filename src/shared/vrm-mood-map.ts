/**
 * Which VRM expressions an emotion plays when a model has no mapping of its own, first present wins
 * (rest.md §8). One table for the server's emotion-mapping route and the page's VRM face.
 */
export const DEFAULT_MOOD_MAP: Readonly<Record<string, readonly string[]>> = {
  neutral: ['neutral'],
  happy: ['happy', 'joy', 'fun', 'smile', 'joy_01'],
  relaxed: ['relaxed', 'joy', 'fun', 'content'],
  sad: ['sad', 'sorrow', 'grief'],
  angry: ['angry', 'anger'],
  surprised: ['surprised', 'surprise', 'shock', 'e', 'o'],
};
