import { loadConfig } from "../../config";
import { readProject } from "../../ops/project";
import { SynthesizedApp } from "../../ops/synthesized";
import { synthesized } from "./harness";

function project(example: string) {
  const { outdir, configPath } = synthesized(example);
  const config = loadConfig(configPath);
  return readProject(SynthesizedApp.read(outdir), config.project, config.services?.map((s) => s.name) ?? []);
}

describe("names read from the synthesized stacks", () => {
  it("ecr mode: the watched tag from the ECR source action, the hooks from the committed appspec", () => {
    const billing = project("ecr-source.yaml");
    const [service] = billing.services;
    expect(service).toMatchObject({ stackId: "billing", pipelineName: "billing", repositoryName: "billing", watchedImageTag: "release", region: "eu-west-2" });
    expect(service.environments.map((e) => [e.name, e.hooks])).toEqual([
      ["staging", [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_billing-staging" }]],
      ["prod", [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_billing-prod" }]],
    ]);
    expect(billing.account).toBeUndefined();
  });

  it("an HTTPS environment: production on 443, the account from the certificate ARN, no hook without NAT", () => {
    const landing = project("single-env-https.yaml");
    expect(landing.account).toBe("123456789012");
    expect(landing.services[0].environments).toEqual([
      expect.objectContaining({ name: "prod", prodListenerPort: 443, testListenerPort: 8443, hooks: [], approval: undefined, loadBalancerName: "landing-prod-alb" }),
    ]);
  });
});
