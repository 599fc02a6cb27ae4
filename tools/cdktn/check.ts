/**
 * `npm run check:cdktn`: the move to CDK Terrain, tested. Builds a copy of the project on the exact pins of
 * tools/cdktn/package.json (installed from its own lock file), type-checks it, synthesizes every example with both
 * cores and compares them, lists the provider schema changes behind the new provider version, runs cdktn-cli's synth,
 * diff, deploy and destroy on Node 24 against the offline mirror, and generates bindings with `cdktn get` into the
 * copy's .gen and synthesizes against them. Every difference must be in tools/cdktn/reviewed.json. The project's own
 * tree is only read. `--keep` keeps the work folder. Independent steps run side by side; results print in order.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckFailed, fail, lastLines, OFFLINE, Reviewed, requireReviewed, ROOT, seconds, TOOL } from "./common";
import { compareOutputs, Difference } from "./compare";
import { copyProject, importedModules, linkModules, migratedPackageJson, projectFiles } from "./copy";
import { cliDeployDestroy, cliDiff, cliEnvironment, cliSynth, generateBindings, synthesizeAgainstBindings } from "./node24";
import { run } from "./run";
import { isBreaking, moduleChanges } from "./schema";

/** A step started now, reported later in order: its result line and how long it took. */
type Started = Promise<{ detail: string; took: string }>;

function start(body: () => Promise<string>): Started {
  const begun = Date.now();
  const started = body().then((detail) => ({ detail, took: seconds(begun) }));
  started.catch(() => undefined); // reported when awaited, in order
  return started;
}

async function report(title: string, started: Started): Promise<void> {
  const { detail, took } = await started;
  console.log(`${title}: ${detail} (${took})`);
}

const USAGE = `usage: npm run check:cdktn [-- --keep]
  Builds a copy of this project on CDK Terrain (cdktn, @cdktn/provider-aws; pins in tools/cdktn/package.json),
  synthesizes every example with both and compares them, then runs the cdktn CLI on Node 24 and generates .gen.
  --keep   keep the work folder (printed on the first line)`;

async function main(): Promise<void> {
  const unknown = process.argv.slice(2).filter((arg) => arg !== "--keep");
  if (unknown.includes("--help") || unknown.includes("-h")) {
    console.log(USAGE);
    return;
  }
  if (unknown.length > 0) {
    console.error(`check:cdktn: unknown option ${unknown[0]} (allowed: --keep, --help)`);
    process.exitCode = 2;
    return;
  }
  const begun = Date.now();
  const keep = process.argv.includes("--keep");
  const pins = (JSON.parse(readFileSync(join(TOOL, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
  const reviewed = JSON.parse(readFileSync(join(TOOL, "reviewed.json"), "utf8")) as Reviewed;
  const work = mkdtempSync(join(tmpdir(), "cdktn-check-"));
  const copy = join(work, "project");
  console.log(`cdktn check: the project on ${Object.entries(pins).map(([name, pin]) => `${name} ${pin}`).join(", ")} (tools/cdktn/package.json); work folder ${work}`);
  try {
    await report("[1/8] install tools/cdktn (npm ci from its own lock file)", start(() => installTool(pins)));
    await report("[2/8] copy the project, cdktf imports renamed to cdktn", start(async () => copyForCdktn(copy, pins)));
    const node = node24();
    const offline = offlineUnavailable();
    const skipped = node ? offline : "Node 24 not installed (npm ci --prefix .ci)";
    const env = node && !offline ? cliEnvironment(node, work) : {};
    // cdktn get only needs the CLI: it runs in a folder of its own while the copy is checked.
    const bindings = node && !offline ? generateBindings(node, copy, join(work, "gen-bindings"), env) : undefined;
    bindings?.catch(() => undefined);
    const typecheck = start(async () => {
      const tsc = await run(process.execPath, [join(copy, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"], { cwd: copy });
      if (tsc.code !== 0) fail(`the copy does not type-check on cdktn:\n${tsc.stdout.split("\n").slice(0, 20).join("\n")}`);
      return "no errors";
    });
    const examples = readdirSync(join(ROOT, "config", "examples")).filter((f) => /\.ya?ml$/.test(f)).sort();
    const synth = start(() => compareExamples(examples, copy, work, reviewed));
    await report("[3/8] type-check the copy against cdktn and @cdktn/provider-aws (tsc)", typecheck);
    await report(`[4/8] synthesize the ${examples.length} examples with cdktf and with cdktn, compare`, synth);
    await report("[5/8] provider schema of the AWS modules the project imports, prebuilt cdktf -> cdktn package", start(async () => compareSchemas(reviewed)));
    if (!node || offline || !bindings) {
      console.log(`[6-8/8] skipped: ${skipped}`);
    } else {
      const cliOut = join(work, "cli-synth");
      await report("[6/8] Node 24: cdktn synth writes what npm run synth writes", start(() => cliSynth(node, copy, cliOut, join(work, "cdktn", "default"), env)));
      const diff = start(() => cliDiff(node, copy, cliOut, env));
      const deploy = start(() => cliDeployDestroy(node, copy, work, env));
      const gen = start(async () => {
        const genCopy = join(work, "project-gen");
        copyForCdktn(genCopy, pins);
        return synthesizeAgainstBindings(node, genCopy, await bindings, { dir: join(work, "cdktn", "default"), root: copy }, join(work, "gen", "default"), env, reviewed);
      });
      await report("[7/8] Node 24, offline mirror: cdktn diff of a project stack", diff);
      await report("[7/8] Node 24, offline mirror: cdktn deploy and destroy of tools/cdktn/fixture", deploy);
      await report(`[8/8] .gen: bindings for hashicorp/aws ${OFFLINE.awsVersion} from the mirror, the project synthesized against them`, gen);
    }
    console.log(`cdktn check passed in ${seconds(begun)}`);
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** npm ci in tools/cdktn unless its node_modules was installed from this lock file; then the installed versions must be the pins. */
async function installTool(pins: Readonly<Record<string, string>>): Promise<string> {
  const lock = createHash("sha256").update(readFileSync(join(TOOL, "package-lock.json"))).digest("hex");
  const stamp = join(TOOL, "node_modules", ".installed-from-lock");
  let note = "already installed from this lock file";
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lock) {
    const npm = await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: TOOL });
    if (npm.code !== 0) fail(`npm ci in tools/cdktn failed: ${lastLines(npm.stderr)}`);
    writeFileSync(stamp, lock);
    note = "installed";
  }
  for (const [name, pin] of Object.entries(pins)) {
    const installed = JSON.parse(readFileSync(join(TOOL, "node_modules", name, "package.json"), "utf8")) as { name: string; version: string };
    const expected = pin.startsWith("npm:") ? pin.slice(4) : `${name}@${pin}`;
    if (`${installed.name}@${installed.version}` !== expected) fail(`tools/cdktn/node_modules/${name} is ${installed.name}@${installed.version}, pinned ${expected}: run npm ci --prefix tools/cdktn`);
  }
  return note;
}

function copyForCdktn(copy: string, pins: Readonly<Record<string, string>>): string {
  const { rewritten } = copyProject(ROOT, copy);
  const projectPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  writeFileSync(join(copy, "package.json"), `${JSON.stringify(migratedPackageJson(projectPackage, pins), null, 2)}\n`);
  linkModules(join(ROOT, "node_modules"), join(TOOL, "node_modules"), Object.keys(pins), copy);
  return `${projectFiles(ROOT).length} files, imports renamed in ${rewritten.length}`;
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

/** Every example through `npm run synth` in the project (cdktf) and in the copy (cdktn), two at a time, then compared. */
async function compareExamples(examples: readonly string[], copy: string, work: string, reviewed: Reviewed): Promise<string> {
  const problems: string[] = [];
  const differences: Difference[] = [];
  let stacks = 0;
  let resources = 0;
  mkdirSync(join(work, "cdktf"));
  mkdirSync(join(work, "cdktn"));
  for (const example of examples) {
    const name = example.replace(/\.ya?ml$/, "");
    const synth = (root: string, core: string) =>
      run(process.execPath, [join(root, "tools", "stack-cli", "bin.mjs"), "synth", "--output", join(work, core, name)], {
        cwd: root,
        env: { DEPLOY_CONFIG: join(root, "config", "examples", example) },
      });
    const [cdktf, cdktn] = await Promise.all([synth(ROOT, "cdktf"), synth(copy, "cdktn")]);
    if (cdktf.code !== 0) fail(`${example}: npm run synth failed on cdktf: ${lastLines(cdktf.stderr || cdktf.stdout)}`);
    if (cdktn.code !== 0) fail(`${example}: npm run synth failed on cdktn: ${lastLines(cdktn.stderr || cdktn.stdout)}`);
    const comparison = compareOutputs(name, { dir: join(work, "cdktf", name), root: ROOT }, { dir: join(work, "cdktn", name), root: copy });
    problems.push(...comparison.problems);
    differences.push(...comparison.differences);
    const manifest = JSON.parse(readFileSync(join(work, "cdktf", name, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    for (const stack of Object.values(manifest.stacks)) {
      stacks += 1;
      const json = JSON.parse(readFileSync(join(work, "cdktf", name, stack.synthesizedStackPath), "utf8")) as { resource?: Record<string, object> };
      resources += Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    }
  }
  if (problems.length > 0) fail(`cdktf and cdktn synthesize different infrastructure:\n  ${problems.slice(0, 30).join("\n  ")}`);
  requireReviewed(differences, reviewed.synth, "synth");
  return `${stacks} stacks, ${resources} resources at the same addresses, the same assets; ${differences.length} attribute differences of ${reviewed.synth.length} reviewed kinds`;
}

/** The typed configuration of every AWS module the project imports, 6.25.0 bindings against 6.66.0 ones. */
function compareSchemas(reviewed: Reviewed): string {
  const prefix = "@cdktf/provider-aws/lib/";
  const modules = importedModules(ROOT)
    .filter((specifier) => specifier.startsWith(prefix))
    .map((specifier) => specifier.slice(prefix.length));
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

main().catch((error: unknown) => {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`cdktn check failed: ${error.message}`);
  process.exitCode = 1;
});
