/**
 * The names of SellerLedger Durable Objects, chosen by exact keys. A live ledger is
 * `<platform>:<seller>`, one per platform and seller: a platform id never holds ":" (PLATFORM_ID),
 * so a name is one pair only. A rebuild's scratch ledger lives in a name space no platform can
 * name: its names start with "~", which no platform id does, so no event, read or alert of any
 * platform ever reaches one.
 */

export const ledgerName = (platform: string, seller: string) => `${platform}:${seller}`;

export const scratchLedgerName = (platform: string, seller: string, rebuildId: string) =>
  `~rebuild:${platform}:${seller}:${rebuildId}`;
