import { DESCRIPTOR_FILE } from "../../synthesized/descriptor";
import { readProject } from "../../ops/project";
import { OpsError } from "../../ops/errors";
import { DEFAULT_STACK, ECS_NATIVE_STACK, exampleDescriptors, stackDescriptor, writeOutdir } from "./descriptors";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const failure = (run: () => unknown): { code?: number; message?: string } => {
  try {
    run();
    return {};
  } catch (error) {
    return error instanceof OpsError ? { code: error.exitCode, message: error.message } : { message: String(error) };
  }
};

describe("the project model, read from the stack descriptors", () => {
  it("lists the environments of a CodeDeploy stack in release order, with their strategy", () => {
    const project = readProject(writeOutdir([stackDescriptor(DEFAULT_STACK)]), "bluegreen-demo", []);
    expect(project.services[0].environments.map((e) => [e.name, e.strategy.kind])).toEqual([
      ["staging", "codedeploy"],
      ["prod", "codedeploy"],
    ]);
  });

  it("lists the environments of an ECS-native stack (no CodeDeploy action in the pipeline)", () => {
    const project = readProject(writeOutdir([stackDescriptor(ECS_NATIVE_STACK)]), "catalog", []);
    expect(project.services[0].environments.map((e) => [e.name, e.strategy.kind])).toEqual([
      ["staging", "ecs"],
      ["prod", "ecs"],
    ]);
  });

  it("takes the release order from the pipeline's stages, not the descriptor's list", () => {
    const descriptor = stackDescriptor(DEFAULT_STACK);
    const reversed = { ...descriptor, environments: [...descriptor.environments].reverse() };
    const project = readProject(writeOutdir([reversed]), "bluegreen-demo", []);
    expect(project.services[0].environments.map((e) => e.name)).toEqual(["staging", "prod"]);
  });

  it("reads the pipeline, repository, watched tag and the GitHub roles", () => {
    const project = readProject(writeOutdir(exampleDescriptors("ecr-source.yaml"), ["billing-github"]), "billing", []);
    expect(project.services[0]).toMatchObject({ stackId: "billing", pipelineName: "billing", repositoryName: "billing", watchedImageTag: "release", region: "eu-west-2" });
    expect([project.planRole, project.deployRole]).toEqual(["billing-github-plan", "billing-github-deploy"]);
  });

  it("reads each fleet service's stack", () => {
    const project = readProject(writeOutdir(exampleDescriptors("fleet.yaml")), "shop", ["web", "cart", "search"]);
    expect(project.services.map((s) => [s.stackId, s.service])).toEqual([
      ["shop-web", "web"],
      ["shop-cart", "cart"],
      ["shop-search", "search"],
    ]);
  });

  it("fails with exit 2 naming the stack when its descriptor is missing", () => {
    expect(failure(() => readProject(writeOutdir([], ["bluegreen-demo"]), "bluegreen-demo", []))).toEqual({
      code: 2,
      message: 'the synthesized stacks have no descriptor of stack "bluegreen-demo" (run `npm run synth` with this config)',
    });
  });

  it("fails with exit 2 and says to synthesize again when the descriptor has another version", () => {
    const outdir = writeOutdir([stackDescriptor(DEFAULT_STACK)]);
    const file = join(outdir, "stacks", "bluegreen-demo", DESCRIPTOR_FILE);
    writeFileSync(file, JSON.stringify({ ...stackDescriptor(DEFAULT_STACK), version: 0 }));
    expect(failure(() => readProject(outdir, "bluegreen-demo", []))).toEqual({
      code: 2,
      message: `${file} has descriptor version 0, this code reads 1: run \`npm run synth\` again`,
    });
  });
});
