/**
 * Headers for files served from the user's avatar folders. Those folders hold whatever a user (or a zip
 * from the internet) put there and are served from this origin, so an `.html` or `.js` file in them would
 * run as our page (stored XSS, rest.md §16.6). Model assets keep their type; everything else is sent as an
 * inert download. Every response also forbids type sniffing and, if opened directly, runs sandboxed.
 */
const MODEL_ASSET_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json; charset=utf-8',
  '.moc3': 'application/octet-stream',
  '.moc': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.txt': 'text/plain; charset=utf-8',
  '.vrm': 'model/gltf-binary',
  '.vrma': 'model/gltf-binary',
  '.glb': 'model/gltf-binary',
};

export function userAssetHeaders(urlPath: string): Record<string, string> {
  const path = urlPath.split('?')[0]!.toLowerCase();
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot) : '';
  const known = MODEL_ASSET_TYPES[ext];
  const base = { 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'" };
  if (known) return { ...base, 'content-type': known };
  return { ...base, 'content-type': 'application/octet-stream', 'content-disposition': 'attachment' };
}
