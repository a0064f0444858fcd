/**
 * The sampler's draws for fixed seeds, as hashes and first values (test/fixtures/golden/draws.json):
 * recorded before the sampler became a list of Gibbs steps (issue 15), so that
 * test/samplers/golden.test.ts shows the old structures' draws bit-identical after it.
 *
 *     npx tsx scripts/golden-draws.ts > test/fixtures/golden/draws.json
 */
import { goldenCases, goldenRecord } from "../test/samplers/golden-cases";

const out: Record<string, unknown> = {};
for (const c of goldenCases()) out[c.name] = goldenRecord(c);
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
