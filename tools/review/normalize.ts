/**
 * Normalizes a stack's Terraform JSON to what can change a plan, split into addressable blocks.
 *
 * Ignored, because Terraform never sees a difference in them: cdktf's `//` comments (construct paths,
 * unique ids, the stack's metadata block), the order of object keys (resources, arguments), the order of
 * `depends_on` (a set of addresses), and the `description` of outputs and variables (not stored in state).
 * Everything else (list order included: most lists are ordered for Terraform) counts.
 */
import type { TerraformJson } from "./synth-output";

/** Blocks whose name is the second level of the JSON (`locals.<name>`, `output.<name>`...). */
const NAMED_BLOCKS: Readonly<Record<string, string>> = { locals: "local", variable: "var", output: "output", module: "module" };

/** A value with cdktf's comments dropped and object keys sorted; arrays keep their order. */
export function normalizeValue(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalizeValue(item));
    return key === "depends_on" ? [...items].sort() : items;
  }
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (k === "//") continue;
    out[k] = normalizeValue((value as Record<string, unknown>)[k], k);
  }
  return out;
}

/**
 * The stack's blocks by Terraform address, each as canonical JSON:
 * `<type>.<name>` (resource), `data.<type>.<name>`, `local.<name>`, `var.<name>`, `output.<name>`,
 * `module.<name>`, and `<block>` for everything else (`terraform` with its backend, `provider`, `moved`...).
 */
export function stackBlocks(json: TerraformJson): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const [block, value] of Object.entries(json)) {
    if (block === "//") continue;
    if (block === "resource" || block === "data") {
      const prefix = block === "data" ? "data." : "";
      for (const [type, byName] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        for (const [name, body] of Object.entries(byName)) blocks.set(`${prefix}${type}.${name}`, canonical(body));
      }
    } else if (NAMED_BLOCKS[block]) {
      for (const [name, body] of Object.entries(value as Record<string, unknown>)) {
        blocks.set(`${NAMED_BLOCKS[block]}.${name}`, canonical(withoutDescription(block, body)));
      }
    } else {
      blocks.set(block, canonical(value));
    }
  }
  return blocks;
}

function withoutDescription(block: string, body: unknown): unknown {
  if ((block !== "output" && block !== "variable") || body === null || typeof body !== "object") return body;
  const rest = { ...(body as Record<string, unknown>) };
  delete rest.description;
  return rest;
}

/** Canonical JSON of a normalized value: equal strings mean no difference Terraform could see. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalizeValue(value));
}

/** A dotted name as written in an expression: `aws_vpc.Vpc_1234.id`, `data.aws_iam_policy_document.X.json`. */
const DOTTED = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+/g;

/**
 * The addresses among `known` that a block's canonical JSON refers to: interpolations (`${aws_vpc.X.id}`)
 * and bare addresses (`depends_on`). A dotted name that names no block is skipped; one that names a block
 * by accident over-approximates, which only plans a stack more.
 */
export function references(canonicalJson: string, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const [token] of canonicalJson.matchAll(DOTTED)) {
    const parts = token.split(".");
    const address = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
    if (known.has(address)) found.add(address);
  }
  return found;
}

/**
 * The output names a stack reads through `data.terraform_remote_state.<source>.outputs.<name>`, or "all" when it
 * uses the whole `outputs` object (then any change of the source's outputs concerns it).
 */
export function remoteOutputsRead(json: TerraformJson, source: string): Set<string> | "all" {
  const text = JSON.stringify(json);
  const pattern = new RegExp(`data\\.terraform_remote_state\\.${escape(source)}\\.outputs(\\.[A-Za-z0-9_-]+)?`, "g");
  const names = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    if (!match[1]) return "all";
    names.add(match[1].slice(1));
  }
  return names;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
