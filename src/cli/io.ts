import type { Env } from '../app/config.js';

/**
 * What a command may touch of the world: its streams and the environment. `main.ts` passes the
 * process's; tests pass their own, so every command runs in-process.
 */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Env;
}

/** How a command's `run` gets its io: citty's context `data`. */
export function ioOf(context: { data?: unknown }): CliIo {
  const io = (context.data as { io?: CliIo } | undefined)?.io;
  if (!io) throw new Error('commands run through runMain, which gives them their io');
  return io;
}
