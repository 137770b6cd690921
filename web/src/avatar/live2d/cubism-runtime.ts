import { apiError, getJson, parseJson } from '../../api';

/**
 * The Live2D Cubism Core runtime (`live2dcubismcore.min.js`) is proprietary: neko never ships or downloads
 * it. The user uploads their own copy once (`POST /api/live2d/cubism_core`); main keeps it in the data folder
 * and serves it at a stable URL, from where the page loads it before pixi-live2d-display.
 */
export interface CubismStatus {
  installed: boolean;
  url: string;
  size?: number;
}

export function cubismStatus(): Promise<CubismStatus> {
  return getJson<CubismStatus & { success: boolean }>('/api/live2d/cubism_core/status');
}

export async function uploadCubismCore(file: File): Promise<CubismStatus> {
  const form = new FormData();
  form.append('file', file, file.name);
  const path = '/api/live2d/cubism_core';
  const res = await fetch(path, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw apiError(res.status, text, path);
  const data = (parseJson(text) ?? {}) as Partial<CubismStatus>;
  return { installed: true, url: data.url ?? '', size: data.size };
}

let loading: Promise<void> | undefined;

/** Adds the runtime's script once; resolves when `window.Live2DCubismCore` exists. */
export function loadCubismCore(url: string): Promise<void> {
  if ('Live2DCubismCore' in window) return Promise.resolve();
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () => ('Live2DCubismCore' in window ? resolve() : reject(new Error('the runtime file did not define Live2DCubismCore')));
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  }).catch((err: Error) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
