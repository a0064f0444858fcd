/**
 * Warning messages that are true ("is 1.01004, above 1.01", never "is 1.01, above 1.01") and warnings
 * grouped by kind for the report.
 */
import { describe, expect, it } from "vitest";
import { beyond, essWarning, groupWarnings, rhatWarning } from "../../diagnostics/warnings";

describe("warning messages and groups", () => {
  it("a value is shown with the digits that keep it on its side of the threshold", () => {
    expect(beyond(1.01004, 1.01, 4)).toBe("1.01004");
    expect(beyond(1.0123, 1.01, 4)).toBe("1.012");
    expect(beyond(399.6, 400, 3)).toBe("399.6");
    expect(rhatWarning("mu", 1.010049, 1.01).message).toContain("is 1.01005, above 1.01");
    expect(essWarning("ess_bulk", "mu", 399.9, 400, 4).message).toContain(
      "is 399.9, below 400 (100 per chain × 4 chains)",
    );
    expect(essWarning("ess_tail", "mu", 10, 800, 4).message).toContain("(200 per chain × 4 chains)");
  });

  it("groups by kind, counted, worst first", () => {
    const groups = groupWarnings([
      essWarning("ess_bulk", "a", 50, 400, 4),
      rhatWarning("b", 1.02, 1.01),
      rhatWarning("c", 1.2, 1.01),
      essWarning("ess_bulk", "d", 20, 400, 4),
    ]);
    expect(groups.map((g) => [g.kind, g.count, g.warnings[0]!.parameter])).toEqual([
      ["rhat", 2, "c"],
      ["ess_bulk", 2, "d"],
    ]);
    expect(groups[0]!.title).toBe("R-hat above 1.01");
  });
});
