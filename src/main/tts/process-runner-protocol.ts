/** Messages between main and its process-runner helper process (IPC with advanced serialization). */
export type RunnerCommand =
  | { op: 'run'; id: number; command: string; args: string[]; stdin?: Uint8Array; niceness?: number }
  | { op: 'kill'; id: number };

export type RunnerEvent =
  | { op: 'stdout'; id: number; data: Uint8Array }
  | { op: 'exit'; id: number; code: number | null; stderr: string }
  | { op: 'error'; id: number; message: string };
