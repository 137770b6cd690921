/**
 * A small but complete VRM 1.0 model, built from boxes by our own code: a binary glTF 2.0 file whose single
 * skinned mesh is weighted to a humanoid skeleton with every bone VRMC_vrm 1.0 requires, with morph targets
 * for the preset expressions (aa, blink, happy, sad, angry, surprised, relaxed, lookLeft/Right/Up/Down) and
 * the VRMC_vrm extension (meta, humanoid, expressions, lookAt). The model faces +Z, metres, T-pose.
 */

type Vec3 = [number, number, number];

/** Humanoid bones: name, parent, world position of the joint at rest. */
const BONES: readonly [name: string, parent: string | null, at: Vec3][] = [
  ['hips', null, [0, 0.85, 0]],
  ['spine', 'hips', [0, 0.95, 0]],
  ['chest', 'spine', [0, 1.1, 0]],
  ['neck', 'chest', [0, 1.28, 0]],
  ['head', 'neck', [0, 1.36, 0]],
  ['leftUpperArm', 'chest', [0.15, 1.23, 0]],
  ['leftLowerArm', 'leftUpperArm', [0.41, 1.23, 0]],
  ['leftHand', 'leftLowerArm', [0.63, 1.23, 0]],
  ['rightUpperArm', 'chest', [-0.15, 1.23, 0]],
  ['rightLowerArm', 'rightUpperArm', [-0.41, 1.23, 0]],
  ['rightHand', 'rightLowerArm', [-0.63, 1.23, 0]],
  ['leftUpperLeg', 'hips', [0.085, 0.8, 0]],
  ['leftLowerLeg', 'leftUpperLeg', [0.085, 0.45, 0]],
  ['leftFoot', 'leftLowerLeg', [0.085, 0.08, 0]],
  ['rightUpperLeg', 'hips', [-0.085, 0.8, 0]],
  ['rightLowerLeg', 'rightUpperLeg', [-0.085, 0.45, 0]],
  ['rightFoot', 'rightLowerLeg', [-0.085, 0.08, 0]],
];

const MATERIALS = {
  skin: [1.0, 0.86, 0.78, 1],
  hair: [0.36, 0.24, 0.45, 1],
  earInner: [0.96, 0.62, 0.72, 1],
  eye: [0.55, 0.3, 0.08, 1],
  eyeLight: [1, 1, 1, 1],
  mouth: [0.55, 0.12, 0.2, 1],
  cloth: [0.97, 0.96, 1.0, 1],
  collar: [0.27, 0.33, 0.56, 1],
  accent: [0.88, 0.4, 0.6, 1],
  shoe: [0.25, 0.18, 0.22, 1],
} as const;
type MaterialName = keyof typeof MATERIALS;

/** Morph targets, in order; the preset expression of the same name binds each one. */
export const VRM_TEST_EXPRESSIONS = ['aa', 'blink', 'happy', 'sad', 'angry', 'surprised', 'relaxed', 'lookLeft', 'lookRight', 'lookUp', 'lookDown'] as const;
type Morph = (typeof VRM_TEST_EXPRESSIONS)[number];

/** How a box moves under a morph: scale about its centre, then shift. */
type Change = { scale?: Vec3; shift?: Vec3 };

interface Box {
  center: Vec3;
  size: Vec3;
  bone: string;
  material: MaterialName;
  morphs?: Partial<Record<Morph, Change>>;
}

const EYE_Y = 1.5;
const FACE_Z = 0.121;

function eye(x: number): Box[] {
  // The highlight vanishes when the eye closes or narrows, instead of floating above it.
  const hide: Change = { scale: [0, 0, 0] };
  const eyeMorphs = (light: boolean): Partial<Record<Morph, Change>> => ({
    blink: light ? hide : { scale: [1.1, 0.08, 1], shift: [0, -0.01, 0] },
    happy: light ? hide : { scale: [1.1, 0.3, 1], shift: [0, 0.004, 0] },
    sad: { scale: [1, 0.7, 1], shift: [0, -0.006, 0] },
    angry: light ? hide : { scale: [1.05, 0.55, 1], shift: [0, -0.004, 0] },
    surprised: { scale: [1.2, 1.3, 1] },
    relaxed: light ? hide : { scale: [1.05, 0.35, 1], shift: [0, -0.008, 0] },
    lookLeft: { shift: [0.012, 0, 0] },
    lookRight: { shift: [-0.012, 0, 0] },
    lookUp: { shift: [0, 0.01, 0] },
    lookDown: { shift: [0, -0.01, 0] },
  });
  return [
    { center: [x, EYE_Y, FACE_Z], size: [0.05, 0.066, 0.01], bone: 'head', material: 'eye', morphs: eyeMorphs(false) },
    { center: [x - 0.01, EYE_Y + 0.016, FACE_Z + 0.006], size: [0.016, 0.016, 0.004], bone: 'head', material: 'eyeLight', morphs: eyeMorphs(true) },
  ];
}

function mirrored(box: Box): Box[] {
  return [box, { ...box, center: [-box.center[0], box.center[1], box.center[2]], bone: box.bone.replace(/^left/, 'right') }];
}

/** A cat-eared girl in boxes: head, hair, ears, face, sailor top, skirt, arms, legs. */
function boxes(): Box[] {
  return [
    { center: [0, 1.5, 0], size: [0.26, 0.28, 0.24], bone: 'head', material: 'skin' },
    { center: [0, 1.615, -0.01], size: [0.29, 0.09, 0.27], bone: 'head', material: 'hair' },
    { center: [0, 1.44, -0.105], size: [0.3, 0.4, 0.07], bone: 'head', material: 'hair' },
    { center: [0, 1.585, 0.118], size: [0.27, 0.05, 0.02], bone: 'head', material: 'hair' },
    ...mirrored({ center: [0.14, 1.48, 0.02], size: [0.035, 0.3, 0.2], bone: 'head', material: 'hair' }),
    ...mirrored({ center: [0.095, 1.69, 0], size: [0.075, 0.1, 0.05], bone: 'head', material: 'hair' }),
    ...mirrored({ center: [0.095, 1.685, 0.026], size: [0.04, 0.06, 0.006], bone: 'head', material: 'earInner' }),
    ...eye(0.058),
    ...eye(-0.058),
    {
      center: [0, 1.415, FACE_Z],
      size: [0.046, 0.012, 0.01],
      bone: 'head',
      material: 'mouth',
      morphs: {
        aa: { scale: [1.1, 4.2, 1], shift: [0, -0.01, 0] },
        happy: { scale: [1.7, 1, 1], shift: [0, 0.004, 0] },
        sad: { scale: [0.6, 1, 1], shift: [0, -0.006, 0] },
        angry: { scale: [0.9, 1.4, 1] },
        surprised: { scale: [0.75, 3, 1], shift: [0, -0.006, 0] },
        relaxed: { scale: [1.3, 0.8, 1] },
      },
    },
    { center: [0, 1.3, 0], size: [0.07, 0.12, 0.07], bone: 'neck', material: 'skin' },
    { center: [0, 1.125, 0], size: [0.27, 0.25, 0.16], bone: 'chest', material: 'cloth' },
    { center: [0, 1.235, 0.002], size: [0.29, 0.035, 0.17], bone: 'chest', material: 'collar' },
    { center: [0, 1.2, 0.087], size: [0.07, 0.045, 0.02], bone: 'chest', material: 'accent' },
    { center: [0, 0.95, 0], size: [0.24, 0.12, 0.15], bone: 'spine', material: 'cloth' },
    { center: [0, 0.82, 0], size: [0.32, 0.16, 0.22], bone: 'hips', material: 'collar' },
    ...mirrored({ center: [0.28, 1.23, 0], size: [0.26, 0.075, 0.075], bone: 'leftUpperArm', material: 'cloth' }),
    ...mirrored({ center: [0.52, 1.23, 0], size: [0.22, 0.06, 0.06], bone: 'leftLowerArm', material: 'skin' }),
    ...mirrored({ center: [0.67, 1.23, 0], size: [0.08, 0.05, 0.06], bone: 'leftHand', material: 'skin' }),
    ...mirrored({ center: [0.085, 0.62, 0], size: [0.09, 0.34, 0.09], bone: 'leftUpperLeg', material: 'skin' }),
    ...mirrored({ center: [0.085, 0.27, 0], size: [0.08, 0.36, 0.08], bone: 'leftLowerLeg', material: 'skin' }),
    ...mirrored({ center: [0.085, 0.04, 0.03], size: [0.09, 0.07, 0.17], bone: 'leftFoot', material: 'shoe' }),
  ];
}

/** The 6 faces of a box: normal, and the 4 corners (counter-clockwise seen from outside). */
const FACES: readonly [Vec3, Vec3[]][] = [
  [[1, 0, 0], [[1, -1, 1], [1, -1, -1], [1, 1, -1], [1, 1, 1]]],
  [[-1, 0, 0], [[-1, -1, -1], [-1, -1, 1], [-1, 1, 1], [-1, 1, -1]]],
  [[0, 1, 0], [[-1, 1, 1], [1, 1, 1], [1, 1, -1], [-1, 1, -1]]],
  [[0, -1, 0], [[-1, -1, -1], [1, -1, -1], [1, -1, 1], [-1, -1, 1]]],
  [[0, 0, 1], [[-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]]],
  [[0, 0, -1], [[1, -1, -1], [-1, -1, -1], [-1, 1, -1], [1, 1, -1]]],
];

function morphed(box: Box, corner: Vec3, change: Change | undefined): Vec3 {
  const s = change?.scale ?? [1, 1, 1];
  const d = change?.shift ?? [0, 0, 0];
  return [0, 1, 2].map((i) => box.center[i]! + (corner[i]! * box.size[i]! * s[i]!) / 2 + d[i]!) as Vec3;
}

interface Primitive {
  material: number;
  positions: number[];
  normals: number[];
  joints: number[];
  indices: number[];
  targets: number[][];
}

/** Binary buffer assembly: every view starts on a 4-byte boundary. */
class BinWriter {
  private chunks: Buffer[] = [];
  private length = 0;
  readonly views: Record<string, unknown>[] = [];
  readonly accessors: Record<string, unknown>[] = [];

  private view(data: Buffer, target?: number): number {
    const pad = (4 - (this.length % 4)) % 4;
    if (pad) {
      this.chunks.push(Buffer.alloc(pad));
      this.length += pad;
    }
    this.views.push({ buffer: 0, byteOffset: this.length, byteLength: data.length, ...(target ? { target } : {}) });
    this.chunks.push(data);
    this.length += data.length;
    return this.views.length - 1;
  }

  floats(values: number[], type: 'VEC3' | 'VEC4' | 'MAT4', withBounds = false): number {
    const data = Buffer.from(new Float32Array(values).buffer);
    const size = { VEC3: 3, VEC4: 4, MAT4: 16 }[type];
    const accessor: Record<string, unknown> = { bufferView: this.view(data, type === 'MAT4' ? undefined : 34962), componentType: 5126, count: values.length / size, type };
    if (withBounds) {
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < values.length; i += 3) {
        for (let k = 0; k < 3; k++) {
          min[k] = Math.min(min[k]!, values[i + k]!);
          max[k] = Math.max(max[k]!, values[i + k]!);
        }
      }
      Object.assign(accessor, { min, max });
    }
    this.accessors.push(accessor);
    return this.accessors.length - 1;
  }

  ushorts(values: number[], type: 'SCALAR' | 'VEC4', indices = false): number {
    const data = Buffer.from(new Uint16Array(values).buffer);
    const size = type === 'VEC4' ? 4 : 1;
    this.accessors.push({ bufferView: this.view(data, indices ? 34963 : 34962), componentType: 5123, count: values.length / size, type });
    return this.accessors.length - 1;
  }

  bytes(): Buffer {
    const pad = (4 - (this.length % 4)) % 4;
    return Buffer.concat([...this.chunks, Buffer.alloc(pad)]);
  }
}

export interface VrmFileOptions {
  /** meta.name; defaults to "neko test cube girl". */
  name?: string;
}

/** The .vrm file's bytes. */
export function buildVrmFile(opts: VrmFileOptions = {}): Buffer {
  const boneIndex = new Map(BONES.map(([name], i) => [name, i]));
  const materialNames = Object.keys(MATERIALS) as MaterialName[];
  const prims = new Map<MaterialName, Primitive>();
  for (const box of boxes()) {
    let p = prims.get(box.material);
    if (!p) {
      p = { material: materialNames.indexOf(box.material), positions: [], normals: [], joints: [], indices: [], targets: VRM_TEST_EXPRESSIONS.map(() => []) };
      prims.set(box.material, p);
    }
    const joint = boneIndex.get(box.bone);
    if (joint === undefined) throw new Error(`unknown bone ${box.bone}`);
    for (const [normal, corners] of FACES) {
      const base = p.positions.length / 3;
      for (const corner of corners) {
        const rest = morphed(box, corner, undefined);
        p.positions.push(...rest);
        p.normals.push(...normal);
        p.joints.push(joint, 0, 0, 0);
        VRM_TEST_EXPRESSIONS.forEach((m, t) => {
          const moved = morphed(box, corner, box.morphs?.[m]);
          p!.targets[t]!.push(moved[0] - rest[0], moved[1] - rest[1], moved[2] - rest[2]);
        });
      }
      p.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
    }
  }

  const bin = new BinWriter();
  const primitives = [...prims.values()].map((p) => {
    const weights = new Array<number>((p.positions.length / 3) * 4).fill(0).map((_, i) => (i % 4 === 0 ? 1 : 0));
    return {
      attributes: {
        POSITION: bin.floats(p.positions, 'VEC3', true),
        NORMAL: bin.floats(p.normals, 'VEC3'),
        JOINTS_0: bin.ushorts(p.joints, 'VEC4'),
        WEIGHTS_0: bin.floats(weights, 'VEC4'),
      },
      indices: bin.ushorts(p.indices, 'SCALAR', true),
      material: p.material,
      mode: 4,
      targets: p.targets.map((t) => ({ POSITION: bin.floats(t, 'VEC3', true) })),
    };
  });
  // Joints sit at their rest positions with no rotation, so each inverse bind matrix is a pure translation.
  const inverseBind = BONES.flatMap(([, , [x, y, z]]) => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -x, -y, -z, 1]);
  const ibm = bin.floats(inverseBind, 'MAT4');

  const nodes: Record<string, unknown>[] = BONES.map(([name, parent, at]) => {
    const p = parent ? BONES.find(([n]) => n === parent)![2] : ([0, 0, 0] as Vec3);
    const children = BONES.map(([, par], i) => (par === name ? i : -1)).filter((i) => i >= 0);
    return { name, translation: [at[0] - p[0], at[1] - p[1], at[2] - p[2]], ...(children.length ? { children } : {}) };
  });
  const meshNode = nodes.length;
  nodes.push({ name: 'Body', mesh: 0, skin: 0 });
  const root = nodes.length;
  nodes.push({ name: 'Root', children: [0, meshNode] });

  // Emotions shape the eyes themselves, so they block blinking (morphs add up: both at once would overshoot).
  const emotion = (m: Morph) => ['happy', 'sad', 'angry', 'surprised', 'relaxed'].includes(m);
  const expression = (morph: Morph) => ({
    morphTargetBinds: [{ node: meshNode, index: VRM_TEST_EXPRESSIONS.indexOf(morph), weight: 1 }],
    isBinary: false,
    overrideBlink: emotion(morph) ? 'block' : 'none',
    overrideLookAt: 'none',
    overrideMouth: 'none',
  });
  const range = { inputMaxValue: 90, outputScale: 1 };
  const gltf = {
    asset: { version: '2.0', generator: 'neko test/support/vrm-file.ts' },
    extensionsUsed: ['VRMC_vrm'],
    scene: 0,
    scenes: [{ nodes: [root] }],
    nodes,
    meshes: [{ name: 'Body', primitives, extras: { targetNames: [...VRM_TEST_EXPRESSIONS] } }],
    skins: [{ joints: BONES.map((_, i) => i), inverseBindMatrices: ibm, skeleton: 0 }],
    materials: materialNames.map((name) => ({
      name,
      pbrMetallicRoughness: { baseColorFactor: MATERIALS[name], metallicFactor: 0, roughnessFactor: 0.85 },
    })),
    accessors: bin.accessors,
    bufferViews: bin.views,
    buffers: [{ byteLength: bin.bytes().length }],
    extensions: {
      VRMC_vrm: {
        specVersion: '1.0',
        meta: {
          name: opts.name ?? 'neko test cube girl',
          version: '1.0',
          authors: ['neko tests'],
          licenseUrl: 'https://vrm.dev/licenses/1.0/',
          avatarPermission: 'everyone',
          commercialUsage: 'personalNonProfit',
          creditNotation: 'unnecessary',
          allowRedistribution: true,
          modification: 'allowModificationRedistribution',
        },
        humanoid: { humanBones: Object.fromEntries(BONES.map(([name], i) => [name, { node: i }])) },
        expressions: { preset: Object.fromEntries(VRM_TEST_EXPRESSIONS.map((m) => [m, expression(m)])) },
        lookAt: {
          type: 'expression',
          offsetFromHeadBone: [0, 0.14, 0.12],
          rangeMapHorizontalInner: range,
          rangeMapHorizontalOuter: range,
          rangeMapVerticalDown: range,
          rangeMapVerticalUp: range,
        },
      },
    },
  };
  return glb(gltf, bin.bytes());
}

/** glTF binary container: 12-byte header, JSON chunk (space padded), BIN chunk (zero padded). */
function glb(json: unknown, bin: Buffer): Buffer {
  let text = Buffer.from(JSON.stringify(json), 'utf8');
  const jsonPad = (4 - (text.length % 4)) % 4;
  text = Buffer.concat([text, Buffer.alloc(jsonPad, 0x20)]);
  const header = Buffer.alloc(12);
  header.write('glTF', 0, 'latin1');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + text.length + 8 + bin.length, 8);
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data]);
  };
  return Buffer.concat([header, chunk('JSON', text), chunk('BIN\0', bin)]);
}

/** A file that passes the upload's glTF signature check but is not a loadable model (truncated JSON chunk). */
export function corruptVrmFile(): Buffer {
  const good = buildVrmFile();
  const broken = Buffer.from(good.subarray(0, 200));
  broken.writeUInt32LE(broken.length, 8);
  return broken;
}
