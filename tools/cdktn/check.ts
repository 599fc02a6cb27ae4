/**
 * `npm run check:cdktn`: the move to CDK Terrain, tested. Builds a copy of the project on the exact pins of
 * tools/cdktn/package.json (cdktn, cdktn-cli, @cdktn/provider-aws; installed from its own lock file), type-checks it,
 * synthesizes every example with both cores and compares them, lists the provider schema changes behind the new
 * provider version, runs cdktn-cli's synth, diff, deploy and destroy on Node 24 against the offline mirror, and
 * generates bindings into the copy's .gen with `cdktn get` and synthesizes against them. Every difference must be in
 * tools/cdktn/reviewed.json. The project's own tree is only read. `--keep` keeps the work folder.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { compareOutputs, Difference, formatDifference, review, ReviewedDifference } from "./compare";
import { copyProject, linkModules, migratedPackageJson, projectFiles } from "./copy";
import { offlineRoot, offlineStack, OfflineTools } from "./offline";
import { run } from "./run";
import { isBreaking, moduleChanges } from "./schema";

const ROOT = resolve(__dirname, "..", "..");
const TOOL = join(ROOT, "tools", "cdktn");
const OFFLINE: OfflineTools = {
  terraform: process.env.TERRAFORM_BIN ?? "/usr/local/bin/terraform",
  pluginDir: process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins",
  awsVersion: "5.100.0",
};

/** A failed step: one line, printed without a stack trace. */
class CheckFailed extends Error {}
function fail(message: string): never {
  throw new CheckFailed(message);
}

interface Reviewed {
  readonly synth: readonly ReviewedDifference[];
  readonly gen: readonly ReviewedDifference[];
  readonly schema: Readonly<Record<string, string>>;
}

const seconds = (start: number) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

async function step(title: string, body: () => Promise<string>): Promise<void> {
  const start = Date.now();
  process.stdout.write(`${title} ... `);
  const detail = await body();
  console.log(`${detail} (${seconds(start)})`);
}

/** Differences against the reviewed list: fails listing the unreviewed (and the reviewed that no longer occur). */
function requireReviewed(differences: readonly Difference[], reviewed: readonly ReviewedDifference[], section: string): void {
  const { unreviewed, unused } = review(differences, reviewed);
  if (unreviewed.length === 0 && unused.length === 0) return;
  for (const d of unreviewed.slice(0, 30)) console.error(`  unreviewed: ${formatDifference(d)}`);
  for (const rule of unused) console.error(`  no longer occurs: ${rule.path}: ${JSON.stringify(rule.before)} -> ${JSON.stringify(rule.after)}`);
  fail(`${unreviewed.length} unreviewed and ${unused.length} stale differences (listed above): review them into "${section}" of tools/cdktn/reviewed.json`);
}

/** The pinned Node 24 of .ci/ (NODE24_BIN overrides); undefined when absent, a failure when CI requires it. */
function node24(): string | undefined {
  const path = process.env.NODE24_BIN ?? join(ROOT, ".ci", "node_modules", "node24", "bin", "node");
  if (existsSync(path)) return path;
  if (process.env.CI_REQUIRE_NODE === "1") fail(`Node 24 not installed at ${path}: run npm ci --prefix .ci`);
  return undefined;
}

function offlineUnavailable(): string | undefined {
  if (!existsSync(OFFLINE.terraform)) return `terraform not found at ${OFFLINE.terraform}`;
  if (!existsSync(join(OFFLINE.pluginDir, "registry.terraform.io", "hashicorp", "aws", OFFLINE.awsVersion))) return `AWS provider ${OFFLINE.awsVersion} not mirrored in ${OFFLINE.pluginDir}`;
  return undefined;
}

/** sha256 of every file under `dir`, by relative path. */
function treeHashes(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hashes[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return hashes;
}

function treeSize(dir: string): { bytes: number; files: number } {
  return Object.keys(treeHashes(dir)).reduce((total, file) => ({ bytes: total.bytes + statSync(join(dir, file)).size, files: total.files + 1 }), { bytes: 0, files: 0 });
}

const lastLines = (text: string, count = 3) => text.trim().split("\n").slice(-count).join(" | ");

async function main(): Promise<void> {
  const started = Date.now();
  const keep = process.argv.includes("--keep");
  const toolPackage = JSON.parse(readFileSync(join(TOOL, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const reviewed = JSON.parse(readFileSync(join(TOOL, "reviewed.json"), "utf8")) as Reviewed;
  const work = mkdtempSync(join(tmpdir(), "cdktn-check-"));
  const copy = join(work, "project");
  console.log(`cdktn check: the project on ${Object.entries(toolPackage.dependencies).map(([name, version]) => `${name} ${version}`).join(", ")}; work folder ${work}`);
  try {
    await step("[1/8] install tools/cdktn (npm ci, its own lock file)", async () => installTool());
    await step("[2/8] copy the project with cdktf imports renamed to cdktn", async () => {
      const { rewritten } = copyProject(ROOT, copy);
      const projectPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
      writeFileSync(join(copy, "package.json"), `${JSON.stringify(migratedPackageJson(projectPackage, toolPackage.dependencies), null, 2)}\n`);
      linkModules(join(ROOT, "node_modules"), join(TOOL, "node_modules"), Object.keys(toolPackage.dependencies), copy);
      return `${projectFiles(ROOT).length} files, imports renamed in ${rewritten.length}`;
    });
    await step("[3/8] type-check the copy against cdktn and @cdktn/provider-aws (tsc)", async () => {
      const tsc = await run(process.execPath, [join(copy, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"], { cwd: copy });
      if (tsc.code !== 0) fail(`the copy does not type-check on cdktn:\n${tsc.stdout.split("\n").slice(0, 20).join("\n")}`);
      return "no errors";
    });
    const examples = readdirSync(join(ROOT, "config", "examples")).filter((f) => /\.ya?ml$/.test(f)).sort();
    await step(`[4/8] synthesize ${examples.length} examples with cdktf and with cdktn, compare`, async () => compareExamples(examples, copy, work, reviewed));
    await step("[5/8] provider schema of the modules the project imports: @cdktf/provider-aws -> @cdktn/provider-aws", async () => compareSchemas(reviewed));
    const node = node24();
    const offline = offlineUnavailable();
    if (!node || offline) {
      console.log(`[6-8/8] skipped: ${node ? offline : "Node 24 not installed (npm ci --prefix .ci)"}`);
    } else {
      const env = cliEnvironment(node, work);
      await step("[6/8] Node 24: cdktn synth writes what npm run synth writes", async () => cliSynth(node, copy, work, env));
      await step("[7/8] Node 24: cdktn diff (a project stack) and cdktn deploy + destroy (a fixture stack), offline mirror", async () => cliDiffDeploy(node, copy, work, env));
      await step(`[8/8] .gen: cdktn get hashicorp/aws@${OFFLINE.awsVersion} from the mirror, synthesize against it`, async () => generatedBindings(node, copy, work, env, reviewed));
    }
    console.log(`cdktn check passed in ${seconds(started)}`);
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** npm ci in tools/cdktn unless its node_modules was installed from this lock file; then the installed versions must be the pins. */
async function installTool(): Promise<string> {
  const lock = createHash("sha256").update(readFileSync(join(TOOL, "package-lock.json"))).digest("hex");
  const stamp = join(TOOL, "node_modules", ".installed-from-lock");
  let note = "already installed from this lock file";
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lock) {
    const npm = await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: TOOL });
    if (npm.code !== 0) fail(`npm ci in tools/cdktn failed: ${lastLines(npm.stderr)}`);
    writeFileSync(stamp, lock);
    note = "installed";
  }
  const pins = JSON.parse(readFileSync(join(TOOL, "package.json"), "utf8")).dependencies as Record<string, string>;
  for (const [name, pin] of Object.entries(pins)) {
    const installed = JSON.parse(readFileSync(join(TOOL, "node_modules", name, "package.json"), "utf8")) as { name: string; version: string };
    const expected = pin.startsWith("npm:") ? pin.slice(4) : `${name}@${pin}`;
    if (`${installed.name}@${installed.version}` !== expected) fail(`tools/cdktn/node_modules/${name} is ${installed.name}@${installed.version}, pinned ${expected}: run npm ci --prefix tools/cdktn`);
  }
  return note;
}

async function compareExamples(examples: readonly string[], copy: string, work: string, reviewed: Reviewed): Promise<string> {
  const problems: string[] = [];
  const differences: Difference[] = [];
  let stacks = 0;
  let addresses = 0;
  for (const example of examples) {
    const name = example.replace(/\.ya?ml$/, "");
    const synth = (root: string, core: string) =>
      run(process.execPath, [join(root, "scripts", "stacks", "bin.mjs"), "synth", "--output", join(work, core, name)], {
        cwd: root,
        env: { DEPLOY_CONFIG: join(root, "config", "examples", example) },
      });
    mkdirSync(join(work, "cdktf"), { recursive: true });
    mkdirSync(join(work, "cdktn"), { recursive: true });
    const [cdktf, cdktn] = await Promise.all([synth(ROOT, "cdktf"), synth(copy, "cdktn")]);
    if (cdktf.code !== 0) fail(`${example}: npm run synth failed on cdktf: ${lastLines(cdktf.stderr || cdktf.stdout)}`);
    if (cdktn.code !== 0) fail(`${example}: npm run synth failed on cdktn: ${lastLines(cdktn.stderr || cdktn.stdout)}`);
    const comparison = compareOutputs(name, { dir: join(work, "cdktf", name), root: ROOT }, { dir: join(work, "cdktn", name), root: copy });
    problems.push(...comparison.problems);
    differences.push(...comparison.differences);
    const manifest = JSON.parse(readFileSync(join(work, "cdktf", name, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    for (const stack of Object.values(manifest.stacks)) {
      stacks += 1;
      const json = JSON.parse(readFileSync(join(work, "cdktf", name, stack.synthesizedStackPath), "utf8")) as Record<string, Record<string, object>>;
      addresses += Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    }
  }
  if (problems.length > 0) fail(`cdktf and cdktn synthesize different infrastructure:\n  ${problems.slice(0, 30).join("\n  ")}`);
  requireReviewed(differences, reviewed.synth, "synth");
  return `${stacks} stacks, ${addresses} resources at the same addresses; ${differences.length} attribute differences, all reviewed (${reviewed.synth.length} kinds)`;
}

async function compareSchemas(reviewed: Reviewed): Promise<string> {
  const modules = [
    ...new Set(projectFiles(ROOT).flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/["']@cdktf\/provider-aws\/lib\/([a-z0-9-]+)["']/g)].map((m) => m[1]))),
  ].sort();
  const before = join(ROOT, "node_modules", "@cdktf", "provider-aws", "lib");
  const after = join(TOOL, "node_modules", "@cdktn", "provider-aws", "lib");
  const missing = modules.filter((module) => !existsSync(join(after, module, "index.d.ts")));
  if (missing.length > 0) fail(`@cdktn/provider-aws has no module ${missing.join(", ")}: the rename cannot work for these imports`);
  const changes = modules.flatMap((module) => moduleChanges(module, before, after));
  const unreviewed = changes.filter((change) => !(change in reviewed.schema));
  const stale = Object.keys(reviewed.schema).filter((change) => !changes.includes(change));
  for (const change of unreviewed) console.error(`  unreviewed: ${change}`);
  for (const change of stale) console.error(`  no longer occurs: ${change}`);
  if (unreviewed.length + stale.length > 0) fail(`${unreviewed.length} unreviewed and ${stale.length} stale schema changes (listed above): review them into "schema" of tools/cdktn/reviewed.json`);
  const version = (lib: string) => /providerVersion: '([^']+)'/.exec(readFileSync(join(lib, "provider", "index.js"), "utf8"))?.[1];
  return `AWS provider ${version(before)} -> ${version(after)}, ${modules.length} modules: ${changes.length} changes (${changes.filter(isBreaking).length} breaking), all reviewed`;
}

/** cdktn-cli's environment: Node 24 first on the PATH (the app command runs `node`), the offline mirror, nothing written to the home folder. */
function cliEnvironment(node: string, work: string): NodeJS.ProcessEnv {
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

async function cliSynth(node: string, copy: string, work: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = join(work, "cli-synth");
  const synth = await run(node, [cdktnCli(copy), "synth", "--output", out], { cwd: copy, env: { ...env, DEPLOY_CONFIG: join(copy, "config", "examples", "default.yaml") } });
  if (synth.code !== 0) fail(`cdktn synth failed on Node 24: ${lastLines(synth.stderr || synth.stdout)}`);
  const [cli, npm] = [treeHashes(out), treeHashes(join(work, "cdktn", "default"))];
  const differing = [...new Set([...Object.keys(cli), ...Object.keys(npm)])].filter((file) => cli[file] !== npm[file]);
  if (differing.length > 0) fail(`cdktn synth (Node 24) and npm run synth (Node ${process.versions.node}) differ in ${differing.join(", ")}`);
  return `${Object.keys(cli).length} files, byte for byte the same as npm run synth on Node ${process.versions.node}`;
}

async function cliDiffDeploy(node: string, copy: string, work: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = join(work, "cli-synth");
  offlineStack(join(out, "stacks", "bootstrap", "cdk.tf.json"), OFFLINE);
  // cdktn runs `terraform providers lock` against the public registry unless told not to: offline it must be.
  const diff = await run(node, [cdktnCli(copy), "diff", "bootstrap", "--skip-synth", "--skip-provider-lock", "--output", out], { cwd: copy, env });
  const planned = /Plan: (\d+) to add, 0 to change, 0 to destroy/.exec(diff.stdout);
  if (diff.code !== 0 || !planned) fail(`cdktn diff bootstrap failed on Node 24: ${lastLines(diff.stderr || diff.stdout)}`);
  const fixture = join(work, "fixture");
  mkdirSync(fixture);
  for (const file of ["main.ts", "cdktf.json"]) cpSync(join(TOOL, "fixture", file), join(fixture, file));
  symlinkSync(join(copy, "node_modules"), join(fixture, "node_modules"), "dir");
  const state = join(fixture, "cdktf.out", "stacks", "offline", "offline.tfstate");
  const managed = () => (JSON.parse(readFileSync(state, "utf8")) as { resources: { mode: string }[] }).resources.filter((r) => r.mode === "managed").length;
  const deploy = await run(node, [cdktnCli(copy), "deploy", "offline", "--auto-approve", "--skip-provider-lock"], { cwd: fixture, env });
  if (deploy.code !== 0 || !existsSync(state)) fail(`cdktn deploy failed on Node 24: ${lastLines(deploy.stderr || deploy.stdout)}`);
  const output = (JSON.parse(readFileSync(state, "utf8")) as { outputs: { policy?: { value: string } } }).outputs.policy?.value ?? "";
  if (!output.includes('"Sid": "ReadArtifacts"') || managed() !== 1) fail(`cdktn deploy applied, but the state does not hold the rendered policy and its terraform_data: ${output.slice(0, 200)}`);
  const destroy = await run(node, [cdktnCli(copy), "destroy", "offline", "--auto-approve", "--skip-provider-lock"], { cwd: fixture, env });
  if (destroy.code !== 0 || managed() !== 0) fail(`cdktn destroy failed on Node 24: ${lastLines(destroy.stderr || destroy.stdout)}`);
  return `diff bootstrap: ${planned[1]} to add; deploy: policy rendered by the mirrored provider, kept in state; destroy: state empty`;
}

async function generatedBindings(node: string, copy: string, work: string, env: NodeJS.ProcessEnv, reviewed: Reviewed): Promise<string> {
  const cdktfJson = join(copy, "cdktf.json");
  writeFileSync(cdktfJson, `${JSON.stringify({ ...JSON.parse(readFileSync(cdktfJson, "utf8")), terraformProviders: [`hashicorp/aws@${OFFLINE.awsVersion}`] }, null, 2)}\n`);
  const getStarted = Date.now();
  const get = await run(node, [cdktnCli(copy), "get"], { cwd: copy, env });
  if (get.code !== 0 || !existsSync(join(copy, ".gen", "providers", "aws"))) fail(`cdktn get failed on Node 24: ${lastLines(get.stderr || get.stdout)}`);
  const getTime = seconds(getStarted);
  const size = treeSize(join(copy, ".gen"));
  const out = join(work, "gen", "default");
  mkdirSync(dirname(out), { recursive: true });
  const synth = await run(node, [join(copy, "scripts", "stacks", "bin.mjs"), "synth", "--output", out], { cwd: copy, env: { ...env, DEPLOY_CONFIG: join(copy, "config", "examples", "default.yaml") } });
  const notice = `provider bindings: .gen/providers/aws (generated for ${OFFLINE.awsVersion}) in place of @cdktn/provider-aws/lib/*`;
  if (synth.code !== 0) fail(`npm run synth failed against the generated bindings: ${lastLines(synth.stderr || synth.stdout)}`);
  if (!synth.stdout.includes(notice)) fail(`npm run synth did not say it used the generated bindings ("${notice}")`);
  const comparison = compareOutputs("default", { dir: join(work, "cdktn", "default"), root: copy }, { dir: out, root: copy });
  if (comparison.problems.length > 0) fail(`prebuilt and generated bindings synthesize different infrastructure:\n  ${comparison.problems.join("\n  ")}`);
  requireReviewed(comparison.differences, reviewed.gen, "gen");
  // Generated for exactly the mirrored provider: Terraform validates and plans the stacks with no downgrade at all.
  const root = offlineRoot(out, OFFLINE, { keepVersion: true });
  const plan = await root.plan().catch((error: Error) => fail(error.message));
  return `get ${getTime}, ${(size.bytes / 2 ** 20).toFixed(0)} MiB in ${size.files} files; synth via the seam, same addresses; terraform validate + plan of ${root.stacks.join(", ")} with the 5.100.0 schema: ${plan}`;
}

main().catch((error: unknown) => {
  if (!(error instanceof CheckFailed)) throw error;
  console.log("");
  console.error(`cdktn check failed: ${error.message}`);
  process.exitCode = 1;
});
