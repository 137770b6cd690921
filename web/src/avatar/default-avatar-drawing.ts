import type { FaceParams } from './expression-blend';
import type { IdlePose } from './idle-motion';

/**
 * The built-in character, drawn with canvas 2D paths in a 400 × 500 design box (head and shoulders of a
 * cat-eared girl). Everything is computed from the pose, the face mix and the mouth opening, so any frame
 * can be drawn from scratch.
 */
export const DESIGN_WIDTH = 400;
export const DESIGN_HEIGHT = 500;

const COLORS = {
  hair: '#6d4c7d',
  hairShade: '#4f3560',
  hairLight: '#9a78ab',
  earInner: '#f6b3c6',
  skin: '#ffe9de',
  skinShade: '#f5cfbe',
  skinLine: '#e5b29e',
  line: '#2f2035',
  brow: '#4a3352',
  eyeWhite: '#fffdfd',
  irisTop: '#5b2c10',
  irisMid: '#c97a22',
  irisBottom: '#ffd46e',
  pupil: '#2a140a',
  mouth: '#7d2638',
  mouthLine: '#5c1a2a',
  tongue: '#ef8299',
  blouse: '#fbf8ff',
  blouseLine: '#d6cde6',
  collar: '#46538f',
  collarLine: '#34406f',
  accent: '#e0679b',
  accentDark: '#b84a7a',
  bell: '#f2c14e',
  bellDark: '#c4912a',
  tear: '#9fd3ff',
  cross: '#e0455f',
};

const EYE_LEFT = { x: 155, y: 236 };
const EYE_RIGHT = { x: 245, y: 236 };
const EYE_RX = 25;
const EYE_RY = 29;
const MOUTH = { x: 200, y: 290 };
const NECK_PIVOT = { x: 200, y: 330 };

export interface FrameInput {
  pose: IdlePose;
  face: FaceParams;
  /** 0 … 1, already smoothed. */
  mouthOpen: number;
}

export function drawCharacter(ctx: CanvasRenderingContext2D, frame: FrameInput): void {
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  drawTail(ctx, frame.pose.tailAngle);
  withHead(ctx, frame.pose, () => drawBackHair(ctx));
  withBreath(ctx, frame.pose.breathe, () => drawBody(ctx));
  withHead(ctx, frame.pose, () => {
    drawEars(ctx, frame.face.earDroop, frame.pose);
    drawFace(ctx);
    drawBlush(ctx, frame.face.blush);
    drawEye(ctx, EYE_LEFT, -1, frame);
    drawEye(ctx, EYE_RIGHT, 1, frame);
    drawNose(ctx);
    drawMouth(ctx, Math.max(frame.mouthOpen, frame.face.mouthMinOpen), frame.face.mouthCurve);
    drawFrontHair(ctx);
    drawBrow(ctx, EYE_LEFT, -1, frame.face);
    drawBrow(ctx, EYE_RIGHT, 1, frame.face);
    if (frame.face.tear > 0.05) drawTears(ctx, frame.face.tear);
    if (frame.face.crossMark > 0.05) drawCrossMark(ctx, frame.face.crossMark);
  });
}

function withHead(ctx: CanvasRenderingContext2D, pose: IdlePose, draw: () => void): void {
  ctx.save();
  ctx.translate(NECK_PIVOT.x + pose.headX, NECK_PIVOT.y + pose.headY);
  ctx.rotate(pose.headTilt);
  ctx.translate(-NECK_PIVOT.x, -NECK_PIVOT.y);
  draw();
  ctx.restore();
}

function withBreath(ctx: CanvasRenderingContext2D, breathe: number, draw: () => void): void {
  ctx.save();
  ctx.translate(200, DESIGN_HEIGHT);
  ctx.scale(1 + (breathe - 1) * 0.5, breathe);
  ctx.translate(-200, -DESIGN_HEIGHT);
  draw();
  ctx.restore();
}

/** Draws `draw` twice: as given (the character's right side, screen left) and mirrored. */
function mirrored(ctx: CanvasRenderingContext2D, draw: (side: -1 | 1) => void): void {
  draw(-1);
  ctx.save();
  ctx.translate(DESIGN_WIDTH, 0);
  ctx.scale(-1, 1);
  draw(1);
  ctx.restore();
}

function drawTail(ctx: CanvasRenderingContext2D, angle: number): void {
  ctx.save();
  ctx.translate(262, 478);
  // leaning out a little so the swaying tail never disappears behind her hair
  ctx.rotate(0.1 + angle);
  const path = () => {
    ctx.beginPath();
    ctx.moveTo(0, 0);
    ctx.bezierCurveTo(62, -6, 98, -50, 86, -118);
    ctx.quadraticCurveTo(80, -150, 102, -166);
  };
  path();
  ctx.strokeStyle = COLORS.hairShade;
  ctx.lineWidth = 24;
  ctx.stroke();
  path();
  ctx.strokeStyle = COLORS.hair;
  ctx.lineWidth = 18;
  ctx.stroke();
  // a light tip, like a cat's
  ctx.beginPath();
  ctx.moveTo(85, -138);
  ctx.quadraticCurveTo(84, -156, 102, -166);
  ctx.strokeStyle = COLORS.hairLight;
  ctx.lineWidth = 16;
  ctx.stroke();
  ctx.restore();
}

function drawBackHair(ctx: CanvasRenderingContext2D): void {
  ctx.beginPath();
  ctx.moveTo(200, 86);
  ctx.bezierCurveTo(292, 86, 334, 150, 328, 232);
  ctx.bezierCurveTo(324, 300, 340, 360, 322, 412);
  ctx.quadraticCurveTo(304, 428, 288, 408);
  ctx.quadraticCurveTo(272, 424, 256, 398);
  ctx.lineTo(144, 398);
  ctx.quadraticCurveTo(128, 424, 112, 408);
  ctx.quadraticCurveTo(96, 428, 78, 412);
  ctx.bezierCurveTo(60, 360, 76, 300, 72, 232);
  ctx.bezierCurveTo(66, 150, 108, 86, 200, 86);
  ctx.closePath();
  ctx.fillStyle = COLORS.hairShade;
  ctx.fill();
}

function drawBody(ctx: CanvasRenderingContext2D): void {
  // neck
  ctx.fillStyle = COLORS.skinShade;
  ctx.fillRect(183, 290, 34, 100);
  // blouse
  ctx.beginPath();
  ctx.moveTo(74, 502);
  ctx.bezierCurveTo(76, 440, 110, 398, 184, 380);
  ctx.lineTo(216, 380);
  ctx.bezierCurveTo(290, 398, 324, 440, 326, 502);
  ctx.closePath();
  ctx.fillStyle = COLORS.blouse;
  ctx.fill();
  ctx.strokeStyle = COLORS.blouseLine;
  ctx.lineWidth = 2;
  ctx.stroke();
  // neckline
  ctx.beginPath();
  ctx.moveTo(184, 380);
  ctx.lineTo(216, 380);
  ctx.lineTo(200, 420);
  ctx.closePath();
  ctx.fillStyle = COLORS.skinShade;
  ctx.fill();
  // sailor collar flaps with a white stripe
  mirrored(ctx, () => {
    ctx.beginPath();
    ctx.moveTo(184, 380);
    ctx.lineTo(118, 398);
    ctx.bezierCurveTo(100, 418, 104, 452, 132, 466);
    ctx.lineTo(200, 446);
    ctx.lineTo(200, 420);
    ctx.closePath();
    ctx.fillStyle = COLORS.collar;
    ctx.fill();
    ctx.strokeStyle = COLORS.collarLine;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(121, 407);
    ctx.bezierCurveTo(109, 424, 113, 448, 135, 457);
    ctx.lineTo(190, 440);
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 2.5;
    ctx.stroke();
  });
  // ribbon
  mirrored(ctx, () => {
    ctx.beginPath();
    ctx.moveTo(200, 432);
    ctx.quadraticCurveTo(174, 408, 166, 430);
    ctx.quadraticCurveTo(170, 452, 200, 432);
    ctx.fillStyle = COLORS.accent;
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(197, 436);
    ctx.lineTo(184, 474);
    ctx.lineTo(193, 470);
    ctx.lineTo(199, 478);
    ctx.closePath();
    ctx.fillStyle = COLORS.accentDark;
    ctx.fill();
  });
  circle(ctx, 200, 432, 7, COLORS.accentDark);
  // choker and bell
  ctx.fillStyle = COLORS.accent;
  ctx.fillRect(182, 348, 36, 8);
  const bell = ctx.createRadialGradient(197, 361, 1, 200, 366, 9);
  bell.addColorStop(0, '#fff3c4');
  bell.addColorStop(0.4, COLORS.bell);
  bell.addColorStop(1, COLORS.bellDark);
  circle(ctx, 200, 366, 9, bell);
  ctx.beginPath();
  ctx.moveTo(200, 368);
  ctx.lineTo(200, 374);
  ctx.strokeStyle = COLORS.bellDark;
  ctx.lineWidth = 2;
  ctx.stroke();
  circle(ctx, 200, 368, 2, COLORS.bellDark);
}

function drawEars(ctx: CanvasRenderingContext2D, droop: number, pose: IdlePose): void {
  mirrored(ctx, (side) => {
    const twitch = side === -1 ? pose.earTwitchLeft : pose.earTwitchRight;
    ctx.save();
    ctx.translate(140, 134);
    ctx.rotate(-droop - twitch * 0.2);
    ctx.translate(-140, -134);
    ctx.beginPath();
    ctx.moveTo(102, 168);
    ctx.quadraticCurveTo(84, 96, 96, 44);
    ctx.quadraticCurveTo(146, 66, 178, 106);
    ctx.closePath();
    ctx.fillStyle = COLORS.hair;
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(114, 150);
    ctx.quadraticCurveTo(102, 104, 108, 66);
    ctx.quadraticCurveTo(140, 86, 160, 112);
    ctx.closePath();
    ctx.fillStyle = COLORS.earInner;
    ctx.fill();
    // fur tufts
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.lineWidth = 2;
    for (const [x1, y1, x2, y2] of [[122, 138, 114, 112], [130, 136, 126, 116], [138, 134, 138, 120]] as const) {
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      ctx.stroke();
    }
    ctx.restore();
  });
}

function drawFace(ctx: CanvasRenderingContext2D): void {
  ctx.beginPath();
  ctx.moveTo(86, 200);
  ctx.bezierCurveTo(86, 118, 314, 118, 314, 200);
  ctx.bezierCurveTo(314, 266, 272, 324, 200, 328);
  ctx.bezierCurveTo(128, 324, 86, 266, 86, 200);
  ctx.closePath();
  ctx.fillStyle = COLORS.skin;
  ctx.fill();
  ctx.strokeStyle = COLORS.skinLine;
  ctx.lineWidth = 1.5;
  ctx.stroke();
}

function drawBlush(ctx: CanvasRenderingContext2D, amount: number): void {
  mirrored(ctx, () => {
    const g = ctx.createRadialGradient(134, 276, 2, 134, 276, 26);
    g.addColorStop(0, `rgba(255,120,150,${0.5 * amount})`);
    g.addColorStop(1, 'rgba(255,120,150,0)');
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.ellipse(134, 276, 28, 14, 0, 0, Math.PI * 2);
    ctx.fill();
    if (amount > 0.5) {
      ctx.strokeStyle = `rgba(230,90,120,${(amount - 0.5) * 1.4})`;
      ctx.lineWidth = 1.6;
      for (const x of [124, 132, 140]) {
        ctx.beginPath();
        ctx.moveTo(x + 3, 270);
        ctx.lineTo(x - 2, 281);
        ctx.stroke();
      }
    }
  });
}

/**
 * One eye. Its outline is sampled across its width: the top and bottom lids close towards a line low in the
 * eye (blinks, smiles), and a slanted upper-lid line cuts the top for worried or cross looks.
 */
function drawEye(ctx: CanvasRenderingContext2D, at: { x: number; y: number }, outer: -1 | 1, frame: FrameInput): void {
  const { face, pose } = frame;
  const rx = EYE_RX * face.eyeScale;
  const ry = EYE_RY * face.eyeScale;
  const open = Math.max(0, face.eyeOpen * (1 - pose.blink));
  const closeLine = ry * 0.35;
  ctx.save();
  ctx.translate(at.x, at.y);
  if (open < 0.14) {
    // closed: a smile arc (^) when happy, a soft lash line otherwise
    const smile = face.eyeSmile;
    ctx.beginPath();
    ctx.moveTo(-rx * 0.9, closeLine + 4 * smile);
    ctx.quadraticCurveTo(0, closeLine + 8 - 24 * smile, rx * 0.9, closeLine + 4 * smile);
    ctx.strokeStyle = COLORS.line;
    ctx.lineWidth = 4.5;
    ctx.stroke();
    ctx.restore();
    return;
  }
  const steps = 16;
  const cut = Math.abs(face.lidTilt) * ry * 0.7;
  const tops: [number, number][] = [];
  const bottoms: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const x = -rx + (2 * rx * i) / steps;
    const s = Math.sqrt(Math.max(0, 1 - (x / rx) ** 2));
    const bottom = closeLine + (ry * s - closeLine) * Math.sqrt(open);
    let top = closeLine + (-ry * s - closeLine) * open;
    const lid = -ry * open + cut + face.lidTilt * 0.7 * x * outer;
    top = Math.min(Math.max(top, lid), bottom);
    tops.push([x, top]);
    bottoms.push([x, bottom]);
  }
  ctx.beginPath();
  tops.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  for (let i = bottoms.length - 1; i >= 0; i--) ctx.lineTo(bottoms[i]![0], bottoms[i]![1]);
  ctx.closePath();
  ctx.save();
  ctx.clip();
  ctx.fillStyle = COLORS.eyeWhite;
  ctx.fillRect(-rx - 2, -ry - 2, rx * 2 + 4, ry * 2 + 4);
  const ix = pose.lookX * rx * 0.24;
  const iy = 3 + pose.lookY * ry * 0.14;
  const iris = ctx.createLinearGradient(0, iy - ry * 0.8, 0, iy + ry * 0.8);
  iris.addColorStop(0, COLORS.irisTop);
  iris.addColorStop(0.55, COLORS.irisMid);
  iris.addColorStop(1, COLORS.irisBottom);
  ctx.beginPath();
  ctx.ellipse(ix, iy, rx * 0.72, ry * 0.8, 0, 0, Math.PI * 2);
  ctx.fillStyle = iris;
  ctx.fill();
  ctx.strokeStyle = COLORS.irisTop;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.beginPath();
  ctx.ellipse(ix, iy + 1, rx * 0.3 * face.pupilScale, ry * 0.42 * face.pupilScale, 0, 0, Math.PI * 2);
  ctx.fillStyle = COLORS.pupil;
  ctx.fill();
  // shadow of the upper lid on the eyeball
  const shade = ctx.createLinearGradient(0, -ry, 0, -ry * 0.2);
  shade.addColorStop(0, 'rgba(70,40,90,0.3)');
  shade.addColorStop(1, 'rgba(70,40,90,0)');
  ctx.fillStyle = shade;
  ctx.fillRect(-rx - 2, -ry - 2, rx * 2 + 4, ry * 1.2);
  circleish(ctx, ix - rx * 0.3, iy - ry * 0.36, rx * 0.22, ry * 0.2, '#ffffff');
  circleish(ctx, ix + rx * 0.26, iy + ry * 0.34, rx * 0.1, rx * 0.1, 'rgba(255,255,255,0.9)');
  ctx.restore();
  // upper lash along the visible top edge, with a flick at the outer corner
  ctx.beginPath();
  tops.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x - 1, y) : ctx.lineTo(x, y)));
  ctx.strokeStyle = COLORS.line;
  ctx.lineWidth = 4.5;
  ctx.stroke();
  const corner = outer === 1 ? tops[tops.length - 1]! : tops[0]!;
  ctx.beginPath();
  ctx.moveTo(corner[0], corner[1]);
  ctx.lineTo(corner[0] + outer * 7, corner[1] - 5);
  ctx.lineWidth = 3.5;
  ctx.stroke();
  // a light lower lash in the middle
  ctx.beginPath();
  bottoms.slice(5, 12).forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.strokeStyle = 'rgba(47,32,53,0.45)';
  ctx.lineWidth = 1.6;
  ctx.stroke();
  ctx.restore();
}

function drawBrow(ctx: CanvasRenderingContext2D, eye: { x: number; y: number }, outer: -1 | 1, face: FaceParams): void {
  ctx.save();
  ctx.translate(eye.x + outer * 2, eye.y - 50 + face.browLift);
  // inner end up for a worried look, down for a cross one
  ctx.rotate(face.browTilt * outer);
  ctx.beginPath();
  ctx.moveTo(-15, 2);
  ctx.quadraticCurveTo(0, -4, 15, 2);
  ctx.strokeStyle = COLORS.brow;
  ctx.lineWidth = 3.5;
  ctx.stroke();
  ctx.restore();
}

function drawNose(ctx: CanvasRenderingContext2D): void {
  ctx.beginPath();
  ctx.moveTo(198, 266);
  ctx.lineTo(201, 269);
  ctx.strokeStyle = 'rgba(180,110,100,0.6)';
  ctx.lineWidth = 2;
  ctx.stroke();
}

/** Closed: a cat's "ω" (or a frown); open: a rounded mouth with a tongue and one small fang. */
function drawMouth(ctx: CanvasRenderingContext2D, open: number, curve: number): void {
  ctx.save();
  ctx.translate(MOUTH.x, MOUTH.y);
  if (open < 0.06) {
    ctx.beginPath();
    if (curve >= 0) {
      ctx.moveTo(-13, -2);
      ctx.quadraticCurveTo(-6.5, 1 + 7 * curve, 0, -1);
      ctx.quadraticCurveTo(6.5, 1 + 7 * curve, 13, -2);
    } else {
      ctx.moveTo(-10, 4);
      ctx.quadraticCurveTo(0, 4 + 12 * curve, 10, 4);
    }
    ctx.strokeStyle = COLORS.mouthLine;
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.restore();
    return;
  }
  const w = 17 + 15 * open + 6 * Math.max(curve, 0);
  const h = 4 + 32 * open;
  const corner = -curve * 3;
  const shape = () => {
    ctx.beginPath();
    ctx.moveTo(-w / 2, corner);
    ctx.quadraticCurveTo(0, 2, w / 2, corner);
    ctx.bezierCurveTo(w / 2, h * 0.7, w * 0.25, h, 0, h);
    ctx.bezierCurveTo(-w * 0.25, h, -w / 2, h * 0.7, -w / 2, corner);
    ctx.closePath();
  };
  shape();
  ctx.fillStyle = COLORS.mouth;
  ctx.fill();
  ctx.save();
  shape();
  ctx.clip();
  ctx.beginPath();
  ctx.ellipse(0, h * 0.98, w * 0.34, h * 0.45, 0, 0, Math.PI * 2);
  ctx.fillStyle = COLORS.tongue;
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(w * 0.1, 0);
  ctx.lineTo(w * 0.1 + 6, 0);
  ctx.lineTo(w * 0.1 + 3, 6);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.restore();
  shape();
  ctx.strokeStyle = COLORS.mouthLine;
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.restore();
}

function drawFrontHair(ctx: CanvasRenderingContext2D): void {
  ctx.beginPath();
  ctx.moveTo(82, 218);
  ctx.bezierCurveTo(76, 130, 128, 86, 200, 86);
  ctx.bezierCurveTo(272, 86, 324, 130, 318, 218);
  ctx.quadraticCurveTo(302, 182, 294, 152);
  ctx.quadraticCurveTo(286, 180, 264, 196);
  ctx.quadraticCurveTo(260, 164, 248, 144);
  ctx.quadraticCurveTo(238, 174, 216, 188);
  ctx.quadraticCurveTo(212, 160, 200, 140);
  ctx.quadraticCurveTo(190, 164, 176, 190);
  ctx.quadraticCurveTo(164, 168, 152, 144);
  ctx.quadraticCurveTo(142, 176, 134, 196);
  ctx.quadraticCurveTo(114, 180, 106, 152);
  ctx.quadraticCurveTo(98, 186, 82, 218);
  ctx.closePath();
  ctx.fillStyle = COLORS.hair;
  ctx.fill();
  // side locks framing the face
  mirrored(ctx, () => {
    ctx.beginPath();
    ctx.moveTo(84, 196);
    ctx.quadraticCurveTo(68, 270, 82, 352);
    ctx.quadraticCurveTo(94, 334, 100, 300);
    ctx.quadraticCurveTo(106, 250, 102, 206);
    ctx.closePath();
    ctx.fillStyle = COLORS.hair;
    ctx.fill();
  });
  // the shine across the top of the head
  ctx.beginPath();
  ctx.moveTo(128, 122);
  ctx.quadraticCurveTo(160, 104, 188, 104);
  ctx.moveTo(212, 104);
  ctx.quadraticCurveTo(240, 104, 272, 122);
  ctx.strokeStyle = COLORS.hairLight;
  ctx.lineWidth = 6;
  ctx.stroke();
  // hair clip
  ctx.save();
  ctx.translate(282, 150);
  ctx.rotate(-0.6);
  ctx.fillStyle = COLORS.accent;
  roundRect(ctx, -14, -4, 28, 8, 4);
  ctx.fill();
  ctx.restore();
}

function drawTears(ctx: CanvasRenderingContext2D, amount: number): void {
  ctx.save();
  ctx.globalAlpha = Math.min(1, amount);
  for (const [x, y] of [[EYE_LEFT.x - 20, EYE_LEFT.y + 22], [EYE_RIGHT.x + 20, EYE_RIGHT.y + 22]] as const) {
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.quadraticCurveTo(x + 6, y + 10, x, y + 14);
    ctx.quadraticCurveTo(x - 6, y + 10, x, y);
    ctx.fillStyle = COLORS.tear;
    ctx.fill();
  }
  ctx.restore();
}

/** The anime "cross vein" that marks annoyance. */
function drawCrossMark(ctx: CanvasRenderingContext2D, amount: number): void {
  ctx.save();
  ctx.globalAlpha = Math.min(1, amount);
  ctx.translate(118, 176);
  ctx.strokeStyle = COLORS.cross;
  ctx.lineWidth = 3.5;
  for (let i = 0; i < 4; i++) {
    ctx.rotate(Math.PI / 2);
    ctx.beginPath();
    ctx.moveTo(3, -10);
    ctx.quadraticCurveTo(4, -4, 10, -3);
    ctx.stroke();
  }
  ctx.restore();
}

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string | CanvasGradient): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
}

function circleish(ctx: CanvasRenderingContext2D, x: number, y: number, rx: number, ry: number, fill: string): void {
  ctx.beginPath();
  ctx.ellipse(x, y, rx, ry, 0, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
