/**
 * The format of platform API keys and how they are hashed. Web Crypto only, so that the
 * Worker and the admin scripts (on Node) share it.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new key: "spk_" and 32 random bytes, hex. Shown once; only its hash is stored. */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `spk_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * What a key can look like: "spk_" and 16 to 200 letters, digits, "_" or "-" (generateKey's, and
 * a local demo key of one's own choosing). Anything else is refused before any lookup.
 */
const KEY_SHAPE = /^spk_[A-Za-z0-9_-]{16,200}$/;
export const isKeyShaped = (text: string) => KEY_SHAPE.test(text);
