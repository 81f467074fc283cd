/** partner-unmapped: a partner the registry does not know is a warning, with the parser's words. */
import { describe, expect, it } from "vitest";
import { findingSink, partnerUnmapped, warnPartnerUnmapped } from "../../../functions/domain/checks/index.js";

describe("partner-unmapped", () => {
  it("warns and never blocks", () => {
    expect(partnerUnmapped).toMatchObject({ id: "partner-unmapped", severity: "warning" });
    const s = findingSink();
    warnPartnerUnmapped(s, 'the partner "Atlantis" is not in data/partners.json yet; its row was kept out');
    expect(s).toEqual({
      blocking: [],
      warnings: [
        {
          check: "partner-unmapped",
          message: 'the partner "Atlantis" is not in data/partners.json yet; its row was kept out',
          detail: "partners are listed in data/partners.json",
        },
      ],
    });
  });
});
