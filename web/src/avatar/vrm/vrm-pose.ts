import type { VRMHumanoid } from '@pixiv/three-vrm';
import type { IdlePose } from '../idle-motion';

/** Radians the upper arms are lowered from the T-pose every VRM rests in, so she stands naturally. */
const ARMS_DOWN = 1.2;
/** Slight bend at the elbows, radians. */
const ELBOW_BEND = 0.18;

/**
 * Idle body motion through the normalised humanoid bones (the same for every model): arms lowered, breathing
 * in the spine and chest, a slow sway of the neck and head. Bones a model lacks are skipped.
 */
export function applyIdlePose(humanoid: VRMHumanoid, pose: IdlePose, time: number, amplitude: number): void {
  const bone = (name: Parameters<VRMHumanoid['getNormalizedBoneNode']>[0]) => humanoid.getNormalizedBoneNode(name);
  const breath = (pose.breathe - 1) * 3; // ±~0.04 rad
  const sway = Math.sin(time * 0.6) * 0.025 * amplitude;

  const leftArm = bone('leftUpperArm');
  const rightArm = bone('rightUpperArm');
  if (leftArm) leftArm.rotation.set(0, 0, -ARMS_DOWN + breath * 0.5);
  if (rightArm) rightArm.rotation.set(0, 0, ARMS_DOWN - breath * 0.5);
  bone('leftLowerArm')?.rotation.set(0, -ELBOW_BEND, 0);
  bone('rightLowerArm')?.rotation.set(0, ELBOW_BEND, 0);

  bone('spine')?.rotation.set(breath * 0.4, 0, sway * 0.5);
  bone('chest')?.rotation.set(-breath * 0.6, 0, 0);
  // The drawing's head offsets are in design pixels; a few pixels become a few hundredths of a radian.
  bone('neck')?.rotation.set(pose.headY * 0.004, pose.headX * 0.006, pose.headTilt * 0.5);
  bone('head')?.rotation.set(pose.headY * 0.004, pose.headX * 0.004, pose.headTilt * 0.6 - sway * 0.5);
}
