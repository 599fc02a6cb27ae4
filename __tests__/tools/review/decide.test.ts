import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "../../../config";
import { synthesizeApp } from "../../../stacks/synthesize";
import { affectedStacks } from "../../../tools/review/affected";
import { decide, neverPlanned, parseArgs, planJobs, readBase } from "../../../tools/review/decide";
import { PLAN_STACKS_SCRIPT } from "../../../tools/review/planner";
import { SynthStack } from "../../../tools/review/synth-output";
import { fleetInput } from "../../helpers/fleet";

const stack = (name: string, json: Record<string, unknown>): [string, SynthStack] => [name, { name, dir: `/work/cdktf.out/stacks/${name}`, json, assetsDigest: "" }];

describe("parseArgs", () => {
  test("defaults to the head in cdktf.out and the output folder review/", () => {
    expect(parseArgs([])).toEqual({ head: "cdktf.out", base: undefined, out: "review", all: false });
    expect(parseArgs(["--base", "base/cdktf.out", "--all"])).toEqual({ head: "cdktf.out", base: "base/cdktf.out", out: "review", all: true });
  });

  test("fails on an unknown flag or a flag without its value, naming it", () => {
    expect(() => parseArgs(["--bogus"])).toThrow('unknown or incomplete argument "--bogus" (allowed: --head <dir>, --base <dir>, --out <dir>, --all)');
    expect(() => parseArgs(["--base", "--all"])).toThrow('unknown or incomplete argument "--base"');
  });
});

describe("readBase", () => {
  test("says why there is no base when its synth is missing or unreadable", () => {
    expect(readBase(undefined)).toEqual({ fallback: "no base synth was given" });
    expect(readBase("/nonexistent/base")).toEqual({ fallback: "the base could not be synthesized (no /nonexistent/base)" });
    const empty = mkdtempSync(join(tmpdir(), "base-"));
    expect(readBase(empty).fallback).toBe(`the base synth is unreadable: no synthesized stacks: ${join(empty, "manifest.json")} does not exist (run npm run synth first)`);
  });
});

describe("neverPlanned", () => {
  test("names bootstrap, *-access, and every stack of head or base marked as applied by an administrator", () => {
    const head = new Map([stack("shop-web", {}), stack("bootstrap", {}), stack("shop-access", {}), stack("marked", { "//": { appliedBy: "administrator" } })]);
    const base = new Map([stack("old-marked", { "//": { appliedBy: "administrator" } }), stack("shop-web", { "//": { appliedBy: "ci" } })]);
    expect(neverPlanned(head, base)).toEqual(["bootstrap", "marked", "old-marked", "shop-access"]);
    expect(neverPlanned(head, undefined)).toEqual(["bootstrap", "marked", "shop-access"]);
  });
});

describe("planJobs", () => {
  test("plans the decided stacks from folders relative to the plan job's working folder, keyed by their required providers", () => {
    const head = new Map([
      stack("shop-web", { terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } } }),
      stack("shop-cart", {}),
    ]);
    const jobs = planJobs(head, affectedStacks(head, undefined, "no base synth was given"), "/work");
    expect(jobs).toEqual([
      { stack: "shop-cart", dir: "cdktf.out/stacks/shop-cart", providersKey: "{}" },
      { stack: "shop-web", dir: "cdktf.out/stacks/shop-web", providersKey: '{"aws":{"source":"aws","version":"6.25.0"}}' },
    ]);
  });
});

describe("decide", () => {
  test("writes the decisions, the jobs of the stacks to plan, and the planner for a job without a checkout", () => {
    const work = mkdtempSync(join(tmpdir(), "decide-"));
    synthesizeApp(validateConfig(fleetInput(), "decide test"), join(work, "cdktf.out"));
    const review = decide({ head: join(work, "cdktf.out"), base: join(work, "missing"), out: join(work, "review"), all: false }, work);
    expect(review.fallback).toBe(`the base could not be synthesized (no ${join(work, "missing")})`);
    expect(JSON.parse(readFileSync(join(work, "review", "review.json"), "utf8"))).toEqual(review);
    const lines = readFileSync(join(work, "review", "jobs.tsv"), "utf8").trim().split("\n");
    expect(lines.map((l) => l.split("\t")[0])).toEqual(["shop-cart", "shop-cart-github", "shop-github", "shop-platform", "shop-web", "shop-web-github"]);
    expect(lines[0]).toBe("shop-cart\tcdktf.out/stacks/shop-cart\tcdktf.out/stacks/shop-cart");
    expect(lines[4]).toBe("shop-web\tcdktf.out/stacks/shop-web\tcdktf.out/stacks/shop-cart");
    expect(readFileSync(join(work, "review", "plan-stacks.sh"), "utf8")).toBe(readFileSync(PLAN_STACKS_SCRIPT, "utf8"));
  });
});
