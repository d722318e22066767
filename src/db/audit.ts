/**
 * The audit log: who minted sessions, changed webhooks or replayed messages, and when. Written
 * beside the change it records; read by the operator (GET /v1/ops/audit).
 */
/** The statement that records one action (to run in the same batch as the change, or alone). */
export function auditStatement(
  db: D1Database,
  platform: string,
  actor: string,
  action: string,
  subject: string | null,
): D1PreparedStatement {
  return db
    .prepare("INSERT INTO audit (platform_id, at, actor, action, subject) VALUES (?, ?, ?, ?, ?)")
    .bind(platform, new Date().toISOString(), actor, action, subject);
}
