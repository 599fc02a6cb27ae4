/**
 * Which stacks a command runs, and in what order: the rules of `cdktf diff/deploy/destroy` (0.21), as pure functions.
 * - no stack named: the only stack, or an error listing the stacks when there are several;
 * - each name is a glob (`*`, `?`), as in `cdktf deploy 'shop-*'`; a pattern that matches nothing is an error;
 * - deploy: a stack's dependencies (stacks whose outputs it reads) must be selected too and run first;
 * - destroy: a stack's dependants must be selected too and run first (the reverse order).
 * Between stacks that do not depend on each other, the order the user named them is kept.
 */
import { StackCommandError, SynthesizedStack } from "./manifest";

/** The verbs, as the npm scripts name them (`npm run plan -- <stack>`). */
export type StackVerb = "plan" | "deploy" | "destroy";

/** True when `name` matches the glob `pattern` (`*` any run of characters, `?` one character). */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(name);
}

/** The stacks the patterns name, in the order named (each stack once). */
export function selectStacks(all: readonly SynthesizedStack[], patterns: readonly string[], verb: StackVerb): SynthesizedStack[] {
  const names = all.map((s) => s.name).join(", ");
  if (patterns.length === 0) {
    if (all.length === 1) return [all[0]];
    throw new StackCommandError(`found ${all.length} stacks, name the ones to ${verb}: npm run ${verb} -- <stack...> (stacks: ${names})`);
  }
  const selected: SynthesizedStack[] = [];
  for (const pattern of patterns) {
    const matches = all.filter((s) => matchesPattern(s.name, pattern));
    if (matches.length === 0) throw new StackCommandError(`no stack matches "${pattern}" (stacks: ${names})`);
    for (const match of matches) if (!selected.includes(match)) selected.push(match);
  }
  return selected;
}

/**
 * Orders the selected stacks so that every stack runs after the stacks it depends on (deploy, plan) or before
 * them (destroy). Unless `ignoreMissingDependencies`, refuses a selection that leaves out a stack the order
 * needs: a dependency (deploy, plan) or a dependant (destroy).
 */
export function orderStacks(
  selected: readonly SynthesizedStack[],
  all: readonly SynthesizedStack[],
  verb: StackVerb,
  ignoreMissingDependencies = false,
): SynthesizedStack[] {
  const chosen = new Set(selected.map((s) => s.name));
  if (!ignoreMissingDependencies) {
    const missing =
      verb === "destroy"
        ? all.filter((s) => !chosen.has(s.name) && s.dependencies.some((d) => chosen.has(d))).map((s) => s.name)
        : [...new Set(selected.flatMap((s) => s.dependencies))].filter((d) => !chosen.has(d));
    if (missing.length > 0) {
      const what = verb === "destroy" ? "depend on the stacks to destroy" : "are dependencies of the stacks to " + verb;
      throw new StackCommandError(`${missing.join(", ")} ${what} but not selected: name them too, or pass --ignore-missing-stack-dependencies`);
    }
  }
  const forward = dependencyOrder(selected);
  return verb === "destroy" ? forward.reverse() : forward;
}

/** Kahn's algorithm over the selected stacks, picking the earliest-named ready stack each time. */
function dependencyOrder(selected: readonly SynthesizedStack[]): SynthesizedStack[] {
  const names = new Set(selected.map((s) => s.name));
  const done = new Set<string>();
  const order: SynthesizedStack[] = [];
  while (order.length < selected.length) {
    const ready = selected.find((s) => !done.has(s.name) && s.dependencies.every((d) => done.has(d) || !names.has(d)));
    if (!ready) {
      const cycle = selected.filter((s) => !done.has(s.name)).map((s) => s.name);
      throw new StackCommandError(`stacks depend on each other in a cycle: ${cycle.join(", ")}`);
    }
    done.add(ready.name);
    order.push(ready);
  }
  return order;
}
