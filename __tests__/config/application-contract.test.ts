import { validateConfig } from "../../config";
import { onlyProblem, validInput, withValue } from "../helpers/config";

/** The config keys of the application repository contract: build context, Dockerfile, a non-root port. */
describe("config: the application repository contract", () => {
  test("defaults to the repository root and its Dockerfile", () => {
    const config = validateConfig({ ...validInput(), github: { owner: "acme", repository: "web", infrastructureRepository: "acme/infra", deployEnvironment: { soloEvaluation: true } }, pipeline: {} }, "test");
    expect(config.pipeline).toMatchObject({ buildContext: ".", dockerfile: "Dockerfile" });
  });

  test("accepts a sub-directory context and a Dockerfile elsewhere in it", () => {
    const config = validateConfig(withValue("pipeline", { buildContext: "services/web", dockerfile: "docker/prod.Dockerfile" }), "test");
    expect(config.pipeline).toMatchObject({ buildContext: "services/web", dockerfile: "docker/prod.Dockerfile" });
  });

  test.each([
    ["pipeline.buildContext", "../other"],
    ["pipeline.buildContext", "/abs"],
    ["pipeline.dockerfile", "a/../../Dockerfile"],
    ["pipeline.dockerfile", "Dockerfile; rm -rf /"],
  ])("fails when %s escapes the repository or holds shell characters (%s)", (key, value) => {
    expect(onlyProblem(withValue(key, value))).toBe(
      `${key}: must be a relative path of letters, digits, '.', '_', '-' and '/' (no leading '/', no '..') (got ${JSON.stringify(value)})`,
    );
  });

  test("fails when the container port needs root, naming the way out", () => {
    expect(onlyProblem(withValue("service.containerPort", 80))).toBe(
      "service.containerPort: must be at least 1024: containers run as a non-root user (the default bootstrap image and the application image), which cannot listen below 1024; or set bootstrapImage (got 80)",
    );
  });

  test("accepts a port below 1024 with an own bootstrap image", () => {
    const input = withValue("service", { containerPort: 80, bootstrapImage: `public.ecr.aws/nginx/nginx@sha256:${"a".repeat(64)}` });
    expect(validateConfig(input, "test").service.containerPort).toBe(80);
  });

  test("checks a fleet service's own port the same way", () => {
    const input = { ...validInput(), services: [{ name: "web", repository: "web", service: { containerPort: 443 } }] };
    expect(onlyProblem(input)).toBe(
      "services[0].service.containerPort: must be at least 1024: containers run as a non-root user (the default bootstrap image and the application image), which cannot listen below 1024; or set bootstrapImage (got 443)",
    );
  });
});
