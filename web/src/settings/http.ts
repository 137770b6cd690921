/** JSON and upload calls for the settings page; failures become ApiError with the server's own sentence. */
import { ApiError, apiError, callJson, parseJson } from '../api';

export { ApiError, ApiError as CodedError };

/** The machine code of an error body, if any (`code`). */
export function errorCode(err: unknown): string | undefined {
  return err instanceof ApiError ? err.code : undefined;
}

export const send = callJson;
export const get = <T>(path: string) => send<T>('GET', path);
export const post = <T>(path: string, body: unknown) => send<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => send<T>('PUT', path, body);
export const del = <T>(path: string) => send<T>('DELETE', path);

/** `/api/characters/catgirl/{name}…`: names are path segments, so always encoded. */
export const seg = (s: string) => encodeURIComponent(s);

/**
 * A multipart upload with progress (fetch cannot report upload progress): `onProgress` gets 0…1.
 * Resolves with the JSON answer; a 4xx/5xx rejects with the server's reason.
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(parseJson(xhr.responseText) as T);
      else reject(apiError(xhr.status, xhr.responseText, path));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network error', 'NETWORK')));
    xhr.send(form);
  });
}
