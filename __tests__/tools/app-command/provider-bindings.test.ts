import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

/**
 * The generated-bindings seam (tools/app-command/provider-bindings.cjs): tsconfig.json's paths send a prebuilt provider
 * package's modules to `.gen/providers/<name>` where that folder exists; jest follows through this module; the app
 * command refuses to synthesize while cdktf.json and `.gen` disagree. That a project really synthesizes against
 * bindings `cdktn get` generated is tested end to end by `npm run check:cdktn` (step 8).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is CommonJS (jest.config.js requires it)
const bindings = require("../../../tools/app-command/provider-bindings.cjs") as {
  bindingPaths(root: string): { prefix: string; target: string }[];
  activeBindings(root: string): { prefix: string; target: string }[];
  jestModuleNameMapper(root: string): Record<string, string>;
  bindingProblems(root: string): string[];
  bindingNotices(root: string): string[];
  bindingsCacheKey(root: string): string;
};

const ROOT = join(__dirname, "..", "..", "..");
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "provider-bindings-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project folder with this project's tsconfig.json, a cdktf.json listing `providers`, and `.gen` for `generated` (name -> version). */
function project(name: string, providers: string[], generated: Record<string, string> = {}): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(ROOT, "tsconfig.json")));
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node tools/app-command/run-app.mjs", terraformProviders: providers }));
  for (const provider of Object.keys(generated)) mkdirSync(join(dir, ".gen", "providers", provider), { recursive: true });
  if (Object.keys(generated).length > 0) {
    const versions = Object.fromEntries(Object.entries(generated).map(([provider, version]) => [`registry.terraform.io/hashicorp/${provider}`, version]));
    writeFileSync(join(dir, ".gen", "versions.json"), JSON.stringify(versions));
  }
  return dir;
}

describe("the seam", () => {
  test("maps every prebuilt provider package the project imports, and nothing else", () => {
    // GIVEN the provider packages imported anywhere in the project
    const imported = execFileSync("git", ["grep", "-hoE", "@cdktf/provider-[a-z]+/lib/", "--", "*.ts"], { cwd: ROOT, encoding: "utf8" });
    const packages = [...new Set(imported.trim().split("\n"))].sort();
    // THEN tsconfig.json sends each to its .gen folder (a new provider needs its line, or .gen would not reach it)
    expect(bindings.bindingPaths(ROOT)).toEqual(packages.map((prefix) => ({ prefix, target: `.gen/providers/${/provider-([a-z]+)/.exec(prefix)![1]}` })));
  });

  test("is inactive without .gen: the prebuilt packages are used and synth says nothing", () => {
    const dir = project("none", []);
    expect([bindings.activeBindings(dir), bindings.jestModuleNameMapper(dir), bindings.bindingProblems(dir), bindings.bindingNotices(dir), bindings.bindingsCacheKey(dir)]).toEqual([[], {}, [], [], ""]);
  });

  test("with generated AWS bindings listed in cdktf.json, jest maps the package's modules there and synth says so", () => {
    const dir = project("aws", ["hashicorp/aws@5.100.0"], { aws: "5.100.0" });
    expect(bindings.bindingProblems(dir)).toEqual([]);
    expect(bindings.jestModuleNameMapper(dir)).toEqual({ "^@cdktf\\/provider-aws\\/lib\\/(.*)$": "<rootDir>/.gen/providers/aws/$1" });
    expect(bindings.bindingNotices(dir)).toEqual(["provider bindings: .gen/providers/aws (generated for 5.100.0) in place of @cdktf/provider-aws/lib/*"]);
    expect(bindings.bindingsCacheKey(dir)).not.toBe("");
  });

  test("the jest mapping resolves a real module specifier to the generated folder", () => {
    const [[pattern, target]] = Object.entries(bindings.jestModuleNameMapper(project("aws-regex", ["hashicorp/aws@5.100.0"], { aws: "5.100.0" })));
    expect("@cdktf/provider-aws/lib/ecs-service".replace(new RegExp(pattern), target)).toBe("<rootDir>/.gen/providers/aws/ecs-service");
    expect(new RegExp(pattern).test("@cdktf/provider-aws2/lib/ecs-service")).toBe(false);
  });

  test("fails when cdktf.json lists a provider that was never generated", () => {
    expect(bindings.bindingProblems(project("missing", ["hashicorp/aws@6.70.0"]))).toEqual([
      "cdktf.json lists hashicorp/aws@6.70.0 in terraformProviders, but .gen/providers/aws does not exist: run npm run get (cdktf get) first",
    ]);
  });

  test("fails when .gen holds bindings cdktf.json does not ask for", () => {
    expect(bindings.bindingProblems(project("stale", [], { aws: "5.100.0" }))).toEqual([
      ".gen/providers/aws exists but cdktf.json's terraformProviders does not list aws: delete .gen/providers/aws to use the prebuilt package, or list the provider",
    ]);
  });

  test("fails when the generated version is not the exact version cdktf.json asks for", () => {
    expect(bindings.bindingProblems(project("old", ["hashicorp/aws@6.70.0"], { aws: "5.100.0" }))).toEqual([
      ".gen/providers/aws holds aws 5.100.0, but cdktf.json asks for hashicorp/aws@6.70.0: run npm run get (cdktf get) again",
    ]);
  });
});

test("a tsconfig.json that is not plain JSON is named in one line", () => {
  const dir = project("jsonc", []);
  writeFileSync(join(dir, "tsconfig.json"), '{ // comment\n "compilerOptions": {} }');
  expect(() => bindings.bindingProblems(dir)).toThrow(new RegExp(`^${join(dir, "tsconfig.json")} is not plain JSON \\(.+\\); tools/app-command/provider-bindings.cjs reads it$`));
});
