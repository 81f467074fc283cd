/**
 * The functions of the template as Lambda would run them: each function's bundle (the asset CDK built)
 * in its own Node processes, one invocation per process at a time (a second concurrent invocation gets
 * a second process, as Lambda scales out), with exactly the template's environment plus what the
 * runtime adds. An invocation past the function's timeout kills its process, as Lambda does.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const HOST = fileURLToPath(new URL("./lambda-host.mjs", import.meta.url));

export interface FunctionSpec {
  logicalId: string;
  /** e.g. "fetch", from the resource's POWERTOOLS_SERVICE_NAME. */
  name: string;
  arn: string;
  bundle: string;
  exportName: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
}

export interface InvocationResult {
  ok: boolean;
  result?: unknown;
  errorType?: string;
  errorMessage?: string;
  durationMs: number;
}

/** What one function used over the run: the figures its memory and timeout are sized from. */
export interface FunctionUsage {
  invocations: number;
  maxDurationMs: number;
  peakRssMb: number;
  timeouts: number;
}

/** One invocation, as Lambda would bill and report it (the bench reads these). */
export interface InvocationRecord {
  /** Date.now() when the invocation was sent. */
  startedAt: number;
  durationMs: number;
  /** The process's peak RSS so far. */
  maxRssMb: number;
  /** Set on the first invocation of a new process: spawn until the bundle was imported (the init phase). */
  initMs?: number;
  ok: boolean;
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
  /** Init time, until the first invocation of this process takes it. */
  initMs?: number;
}

export class LambdaFunction {
  private readonly workers: Worker[] = [];
  readonly usage: FunctionUsage = { invocations: 0, maxDurationMs: 0, peakRssMb: 0, timeouts: 0 };
  /** Every completed invocation, oldest first. */
  readonly log: InvocationRecord[] = [];
  /** Bytes the function wrote to stdout and stderr (what CloudWatch Logs would ingest). */
  logBytes = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly runtimeEnv: Record<string, string>,
  ) {}

  private spawn(): Worker {
    const child = fork(HOST, [this.spec.bundle, this.spec.exportName], {
      // The template's variables + what the Lambda runtime (and our endpoints) add; nothing inherited
      // but PATH (so `node` itself runs).
      env: { PATH: process.env.PATH ?? "", ...this.spec.environment, ...this.runtimeEnv },
      execArgv: [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    // Logs are part of the function's output in Lambda; here they are kept quiet unless asked for.
    const echo = process.env.DEPLOYED_LOGS === "1";
    child.stdout?.on("data", (d: Buffer) => {
      this.logBytes += d.byteLength;
      if (echo) process.stdout.write(`[${this.spec.name}] ${d}`);
    });
    child.stderr?.on("data", (d: Buffer) => {
      this.logBytes += d.byteLength;
      if (echo) process.stderr.write(`[${this.spec.name}] ${d}`);
    });
    const spawned = performance.now();
    const ready = new Promise<void>((resolve, reject) => {
      child.once("message", () => {
        worker.initMs = performance.now() - spawned;
        resolve();
      });
      child.once("exit", (code) => reject(new Error(`${this.spec.name} exited (${code}) while starting`)));
    });
    const worker: Worker = { child, ready, busy: false };
    child.once("exit", () => {
      const i = this.workers.indexOf(worker);
      if (i >= 0) this.workers.splice(i, 1);
    });
    this.workers.push(worker);
    return worker;
  }

  /**
   * `timeoutSeconds` stands in for another configured timeout (the time-budget test uses a short one so
   * it runs in seconds); by default the template's.
   */
  async invoke(event: unknown, options: { timeoutSeconds?: number } = {}): Promise<InvocationResult> {
    const worker = this.workers.find((w) => !w.busy) ?? this.spawn();
    worker.busy = true;
    await worker.ready;
    const id = randomUUID();
    const initMs = worker.initMs;
    worker.initMs = undefined;
    const startedAt = Date.now();
    const timeoutSeconds = options.timeoutSeconds ?? this.spec.timeoutSeconds;
    const timeoutMs = timeoutSeconds * 1000;
    try {
      return await new Promise<InvocationResult>((resolve) => {
        const started = performance.now();
        const timer = setTimeout(() => {
          this.usage.timeouts++;
          worker.child.off("message", onMessage);
          worker.child.kill("SIGKILL");
          resolve({
            ok: false,
            errorType: "Sandbox.Timedout",
            errorMessage: `Task timed out after ${timeoutSeconds}.00 seconds`,
            durationMs: performance.now() - started,
          });
        }, timeoutMs);
        const onMessage = (m: {
          id: string;
          ok: boolean;
          result?: unknown;
          errorType?: string;
          errorMessage?: string;
          durationMs: number;
          maxRssKb: number;
        }) => {
          if (m.id !== id) return;
          clearTimeout(timer);
          worker.child.off("message", onMessage);
          this.usage.invocations++;
          this.usage.maxDurationMs = Math.max(this.usage.maxDurationMs, m.durationMs);
          this.usage.peakRssMb = Math.max(this.usage.peakRssMb, m.maxRssKb / 1024);
          this.log.push({
            startedAt,
            durationMs: m.durationMs,
            maxRssMb: m.maxRssKb / 1024,
            ok: m.ok,
            ...(initMs === undefined ? {} : { initMs }),
          });
          resolve({
            ok: m.ok,
            result: m.result,
            errorType: m.errorType,
            errorMessage: m.errorMessage,
            durationMs: m.durationMs,
          });
        };
        worker.child.on("message", onMessage);
        worker.child.send({
          id,
          event,
          timeoutMs,
          memoryMb: this.spec.memoryMb,
          functionName: this.spec.logicalId,
          functionArn: this.spec.arn,
        });
      });
    } finally {
      worker.busy = false;
    }
  }

  /** Ends every process (a cold start next time). */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null) return resolve();
            w.child.once("exit", () => resolve());
            w.child.kill("SIGTERM");
          }),
      ),
    );
  }
}
