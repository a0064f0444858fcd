/** Optional peer dependencies: a missing one is a typed error saying how to install it. */
import { describe, expect, it } from "vitest";
import { importOptional } from "../../src/node/optional";

describe("importOptional", () => {
  it("a package that is not installed is MISSING_DEPENDENCY naming the install command", async () => {
    await expect(
      importOptional("@duckdb/node-api", () => import("@duckdb/node-api-not-installed" as string), "DuckDB"),
    ).rejects.toMatchObject({
      code: "MISSING_DEPENDENCY",
      message: expect.stringContaining("npm install @duckdb/node-api"),
    });
  });

  it("other import failures pass through", async () => {
    await expect(importOptional("pg", () => Promise.reject(new Error("boom")), "PostgreSQL")).rejects.toThrow(
      "boom",
    );
  });
});
