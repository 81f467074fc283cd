/**
 * Runs a script in a fresh `node` process (no tsx loader, no inherited flags) and returns the JSON
 * object it prints as its last line of stdout. Used so a measurement's memory and module cache are
 * its own: the parent's heap never counts.
 */
import { spawn } from "node:child_process";

export interface ChildOptions {
  args?: string[];
  /** Node flags, e.g. ["--enable-source-maps"]. */
  nodeFlags?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export async function runNodeJson<T>(script: string, options: ChildOptions = {}): Promise<T> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...(options.args ?? [])], {
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !last.startsWith("{")) {
    // A minified bundle's stack trace quotes a whole line of code: keep the message and the stack.
    const lines = (stderr.trim() || stdout.trim() || "no output").split("\n").filter((l) => l.length < 400);
    throw new Error(
      `node ${script} ${(options.args ?? []).join(" ")} exited with ${code}:\n${lines.join("\n")}`,
    );
  }
  return JSON.parse(last) as T;
}
