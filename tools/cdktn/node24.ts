/**
 * The cdktn check's Node 24 steps: cdktn-cli's synth, diff, deploy, destroy and get, offline (the AWS provider from
 * the filesystem mirror), on the Node that cdktf-cli 0.21 does not start on.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { lastLines, OFFLINE, fail, Reviewed, requireReviewed, seconds, TOOL, treeHashes } from "./common";
import { compareOutputs, SynthOutput } from "./compare";
import { offlineRoot, offlineStack } from "./offline";
import { run } from "./run";

/** cdktn-cli's environment: Node 24 first on the PATH (the app command runs `node`), the offline mirror, nothing written to the home folder. */
export function cliEnvironment(node: string, work: string): NodeJS.ProcessEnv {
  const terraformrc = join(work, "mirror.tfrc");
  writeFileSync(terraformrc, `provider_installation {\n  filesystem_mirror {\n    path = "${OFFLINE.pluginDir}"\n  }\n}\n`);
  return {
    PATH: `${dirname(node)}:${dirname(OFFLINE.terraform)}:${process.env.PATH}`,
    TF_CLI_CONFIG_FILE: terraformrc,
    CDKTF_HOME: join(work, "cdktn-home"),
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    CHECKPOINT_DISABLE: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    FORCE_COLOR: "0",
    CI: "1",
  };
}

const cdktnCli = (copy: string) => join(copy, "node_modules", "cdktn-cli", "bundle", "bin", "cdktn.js");
const defaultExample = (copy: string) => join(copy, "config", "examples", "default.yaml");

/** `cdktn synth` of the default example must write what `npm run synth` wrote for it (in `npmOutput`), byte for byte. */
export async function cliSynth(node: string, copy: string, out: string, npmOutput: string, env: NodeJS.ProcessEnv): Promise<string> {
  const synth = await run(node, [cdktnCli(copy), "synth", "--output", out], { cwd: copy, env: { ...env, DEPLOY_CONFIG: defaultExample(copy) } });
  if (synth.code !== 0) fail(`cdktn synth failed on Node 24: ${lastLines(synth.stderr || synth.stdout)}`);
  const [cli, npm] = [treeHashes(out), treeHashes(npmOutput)];
  const differing = [...new Set([...Object.keys(cli), ...Object.keys(npm)])].filter((file) => cli[file] !== npm[file]);
  if (differing.length > 0) fail(`cdktn synth (Node 24) and npm run synth (Node ${process.versions.node}) differ in ${differing.join(", ")}`);
  return `${Object.keys(cli).length} files, the same bytes as npm run synth on Node ${process.versions.node}`;
}

/** `cdktn diff` of the project's bootstrap stack from `out` (synthesized by cliSynth), rewritten for the mirror. */
export async function cliDiff(node: string, copy: string, out: string, env: NodeJS.ProcessEnv): Promise<string> {
  offlineStack(join(out, "stacks", "bootstrap", "cdk.tf.json"), OFFLINE);
  // cdktn runs `terraform providers lock` against the public registry unless told not to: offline it must be.
  const diff = await run(node, [cdktnCli(copy), "diff", "bootstrap", "--skip-synth", "--skip-provider-lock", "--output", out], { cwd: copy, env });
  const planned = /Plan: (\d+) to add, 0 to change, 0 to destroy/.exec(diff.stdout);
  if (diff.code !== 0 || !planned) fail(`cdktn diff bootstrap failed on Node 24: ${lastLines(diff.stderr || diff.stdout)}`);
  return `diff bootstrap: ${planned[1]} to add`;
}

/** `cdktn deploy` then `cdktn destroy` of tools/cdktn/fixture (an IAM policy document rendered by the mirrored provider, kept in terraform_data). */
export async function cliDeployDestroy(node: string, copy: string, work: string, env: NodeJS.ProcessEnv): Promise<string> {
  const fixture = join(work, "fixture");
  mkdirSync(fixture);
  for (const file of ["main.ts", "cdktf.json"]) cpSync(join(TOOL, "fixture", file), join(fixture, file));
  symlinkSync(join(copy, "node_modules"), join(fixture, "node_modules"), "dir");
  const state = join(fixture, "cdktf.out", "stacks", "offline", "offline.tfstate");
  const read = () => JSON.parse(readFileSync(state, "utf8")) as { outputs: { policy?: { value: string } }; resources: { mode: string }[] };
  const managed = () => read().resources.filter((r) => r.mode === "managed").length;
  const deploy = await run(node, [cdktnCli(copy), "deploy", "offline", "--auto-approve", "--skip-provider-lock"], { cwd: fixture, env });
  if (deploy.code !== 0 || !existsSync(state)) fail(`cdktn deploy failed on Node 24: ${lastLines(deploy.stderr || deploy.stdout)}`);
  const output = read().outputs.policy?.value ?? "";
  if (!output.includes('"Sid": "ReadArtifacts"') || managed() !== 1) fail(`cdktn deploy applied, but the state lacks the rendered policy or its terraform_data: ${output.slice(0, 200)}`);
  const destroy = await run(node, [cdktnCli(copy), "destroy", "offline", "--auto-approve", "--skip-provider-lock"], { cwd: fixture, env });
  if (destroy.code !== 0 || managed() !== 0) fail(`cdktn destroy failed on Node 24: ${lastLines(destroy.stderr || destroy.stdout)}`);
  return "deploy: the mirrored provider rendered the policy, kept in state; destroy: state empty";
}

export interface GeneratedBindings {
  /** Folder holding the generated `.gen`. */
  readonly dir: string;
  readonly detail: string;
}

/** `cdktn get` of the mirrored AWS provider into `dir/.gen`, in a folder of its own (so it can run beside the other steps). */
export async function generateBindings(node: string, copy: string, dir: string, env: NodeJS.ProcessEnv): Promise<GeneratedBindings> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "true", terraformProviders: [`hashicorp/aws@${OFFLINE.awsVersion}`] }));
  const started = Date.now();
  const get = await run(node, [cdktnCli(copy), "get"], { cwd: dir, env });
  if (get.code !== 0 || !existsSync(join(dir, ".gen", "providers", "aws"))) fail(`cdktn get failed on Node 24: ${lastLines(get.stderr || get.stdout)}`);
  const took = seconds(started);
  const files = Object.keys(treeHashes(join(dir, ".gen")));
  const bytes = files.reduce((sum, file) => sum + statSync(join(dir, ".gen", file)).size, 0);
  return { dir, detail: `cdktn get ${took}, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${files.length} files` };
}

/**
 * The project (`copy`, a copy of its own: the other Node 24 steps run beside this one) pointed at generated bindings
 * the way a team does it: `.gen` in the project, the provider listed in cdktf.json; `npm run synth` then resolves `@cdktn/provider-aws/lib/*` to `.gen/providers/aws/*` (the seam in
 * tsconfig.json's paths). Same addresses as with the prebuilt package; Terraform validates the result against the
 * mirrored provider the bindings were generated from, with no downgrade.
 */
export async function synthesizeAgainstBindings(node: string, copy: string, bindings: GeneratedBindings, prebuilt: SynthOutput, out: string, env: NodeJS.ProcessEnv, reviewed: Reviewed): Promise<string> {
  renameSync(join(bindings.dir, ".gen"), join(copy, ".gen"));
  const cdktfJson = join(copy, "cdktf.json");
  writeFileSync(cdktfJson, `${JSON.stringify({ ...JSON.parse(readFileSync(cdktfJson, "utf8")), terraformProviders: [`hashicorp/aws@${OFFLINE.awsVersion}`] }, null, 2)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  const synth = await run(node, [join(copy, "tools", "stack-cli", "bin.mjs"), "synth", "--output", out], { cwd: copy, env: { ...env, DEPLOY_CONFIG: defaultExample(copy) } });
  const notice = `provider bindings: .gen/providers/aws (generated for ${OFFLINE.awsVersion}) in place of @cdktn/provider-aws/lib/*`;
  if (synth.code !== 0) fail(`npm run synth failed against the generated bindings: ${lastLines(synth.stderr || synth.stdout)}`);
  if (!synth.stdout.includes(notice)) fail(`npm run synth did not say it used the generated bindings ("${notice}")`);
  const comparison = compareOutputs("default", prebuilt, { dir: out, root: copy });
  if (comparison.problems.length > 0) fail(`prebuilt and generated bindings synthesize different infrastructure:\n  ${comparison.problems.join("\n  ")}`);
  requireReviewed(comparison.differences, reviewed.gen, "gen");
  const root = offlineRoot(out, OFFLINE, { keepVersion: true });
  await root.validate().catch((error: Error) => fail(error.message));
  return `${bindings.detail}; npm run synth through the seam: same addresses; terraform validate of ${root.stacks.join(", ")} against ${OFFLINE.awsVersion}: valid`;
}
