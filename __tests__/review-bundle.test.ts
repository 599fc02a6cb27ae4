import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";

// The plan job runs the review script as one esbuild bundle with plain node (no npm install next to the AWS
// token), so the script must depend on nothing but its own files and Node's built-in modules.
describe("the review script's bundle", () => {
  const outfile = join(mkdtempSync(join(tmpdir(), "review-bundle-")), "plan.cjs");
  const built = build({
    entryPoints: [join(__dirname, "..", "scripts", "review", "plan.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    metafile: true,
    logLevel: "silent",
  });

  test("contains only scripts/review and Node's built-in modules", async () => {
    const { metafile } = await built;
    const inputs = Object.keys(metafile.inputs).map((file) => relative(join(__dirname, ".."), file));
    expect(inputs.every((file) => file.startsWith("scripts/review/"))).toBe(true);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path.replace(/^node:/, "")));
    expect(imports.filter((name) => !builtinModules.includes(name))).toEqual([]);
  });

  test("runs under plain node and rejects a bad argument with a one-line error", async () => {
    await built;
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [outfile, "--concurrency", "0"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toBe('--concurrency (or PLAN_CONCURRENCY) must be a whole number of at least 1 (got "0")\n');
  });
});
