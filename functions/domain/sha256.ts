/** Lower-case hex SHA-256 of bytes or UTF-8 text: content addresses, chart versions, holds, previews. */
import { createHash } from "node:crypto";

export function sha256Hex(body: string | Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}
