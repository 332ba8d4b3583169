import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ManagedChildOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Print the child's output lines prefixed with its name (default true). */
  echo?: boolean;
  onMessage?: (message: unknown) => void;
}

/**
 * A child of the supervisor: its output prefixed with its name, its last lines kept for an
 * error report, and a stop that escalates from SIGTERM to SIGKILL.
 */
export class ManagedChild {
  readonly process: ChildProcess;
  readonly recentLines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stopping = false;

  constructor(readonly options: ManagedChildOptions) {
    this.process = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const prefix = `[${options.name}] `;
    for (const stream of [this.process.stdout, this.process.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        this.recentLines.push(line);
        if (this.recentLines.length > 50) this.recentLines.shift();
        if (options.echo !== false) console.log(prefix + line);
      });
    }
    if (options.onMessage) this.process.on("message", options.onMessage);
    this.exited = new Promise((resolve) => this.process.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first IPC message of `type`, or rejects if the child exits first. */
  waitFor<T extends { type: string }>(type: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { type?: string })?.type === type) {
          this.process.off("message", onMessage);
          resolve(message as T);
        }
      };
      this.process.on("message", onMessage);
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`${this.options.name} exited (${signal ?? `code ${code}`}) before it was ready:\n${this.recentLines.slice(-15).join("\n")}`)),
      );
    });
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
