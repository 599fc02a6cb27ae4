/**
 * Two synth outputs of the same example side by side (cdktf and cdktn, or prebuilt and generated bindings):
 * the same stacks, the same files, the same Terraform addresses; every other difference is listed by JSON path
 * and must be in the reviewed list (tools/cdktn/reviewed.json).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";

/** One synth output: its folder and the project root it was synthesized from (absolute paths in it become `<project>`). */
export interface SynthOutput {
  readonly dir: string;
  readonly root: string;
}

export interface Difference {
  readonly example: string;
  /** A stack id, or `manifest`. */
  readonly stack: string;
  /** Dotted JSON path: `terraform.required_providers.aws.version`, `resource.aws_ecs_service.Service.load_balancer[0]`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface Comparison {
  /** Different stacks, files or addresses: never reviewable. */
  readonly problems: readonly string[];
  readonly differences: readonly Difference[];
}

/** A difference a person reviewed: where, from what, to what, and why it is acceptable. */
export interface ReviewedDifference {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason: string;
}

function readJson(output: SynthOutput, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(output.dir, file), "utf8").split(output.root).join("<project>")) as Record<string, unknown>;
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const walk = (current: string): string[] =>
    readdirSync(current)
      .sort()
      .flatMap((entry) => (statSync(join(current, entry)).isDirectory() ? walk(join(current, entry)) : [relative(dir, join(current, entry))]));
  return walk(dir);
}

/** Terraform addresses of a stack's JSON: `resource.<type>.<name>`, `data.<type>.<name>`, `output.<name>`, `variable.<name>`, ... */
export function addresses(json: Record<string, unknown>): string[] {
  const result: string[] = [];
  for (const [kind, value] of Object.entries(json)) {
    if (kind === "//" || kind === "terraform" || value === null || typeof value !== "object") continue;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if ((kind === "resource" || kind === "data") && inner && typeof inner === "object") {
        for (const name of Object.keys(inner)) result.push(`${kind}.${key}.${name}`);
      } else {
        result.push(`${kind}.${key}`);
      }
    }
  }
  return result.sort();
}

/** Leaf-level differences between two JSON values; arrays of different length differ as a whole. */
export function jsonDifferences(before: unknown, after: unknown, path = ""): { path: string; before: unknown; after: unknown }[] {
  const join = (key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => jsonDifferences(item, after[index], join(index)));
  }
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) => jsonDifferences(before[key], after[key], join(key)));
  }
  return isDeepStrictEqual(before, after) ? [] : [{ path, before, after }];
}

/** An empty `annotations` list and a missing one mean the same (cdktn leaves empty ones out of manifest.json). */
function normalizeManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  const stacks = manifest.stacks as Record<string, Record<string, unknown>>;
  return {
    ...manifest,
    stacks: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, { annotations: [], ...stack }])),
  };
}

/** Compares two synth outputs of one example. */
export function compareOutputs(example: string, before: SynthOutput, after: SynthOutput): Comparison {
  const problems: string[] = [];
  const differences: Difference[] = [];
  const manifests = [normalizeManifest(readJson(before, "manifest.json")), normalizeManifest(readJson(after, "manifest.json"))];
  const [stacksBefore, stacksAfter] = manifests.map((m) => Object.keys(m.stacks as object).sort());
  if (!isDeepStrictEqual(stacksBefore, stacksAfter)) {
    problems.push(`${example}: stacks differ: ${stacksBefore.join(", ")} vs ${stacksAfter.join(", ")}`);
    return { problems, differences };
  }
  differences.push(...jsonDifferences(manifests[0], manifests[1]).map((d) => ({ example, stack: "manifest", ...d })));
  for (const stack of stacksBefore) {
    const dir = join("stacks", stack);
    const [filesBefore, filesAfter] = [before, after].map((o) => filesUnder(join(o.dir, dir)));
    if (!isDeepStrictEqual(filesBefore, filesAfter)) {
      problems.push(`${example}/${stack}: files differ: ${filesBefore.join(", ")} vs ${filesAfter.join(", ")}`);
      continue;
    }
    for (const file of filesBefore.filter((f) => f !== "cdk.tf.json")) {
      if (!readFileSync(join(before.dir, dir, file)).equals(readFileSync(join(after.dir, dir, file)))) problems.push(`${example}/${stack}: ${file} differs`);
    }
    const [jsonBefore, jsonAfter] = [readJson(before, join(dir, "cdk.tf.json")), readJson(after, join(dir, "cdk.tf.json"))];
    const [addressesBefore, addressesAfter] = [addresses(jsonBefore), addresses(jsonAfter)];
    for (const address of addressesBefore.filter((a) => !addressesAfter.includes(a))) problems.push(`${example}/${stack}: ${address} is gone`);
    for (const address of addressesAfter.filter((a) => !addressesBefore.includes(a))) problems.push(`${example}/${stack}: ${address} is new`);
    differences.push(...jsonDifferences(jsonBefore, jsonAfter).map((d) => ({ example, stack, ...d })));
  }
  return { problems, differences };
}

/** Differences nobody reviewed, and reviewed ones that no longer occur (the list must stay true). */
export function review(differences: readonly Difference[], reviewed: readonly ReviewedDifference[]): { unreviewed: Difference[]; unused: ReviewedDifference[] } {
  const matches = (rule: ReviewedDifference, d: Difference) => rule.path === d.path && isDeepStrictEqual(rule.before, d.before) && isDeepStrictEqual(rule.after, d.after);
  return {
    unreviewed: differences.filter((d) => !reviewed.some((rule) => matches(rule, d))),
    unused: reviewed.filter((rule) => !differences.some((d) => matches(rule, d))),
  };
}

const show = (value: unknown) => (value === undefined ? "(absent)" : JSON.stringify(value).slice(0, 160));

export function formatDifference(d: Difference): string {
  return `${d.example}/${d.stack}: ${d.path}: ${show(d.before)} -> ${show(d.after)}`;
}
