import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { loadConfig } from "../../config";
import { buildStacks } from "../../stacks";

/**
 * Construct ids are a contract (docs/design.md, "Invariants"): a resource's Terraform address is derived from its
 * construct path, and Terraform treats a changed address as "destroy the old resource, create a new one".
 * For a VPC, an ALB, an ECR repository or a state bucket that means an outage or lost data.
 * This test pins every address of every committed example config.
 */
const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const PINNED_FILE = join(__dirname, "..", "fixtures", "resource-addresses.json");
const examples = readdirSync(EXAMPLES_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();

type Addresses = Record<string, Record<string, string[]>>;

function addressesOf(file: string): Record<string, string[]> {
  const app = Testing.app({ stackTraces: false });
  const stacks = buildStacks(app as App, loadConfig(join(EXAMPLES_DIR, file)));
  const result: Record<string, string[]> = {};
  for (const stack of stacks.all()) {
    const json = JSON.parse(Testing.synth(stack)) as { resource?: Record<string, Record<string, unknown>> };
    result[stack.node.id] = Object.entries(json.resource ?? {})
      .flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`))
      .sort();
  }
  return result;
}

const current: Addresses = Object.fromEntries(examples.map((file) => [file, addressesOf(file)]));

if (process.env.UPDATE_ADDRESSES === "1") {
  writeFileSync(PINNED_FILE, `${JSON.stringify(current, null, 2)}\n`);
}

const pinned: Addresses = existsSync(PINNED_FILE) ? (JSON.parse(readFileSync(PINNED_FILE, "utf8")) as Addresses) : {};

describe("pinned resource addresses", () => {
  test("every example config has pinned addresses", () => {
    expect(Object.keys(pinned).sort()).toEqual(examples);
  });

  test.each(examples)("the resource addresses of %s are unchanged", (file) => {
    const before = pinned[file] ?? {};
    const after = current[file];
    const problems: string[] = [];
    for (const stack of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const old = new Set(before[stack] ?? []);
      const now = new Set(after[stack] ?? []);
      const removed = [...old].filter((a) => !now.has(a));
      const added = [...now].filter((a) => !old.has(a));
      if (removed.length) problems.push(`stack ${stack}: no longer has (Terraform will DESTROY these):\n    ${removed.join("\n    ")}`);
      if (added.length) problems.push(`stack ${stack}: now also has (Terraform will CREATE these):\n    ${added.join("\n    ")}`);
    }
    if (problems.length) {
      throw new Error(
        `${file}: resource addresses changed.\n  ${problems.join("\n  ")}\n\n` +
          "An address that disappears while another appears is a REPLACEMENT of real infrastructure (outage, data loss).\n" +
          "If you renamed or moved a construct, keep its id, or add `resource.moveTo(...)`/a `moved` block so Terraform moves state instead.\n" +
          "If the change is intended (new or removed resources), re-pin with: UPDATE_ADDRESSES=1 npx jest __tests__/project/resource-addresses.test.ts",
      );
    }
  });
});
