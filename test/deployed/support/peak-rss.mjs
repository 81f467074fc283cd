// The peak resident set size of this process alone, in KB. On Linux `process.resourceUsage().maxRSS`
// (getrusage) keeps the high-water mark of the process that forked it: a child spawned from a 300 MB
// parent reports at least 300 MB whatever it uses itself. /proc/self/status VmHWM is the high-water
// mark of this process's own memory since exec. Elsewhere (no /proc) maxRSS is all there is.
// Plain JavaScript: the Lambda host (lambda-host.mjs) runs without tsx; the bench's workers import it too.
import { readFileSync } from "node:fs";

export function peakRssKb() {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm?.[1]) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
