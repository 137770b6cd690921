import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import type { Live2dModelDir } from './live2d-catalog.js';
import { applyEmotionMapping, emotionMappingOf, readJsonObject, readModel3, writeModel3, type EmotionMapping } from './live2d-model-config.js';

/**
 * Where per-model settings (emotion mapping, saved parameters) are kept. A user model's own folder is in the
 * user data folder already; a bundled model's folder belongs to the installation (maybe read-only), so its
 * settings go to `<data>/avatar_config/live2d/<name>/` instead of into the app's static tree.
 */
export class Live2dModelSettings {
  constructor(private readonly overlayRoot: string) {}

  static forDataRoot(dataRoot: string): Live2dModelSettings {
    return new Live2dModelSettings(join(dataRoot, 'avatar_config', 'live2d'));
  }

  private overlayDir(model: Live2dModelDir): string {
    return join(this.overlayRoot, model.name);
  }

  isBundled(model: Live2dModelDir): boolean {
    return model.root.source !== 'documents';
  }

  parametersFile(model: Live2dModelDir): string {
    return this.isBundled(model) ? join(this.overlayDir(model), 'parameters.json') : join(model.dir, 'parameters.json');
  }

  loadParameters(model: Live2dModelDir): Record<string, unknown> {
    return readJsonObject(this.parametersFile(model)) ?? {};
  }

  saveParameters(model: Live2dModelDir, parameters: Record<string, number>): void {
    const file = this.parametersFile(model);
    mkdirSync(join(file, '..'), { recursive: true });
    writeJsonAtomic(file, parameters, 4);
  }

  emotionMapping(model: Live2dModelDir): EmotionMapping {
    if (this.isBundled(model)) {
      const saved = readJsonObject(join(this.overlayDir(model), 'emotion_mapping.json'));
      if (saved) return saved as unknown as EmotionMapping;
    }
    return emotionMappingOf(readModel3(model));
  }

  saveEmotionMapping(model: Live2dModelDir, mapping: EmotionMapping): void {
    if (this.isBundled(model)) {
      mkdirSync(this.overlayDir(model), { recursive: true });
      writeJsonAtomic(join(this.overlayDir(model), 'emotion_mapping.json'), mapping, 4);
      return;
    }
    const config = readModel3(model);
    applyEmotionMapping(config, mapping, model.dir);
    writeModel3(model, config);
  }
}
