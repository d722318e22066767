// Ledger names chosen by exact keys: a live ledger names one (platform, seller) pair, and no
// platform can name a rebuild's scratch ledger (a platform called "rebuild" once could: its seller
// "acm:s-1:rb_1" was the scratch ledger of platform acm's rebuild rb_1 of seller s-1).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerName, scratchLedgerName } from "../../../src/auth/ledger-names.ts";
import { PLATFORM_ID } from "../../../src/db/admin-sql.ts";

const platformId = fc.stringMatching(PLATFORM_ID);
const text = fc.string({ unit: fc.constantFrom("a", ":", "~", "r", "-", "1", "é") });

describe("ledger names", () => {
  it("keep every platform out of the scratch ledgers' name space", () => {
    expect(ledgerName("rebuild", "acm:s-1:rb_1")).not.toBe(scratchLedgerName("acm", "s-1", "rb_1"));
    fc.assert(
      fc.property(platformId, text, platformId, text, text, (p, s, p2, s2, id) => {
        expect(ledgerName(p, s)).not.toBe(scratchLedgerName(p2, s2, id));
      }),
      { numRuns: 5000 },
    );
  });

  it("name one platform and seller each", () => {
    fc.assert(
      fc.property(platformId, text, platformId, text, (p, s, p2, s2) => {
        if (p !== p2 || s !== s2) expect(ledgerName(p, s)).not.toBe(ledgerName(p2, s2));
      }),
      { numRuns: 5000 },
    );
  });
});
