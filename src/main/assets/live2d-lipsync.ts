import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';

/**
 * Mouth curves in an imported model's motions would fight the lip-sync driven by speech, so (as the original
 * does on import) they are emptied: the Cubism vowel parameters, anything named like a mouth, lip or jaw
 * parameter, and the ids of the model's own `LipSync` group.
 */
const VOWELS = new Set(['ParamA', 'ParamI', 'ParamU', 'ParamE', 'ParamO', 'PARAM_A', 'PARAM_I', 'PARAM_U', 'PARAM_E', 'PARAM_O']);
const MOUTHLIKE = /^(Param_?)?(Mouth|Lip|Jaw)/i;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function lipSyncIds(model3: unknown): Set<string> {
  const ids = new Set<string>();
  const groups = isObject(model3) && Array.isArray(model3.Groups) ? model3.Groups : [];
  for (const g of groups) {
    if (isObject(g) && g.Name === 'LipSync' && Array.isArray(g.Ids)) for (const id of g.Ids) if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

export function isMouthParameter(id: string, modelLipSync: ReadonlySet<string>): boolean {
  return VOWELS.has(id) || MOUTHLIKE.test(id.replace(/^PARAM_/, 'Param')) || modelLipSync.has(id);
}

/** Empties the segments of mouth curves in one parsed motion3.json; true when it changed. */
export function stripMouthCurves(motion: unknown, modelLipSync: ReadonlySet<string>): boolean {
  if (!isObject(motion) || !Array.isArray(motion.Curves)) return false;
  let changed = false;
  for (const curve of motion.Curves) {
    if (!isObject(curve) || curve.Target !== 'Parameter' || typeof curve.Id !== 'string') continue;
    if (isMouthParameter(curve.Id, modelLipSync) && !(Array.isArray(curve.Segments) && curve.Segments.length === 0)) {
      curve.Segments = [];
      changed = true;
    }
  }
  return changed;
}

/** Applies `stripMouthCurves` to every motion3.json under `dir`; unparsable motions are left as they are. */
export function stripMouthCurvesInFolder(dir: string, model3: unknown): number {
  const ids = lipSyncIds(model3);
  let rewritten = 0;
  const walk = (abs: string) => {
    for (const d of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.isFile() && d.name.toLowerCase().endsWith('.motion3.json')) {
        let motion: unknown;
        try {
          motion = JSON.parse(readFileSync(p, 'utf8'));
        } catch {
          continue;
        }
        if (stripMouthCurves(motion, ids)) {
          writeJsonAtomic(p, motion, 4);
          rewritten += 1;
        }
      }
    }
  };
  walk(dir);
  return rewritten;
}
