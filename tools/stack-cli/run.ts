/**
 * `npm run plan / deploy / destroy`: Terraform on the synthesized stacks directly, the way `cdktf diff/deploy/destroy`
 * drive it, without the cdktf CLI (which does not start on Node 24). Per stack, in dependency order (reverse for
 * destroy): `terraform init` against the stack's configured backend in its working directory, then a plan, then,
 * after the same approve / dismiss / stop choice `cdktf deploy` offers (or `--auto-approve`), the apply.
 *
 * One difference from cdktf, on purpose: for S3 and local backends the apply applies the saved plan the user just
 * reviewed (`plan -out plan`, then `apply plan`), so nothing that changed in between is applied unseen. Stacks on
 * HCP Terraform run `terraform apply` / `destroy` and Terraform asks itself, as cdktf 0.21 does for them.
 */
import { readFileSync } from "node:fs";
import { prepareEmulatorOverride } from "./emulator";
import { StackCommandError, SynthesizedStack } from "./manifest";
import { StackVerb } from "./order";
import { TerraformRunner } from "./terraform";

/** The user's answer to "Please review the diff output above": apply, skip this stack (and what needs it), or stop. */
export type Approval = "approve" | "dismiss" | "stop";

export interface StackRunOptions {
  /** Runs Terraform (the terminal-attached runner in the CLI, a capturing one in tests). */
  readonly terraform: TerraformRunner;
  /** Asks for approval of one stack's plan; `undefined` (no answer, input closed) stops the run. */
  readonly ask: (stack: string, verb: "deploy" | "destroy") => Promise<Approval | undefined>;
  /** Prints one line of progress. */
  readonly log: (line: string) => void;
  /**
   * Apply without asking.
   * @default false
   */
  readonly autoApprove?: boolean;
  /**
   * `terraform init -migrate-state -force-copy`: move existing state into a changed backend (cdktf's --migrate-state).
   * @default false
   */
  readonly migrateState?: boolean;
  /**
   * A local AWS emulator's URL (`AWS_EMULATOR_URL`, see emulator.ts): each stack gets an override file pointing it there.
   * @default - AWS itself (a leftover override file is removed)
   */
  readonly emulatorUrl?: string;
}

/** What happened to each stack. */
export interface StackRunResult {
  readonly stack: string;
  readonly outcome: "planned" | "no changes" | "applied" | "destroyed" | "dismissed" | "skipped" | "failed";
}

/** HCP Terraform (cloud block or remote backend): runs remotely, where cdktf 0.21 saves no plan file either. */
export function isCloudStack(stack: SynthesizedStack): boolean {
  const json = JSON.parse(readFileSync(stack.synthesizedStackPath, "utf8")) as { terraform?: { cloud?: unknown; backend?: { remote?: unknown } } };
  return json.terraform?.cloud !== undefined || json.terraform?.backend?.remote !== undefined;
}

/** The stacks that must not run once `name` was dismissed or failed: its dependants (deploy), its dependencies (destroy). */
export function blockedBy(name: string, stacks: readonly SynthesizedStack[], verb: StackVerb): Set<string> {
  const blocked = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const next =
      verb === "destroy"
        ? (stacks.find((s) => s.name === current)?.dependencies ?? [])
        : stacks.filter((s) => s.dependencies.includes(current)).map((s) => s.name);
    for (const n of next) {
      if (blocked.has(n)) continue;
      blocked.add(n);
      pending.push(n);
    }
  }
  return blocked;
}

async function init(stack: SynthesizedStack, options: StackRunOptions): Promise<void> {
  prepareEmulatorOverride(stack, options.emulatorUrl);
  const args = ["init", "-input=false", ...(options.migrateState ? ["-migrate-state", "-force-copy"] : [])];
  const code = await options.terraform(stack.workingDirectory, args);
  if (code !== 0) throw new StackCommandError(`terraform init failed for stack ${stack.name} (exit ${code}); Terraform's message is above`);
}

/** Plans each stack (what `cdktf diff` shows); every stack is planned even when one fails. */
export async function planStacks(stacks: readonly SynthesizedStack[], options: StackRunOptions): Promise<StackRunResult[]> {
  const results: StackRunResult[] = [];
  for (const stack of stacks) {
    options.log(`${stack.name}: terraform init + plan in ${stack.workingDirectory}`);
    try {
      await init(stack, options);
      const code = await options.terraform(stack.workingDirectory, ["plan", "-input=false", ...(isCloudStack(stack) ? [] : ["-out", "plan"])]);
      results.push({ stack: stack.name, outcome: code === 0 ? "planned" : "failed" });
    } catch (error) {
      if (!(error instanceof StackCommandError)) throw error;
      options.log(error.message);
      results.push({ stack: stack.name, outcome: "failed" });
    }
  }
  const failed = results.filter((r) => r.outcome === "failed").map((r) => r.stack);
  if (failed.length > 0) throw new StackCommandError(`terraform plan failed for ${failed.join(", ")}; Terraform's messages are above`);
  return results;
}

/** Deploys (or destroys) each stack in the given order, asking before each apply unless autoApprove. */
export async function applyStacks(stacks: readonly SynthesizedStack[], verb: "deploy" | "destroy", options: StackRunOptions): Promise<StackRunResult[]> {
  const results: StackRunResult[] = [];
  const blocked = new Set<string>();
  let stopped = false;
  for (const stack of stacks) {
    if (stopped || blocked.has(stack.name)) {
      options.log(`${stack.name}: skipped (${stopped ? "stopped" : "a stack it needs was not " + (verb === "deploy" ? "deployed" : "kept")})`);
      results.push({ stack: stack.name, outcome: "skipped" });
      continue;
    }
    options.log(`${stack.name}: terraform init + ${verb === "deploy" ? "plan" : "plan -destroy"} in ${stack.workingDirectory}`);
    await init(stack, options);
    const outcome = isCloudStack(stack) ? await applyRemote(stack, verb, options) : await applySavedPlan(stack, verb, options);
    if (outcome === "stop") {
      stopped = true;
      results.push({ stack: stack.name, outcome: "dismissed" });
      continue;
    }
    if (outcome === "dismissed") blockedBy(stack.name, stacks, verb).forEach((n) => blocked.add(n));
    results.push({ stack: stack.name, outcome });
  }
  return results;
}

type ApplyOutcome = StackRunResult["outcome"] | "stop";

async function applySavedPlan(stack: SynthesizedStack, verb: "deploy" | "destroy", options: StackRunOptions): Promise<ApplyOutcome> {
  const dir = stack.workingDirectory;
  // -detailed-exitcode: 0 nothing to do, 2 changes to apply, anything else a failure.
  const plan = await options.terraform(dir, ["plan", "-input=false", "-detailed-exitcode", "-out", "plan", ...(verb === "destroy" ? ["-destroy"] : [])]);
  if (plan === 0) {
    options.log(`${stack.name}: no changes`);
    return "no changes";
  }
  if (plan !== 2) throw new StackCommandError(`terraform plan failed for stack ${stack.name} (exit ${plan}); Terraform's message is above`);
  const approval = await approve(stack, verb, options);
  if (approval !== "approve") return approval === "dismiss" ? "dismissed" : "stop";
  const apply = await options.terraform(dir, ["apply", "-input=false", "plan"]);
  if (apply !== 0) throw new StackCommandError(`terraform apply failed for stack ${stack.name} (exit ${apply}); Terraform's message is above`);
  return verb === "deploy" ? "applied" : "destroyed";
}

async function applyRemote(stack: SynthesizedStack, verb: "deploy" | "destroy", options: StackRunOptions): Promise<ApplyOutcome> {
  const command = verb === "deploy" ? "apply" : "destroy";
  const code = await options.terraform(stack.workingDirectory, [command, ...(options.autoApprove ? ["-auto-approve"] : [])]);
  if (code !== 0) throw new StackCommandError(`terraform ${command} failed or was cancelled for stack ${stack.name} (exit ${code}); Terraform's message is above`);
  return verb === "deploy" ? "applied" : "destroyed";
}

async function approve(stack: SynthesizedStack, verb: "deploy" | "destroy", options: StackRunOptions): Promise<Approval> {
  if (options.autoApprove) return "approve";
  const answer = await options.ask(stack.name, verb);
  if (answer === undefined) {
    options.log(`${stack.name}: no answer (input closed), stopping; pass --auto-approve to ${verb} without asking`);
    return "stop";
  }
  return answer;
}

/** `terraform output -json` of a stack's working directory: output name to value (and whether it is sensitive). */
export type OutputReader = (dir: string) => Promise<Record<string, { readonly value?: unknown; readonly sensitive?: boolean }>>;

/**
 * The URL outputs (`<Environment>Url`, stacks/environment-url.ts) of the stacks a deploy left in place, one line
 * each: where every environment answers, printed at the end of `npm run deploy`.
 */
export async function deployedUrls(stacks: readonly SynthesizedStack[], results: readonly StackRunResult[], readOutputs: OutputReader): Promise<string[]> {
  const lines: string[] = [];
  for (const stack of stacks) {
    const outcome = results.find((r) => r.stack === stack.name)?.outcome;
    if (outcome !== "applied" && outcome !== "no changes") continue;
    const outputs = await readOutputs(stack.workingDirectory).catch(() => ({}));
    for (const [name, output] of Object.entries(outputs)) {
      if (name.endsWith("Url") && !output.sensitive && typeof output.value === "string") lines.push(`${stack.name}: ${name} ${output.value}`);
    }
  }
  return lines;
}
