import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../config";
import { emulatorOverride, emulatorUrl, endpointKeys, OVERRIDE_FILE, prepareEmulatorOverride } from "../../../tools/stack-cli/emulator";
import { StackCommandError } from "../../../tools/stack-cli/manifest";
import { synthesizeExample } from "../../helpers/synth";

const EXAMPLES = join(__dirname, "..", "..", "..", "config", "examples");
const URL = "http://127.0.0.1:4566";
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, read loosely in assertions
type Loose = Record<string, any>;
const read = (dir: string, stack: string): Loose => JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8"));

describe("AWS_EMULATOR_URL", () => {
  test("accepts loopback URLs only, in one line naming the variable", () => {
    expect(emulatorUrl({ AWS_EMULATOR_URL: "http://127.0.0.1:4566/" })).toBe(URL);
    expect(emulatorUrl({ AWS_EMULATOR_URL: "http://localhost:5000" })).toBe("http://localhost:5000");
    expect(emulatorUrl({})).toBeUndefined();
    for (const bad of ["http://10.0.0.5:4566", "https://s3.amazonaws.com", "127.0.0.1:4566", "http://127.0.0.1:4566/path"]) {
      expect(() => emulatorUrl({ AWS_EMULATOR_URL: bad })).toThrow(StackCommandError);
      expect(() => emulatorUrl({ AWS_EMULATOR_URL: bad })).toThrow(/^AWS_EMULATOR_URL must be/);
    }
  });
});

describe("the emulator override of the synthesized stacks", () => {
  const synthesized = Object.fromEntries(
    readdirSync(EXAMPLES)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [f, synthesizeExample(loadConfig(join(EXAMPLES, f)))]),
  );

  test.each(Object.keys(synthesized))("knows the endpoint of every AWS resource type of %s", (example) => {
    const { outdir, offlineStacks, validateOnlyStacks } = synthesized[example];
    for (const stack of [...offlineStacks, ...validateOnlyStacks]) expect(() => endpointKeys(read(outdir, stack), stack)).not.toThrow();
  });

  test("points the provider, the S3 backend and the remote state of a fleet service stack at the emulator", () => {
    const { outdir, validateOnlyStacks } = synthesized["fleet.yaml"];
    const stack = read(outdir, validateOnlyStacks[0]);
    const override = emulatorOverride(stack, validateOnlyStacks[0], URL, "/work/dir") as Loose;
    const provider = override.provider.aws[0];
    expect(provider).toMatchObject({ access_key: "emulator", secret_key: "emulator", skip_requesting_account_id: false, s3_use_path_style: true });
    expect(provider.endpoints[0]).toMatchObject({ ecs: URL, elbv2: URL, deploy: URL, codepipeline: URL, sts: URL });
    expect(override.terraform.backend.s3).toEqual({ ...stack.terraform.backend.s3, endpoints: { s3: URL, sts: URL, iam: URL }, use_path_style: true, skip_metadata_api_check: true, access_key: "emulator", secret_key: "emulator" });
    const remote = Object.values(override.data.terraform_remote_state) as { config: { endpoints: unknown; bucket: string } }[];
    expect(remote.length).toBeGreaterThan(0);
    for (const r of remote) expect(r.config).toMatchObject({ endpoints: { s3: URL, sts: URL, iam: URL }, bucket: stack.terraform.backend.s3.bucket });
  });

  test("moves the bootstrap stack's local state into its working directory, away from the project root", () => {
    const { outdir } = synthesized["default.yaml"];
    const override = emulatorOverride(read(outdir, "bootstrap"), "bootstrap", URL, "/work/out/stacks/bootstrap") as Loose;
    expect(override.terraform.backend).toEqual({ local: { path: "/work/out/stacks/bootstrap/terraform.emulator.tfstate" } });
  });

  test("refuses a resource type it has no endpoint for, rather than sending it to AWS", () => {
    expect(() => endpointKeys({ resource: { aws_dynamodb_table: {} } }, "x")).toThrow(/x: AWS_EMULATOR_URL does not know the emulator endpoint of aws_dynamodb_table/);
  });

  test("writes the override file in emulator mode and removes it otherwise", () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-override-"));
    try {
      mkdirSync(join(dir, "s"));
      writeFileSync(join(dir, "s", "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "x" } } }, provider: { aws: [{ region: "eu-west-1" }] }, resource: {} }));
      const stack = { name: "s", workingDirectory: join(dir, "s"), synthesizedStackPath: join(dir, "s", "cdk.tf.json"), dependencies: [], annotations: [] };
      prepareEmulatorOverride(stack, URL);
      expect(JSON.parse(readFileSync(join(dir, "s", OVERRIDE_FILE), "utf8")).provider.aws[0].endpoints[0]).toEqual({ sts: URL });
      prepareEmulatorOverride(stack, undefined);
      expect(existsSync(join(dir, "s", OVERRIDE_FILE))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
