import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A minimal valid GLB header + JSON chunk: enough for the `.vrm`/`.vrma` signature check. */
export function tinyGlb(extra = 0): Buffer {
  const json = Buffer.from(JSON.stringify({ asset: { version: '2.0' }, extensionsUsed: ['VRMC_vrm'] }).padEnd(64, ' '));
  const header = Buffer.alloc(20);
  header.write('glTF', 0, 'latin1');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + json.length + extra, 8);
  header.writeUInt32LE(json.length, 12);
  header.write('JSON', 16, 'latin1');
  return Buffer.concat([header, json, Buffer.alloc(extra)]);
}

/** A small Live2D model's files keyed by path relative to its folder. */
export function live2dModelFiles(name: string): Record<string, string> {
  return {
    [`${name}.model3.json`]: JSON.stringify({
      Version: 3,
      FileReferences: {
        Moc: `${name}.moc3`,
        Textures: ['texture_00.png'],
        Motions: { Idle: [{ File: 'motions/idle.motion3.json' }] },
        Expressions: [{ Name: 'happy_smile', File: 'expressions/smile.exp3.json' }, { Name: 'plain', File: 'expressions/plain.exp3.json' }],
      },
      Groups: [{ Target: 'Parameter', Name: 'LipSync', Ids: ['ParamCustomMouth'] }],
    }),
    [`${name}.moc3`]: 'MOC3-bytes',
    'texture_00.png': 'png-bytes',
    [`${name}.cdi3.json`]: JSON.stringify({ Parameters: [{ Id: 'ParamAngleX', GroupId: 'Head', Name: 'Angle X' }], ParameterGroups: [{ Id: 'Head', Name: 'Head' }] }),
    'motions/idle.motion3.json': JSON.stringify({
      Version: 3,
      Curves: [
        { Target: 'Parameter', Id: 'ParamMouthOpenY', Segments: [0, 0, 0, 1, 1] },
        { Target: 'Parameter', Id: 'ParamCustomMouth', Segments: [0, 0, 0, 1, 1] },
        { Target: 'Parameter', Id: 'ParamAngleX', Segments: [0, 0, 0, 1, 30] },
      ],
    }),
    'expressions/smile.exp3.json': JSON.stringify({ Type: 'Live2D Expression', Parameters: [] }),
    'expressions/plain.exp3.json': JSON.stringify({ Type: 'Live2D Expression', Parameters: [] }),
  };
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every entry under `root` (files with size + content hash-ish, links and folders), to compare before/after. */
export function treeSnapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      const rel = relative(root, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = 'symlink';
      else if (st.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(p);
      } else out[rel] = `${statSync(p).size}:${readFileSync(p).subarray(0, 64).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}
