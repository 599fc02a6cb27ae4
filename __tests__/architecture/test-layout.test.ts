/**
 * Tests mirror the source folders: the test of `constructs/runtime/network.ts` is
 * `__tests__/constructs/runtime/network.test.ts`, and every construct and stack class has a test file of its
 * file's name. The list below is what is still tested only through another file (its stack's or its
 * strategy's test); it may only shrink.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CLASS = /\bclass \w+ extends (Construct|TerraformStack|AwsDeliveryStack|GithubStack)\b/;

/** Tested through another file today: [source, where its behaviour is tested]. */
const TESTED_ELSEWHERE: ReadonlyMap<string, string> = new Map([
  ["constructs/identity/permissions-boundary.ts", "__tests__/constructs/policy/identity.test.ts, __tests__/stacks/access-stack.test.ts"],
  ["constructs/identity/iam/policy-document.ts", "every construct test that reads a role's statements"],
  ["constructs/identity/iam/service-role.ts", "every construct test that reads a role's statements"],
  ["constructs/delivery/targets/ecs-service-release.ts", "__tests__/constructs/environment/strategies/ecs-native-traffic-routing.test.ts"],
  ["constructs/delivery/sources/webhook-secret.ts", "__tests__/stacks/aws-stack.test.ts, __tests__/stacks/github-stack.test.ts"],
  ["constructs/delivery/sources/legacy-github-source.ts", "__tests__/constructs/delivery/delivery-pipeline.test.ts"],
  ["constructs/environment/blue-green-environment.ts", "__tests__/stacks/aws-stack.test.ts, __tests__/stacks/fleet.test.ts"],
  ["constructs/environment/descriptor-file.ts", "__tests__/ops/synthesized-descriptors.test.ts"],
  ["constructs/github/actions-variables.ts", "__tests__/stacks/github-stack.test.ts"],
  ["constructs/github/pipeline-webhook.ts", "__tests__/stacks/github-stack.test.ts"],
  ["constructs/github/deploy-files.ts", "__tests__/stacks/github-stack.test.ts"],
  ["constructs/github/branch-protection.ts", "__tests__/stacks/github-stack.test.ts"],
  ["constructs/github/oidc-subject-template.ts", "__tests__/project/oidc-entry-points.test.ts"],
  ["stacks/application-github-stack.ts", "__tests__/stacks/fleet.test.ts"],
  ["stacks/infrastructure-github-stack.ts", "__tests__/stacks/fleet.test.ts"],
  ["stacks/service-stack.ts", "__tests__/stacks/fleet.test.ts"],
  ["stacks/platform-stack.ts", "__tests__/stacks/fleet.test.ts"],
]);

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "assets" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const classFiles = [...sources("constructs"), ...sources("stacks")].filter((file) => CLASS.test(readFileSync(join(ROOT, file), "utf8")));
const mirror = (file: string) => join("__tests__", file.replace(/\.ts$/, ".test.ts"));

describe("the tests' layout", () => {
  test("every construct and stack class has a test file of its file's name, in the mirrored folder", () => {
    const missing = classFiles.filter((file) => !existsSync(join(ROOT, mirror(file))) && !TESTED_ELSEWHERE.has(file));
    expect(missing).toEqual([]);
  });

  test("the list of files tested elsewhere only shrinks: an entry that has its own test now is removed", () => {
    const stale = [...TESTED_ELSEWHERE.keys()].filter((file) => !classFiles.includes(file) || existsSync(join(ROOT, mirror(file))));
    expect(stale).toEqual([]);
  });

  test("no test file sits at the top of __tests__/ but those about the whole project's entry (main.ts)", () => {
    const top = readdirSync(join(ROOT, "__tests__")).filter((name) => name.endsWith(".test.ts"));
    expect(top).toEqual(["main-cli.test.ts"]);
  });
});
