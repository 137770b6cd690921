import { ApiError } from '../../shared/errors.js';
import { formatMb } from './upload-limits.js';

/** 413 with the original's wording where it had one (VRM: `文件过大，最大允许 200MB`). */
export function tooLarge(what: string, limit: number): ApiError {
  return new ApiError(413, `文件过大，最大允许 ${formatMb(limit)} (${what} exceeds ${formatMb(limit)})`, 'PAYLOAD_TOO_LARGE');
}
