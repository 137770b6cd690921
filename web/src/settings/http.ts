/** JSON and upload calls for the settings page; failures become ApiError with the server's own sentence. */
import { ApiError } from '../api';

export { ApiError };

/** The server's reason from an error body (`error`, else `detail`, else `message`), or a generic one. */
function reason(data: unknown, fallback: string): string {
  const d = data as { error?: unknown; detail?: unknown; message?: unknown } | undefined;
  for (const v of [d?.error, d?.detail, d?.message]) if (typeof v === 'string' && v) return v;
  return fallback;
}

/** The machine code of an error body, if any (`code`). */
export function errorCode(err: unknown): string | undefined {
  return err instanceof CodedError ? err.code : undefined;
}

export class CodedError extends ApiError {
  constructor(status: number, message: string, readonly code?: string, readonly body?: unknown) {
    super(status, message);
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new CodedError(0, (err as Error).message, 'NETWORK');
  }
  const data = parse(await res.text());
  if (!res.ok) throw new CodedError(res.status, reason(data, `HTTP ${res.status}`), (data as { code?: string } | undefined)?.code, data);
  return data as T;
}

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
      const data = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(new CodedError(xhr.status, reason(data, `HTTP ${xhr.status}`), (data as { code?: string } | undefined)?.code, data));
    });
    xhr.addEventListener('error', () => reject(new CodedError(0, 'network error', 'NETWORK')));
    xhr.send(form);
  });
}
