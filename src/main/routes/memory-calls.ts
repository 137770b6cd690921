import { ZodError } from 'zod';
import { ApiError } from '../../shared/errors.js';
import { MemoryRequestError, MemoryUnavailableError } from '../bridges/memory-client.js';
import type { MainContext } from '../context.js';

/**
 * Runs a memory-service call that must succeed before main changes characters.json (rename, delete), turning
 * its failures into API errors. A 404 means memory holds nothing for that character, which is fine: undefined.
 */
export async function requiredMemoryCall<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MemoryUnavailableError) {
      throw new ApiError(503, `记忆服务不可用，无法${action}，请稍后再试 (memory service unavailable: nothing was changed)`, 'MEMORY_UNAVAILABLE');
    }
    if (err instanceof MemoryRequestError) {
      if (err.status === 404) return undefined;
      if (err.status >= 400 && err.status < 500) throw new ApiError(err.status, `记忆服务拒绝${action}: ${err.message}`, 'MEMORY_REFUSED');
      throw new ApiError(502, `记忆服务${action}失败: ${err.message}`, 'MEMORY_ERROR');
    }
    if (err instanceof ZodError) throw new ApiError(502, `记忆服务返回了无法识别的应答 (${action})`, 'MEMORY_ERROR');
    throw err;
  }
}

/** Tells memory to re-read characters (new persona fields) without waiting; it reads them on next use anyway. */
export function memoryReloadSoon(ctx: MainContext): void {
  void ctx.memory.reload().catch((err: Error) => ctx.log.info({ err: err.message }, 'memory not told to reload characters'));
}
