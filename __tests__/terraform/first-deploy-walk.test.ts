import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { FIRST_DEPLOY_STEPS, REPOSITORY_LAYOUTS } from "../../tools/first-deploy/steps";
import { ROOT, run } from "../helpers/node-runtimes";
import { offlineTerraformUnavailable, PLUGIN_DIR, TERRAFORM_BIN, toOfflineJson } from "../../tools/offline-terraform";

/**
 * The first deploy's commands (tools/first-deploy/steps.ts), walked in order for each repository layout, on the
 * offline provider mirror: synth as written, each `npm run deploy -- <stack>` as the plan it starts with (nothing
 * can be applied offline), each `npx bluegreen <command>` as its --help. What cannot run here is named, not hidden.
 */
const unavailable = offlineTerraformUnavailable();
if (unavailable) console.warn(`skipping the first-deploy walk: ${unavailable}`);
const describeOffline = unavailable ? describe.skip : describe;

const STACKS_BIN = join(ROOT, "tools", "stack-cli", "bin.mjs");
const OPS_BIN = join(ROOT, "ops", "bin.mjs");
/** Commands with effects outside the project (a GitHub remote, the working tree, the network), never run here. */
const NOT_RUN_HERE = [/^git /, /^cp /, /^npm ci$/];
/** The GitHub provider is not in the offline mirror: its stack is checked by jest only. */
const isGithubStack = (stack: string) => stack.endsWith("-github");

let scratch: string;
let terraformrc: string;
let pluginCache: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "first-deploy-walk-"));
  terraformrc = join(scratch, "terraformrc");
  writeFileSync(terraformrc, "");
  pluginCache = join(scratch, "plugin-cache");
  mkdirSync(pluginCache);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeOffline.each(REPOSITORY_LAYOUTS.examples.map((example, i) => [REPOSITORY_LAYOUTS.columns[i + 1], example] as const))(
  "the first deploy, %s (%s)",
  (_layout, example) => {
    test("runs every command that can run offline, in the guide's order", async () => {
      const configPath = join(ROOT, "config", "examples", example);
      const project = loadConfig(configPath).project;
      const out = join(scratch, example);
      const env = { DEPLOY_CONFIG: configPath, TERRAFORM_BINARY_NAME: TERRAFORM_BIN, TF_CLI_CONFIG_FILE: terraformrc };
      const walked: string[] = [];
      for (const command of FIRST_DEPLOY_STEPS.flatMap((s) => s.commands).map((c) => c.replace(/\s+#.*$/, "").replaceAll("<project>", project))) {
        if (NOT_RUN_HERE.some((pattern) => pattern.test(command))) {
          walked.push(`not run here: ${command}`);
          continue;
        }
        if (command === "npm run synth") {
          const synth = await run(process.execPath, [STACKS_BIN, "synth", "--output", out], { env });
          expect({ command, code: synth.code, stderr: synth.stderr }).toEqual({ command, code: 0, stderr: "" });
          walked.push(`ran: ${command}`);
          continue;
        }
        const stack = /npm run deploy -- (\S+)$/.exec(command)?.[1];
        if (stack !== undefined) {
          const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
          expect(Object.keys(manifest.stacks)).toContain(stack);
          if (isGithubStack(stack)) {
            walked.push(`synthesized, not planned (no GitHub provider offline): ${stack}`);
            continue;
          }
          const file = join(out, "stacks", stack, "cdk.tf.json");
          writeFileSync(file, JSON.stringify(toOfflineJson(JSON.parse(readFileSync(file, "utf8")))));
          const plan = await run(process.execPath, [STACKS_BIN, "plan", stack, "--skip-synth", "--output", out], {
            env: {
              ...env,
              TF_CLI_ARGS_init: `-plugin-dir=${PLUGIN_DIR}`,
              TF_CLI_ARGS_plan: "-refresh=false -lock=false",
              AWS_EC2_METADATA_DISABLED: "true",
              // One copy of the provider for all stacks (linked, not copied, into each .terraform).
              TF_PLUGIN_CACHE_DIR: pluginCache,
            },
          });
          expect({ command, code: plan.code, stderr: plan.stderr }).toEqual({ command, code: 0, stderr: "" });
          expect(plan.stdout).toContain(`plan: ${stack}: planned`);
          walked.push(`planned: ${stack}`);
          continue;
        }
        const ops = /^npx bluegreen (\S+)/.exec(command)?.[1];
        if (ops !== undefined) {
          const help = await run(process.execPath, [OPS_BIN, ops, "--help"], { env });
          expect({ command, code: help.code }).toEqual({ command, code: 0 });
          expect(help.stdout).toMatch(new RegExp(`^usage: bluegreen ${ops}`));
          walked.push(`--help: bluegreen ${ops}`);
          continue;
        }
        throw new Error(`the first deploy has a command this walk does not know: ${command}`);
      }
      expect(walked).toEqual([
        "not run here: cp config/examples/default.yaml deploy-config.yaml",
        "not run here: npm ci",
        "ran: npm run synth",
        "not run here: git remote add origin git@github.com:<owner>/<repo>.git",
        "not run here: git push -u origin main",
        "planned: bootstrap",
        `planned: ${project}-access`,
        `planned: ${project}`,
        `synthesized, not planned (no GitHub provider offline): ${project}-github`,
        "--help: bluegreen release",
        "--help: bluegreen wait",
        "--help: bluegreen status",
      ]);
    }, 300_000);
  },
);
