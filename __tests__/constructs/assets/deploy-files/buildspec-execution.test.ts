import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_PATH, loadConfig } from "../../../../config";
import { synthProject, testConfig, TerraformJson } from "../../../helpers/synth";

/**
 * Runs the synthesized buildspec's pre_build and build commands in bash, as CodeBuild would, with stand-ins for
 * `docker` and `aws` on PATH, and records what reaches `docker build`: the application repository contract.
 */
type EnvVar = { name: string; value: string };

function buildProject(aws: TerraformJson): { buildspec: string; variables: Record<string, string> } {
  const projects = Object.values(aws.resource.aws_codebuild_project ?? {});
  const project = projects.find((p) => (p.source as { buildspec?: string }).buildspec?.includes("docker build")) as Record<string, unknown>;
  const environment = project.environment as { environment_variable: EnvVar[] };
  // Terraform turns `$${` back into `${` (and `%%{` into `%{`) when it sends the string to CodeBuild.
  const buildspec = (project.source as { buildspec: string }).buildspec.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  return { buildspec, variables: Object.fromEntries(environment.environment_variable.map((v) => [v.name, v.value])) };
}

function runBuild(aws: TerraformJson, files: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "buildspec-run-"));
  try {
    const bin = join(dir, "bin");
    const source = join(dir, "src");
    mkdirSync(bin);
    for (const file of files) {
      mkdirSync(join(source, file, ".."), { recursive: true });
      writeFileSync(join(source, file), "FROM scratch\n");
    }
    // docker: records `docker build` arguments; fails like Docker when the Dockerfile is not there.
    writeFileSync(
      join(bin, "docker"),
      [
        "#!/bin/bash",
        'if [ "$1" = build ]; then',
        `  printf '%s\\n' "$@" > "${join(dir, "docker-build.txt")}"`,
        '  while [ $# -gt 0 ]; do if [ "$1" = --file ]; then [ -f "$2" ] || { echo "no Dockerfile $2" >&2; exit 1; }; fi; shift; done',
        "fi",
        "cat > /dev/null",
      ].join("\n"),
    );
    // aws: a login token, and "no such image" so the build runs.
    writeFileSync(
      join(bin, "aws"),
      ["#!/bin/bash", 'case "$2" in get-login-password) echo token ;; describe-images) exit 254 ;; esac'].join("\n"),
    );
    chmodSync(join(bin, "docker"), 0o755);
    chmodSync(join(bin, "aws"), 0o755);

    const { buildspec, variables } = buildProject(aws);
    const phases = parse(buildspec).phases as Record<string, { commands: string[] }>;
    const script = [...phases.pre_build.commands, ...phases.build.commands].join("\n");
    execFileSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd: source,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        AWS_REGION: "eu-west-1",
        COMMIT_ID: "0123456789abcdef0123456789abcdef01234567",
        CODEBUILD_SRC_DIR: source,
        // Terraform fills the repository URL in at apply time.
        REPOSITORY_URI: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo",
        BUILD_CONTEXT: variables.BUILD_CONTEXT,
        DOCKERFILE: variables.DOCKERFILE,
      },
      stdio: "pipe",
    });
    return readFileSync(join(dir, "docker-build.txt"), "utf8").trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the synthesized buildspec, run with stub docker and aws", () => {
  test("builds the default example's sample service: context app, Dockerfile app/Dockerfile", () => {
    // GIVEN the embedded default config (its application repository is laid out like this repository's app/)
    const { aws } = synthProject(loadConfig(DEFAULT_CONFIG_PATH));
    // WHEN the build commands run in a checkout with app/Dockerfile
    const args = runBuild(aws, ["app/Dockerfile"]);
    // THEN docker build gets that Dockerfile and that context
    expect(args).toEqual([
      "build",
      "--file",
      "app/Dockerfile",
      "--build-arg",
      "BUILD_SHA=0123456789abcdef0123456789abcdef01234567",
      "--tag",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:0123456789ab",
      "app",
    ]);
  });

  test("builds an application repository of its own with its Dockerfile at the root by default", () => {
    const { aws } = synthProject(testConfig({ github: { owner: "acme", repository: "web", infrastructureRepository: "acme/infra" }, pipeline: { buildContext: "." } }));
    const args = runBuild(aws, ["Dockerfile"]);
    expect(args.slice(1, 3)).toEqual(["--file", "./Dockerfile"]);
    expect(args[args.length - 1]).toBe(".");
  });

  test("builds a Dockerfile elsewhere in the context when pipeline.dockerfile says so", () => {
    const { aws } = synthProject(testConfig({ pipeline: { buildContext: "services/web", dockerfile: "docker/prod.Dockerfile" } }));
    const args = runBuild(aws, ["services/web/docker/prod.Dockerfile"]);
    expect(args.slice(1, 3)).toEqual(["--file", "services/web/docker/prod.Dockerfile"]);
    expect(args[args.length - 1]).toBe("services/web");
  });

  test("fails the build when the Dockerfile is not where the config says", () => {
    const { aws } = synthProject(testConfig());
    expect(() => runBuild(aws, ["Dockerfile"])).toThrow(/no Dockerfile app\/Dockerfile/);
  });
});
