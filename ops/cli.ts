/**
 * `bluegreen <command>`: operate this project's blue/green releases from a terminal or CI. Every name comes from
 * the synthesized stacks (cdktf.out) of the config `DEPLOY_CONFIG` selects; the user only picks the environment
 * (and in fleet mode the service). `run` returns the exit code; errors are one line on stderr, never a stack trace.
 */
import { parseArgs } from "node:util";
import { approvalCommand } from "./commands/approval";
import { releaseCommand } from "./commands/release";
import { rollbackCommand } from "./commands/rollback";
import { statusCommand } from "./commands/status";
import { stopCommand } from "./commands/stop";
import { verifyCommand } from "./commands/verify";
import { waitCommand } from "./commands/wait";
import { ExitCode, OpsError, firstLine } from "./errors";
import { COMMAND_PERMISSIONS, CommandName } from "./permissions";
import { Access, openSession, Runtime, Session } from "./session";

type Values = {
  env?: string;
  service?: string;
  json?: boolean;
  yes?: boolean;
  help?: boolean;
  deployment?: string;
  timeout?: string;
  interval?: string;
  "start-timeout"?: string;
  comment?: string;
  "no-rollback"?: boolean;
  rollback?: boolean;
};

interface CommandSpec {
  readonly summary: string;
  readonly usage: string;
  readonly access: Access;
  readonly flags: readonly (keyof Values)[];
  readonly details: readonly string[];
  run(session: Session, values: Values): Promise<ExitCode>;
}

const COMMON_FLAGS: readonly (keyof Values)[] = ["env", "service", "help"];

const COMMANDS: { readonly [K in CommandName]: CommandSpec } = {
  status: {
    summary: "what is live per environment, the deployment in flight, the pipeline's stages",
    usage: "status [--env E] [--json]",
    access: "read",
    flags: ["json"],
    details: ["Live image (tag, digest) and task definition, the target groups behind the production and test listeners,", "the deployment in flight (traffic shifted, step, hooks), the latest execution of each pipeline stage."],
    run: (session, v) => statusCommand(session, { env: v.env, json: v.json }),
  },
  wait: {
    summary: "follow a deployment until it ends; the exit code says how",
    usage: "wait [--env E] [--deployment ID] [--timeout MINUTES] [--interval SECONDS] [--start-timeout MINUTES]",
    access: "read",
    flags: ["deployment", "timeout", "interval", "start-timeout"],
    details: ["Follows the deployment in flight (or --deployment). On a terminal a traffic bar redrawn in place; in CI one line", "per change. Exit 0 succeeded, 3 failed or rolled back, 4 stopped, 5 timed out (default 120 minutes).", "--start-timeout keeps looking that long when nothing is in flight yet (right after `release`)."],
    run: (session, v) => waitCommand(session, { env: v.env, deployment: v.deployment, ...timing(v) }),
  },
  release: {
    summary: "start the pipeline (after the connection handshake or a task-definition change)",
    usage: "release",
    access: "write",
    flags: [],
    details: ["Starts a new execution of the pipeline: build (or the watched ECR tag), then every environment in order."],
    run: (session) => releaseCommand(session),
  },
  approve: {
    summary: "approve the manual approval waiting before an environment",
    usage: "approve [--env E] [--comment TEXT]",
    access: "write",
    flags: ["comment"],
    details: ["Answers the approval stage that is waiting (or the one before --env); the comment is recorded with it."],
    run: (session, v) => approvalCommand(session, "Approved", { env: v.env, comment: v.comment }),
  },
  reject: {
    summary: "reject the waiting approval, with a reason",
    usage: "reject --comment TEXT [--env E]",
    access: "write",
    flags: ["comment"],
    details: ["Rejects the approval stage that is waiting; the execution stops there. --comment is required."],
    run: (session, v) => approvalCommand(session, "Rejected", { env: v.env, comment: v.comment }),
  },
  stop: {
    summary: "stop the deployment in flight and roll it back (--no-rollback to leave traffic as is)",
    usage: "stop [--env E] [--no-rollback] [--yes]",
    access: "write",
    flags: ["yes", "rollback", "no-rollback"],
    details: ["Asks for confirmation on a terminal; in CI pass --yes. Rolling back sends production traffic to the original tasks.", "ECS-native environments stop only with rollback."],
    run: (session, v) => stopCommand(session, { env: v.env, rollback: !v["no-rollback"], yes: v.yes }),
  },
  rollback: {
    summary: "go back to the previous successful task definition (CodeDeploy or ECS), and wait",
    usage: "rollback --env E [--yes] [--timeout MINUTES] [--interval SECONDS]",
    access: "write",
    flags: ["yes", "timeout", "interval"],
    details: [
      "CodeDeploy: deploys the task definition of the newest earlier successful deployment (the pipeline's appspec). ECS: stops",
      "the deployment in flight with rollback, or updates the service to the previous successful revision's task definition.",
      "Then follows it like wait. Asks for confirmation on a terminal; in CI pass --yes.",
    ],
    run: (session, v) => rollbackCommand(session, { env: v.env, yes: v.yes, ...timing(v) }),
  },
  verify: {
    summary: "check what the next deployment needs against the live account (ok/FAIL per check)",
    usage: "verify [--env E] [--json]",
    access: "read",
    flags: ["json"],
    details: ["ECR image, task and execution roles trusting ecs-tasks.amazonaws.com, log group, target-group port and health", "check against the container, deployment group wiring (service, target groups, listeners) or the service's ECS blue/green", "wiring. Exit 6 when a check fails."],
    run: (session, v) => verifyCommand(session, { env: v.env, json: v.json }),
  },
};

const OPTION_TYPES = {
  env: { type: "string" },
  service: { type: "string" },
  json: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
  deployment: { type: "string" },
  timeout: { type: "string" },
  interval: { type: "string" },
  "start-timeout": { type: "string" },
  comment: { type: "string" },
  rollback: { type: "boolean" },
  "no-rollback": { type: "boolean" },
} as const;

function timing(v: Values): { timeoutMinutes?: number; intervalSeconds?: number; startTimeoutMinutes?: number } {
  return {
    timeoutMinutes: positive("--timeout", v.timeout),
    intervalSeconds: positive("--interval", v.interval),
    startTimeoutMinutes: positive("--start-timeout", v["start-timeout"]),
  };
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new OpsError(ExitCode.Usage, `${flag} must be a positive number (got "${value}")`);
  return n;
}

export function mainHelp(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  return [
    "usage: bluegreen <command> [--env E] [--service S] [options]",
    "",
    "Operate the blue/green releases of the stacks synthesized from DEPLOY_CONFIG (cdktf.out; synthesized first when missing or made from another config or commit).",
    "",
    ...names.map((name) => `  ${name.padEnd(9)} ${COMMANDS[name].summary}`),
    "",
    "--service S picks the service in fleet mode. `bluegreen <command> --help` shows a command's options and IAM actions.",
    "Exit codes: 0 ok, 1 unexpected, 2 usage, 3 deployment failed or rolled back, 4 stopped, 5 timed out, 6 verify failed,",
    "7 not confirmed, 8 another deployment in flight, 10 no credentials, 11 wrong account or region, 12 not deployed,",
    "13 nothing in flight, 14 pipeline not found, 15 access denied.",
    "",
  ].join("\n");
}

export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const role = spec.access === "read" ? "plan or deploy role" : "deploy role";
  return [
    `usage: bluegreen ${spec.usage} [--service S]`,
    "",
    ...spec.details,
    "",
    `IAM actions (${role}): ${COMMAND_PERMISSIONS[name].join(", ")}`,
    "",
  ].join("\n");
}

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/** Runs one command line; returns the exit code. */
export async function run(argv: readonly string[], runtime: Runtime): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    runtime.stdout.write(mainHelp());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (!isCommand(name)) {
    runtime.stderr.write(`bluegreen: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`);
    return ExitCode.Usage;
  }
  try {
    const values = parseFlags(name, rest);
    if (values.help) {
      runtime.stdout.write(commandHelp(name));
      return ExitCode.Ok;
    }
    const spec = COMMANDS[name];
    // Arguments are checked before anything reads credentials: a typo is a usage error (2), never "no credentials" (10).
    timing(values);
    const session = await openSession(runtime, values, spec.access);
    return await spec.run(session, values);
  } catch (error) {
    return report(runtime, name, error);
  }
}

function parseFlags(name: CommandName, args: readonly string[]): Values {
  const allowed = new Set<keyof Values>([...COMMON_FLAGS, ...COMMANDS[name].flags]);
  let values: Values;
  try {
    values = parseArgs({ args: [...args], options: OPTION_TYPES, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    throw new OpsError(ExitCode.Usage, `${firstLine((error as Error).message)}; see bluegreen ${name} --help`);
  }
  const unexpected = (Object.keys(values) as (keyof Values)[]).filter((key) => !allowed.has(key));
  if (unexpected.length > 0) {
    throw new OpsError(ExitCode.Usage, `${name} does not take --${unexpected.join(", --")} (allowed: --${[...allowed].join(", --")})`);
  }
  return values;
}

function report(runtime: Runtime, name: string, error: unknown): number {
  if (error instanceof OpsError) {
    runtime.stderr.write(`bluegreen ${name}: ${error.message}\n`);
    return error.exitCode;
  }
  const e = error as { name?: string; message?: string; stack?: string } | undefined;
  runtime.stderr.write(`bluegreen ${name}: unexpected error: ${e?.name ?? "Error"}: ${firstLine(e?.message ?? String(error))} (BLUEGREEN_DEBUG=1 prints the stack)\n`);
  if (runtime.env.BLUEGREEN_DEBUG === "1" && e?.stack) runtime.stderr.write(`${e.stack}\n`);
  return ExitCode.Unexpected;
}
