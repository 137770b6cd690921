/**
 * Messages between main and its process-runner helper process (IPC with advanced serialization). Program
 * output does not travel over IPC: the helper connects the last program's stdout to main's output socket,
 * which starts with the run's token so main knows whose output it is.
 */

/** One program of a pipeline: each stage's stdout feeds the next stage's stdin. */
export interface PipelineStage {
  command: string;
  args: string[];
}

/** Bytes of the random token that opens each output connection. */
export const OUTPUT_TOKEN_BYTES = 16;

export type RunnerCommand =
  | { op: 'run'; id: number; stages: PipelineStage[]; stdin?: Uint8Array; niceness?: number; output: { socket: string; token: Uint8Array } }
  | { op: 'kill'; id: number };

export type RunnerEvent = { op: 'exit'; id: number; code: number | null; stderr: string } | { op: 'error'; id: number; message: string };
