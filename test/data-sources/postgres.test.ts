/**
 * PostgreSQL through a connection string: needs a server, so it runs from
 * scripts/postgres-test.sh (which starts a throwaway cluster and sets BAYES_LMM_POSTGRES_URL; CI
 * runs it where PostgreSQL is installed). In the default `npm test` run it is skipped.
 * The fixture data sets are loaded row by row, read back (equal to the CSV path's tables), and
 * the grouped-sums queries are checked against a direct computation in JavaScript (1e-10 relative).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../src/node/postgres";
import type { SqlSource } from "../../src/sql/types";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import {
  csvTable,
  DATA_SETS,
  expectSameTable,
  loadTable,
  SUMS_CASES,
  selectLoaded,
  sumsCaseDifference,
} from "./helpers";
import { sqlModelTests } from "./sql-model-check";

const url = process.env["BAYES_LMM_POSTGRES_URL"];

describe.skipIf(url === undefined)("PostgreSQL (scripts/postgres-test.sh)", () => {
  let db: SqlSource;
  beforeAll(async () => {
    db = await connectPostgres(url!);
    for (const name of DATA_SETS) await loadTable(db, name, csvTable(name));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it.each(DATA_SETS)("%s reads back as the CSV path's table", async (name) => {
    expectSameTable(await db.query(selectLoaded(name, csvTable(name))), csvTable(name));
  });

  it("maps PostgreSQL types as DuckDB's are mapped", async () => {
    const t = await db.query(
      `SELECT 1::smallint AS i2, 2::integer AS i4, 9007199254740993::bigint AS i8, 1.15::numeric(10, 2) AS dec,
              1.5::real AS f4, 'NaN'::float8 AS nan, 'a'::text AS s, 'b'::char(3) AS c, TRUE AS b,
              DATE '2024-01-30' AS day, NULL::float8 AS missing, TIMESTAMP '2024-01-30 10:00' AS ts, ARRAY[1, 2] AS arr`,
    );
    const numeric = (v: number, missing: Uint8Array | null = null) => ({
      type: "numeric",
      values: Float64Array.from([v]),
      missing,
    });
    expect(t.column("i2")).toEqual(numeric(1));
    expect(t.column("i4")).toEqual(numeric(2));
    expect(t.column("i8")).toEqual(numeric(9007199254740992));
    expect(t.column("dec")).toEqual(numeric(1.15));
    expect(t.column("f4")).toEqual(numeric(1.5));
    expect(t.column("nan")).toEqual(numeric(Number.NaN));
    expect(t.column("missing")).toEqual(numeric(0, Uint8Array.from([1])));
    expect(t.column("s")).toEqual({ type: "string", values: ["a"] });
    expect(t.column("c")).toEqual({ type: "string", values: ["b  "] });
    expect(t.column("b")).toEqual({ type: "logical", values: [true] });
    expect(t.column("day")).toEqual({ type: "string", values: ["2024-01-30"] });
    expect(t.column("ts")).toMatchObject({ type: "invalid" });
    expect(t.column("arr")).toMatchObject({ type: "invalid" });
  });

  it("binds parameters", async () => {
    const t = await db.query("SELECT $1::float8 AS x, $2::text AS s", [2.5, "O'Brien"]);
    expect(t.column("s")).toEqual({ type: "string", values: ["O'Brien"] });
  });

  it("a refused query is an LmmError (QUERY) with PostgreSQL's message", async () => {
    await expect(db.query("SELECT * FROM no_such_table")).rejects.toMatchObject({
      code: "QUERY",
      message: 'PostgreSQL refused the query: relation "no_such_table" does not exist.',
    });
  });

  it.each(SUMS_CASES.map((c, i) => [`${c.data} by ${c.groupBy.join(" × ") || "nothing"}`, i] as const))(
    "grouped sums %s equal the sums computed in JavaScript",
    async (_, i) => {
      const c = SUMS_CASES[i]!;
      expect(await sumsCaseDifference(db, c, c.data)).toBeLessThan(1e-10);
    },
  );
  // Models through PostgreSQL: every fixture formula fitted and sampled as its rows are.
  sqlModelTests(
    "PostgreSQL",
    () => db,
    (data) => data,
  );

  it("bayes-lmm fit --postgres URL --table T fits as --data does", async () => {
    const f = ["--formula", "Reaction ~ Days + (Days | Subject)", "--json"];
    const a = await cli("fit", "--data", dataPath("sleepstudy"), ...f);
    const b = await cli("fit", "--postgres", url!, "--table", "sleepstudy", ...f);
    expect(b.status, b.stderr).toBe(0);
    const doc = (s: string) => JSON.parse(s) as { theta: number[]; REMLcrit: number };
    const [da, db2] = [doc(a.stdout), doc(b.stdout)];
    expect(Math.abs(da.REMLcrit - db2.REMLcrit)).toBeLessThan(1e-10 * da.REMLcrit);
    da.theta.forEach((t, i) => {
      expect(Math.abs(t - db2.theta[i]!)).toBeLessThan(1e-10 * Math.abs(t));
    });
  });
});

describe("connectPostgres without a server", () => {
  it("a refused connection is an LmmError (QUERY)", async () => {
    await expect(connectPostgres("postgresql://nobody@127.0.0.1:1/none")).rejects.toMatchObject({
      code: "QUERY",
      message: expect.stringMatching(/^cannot connect to PostgreSQL: /),
    });
  });
});
