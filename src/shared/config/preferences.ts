import { z } from 'zod';
import { badRequest } from '../errors.js';

/** user_preferences.json: an array of per-model view settings, first = preferred model (rest.md §3.3). */
const Xy = z.object({ x: z.number(), y: z.number(), z: z.number().optional() }).catchall(z.unknown());
const Entry = z
  .object({
    model_path: z.string().min(1).max(2048),
    position: Xy,
    scale: Xy,
    parameters: z.record(z.string(), z.unknown()).optional(),
    display: z.object({ screenX: z.number(), screenY: z.number() }).catchall(z.unknown()).optional(),
    rotation: z.object({ x: z.number(), y: z.number(), z: z.number() }).catchall(z.unknown()).optional(),
    viewport: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
    camera_position: z.record(z.string(), z.unknown()).optional(),
  })
  .catchall(z.unknown());
export type ModelPreference = z.infer<typeof Entry>;

/** A legacy single object is wrapped into a list; entries that are not objects are dropped. */
export const PreferencesFileSchema = z
  .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .transform((v) => (Array.isArray(v) ? v : [v]).filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && !Array.isArray(e)));

export function validatePreference(body: unknown): ModelPreference {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('无效的数据');
  const input = { ...(body as Record<string, unknown>) };
  // A malformed viewport is dropped rather than refused, as the original does.
  if (input.viewport !== undefined && !Entry.shape.viewport.safeParse(input.viewport).success) delete input.viewport;
  const parsed = Entry.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`偏好数据格式无效: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : ''}`.trim());
  }
  return parsed.data;
}

const OPTIONAL_CARRIED = ['parameters', 'display', 'rotation', 'viewport', 'camera_position'] as const;

/**
 * Entries for what only neko's page knows (`neko:built-in-avatar`): the original's clients read the first entry
 * as the preferred model to load, so these are kept behind every real model and hidden from them.
 */
export function isNekoOnlyPreference(entry: Record<string, unknown>): boolean {
  return typeof entry.model_path === 'string' && entry.model_path.startsWith('neko:');
}

/** Upsert keyed by model_path; omitted optional fields carry over from the previous entry. */
export function upsertPreference(list: Record<string, unknown>[], entry: ModelPreference): Record<string, unknown>[] {
  const next = list.map((e) => ({ ...e }));
  const i = next.findIndex((e) => e.model_path === entry.model_path);
  if (i < 0) {
    // A new model goes at the end of the real models, ahead of neko-only entries (rest.md §3.4 appends).
    const at = isNekoOnlyPreference(entry) ? -1 : next.findIndex(isNekoOnlyPreference);
    if (at < 0) return [...next, entry];
    return [...next.slice(0, at), entry, ...next.slice(at)];
  }
  const previous = next[i]!;
  const merged: Record<string, unknown> = { ...entry };
  for (const key of OPTIONAL_CARRIED) if (merged[key] === undefined && previous[key] !== undefined) merged[key] = previous[key];
  next[i] = merged;
  return next;
}

export function moveToTop(list: Record<string, unknown>[], modelPath: unknown): Record<string, unknown>[] | null {
  const i = list.findIndex((e) => e.model_path === modelPath);
  if (i < 0) return null;
  const next = [...list];
  const [entry] = next.splice(i, 1);
  return [entry!, ...next];
}
