import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../config";
import { COMMAND_PERMISSIONS } from "../../../ops/permissions";
import { replaceBetween, TARGETS } from "../../../tools/first-deploy/render";
import { FIRST_DEPLOY_STEPS, REPOSITORY_LAYOUTS } from "../../../tools/first-deploy/steps";
import { environmentUrlOutputName } from "../../../stacks/environment-url";
import { synthesizeApp } from "../../../stacks/synthesize";

const ROOT = join(__dirname, "..", "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const references = FIRST_DEPLOY_STEPS.map((s) => s.references);
const commands = FIRST_DEPLOY_STEPS.flatMap((s) => s.commands);

describe("the first deploy is written once", () => {
  test.each(TARGETS.map((t) => [t.file, t] as const))("%s carries the current copy (npm run docs writes it)", (file, target) => {
    const text = read(file);
    expect(replaceBetween(text, target.start, target.end, target.render(), file)).toBe(text);
  });

  test("names the steps the issue lists, in this order", () => {
    expect(FIRST_DEPLOY_STEPS.map((s) => s.title)).toEqual([
      "Accounts and rights",
      "Config",
      "Repositories",
      "Bootstrap",
      "Access stack",
      "AWS stack",
      "Connection handshake",
      "GitHub stack",
      "Secrets",
      "First release",
      "Notifications",
    ]);
    for (const step of FIRST_DEPLOY_STEPS) expect({ step: step.title, whenItFails: step.whenItFails.length > 0 }).toEqual({ step: step.title, whenItFails: true });
  });

  test("uses the stack commands, which start on Node 22 and 24, never the cdktf CLI", () => {
    expect(commands.filter((c) => /\bcdktf\b/.test(c))).toEqual([]);
    const help = read("help");
    expect(help).not.toMatch(/npx cdktf deploy bootstrap/);
  });
});

describe("everything a step names exists", () => {
  test("files", () => {
    const files = references.flatMap((r) => r.files ?? []);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true });
  });

  test("config keys, in the README's config reference generated from the schema", () => {
    const readme = read("README.md");
    const keys = references.flatMap((r) => r.keys ?? []).concat(REPOSITORY_LAYOUTS.rows.map((row) => row[0]).filter((k) => k.startsWith("`")).map((k) => k.slice(1, -1)));
    for (const key of keys) expect({ key, documented: readme.includes(`| \`${key}\` `) }).toEqual({ key, documented: true });
  });

  test("secrets, as the workflows read them", () => {
    const workflows = readdirSync(join(ROOT, ".github", "workflows")).map((f) => read(join(".github", "workflows", f))).join("\n");
    for (const secret of references.flatMap((r) => r.secrets ?? [])) expect({ secret, read: workflows.includes(`secrets.${secret}`) }).toEqual({ secret, read: true });
  });

  test("npm scripts and bluegreen commands", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    for (const command of commands) {
      const npm = /\bnpm run (\S+)/.exec(command)?.[1];
      if (npm) expect({ command, script: scripts.includes(npm) }).toEqual({ command, script: true });
      const ops = /\bnpx bluegreen (\S+)/.exec(command)?.[1];
      if (ops) expect({ command, known: ops in COMMAND_PERMISSIONS }).toEqual({ command, known: true });
    }
  });

  describe.each(REPOSITORY_LAYOUTS.examples.map((example, i) => [REPOSITORY_LAYOUTS.columns[i + 1], example] as const))("the %s layout (%s)", (_layout, example) => {
    const config = loadConfig(join(ROOT, "config", "examples", example));
    let outputs: string[];
    let stacks: Record<string, { dependencies?: string[] }>;
    beforeAll(() => {
      const outdir = mkdtempSync(join(tmpdir(), "first-deploy-"));
      try {
        synthesizeApp(config, outdir);
        stacks = (JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> }).stacks;
        outputs = Object.keys((JSON.parse(readFileSync(join(outdir, "stacks", config.project, "cdk.tf.json"), "utf8")) as { output: object }).output);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });

    test("has the config keys its column names", () => {
      const shared = config.github.infrastructureRepository === undefined;
      expect(shared).toBe(example === REPOSITORY_LAYOUTS.examples[0]);
      if (shared) expect(config.pipeline.buildContext).toBe("app");
    });

    test("every output a step names, per environment", () => {
      for (const name of references.flatMap((r) => r.outputs ?? [])) {
        const expanded = name === "<env>Url" ? config.environments.map((e) => environmentUrlOutputName(e.name)) : [name];
        for (const output of expanded) {
          expect({ output, synthesized: outputs.some((o) => o === output || new RegExp(`(^|_)${output}_[0-9A-F]{8}$`).test(o)) }).toEqual({ output, synthesized: true });
        }
      }
    });

    test("every stack a step deploys, each after the stacks it reads", () => {
      const deployed = commands.map((c) => /npm run deploy -- (\S+)/.exec(c)?.[1]).filter((s): s is string => s !== undefined).map((s) => s.replace("<project>", config.project));
      expect(deployed).toEqual(["bootstrap", `${config.project}-access`, config.project, `${config.project}-github`]);
      expect(Object.keys(stacks).sort()).toEqual([...deployed].sort());
      deployed.forEach((stack, i) => {
        for (const dependency of stacks[stack].dependencies ?? []) expect({ stack, dependency, before: deployed.indexOf(dependency) < i }).toEqual({ stack, dependency, before: true });
      });
    });
  });
});
