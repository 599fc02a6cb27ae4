/**
 * Which stacks a change needs planned: compare the base's and the head's synthesized stacks block by block
 * (normalized, see normalize.ts), then follow `terraform_remote_state` reads: a stack that reads outputs of a
 * changed stack is planned too when one of those outputs may have changed.
 *
 * An output "may have changed" when its own expression changed, or when anything it depends on inside its
 * stack changed: the resources, data sources, locals and variables it refers to, transitively (a changed VPC
 * can replace the subnets built on it, and with them the subnet ids an output carries), or the stack's
 * provider or `terraform` block. Remote-state reads chain: a stack planned for its inputs passes that on to
 * the stacks reading its own outputs.
 */
import { references, remoteOutputsRead, stackBlocks } from "./normalize";
import { remoteStateLocation, stateLocation, SynthStack } from "./synth-output";

/** Why a stack is planned or not. */
export type StackStatus =
  /** In the head only. */
  | "new"
  /** In the base only: removing a stack from the code never destroys its resources. */
  | "removed"
  /** Its own Terraform JSON or assets differ. */
  | "changed"
  /** Unchanged itself, but outputs it reads through remote state may change. */
  | "inputs-changed"
  | "unchanged"
  /** No base to compare with: planned. */
  | "unknown";

export interface StackDecision {
  readonly stack: string;
  readonly status: StackStatus;
  /** Whether the workflow plans it. */
  readonly plan: boolean;
  /** Human-readable reasons, for the comment: changed addresses, outputs read. */
  readonly reasons: readonly string[];
}

export interface AffectedResult {
  /** Set when the base could not be synthesized: every stack is then planned. */
  readonly fallback?: string;
  /** Every stack of head and base, in name order. */
  readonly stacks: readonly StackDecision[];
}

export interface AffectedOptions {
  /** Stacks never planned by CI, whatever changed (bootstrap, administrator-applied stacks). @default none */
  readonly neverPlan?: readonly string[];
  /** How many changed addresses a reason lists before "and N more". @default 5 */
  readonly maxListed?: number;
}

type Stacks = ReadonlyMap<string, SynthStack>;

/** Decides, for every stack of the head and the base, whether it is planned. `base` undefined: plan everything. */
export function affectedStacks(head: Stacks, base: Stacks | undefined, fallback: string | undefined, options: AffectedOptions = {}): AffectedResult {
  const never = new Set(options.neverPlan ?? []);
  const listed = options.maxListed ?? 5;
  const decide = (stack: string, status: StackStatus, reasons: readonly string[]): StackDecision => ({
    stack,
    status,
    plan: !never.has(stack) && status !== "unchanged" && status !== "removed",
    reasons: never.has(stack) && status !== "unchanged" ? [...reasons, "never planned in CI (applied by an administrator)"] : reasons,
  });
  if (!base) {
    const why = fallback ?? "no base to compare with";
    return { fallback: why, stacks: [...head.keys()].sort().map((s) => decide(s, "unknown", [why])) };
  }
  const diffs = new Map<string, StackDiff>();
  for (const [name, stack] of head) {
    const before = base.get(name);
    if (before) diffs.set(name, diffStack(before, stack));
  }
  const upstream = propagateRemoteState(head, base, diffs);
  const decisions: StackDecision[] = [];
  for (const name of [...new Set([...head.keys(), ...base.keys()])].sort()) {
    const diff = diffs.get(name);
    if (!head.has(name)) decisions.push(decide(name, "removed", [`removed from the code: its resources stay deployed (state ${stateLocation(base.get(name)!.json) ?? "unknown"})`]));
    else if (!diff) decisions.push(decide(name, "new", ["new stack"]));
    else if (diff.changed.size > 0) decisions.push(decide(name, "changed", [listFirst("changed", [...diff.changed].sort(), listed)]));
    else if (upstream.has(name)) decisions.push(decide(name, "inputs-changed", upstream.get(name)!));
    else decisions.push(decide(name, "unchanged", []));
  }
  return { stacks: decisions };
}

function listFirst(verb: string, items: readonly string[], max: number): string {
  const more = items.length > max ? ` and ${items.length - max} more` : "";
  return `${verb}: ${items.slice(0, max).join(", ")}${more}`;
}

/** One stack's differences between base and head. */
interface StackDiff {
  readonly before: Map<string, string>;
  readonly after: Map<string, string>;
  /** Addresses added, removed or changed (`assets` when only the asset files differ). */
  readonly changed: Set<string>;
}

function diffStack(base: SynthStack, head: SynthStack): StackDiff {
  const before = stackBlocks(base.json);
  const after = stackBlocks(head.json);
  const changed = new Set<string>();
  for (const address of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(address) !== after.get(address)) changed.add(address);
  }
  if (base.assetsDigest !== head.assetsDigest) changed.add("assets");
  return { before, after, changed };
}

/** Outputs of `diff`'s stack that may differ after the change, given the addresses considered changed. */
function changedOutputs(diff: StackDiff, changed: ReadonlySet<string>): Set<string> {
  const outputs = new Set<string>();
  // Addresses without a dot are whole blocks (`terraform`, `provider`, `moved`) or the assets: they can touch every output.
  const globalChange = [...changed].some((a) => !a.includes("."));
  for (const blocks of [diff.before, diff.after]) {
    const known = new Set(blocks.keys());
    for (const address of known) {
      if (!address.startsWith("output.")) continue;
      if (globalChange || changed.has(address) || [...dependencies(address, blocks, known)].some((d) => changed.has(d))) {
        outputs.add(address.slice("output.".length));
      }
    }
  }
  return outputs;
}

const referenceCache = new WeakMap<ReadonlyMap<string, string>, Map<string, Set<string>>>();

/** Every address `address` refers to, transitively, within one stack. */
function dependencies(address: string, blocks: ReadonlyMap<string, string>, known: ReadonlySet<string>): Set<string> {
  const cache = referenceCache.get(blocks) ?? new Map<string, Set<string>>();
  referenceCache.set(blocks, cache);
  const direct = (from: string): Set<string> => {
    if (!cache.has(from)) cache.set(from, references(blocks.get(from) ?? "", known));
    return cache.get(from)!;
  };
  const seen = new Set<string>();
  const queue = [address];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const ref of direct(next)) {
      if (!seen.has(ref)) {
        seen.add(ref);
        queue.push(ref);
      }
    }
  }
  return seen;
}

/** A stack's remote-state data sources, resolved to the stacks whose state they read. */
function remoteSources(stack: SynthStack, byLocation: ReadonlyMap<string, string>): { source: string; producer: string }[] {
  const sources = (stack.json.data?.terraform_remote_state ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(sources).flatMap(([source, config]) => {
    const location = remoteStateLocation(config);
    const producer = (location && byLocation.get(location)) ?? conventionalProducer(source);
    return producer && producer !== stack.name ? [{ source, producer }] : [];
  });
}

/** cdktf names the data source of a cross-stack reference `cross-stack-reference-input-<producer stack>`. */
function conventionalProducer(source: string): string | undefined {
  const prefix = "cross-stack-reference-input-";
  return source.startsWith(prefix) ? source.slice(prefix.length) : undefined;
}

/**
 * Stacks whose remote-state inputs may change, with the reason. Iterates to a fixed point so that chains
 * (platform -> service -> service's GitHub stack) propagate: an input that may change marks the data source
 * that reads it as changed in the consumer, which can change the consumer's own outputs.
 */
function propagateRemoteState(head: Stacks, base: Stacks, diffs: ReadonlyMap<string, StackDiff>): Map<string, string[]> {
  const byLocation = new Map<string, string>();
  for (const stacks of [base, head]) {
    for (const [name, stack] of stacks) {
      const location = stateLocation(stack.json);
      if (location) byLocation.set(location, name);
    }
  }
  const changedInputs = new Map<string, Set<string>>(); // consumer -> its data.terraform_remote_state addresses that may change
  const reasons = new Map<string, string[]>();
  for (let progress = true; progress; ) {
    progress = false;
    const outputsByStack = new Map<string, Set<string> | "all">();
    for (const name of head.keys()) {
      const diff = diffs.get(name);
      const changed = new Set([...(diff?.changed ?? []), ...(changedInputs.get(name) ?? [])]);
      outputsByStack.set(name, diff ? changedOutputs(diff, changed) : "all");
    }
    for (const [name, stack] of head) {
      for (const { source, producer } of remoteSources(stack, byLocation)) {
        const address = `data.terraform_remote_state.${source}`;
        if (changedInputs.get(name)?.has(address)) continue;
        const changedThere = head.has(producer) ? outputsByStack.get(producer)! : "all";
        const read = remoteOutputsRead(stack.json, source);
        const hit = changedThere === "all" || read === "all" ? ["(all outputs)"] : [...read].filter((o) => changedThere.has(o)).sort();
        if (hit.length === 0 || (changedThere !== "all" && changedThere.size === 0)) continue;
        changedInputs.set(name, new Set([...(changedInputs.get(name) ?? []), address]));
        reasons.set(name, [...(reasons.get(name) ?? []), listFirst(`reads outputs of ${producer} that may change`, hit, 3)]);
        progress = true;
      }
    }
  }
  return reasons;
}
