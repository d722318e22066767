/**
 * Schema upgrades of ledgers made before a table was added: each creates the table and fills it
 * from what the ledger already stores, so an upgraded ledger answers as a new one would.
 */
import type { OrderEvent } from "../events/schema.ts";
import { CREATE_SHIPPING, WRITE } from "./ledger-sql.ts";
import { deriveOrder } from "./order.ts";

/**
 * The shipping histogram, re-derived from every stored order. Its rows are marked dirty with the
 * ledger's current sequence, so the next flush takes them to D1.
 */
export function addShipping(sql: SqlStorage): void {
  sql.exec(CREATE_SHIPPING);
  const seq = Number(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'seq'").toArray()[0]?.value ?? 1);
  const cells = new Map<string, [hour: number, shipHours: number, orders: number]>();
  for (const { events } of sql.exec<{ events: string }>("SELECT events FROM orders WHERE status <> 'held'")) {
    const shipping = deriveOrder(JSON.parse(events) as OrderEvent[]).shipping;
    if (shipping === null) continue;
    const key = `${shipping.hour}:${shipping.ship_hours}`;
    const cell = cells.get(key) ?? [shipping.hour, shipping.ship_hours, 0];
    cell[2] += 1;
    cells.set(key, cell);
  }
  if (cells.size > 0) sql.exec(WRITE.addShipping, JSON.stringify([...cells.values()]), seq);
}
