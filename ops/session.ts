/**
 * What every command starts from: the validated config, the synthesized stacks, the chosen service, the
 * instrumented AWS clients, and the checks that the credentials fit (credentials present, same account, same
 * region as the synthesized stacks). Everything the process touches comes in through `Runtime`, so tests inject
 * the clock, the terminal and the clients.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ConfigError, loadConfig, resolveConfigPath } from "../config";
import { staleReason } from "../config/synth-stamp";
import { AwsClients, instrument } from "./aws";
import { ExitCode, OpsError } from "./errors";
import { EnvironmentTarget, ProjectTargets, ServiceTarget, readProject } from "./project";

/** A place to write text (process.stdout, or a buffer in tests). */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything outside the process the commands touch. */
export interface Runtime {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdin and stdout are terminals: prompts are possible and progress is drawn in place. */
  readonly interactive: boolean;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm(question: string): Promise<boolean>;
  clients(region: string): AwsClients;
  /** Synthesizes the app into `outdir` (when cdktf.out is missing or made from another config or commit). */
  synth(outdir: string, configPath: string): void;
}

/** The flags every command shares. */
export interface CommonOptions {
  readonly env?: string;
  readonly service?: string;
  readonly json?: boolean;
  readonly yes?: boolean;
}

export interface Session {
  readonly runtime: Runtime;
  readonly project: ProjectTargets;
  readonly service: ServiceTarget;
  readonly clients: AwsClients;
  readonly account: string;
  readonly caller: string;
}

/** Which role to name when AWS denies an action: read-only commands run with the plan role, the rest with the deploy role. */
export type Access = "read" | "write";

export async function openSession(runtime: Runtime, options: CommonOptions, access: Access): Promise<Session> {
  const configPath = resolveConfigPath(runtime.env);
  const config = loadProjectConfig(configPath);
  const services = config.services?.map((s) => s.name) ?? [];
  const outdir = resolveOutdir(runtime);
  const stale = staleOutput(outdir, configPath);
  if (stale) {
    runtime.stderr.write(`${stale}: synthesizing first\n`);
    runtime.synth(outdir, configPath);
  }
  const project = readProject(outdir, config.project, services);
  const account = configAccount(config);
  const service = chooseService(project, options.service);
  // --env is checked against the synthesized environments before the credentials are.
  if (options.env !== undefined) environmentsOf(service, options.env);
  const configuredRegion = runtime.env.AWS_REGION || runtime.env.AWS_DEFAULT_REGION;
  if (configuredRegion && configuredRegion !== service.region) {
    throw new OpsError(
      ExitCode.WrongAccountOrRegion,
      `AWS_REGION is ${configuredRegion} but ${service.stackId} is synthesized for ${service.region} (DEPLOY_CONFIG=${configPath}); unset AWS_REGION or pick the right config`,
    );
  }
  const identity = { caller: "", account: "" };
  const role = access === "read" ? project.planRole : project.deployRole;
  const clients = instrument(runtime.clients(service.region), {
    sleep: (ms) => runtime.sleep(ms),
    advice: () => ({ caller: identity.caller || undefined, role: role && `the ${access === "read" ? "plan" : "deploy"} role ${role}` }),
  });
  const who = await clients.sts.send(new GetCallerIdentityCommand({}));
  identity.caller = who.Arn ?? "";
  identity.account = who.Account ?? "";
  if (account && identity.account !== account) {
    throw new OpsError(
      ExitCode.WrongAccountOrRegion,
      `the credentials are for account ${identity.account} (${identity.caller}) but the synthesized stacks name account ${account}`,
    );
  }
  return { runtime, project, service, clients, account: identity.account, caller: identity.caller };
}

function loadProjectConfig(path: string): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) throw new OpsError(ExitCode.Usage, `invalid config ${error.message.split("\n")[0]} (npm run synth shows every problem)`);
    throw error;
  }
}

/**
 * The one account id of the ARNs the config holds (`github.connectionArn`, `certificateArn`), which synth writes
 * into the stacks as they are; undefined when there are none (or several, AWS-managed ARNs aside).
 */
function configAccount(config: ReturnType<typeof loadConfig>): string | undefined {
  const accounts = new Set([...JSON.stringify(config).matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)].map((m) => m[1]));
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

function resolveOutdir(runtime: Runtime): string {
  const outdir = runtime.env.CDKTF_OUTDIR ?? "cdktf.out";
  return isAbsolute(outdir) ? outdir : join(runtime.cwd, outdir);
}

/** Why cdktf.out cannot be used as it is (missing, or made from another config or commit: config/synth-stamp.ts). */
function staleOutput(outdir: string, configPath: string): string | undefined {
  if (!existsSync(join(outdir, "manifest.json"))) return "cdktf.out is missing";
  return existsSync(configPath) ? staleReason(outdir, configPath) : undefined;
}

function chooseService(project: ProjectTargets, name: string | undefined): ServiceTarget {
  const fleet = project.services.some((s) => s.service !== undefined);
  if (!fleet) {
    if (name !== undefined) throw new OpsError(ExitCode.Usage, `--service is for fleet configs (services:); ${project.project} has one service (got "${name}")`);
    return project.services[0];
  }
  const names = project.services.map((s) => s.service);
  if (name === undefined && project.services.length === 1) return project.services[0];
  const found = project.services.find((s) => s.service === name);
  if (!found) {
    throw new OpsError(ExitCode.Usage, `--service must be one of ${names.join(", ")} (got ${name === undefined ? "none" : `"${name}"`})`);
  }
  return found;
}

/** The environments a command acts on: the named one, or all of them. */
export function environments(session: Session, name: string | undefined): readonly EnvironmentTarget[] {
  return environmentsOf(session.service, name);
}

function environmentsOf(service: ServiceTarget, name: string | undefined): readonly EnvironmentTarget[] {
  if (name === undefined) return service.environments;
  const found = service.environments.find((e) => e.name === name);
  if (!found) {
    throw new OpsError(ExitCode.Usage, `--env must be one of ${service.environments.map((e) => e.name).join(", ")} (got "${name}")`);
  }
  return [found];
}

/** Asks before a change on a terminal; in CI (no terminal) the change needs `--yes`. Says what will change either way. */
export async function confirmChange(session: Session, what: string, yes: boolean | undefined): Promise<void> {
  const { runtime } = session;
  runtime.stderr.write(`${what}\n`);
  if (yes) return;
  if (!runtime.interactive) throw new OpsError(ExitCode.NotConfirmed, "not confirmed: no terminal to ask on; pass --yes to go ahead");
  if (!(await runtime.confirm("Go ahead? [y/N] "))) throw new OpsError(ExitCode.NotConfirmed, "not confirmed: nothing was changed");
}
