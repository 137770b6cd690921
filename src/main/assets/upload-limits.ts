/**
 * Size and count caps for avatar uploads. The original had none for Live2D folders (rest.md §16.6); these
 * are generous for real models (a large Cubism model is ~100 MB of textures) and stop a disk-filling upload.
 */
export interface UploadLimits {
  /** One file inside a Live2D folder upload or zip. */
  live2dFileBytes: number;
  /** All files of one Live2D upload together (folder upload: bytes received; zip: bytes extracted). */
  live2dTotalBytes: number;
  /** Files in one folder upload, entries in one zip. */
  live2dMaxFiles: number;
  /** The .zip file itself. */
  live2dZipBytes: number;
  /** `.vrm` model (rest.md §8: 200 MB). */
  vrmBytes: number;
  /** `.vrma` animation. */
  vrmaBytes: number;
  /** motion3/exp3 file added to a model (rest.md §7.2: 50 MB). */
  motionBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  live2dFileBytes: 100 * MB,
  live2dTotalBytes: 500 * MB,
  live2dMaxFiles: 5000,
  live2dZipBytes: 300 * MB,
  vrmBytes: 200 * MB,
  vrmaBytes: 50 * MB,
  motionBytes: 50 * MB,
};

export function formatMb(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${bytes} bytes`;
}
