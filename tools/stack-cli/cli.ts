/**
 * The stack commands behind `npm run synth | plan | deploy | destroy` (and the CLI-guarded `npm run get`).
 * Run through tools/stack-cli/bin.mjs, which loads this file from a cached bundle. Usage: `--help`.
 */
import { resolve } from "node:path";
import { createInterface, Interface } from "node:readline";
import { resolveConfigPath } from "../../config/loader";
import { staleReason } from "../../config/synth-stamp";
import { runCdktfCli } from "./cdktf-cli";
import { EMULATOR_ENV, emulatorUrl } from "./emulator";
import { missingCredentials } from "./credentials";
import { readManifest, StackCommandError } from "./manifest";
import { orderStacks, selectStacks, StackVerb } from "./order";
import { Approval, applyStacks, deployedUrls, planStacks, StackRunOptions, StackRunResult } from "./run";
import { AppFailed, readCdktfJson, synthesize } from "./synth";
import { interactiveTerraform, terraformOutputs } from "./terraform";

export const USAGE = `usage: npm run <command> -- [stack patterns...] [options]
  synth                       run the app (cdktf.json) and write cdktf.out, as cdktf synth does
  plan    [stacks...]         terraform init + plan of each stack (cdktf diff)
  deploy  [stacks...]         init, plan, ask, apply, in dependency order (cdktf deploy)
  destroy [stacks...]         init, plan -destroy, ask, apply, in reverse dependency order (cdktf destroy)
Stack patterns are names or globs ('shop-*'); with one stack synthesized none is needed.
options:
  --output <dir>                          synth output folder (default: cdktf.json's output, cdktf.out)
  --skip-synth                            use the existing output instead of synthesizing first
  --auto-approve                          deploy/destroy: apply without asking
  --migrate-state                         deploy: terraform init -migrate-state -force-copy (backend changed)
  --ignore-missing-stack-dependencies     run even when a dependency (deploy) or dependant (destroy) is not named
environment:
  AWS_EMULATOR_URL=http://127.0.0.1:<port>  plan/deploy/destroy against a local AWS emulator (loopback only): an
                                          override file in each stack's folder points providers, backend and remote
                                          state there (tools/stack-cli/emulator.ts; npm run test:emulator uses it)`;

const FLAGS: Readonly<Record<string, readonly string[]>> = {
  synth: ["--output"],
  plan: ["--output", "--skip-synth"],
  deploy: ["--output", "--skip-synth", "--auto-approve", "--migrate-state", "--ignore-missing-stack-dependencies"],
  destroy: ["--output", "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies"],
};

export interface ParsedArgs {
  readonly command: string;
  readonly patterns: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly output?: string;
}

/** Parses `<command> [patterns] [flags]`; a flag the command does not take is a one-line error naming the allowed ones. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const allowed = FLAGS[command];
  if (!allowed) throw new StackCommandError(`unknown command ${JSON.stringify(command ?? "")} (allowed: ${Object.keys(FLAGS).join(", ")}, cdktf)`);
  const patterns: string[] = [];
  const flags = new Set<string>();
  let output: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith("-")) {
      if (command === "synth") throw new StackCommandError(`synth takes no stack names (got "${arg}"): it always synthesizes every stack`);
      patterns.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (!allowed.includes(flag)) throw new StackCommandError(`unknown option ${flag} for ${command} (allowed: ${allowed.join(", ")})`);
    if (flag === "--output") {
      output = inline ?? rest[++i];
      if (!output) throw new StackCommandError("--output needs a folder (e.g. --output cdktf.out)");
    } else flags.add(flag);
  }
  return { command, patterns, flags, output };
}

/** Reads approvals from the terminal (or piped input): one shared reader, so piped answers are not lost between stacks. */
function terminalApprovals(): { ask: StackRunOptions["ask"]; close: () => void } {
  let reader: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  const open = () => {
    reader = createInterface({ input: process.stdin });
    reader.on("line", (line) => (waiting.length > 0 ? (waiting.shift() as (l: string) => void)(line) : lines.push(line)));
    reader.on("close", () => ((closed = true), waiting.splice(0).forEach((w) => w(undefined))));
  };
  const nextLine = (): Promise<string | undefined> => {
    if (!reader) open();
    if (lines.length > 0) return Promise.resolve(lines.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolveLine) => waiting.push(resolveLine));
  };
  const ask = async (stack: string, verb: "deploy" | "destroy"): Promise<Approval | undefined> => {
    process.stdout.write(
      `\nPlease review the diff output above for ${stack}\n` +
        `  approve  ${verb === "deploy" ? "Applies the changes outlined in the plan." : "Destroys the resources outlined in the plan."}\n` +
        `  dismiss  Does not apply the plan; stacks that ${verb === "deploy" ? "depend on" : "this one depends on"} ${stack} do not run either.\n` +
        `  stop     Does not apply the plan, and runs no further stack.\n`,
    );
    for (;;) {
      process.stdout.write("Approve, dismiss or stop? [a/d/s]: ");
      const line = await nextLine();
      if (line === undefined) return undefined;
      const answer = ({ a: "approve", approve: "approve", d: "dismiss", dismiss: "dismiss", s: "stop", stop: "stop" } as Record<string, Approval>)[line.trim().toLowerCase()];
      if (answer) return answer;
    }
  };
  return { ask, close: () => reader?.close() };
}

function summary(verb: StackVerb, results: readonly StackRunResult[]): number {
  for (const r of results) console.log(`${verb}: ${r.stack}: ${r.outcome}`);
  const undone = results.filter((r) => r.outcome === "dismissed" || r.outcome === "skipped");
  if (undone.length > 0) console.error(`not ${verb === "destroy" ? "destroyed" : "deployed"}: ${undone.map((r) => `${r.stack} (${r.outcome})`).join(", ")}`);
  return undone.length > 0 ? 1 : 0;
}

/** --skip-synth: the existing output, only when it was synthesized from this config at this commit (config/synth-stamp.ts). */
function synthesizedStacks(root: string, output: string | undefined): ReturnType<typeof readManifest> {
  const outdir = resolve(root, output ?? readCdktfJson(root).output);
  const stacks = readManifest(outdir);
  const stale = staleReason(outdir, resolveConfigPath(process.env, root), root);
  if (stale) throw new StackCommandError(`${stale}; run without --skip-synth to synthesize it again`);
  return stacks;
}

async function runStacks(root: string, args: ParsedArgs): Promise<number> {
  const verb = args.command as StackVerb;
  const stacks = args.flags.has("--skip-synth") ? synthesizedStacks(root, args.output) : await synthesize(root, args.output);
  const selected = selectStacks(stacks, args.patterns, verb);
  const ordered = orderStacks(selected, stacks, verb, verb === "plan" || args.flags.has("--ignore-missing-stack-dependencies"));
  console.log(`${verb}: ${ordered.map((s) => s.name).join(" -> ")}`);
  const emulator = emulatorUrl();
  if (emulator) console.log(`${verb}: ${EMULATOR_ENV}=${emulator}: every AWS call and the state go to the emulator, not AWS`);
  else {
    // In emulator mode the override file brings the keys, and nothing may ask AWS itself who they are.
    const missing = await missingCredentials(ordered);
    if (missing) throw new StackCommandError(missing);
  }
  const approvals = terminalApprovals();
  const options: StackRunOptions = {
    terraform: interactiveTerraform,
    ask: approvals.ask,
    log: (line) => console.log(line),
    autoApprove: args.flags.has("--auto-approve"),
    migrateState: args.flags.has("--migrate-state"),
    emulatorUrl: emulator,
  };
  try {
    if (verb === "plan") return summary(verb, await planStacks(ordered, options));
    const results = await applyStacks(ordered, verb, options);
    const code = summary(verb, results);
    const urls = verb === "deploy" ? await deployedUrls(ordered, results, terraformOutputs) : [];
    if (urls.length > 0) console.log(["", "Where each environment answers (stack output <Environment>Url; bluegreen status shows it too):", ...urls.map((u) => `  ${u}`)].join("\n"));
    return code;
  } finally {
    approvals.close();
  }
}

/** Runs one command; returns the exit code. User errors print one line (`error: ...`), never a stack trace. */
export async function main(root: string, argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h") || argv.length === 0) {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  try {
    if (argv[0] === "cdktf") return runCdktfCli(root, argv.slice(1));
    const args = parseArgs(argv);
    if (args.command === "synth") {
      await synthesize(root, args.output);
      return 0;
    }
    return await runStacks(root, args);
  } catch (error) {
    if (!(error instanceof StackCommandError)) throw error;
    if (!(error instanceof AppFailed)) console.error(`error: ${error.message}`);
    return 1;
  }
}
