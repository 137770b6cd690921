/**
 * `.vrm` and `.vrma` files are binary glTF (GLB): a 12-byte header `glTF`, version 2, total length. Checking
 * it refuses renamed HTML, archives and executables before they are stored under a model URL.
 */
export const GLB_HEADER_BYTES = 12;

export function glbHeaderProblem(head: Buffer): string | undefined {
  if (head.length < GLB_HEADER_BYTES || head.toString('latin1', 0, 4) !== 'glTF') return '文件不是有效的 VRM/glTF 二进制文件 (missing glTF header)';
  if (head.readUInt32LE(4) !== 2) return `不支持的 glTF 版本 ${head.readUInt32LE(4)} (glTF 2 required)`;
  return undefined;
}
