import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { affectedStacks } from "../scripts/review/affected";
import { neverPlanned, parseArgs, planJobs, readBase } from "../scripts/review/plan";
import { SynthStack } from "../scripts/review/synth-output";

const stack = (name: string, json: Record<string, unknown>): [string, SynthStack] => [name, { name, dir: `/out/stacks/${name}`, json, assetsDigest: "" }];

describe("parseArgs", () => {
  test("defaults to the head in cdktf.out, plans/, review.json and one plan per core", () => {
    const args = parseArgs([], {});
    expect(args).toMatchObject({ head: "cdktf.out", base: undefined, out: "plans", review: "review.json", pluginCache: undefined, all: false });
    expect(args.concurrency).toBeGreaterThanOrEqual(1);
  });

  test("takes the concurrency from the flag before PLAN_CONCURRENCY, and the cache from TF_PLUGIN_CACHE_DIR", () => {
    expect(parseArgs(["--concurrency", "6"], { PLAN_CONCURRENCY: "3" }).concurrency).toBe(6);
    expect(parseArgs([], { PLAN_CONCURRENCY: "3", TF_PLUGIN_CACHE_DIR: "/cache" })).toMatchObject({ concurrency: 3, pluginCache: "/cache" });
  });

  test("fails on a concurrency that is not a whole number of at least 1, naming it", () => {
    expect(() => parseArgs(["--concurrency", "0"], {})).toThrow('--concurrency (or PLAN_CONCURRENCY) must be a whole number of at least 1 (got "0")');
    expect(() => parseArgs([], { PLAN_CONCURRENCY: "two" })).toThrow('--concurrency (or PLAN_CONCURRENCY) must be a whole number of at least 1 (got "two")');
  });

  test("fails on an unknown flag or a flag without its value", () => {
    expect(() => parseArgs(["--bogus"], {})).toThrow('unknown or incomplete argument "--bogus" (allowed: --head, --base, --out, --review, --concurrency, --plugin-cache with a value; --all)');
    expect(() => parseArgs(["--base"], {})).toThrow('unknown or incomplete argument "--base"');
  });
});

describe("readBase", () => {
  test("says why there is no base when its synth is missing or unreadable", () => {
    expect(readBase(undefined)).toEqual({ fallback: "no base synth was given" });
    expect(readBase("/nonexistent/base")).toEqual({ fallback: "the base could not be synthesized (no /nonexistent/base)" });
    const empty = mkdtempSync(join(tmpdir(), "base-"));
    expect(readBase(empty).fallback).toBe(`the base synth is unreadable: ${join(empty, "manifest.json")} not found: not a synthesized cdktf output folder`);
  });
});

describe("planJobs", () => {
  const head = new Map([
    stack("shop-web", { provider: { aws: [{}] }, terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } } }),
    stack("shop-web-github", { provider: { github: [{}] }, terraform: { required_providers: { github: { source: "integrations/github", version: "6.9.0" } } } }),
    stack("shop-cart", { provider: { aws: [{}] } }),
  ]);
  const review = affectedStacks(head, undefined, "no base synth was given");

  test("plans the decided stacks, grouped by their required providers", () => {
    const jobs = planJobs(head, review, "token");
    expect(jobs.map((j) => [j.stack, j.dir, j.providersKey, j.skip])).toEqual([
      ["shop-cart", "/out/stacks/shop-cart", "{}", undefined],
      ["shop-web", "/out/stacks/shop-web", '{"aws":{"source":"aws","version":"6.25.0"}}', undefined],
      ["shop-web-github", "/out/stacks/shop-web-github", '{"github":{"source":"integrations/github","version":"6.9.0"}}', undefined],
    ]);
  });

  test("skips GitHub-provider stacks, saying which secret to set, when there is no GitHub token", () => {
    const skipped = planJobs(head, review, "").filter((j) => j.skip);
    expect(skipped).toEqual([expect.objectContaining({ stack: "shop-web-github", skip: "Skipped: set the INFRA_GITHUB_PLAN_TOKEN secret to plan the GitHub stack." })]);
  });
});

describe("neverPlanned", () => {
  test("names bootstrap and every stack of head or base marked as applied by an administrator", () => {
    const head = new Map([stack("shop-web", {}), stack("shop-access", { "//": { appliedBy: "administrator" } })]);
    const base = new Map([stack("old-access", { "//": { appliedBy: "administrator" } }), stack("shop-web", { "//": { appliedBy: "ci" } })]);
    expect(neverPlanned(head, base)).toEqual(["bootstrap", "old-access", "shop-access"]);
    expect(neverPlanned(head, undefined)).toEqual(["bootstrap", "shop-access"]);
  });
});
