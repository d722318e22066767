/**
 * Whether a deployed Worker may sign with a secret (SESSION_SECRET, WEBHOOK_SIGNING_KEY): outside
 * local development a secret shorter than 32 bytes, or the example value .dev.vars.example ships
 * (anyone can read it), is refused. Pure. A reason never quotes the secret.
 */

const MIN_SECRET_BYTES = 32;
/** Where a weak secret is tolerated: `wrangler dev` (.dev.vars) and the tests. */
const LOCAL_ENVIRONMENTS = new Set(["development", "test"]);

/** Why `secret` (named `name` in the reason) may not sign here, or null when it may. */
export function weakSecret(name: string, secret: string, example: string, environment: string): string | null {
  if (LOCAL_ENVIRONMENTS.has(environment)) return null;
  if (new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES)
    return `${name} is shorter than ${MIN_SECRET_BYTES} bytes`;
  if (secret === example) return `${name} is the example's, from .dev.vars.example`;
  return null;
}
