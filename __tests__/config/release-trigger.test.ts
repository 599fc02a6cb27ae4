import { validateConfig } from "../../config";
import { githubSourceProps } from "../../stacks/config-props";
import { onlyProblem, problemsOf, validInput, withValue, withValues } from "../helpers/config";

const ROOT_REFUSED =
  "pipeline.buildContext: is the root of the repository that also holds this infrastructure code: the push trigger takes at most 8 exclude patterns, too few to leave out this project's files, so infrastructure-only merges would release; put the application in a folder (buildContext: app) or in its own repository (github.infrastructureRepository), or set pipeline.filePaths.includes yourself (got \".\")";

describe("config: no infrastructure-only change starts a release", () => {
  it("fails when the application sits at the root of the repository that holds the infrastructure", () => {
    expect(onlyProblem(withValue("pipeline.buildContext", "."))).toBe(ROOT_REFUSED);
    expect(onlyProblem(withValue("pipeline.buildContext", "./"))).toContain("pipeline.buildContext: is the root of the repository that also holds");
  });

  it("fails the same for the default build context", () => {
    const input = validInput();
    delete (input.pipeline as Record<string, unknown>).buildContext;
    expect(onlyProblem(input)).toContain("pipeline.buildContext: is the root of the repository that also holds");
  });

  it("watches only the application's folder when the infrastructure shares its repository", () => {
    expect(githubSourceProps(validateConfig(validInput(), "test")).filePaths).toEqual({ includes: ["app/**"], excludes: [] });
  });

  it("accepts the root when the infrastructure has a repository of its own, and watches every push", () => {
    const config = validateConfig(withValues({ "pipeline.buildContext": ".", "github.infrastructureRepository": "acme/infra" }), "test");
    expect(githubSourceProps(config).filePaths).toEqual({ includes: [], excludes: [] });
  });

  it("accepts the root with file path includes the user chose", () => {
    expect(problemsOf(withValues({ "pipeline.buildContext": ".", "pipeline.filePaths": { includes: ["src/**", "Dockerfile"] } }))).toEqual([]);
  });

  it("accepts the root in ecr mode, where pushes start nothing", () => {
    expect(problemsOf(withValues({ "pipeline.buildContext": ".", "pipeline.imageSource": "ecr", "ecr.mutableTags": ["release"] }))).toEqual([]);
  });

  it("fails in webhook mode when the watched repository holds the infrastructure (the webhook filters on the branch only)", () => {
    expect(onlyProblem(withValue("github.sourceMode", "webhook"))).toBe(
      "github.sourceMode: cannot watch the repository that also holds this infrastructure code: the webhook filters on the branch only, so every infrastructure merge would start a release; use sourceMode: connection, or keep the infrastructure in its own repository (github.infrastructureRepository) (got \"webhook\")",
    );
    expect(problemsOf(withValues({ "github.sourceMode": "webhook", "github.infrastructureRepository": "acme/infra" }))).toEqual([]);
  });

  it("fails for a fleet service whose repository is the infrastructure repository and whose application is at its root", () => {
    const fleet = withValues({
      "github.repository": "infra",
      services: [
        { name: "web", repository: "infra", pipeline: { buildContext: "." } },
        { name: "api", repository: "api" },
      ],
    });
    expect(onlyProblem(fleet)).toContain("services[0].pipeline.buildContext: is the root of the repository that also holds");
  });
});
