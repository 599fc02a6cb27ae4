import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addresses, compareOutputs, jsonDifferences, review } from "../../../tools/cdktn/compare";
import { leftoverSpecifiers, migratedPackageJson, rewriteImports, rewriteTsconfig } from "../../../tools/cdktn/copy";
import { isBreaking, moduleChanges } from "../../../tools/cdktn/schema";

/**
 * The pure parts of `npm run check:cdktn` (tools/cdktn): the import rename, the synth comparison and the schema
 * comparison. The check itself runs in CI (.ci/run) and is not repeated here.
 */

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "cdktn-check-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the import rename", () => {
  test("moves the core, its subpaths and the prebuilt AWS provider in every import form", () => {
    // GIVEN every way the project loads a module
    const source = [
      'import { App, TerraformStack } from "cdktf";',
      'import type { TerraformStack as Stack } from "cdktf";',
      'import { setupJest } from "cdktf/lib/testing/adapters/jest";',
      'import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";',
      "import {\n  Vpc,\n} from '@cdktf/provider-aws/lib/vpc';",
      'const { App: A } = await import("cdktf");',
      'require("@cdktf/provider-aws");',
      'export { Token } from "cdktf";',
    ].join("\n");
    // WHEN renamed
    const renamed = rewriteImports(source);
    // THEN no import of the cdktf packages is left, each names its cdktn counterpart
    expect(leftoverSpecifiers(renamed)).toEqual([]);
    expect(renamed).toContain('from "cdktn";');
    expect(renamed).toContain('from "cdktn/lib/testing/adapters/jest"');
    expect(renamed).toContain('from "@cdktn/provider-aws/lib/ecs-service"');
    expect(renamed).toContain("from '@cdktn/provider-aws/lib/vpc'");
    expect(renamed).toContain('import("cdktn")');
    expect(renamed).toContain('require("@cdktn/provider-aws")');
  });

  test("keeps string values that happen to say cdktf, and the GitHub provider (it has no cdktn package)", () => {
    const source = [
      'const keyPrefix = "cdktf";',
      'const tags = { "managed-by": "cdktf" };',
      'import { Branch } from "@cdktf/provider-github/lib/branch";',
      'const out = "cdktf.out";',
    ].join("\n");
    expect(rewriteImports(source)).toBe(source);
  });

  test("finds an import the rename missed with TypeScript's own scanner", () => {
    expect(leftoverSpecifiers('import { App } from "cdktf";\nimport { Vpc } from "@cdktf/provider-aws/lib/vpc";')).toEqual(["cdktf", "@cdktf/provider-aws/lib/vpc"]);
  });

  test("renames the generated-bindings path of the AWS provider in tsconfig.json, not the GitHub one", () => {
    const tsconfig = JSON.stringify({
      compilerOptions: { paths: { "@cdktf/provider-aws/lib/*": ["./.gen/providers/aws/*"], "@cdktf/provider-github/lib/*": ["./.gen/providers/github/*"] } },
    });
    expect(JSON.parse(rewriteTsconfig(tsconfig)).compilerOptions.paths).toEqual({
      "@cdktn/provider-aws/lib/*": ["./.gen/providers/aws/*"],
      "@cdktf/provider-github/lib/*": ["./.gen/providers/github/*"],
    });
  });

  test("package.json after the move: cdktf packages out, the cdktn pins in, npm run get on cdktn", () => {
    const migrated = migratedPackageJson(
      {
        scripts: { get: "node tools/stack-cli/bin.mjs cdktf get", synth: "node tools/stack-cli/bin.mjs synth" },
        dependencies: { "@cdktf/provider-aws": "21.22.1", "@cdktf/provider-github": "15.3.1", cdktf: "0.21.0", constructs: "10.8.1", zod: "4.6.7" },
        devDependencies: { "cdktf-cli": "0.21.0", jest: "30.5.2" },
      },
      { "@cdktn/provider-aws": "25.7.0", "@cdktf/provider-github": "15.3.1", cdktf: "npm:cdktn@0.24.0", cdktn: "0.24.0", "cdktn-cli": "0.24.0", constructs: "10.7.2" },
    );
    expect(migrated.dependencies).toEqual({
      "@cdktf/provider-github": "15.3.1",
      "@cdktn/provider-aws": "25.7.0",
      cdktf: "npm:cdktn@0.24.0",
      cdktn: "0.24.0",
      "cdktn-cli": "0.24.0",
      constructs: "10.7.2",
      zod: "4.6.7",
    });
    expect(migrated.devDependencies).toEqual({ jest: "30.5.2" });
    expect(migrated.scripts).toEqual({ get: "cdktn get", synth: "node tools/stack-cli/bin.mjs synth" });
  });
});

describe("comparing two synth outputs", () => {
  test("lists leaf differences by dotted path; arrays of another length differ whole", () => {
    expect(
      jsonDifferences({ a: { b: [1, { c: 2 }], d: [1] }, e: "x" }, { a: { b: [1, { c: 3 }], d: [1, 2] }, f: "y" }),
    ).toEqual([
      { path: "a.b[1].c", before: 2, after: 3 },
      { path: "a.d", before: [1], after: [1, 2] },
      { path: "e", before: "x", after: undefined },
      { path: "f", before: undefined, after: "y" },
    ]);
  });

  test("addresses are resources and data sources by type and name, other blocks by name; the terraform block and metadata are not addresses", () => {
    const json = { "//": {}, terraform: {}, resource: { aws_vpc: { Vpc: {} } }, data: { aws_region: { Current: {} } }, output: { Arn: {} }, provider: { aws: [{}] } };
    expect(addresses(json)).toEqual(["data.aws_region.Current", "output.Arn", "provider.aws", "resource.aws_vpc.Vpc"]);
  });

  /** A synth output folder under `root` with one stack `app`. */
  function output(name: string, root: string, stack: Record<string, unknown>, manifest: Record<string, unknown> = {}, asset = "zip"): { dir: string; root: string } {
    const dir = join(scratch, name);
    mkdirSync(join(dir, "stacks", "app", "assets"), { recursive: true });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { app: { name: "app", ...manifest } } }));
    writeFileSync(join(dir, "stacks", "app", "cdk.tf.json"), JSON.stringify(stack));
    writeFileSync(join(dir, "stacks", "app", "assets", "archive.zip"), asset);
    return { dir, root };
  }

  test("the same infrastructure from two roots differs only where it really does", () => {
    // GIVEN two outputs whose absolute paths name their own project roots, and an empty annotation list left out in one
    const stack = (root: string, version: string) => ({
      terraform: { backend: { local: { path: `${root}/terraform.tfstate` } }, required_providers: { aws: { version } } },
      resource: { aws_vpc: { Vpc: { cidr_block: "10.0.0.0/16" } } },
    });
    const before = output("same-before", "/work/one", stack("/work/one", "6.25.0"), { annotations: [] });
    const after = output("same-after", "/tmp/two", stack("/tmp/two", "6.66.0"));
    // WHEN compared
    const comparison = compareOutputs("default", before, after);
    // THEN the provider version is the one difference
    expect(comparison).toEqual({
      problems: [],
      differences: [{ example: "default", stack: "app", path: "terraform.required_providers.aws.version", before: "6.25.0", after: "6.66.0" }],
    });
  });

  test("a renamed resource and a changed asset are problems, never reviewable differences", () => {
    const before = output("renamed-before", "/r", { resource: { aws_vpc: { Vpc: {} } } });
    const after = output("renamed-after", "/r", { resource: { aws_vpc: { Network: {} } } }, {}, "other zip");
    expect(compareOutputs("default", before, after).problems).toEqual([
      "default/app: assets/archive.zip differs",
      "default/app: resource.aws_vpc.Vpc is gone",
      "default/app: resource.aws_vpc.Network is new",
    ]);
  });

  test("review splits differences into reviewed and unreviewed, and names reviewed entries that no longer occur", () => {
    const version = { example: "default", stack: "app", path: "terraform.required_providers.aws.version", before: "6.25.0", after: "6.66.0" };
    const other = { ...version, path: "resource.aws_vpc.Vpc.cidr_block", before: "10.0.0.0/16", after: "10.1.0.0/16" };
    const reviewed = [
      { path: version.path, before: "6.25.0", after: "6.66.0", reason: "the move" },
      { path: "//.metadata.version", before: "0.21.0", after: "0.24.0", reason: "metadata" },
    ];
    expect(review([version, other], reviewed)).toEqual({ unreviewed: [other], unused: [reviewed[1]] });
  });
});

describe("comparing the provider schema of two binding packages", () => {
  function lib(name: string, declarations: string): string {
    const dir = join(scratch, name);
    mkdirSync(join(dir, "thing"), { recursive: true });
    writeFileSync(join(dir, "thing", "index.d.ts"), declarations);
    return dir;
  }
  const doc = (name: string) => `/**\n * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/aws/6.0.0/docs/resources/thing#${name} Thing#${name}}\n */`;

  test("reports removed, added, loosened, tightened and deprecated arguments with their Terraform names", () => {
    const before = lib("schema-before", `export interface ThingConfig {\n${doc("kept")}\n readonly kept: string;\n${doc("gone")}\n readonly gone?: string;\n${doc("loose")}\n readonly loose: number;\n${doc("tight")}\n readonly tight?: number;\n${doc("old")}\n readonly old?: string;\n}\nexport interface ThingRetired {\n}\n`);
    const after = lib("schema-after", `export interface ThingConfig {\n${doc("kept")}\n readonly kept: string;\n${doc("loose")}\n readonly loose?: number;\n${doc("tight")}\n readonly tight: number;\n/** @deprecated use new\n${doc("old").slice(3)}\n readonly old?: string;\n${doc("fresh")}\n readonly fresh?: boolean;\n}\nexport interface ThingFresh {\n}\n`);
    const changes = moduleChanges("thing", before, after);
    expect(changes).toEqual([
      "thing: ThingConfig.fresh (fresh): added, optional",
      "thing: ThingConfig.gone (gone): removed",
      "thing: ThingConfig.loose (loose): now optional",
      "thing: ThingConfig.old (old): now deprecated",
      "thing: ThingConfig.tight (tight): now required",
      "thing: ThingFresh: added",
      "thing: ThingRetired: removed",
    ]);
    expect(changes.filter(isBreaking)).toEqual(["thing: ThingConfig.gone (gone): removed", "thing: ThingConfig.tight (tight): now required", "thing: ThingRetired: removed"]);
  });
});

describe("README: Moving off CDKTF names what the check pins", () => {
  test("every cdktn package of tools/cdktn/package.json, at its exact version", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("#### To CDK Terrain (cdktn), tested"), readme.indexOf("## Guardrails"));
    const pins = (JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "tools", "cdktn", "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
    for (const [name, pin] of Object.entries(pins)) {
      const version = pin.replace(/^npm:[^@]+@/, "");
      expect(section).toContain(name === "cdktf" ? `"cdktf": "${pin}"` : `\`${name}\` ${version}`);
    }
  });
});
