import { parse } from "yaml";
import {
  appSpecFileName,
  renderTaskDefinitionTemplate,
  IMAGE_PLACEHOLDER,
  IMAGE_PLACEHOLDER_TEXT,
  renderAppSpec,
  renderAppSpecYaml,
  TASK_DEFINITION_PLACEHOLDER,
  taskDefinitionFileName,
} from "../../../../constructs/delivery/build/deploy-artifacts";

// The render script CodeBuild runs (plain CommonJS): the two must agree on names and file contents.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require("../../../../constructs/assets/deploy-files/transform.cjs");

import { withService } from "../../../helpers/codedeploy-runtime";

const withHook = {
  containerName: "app",
  containerPort: 8080,
  hooks: [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_demo-prod" }],
};

describe("deploy artifacts", () => {
  test("uses the placeholder the render script writes into taskdef files", () => {
    expect(IMAGE_PLACEHOLDER_TEXT).toBe(script.IMAGE_PLACEHOLDER);
    expect(IMAGE_PLACEHOLDER).toBe("IMAGE1_NAME");
    expect(TASK_DEFINITION_PLACEHOLDER).toBe(script.TASK_DEFINITION_PLACEHOLDER);
  });

  test("names the files like the render script", () => {
    expect(taskDefinitionFileName("prod")).toBe(script.taskDefinitionFileName("prod"));
    expect(appSpecFileName("prod")).toBe(script.appSpecFileName("prod"));
    expect([taskDefinitionFileName("prod"), appSpecFileName("prod")]).toEqual(["taskdef-prod.json", "appspec-prod.yaml"]);
  });

  test("renders the appspec byte for byte like the render script", () => {
    expect(renderAppSpecYaml(withHook)).toBe(script.renderAppSpecYaml(withHook));
    expect(renderAppSpecYaml({ containerName: "app", containerPort: 80 })).toBe(script.renderAppSpecYaml({ containerName: "app", containerPort: 80 }));
  });

  test("renders YAML that parses to the appspec object (version 0.0 as CodeDeploy documents it)", () => {
    expect(parse(renderAppSpecYaml(withHook))).toEqual({ ...renderAppSpec(withHook), version: 0 });
  });

  test("routes the load balancer to the container and port, with the hook", () => {
    expect(renderAppSpec(withHook)).toEqual({
      version: "0.0",
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: { TaskDefinition: "<TASK_DEFINITION>", LoadBalancerInfo: { ContainerName: "app", ContainerPort: 8080 } },
          },
        },
      ],
      Hooks: [{ AfterAllowTestTraffic: "CodeDeployHook_demo-prod" }],
    });
  });

  test("has no Hooks section without hooks", () => {
    expect(renderAppSpec({ containerName: "app", containerPort: 8080 })).not.toHaveProperty("Hooks");
  });

  test("fails on an invalid port", () => {
    expect(() => renderAppSpecYaml({ containerName: "app", containerPort: 70000 })).toThrow(
      "containerPort must be an integer from 1 to 65535 (got 70000)",
    );
  });

  test("renders the same task definition template from the service as the build does from the registered revision", () => {
    const { service } = withService();
    const resolve = (value: unknown) => JSON.parse(JSON.stringify(value));
    const fromService = renderTaskDefinitionTemplate(service);
    // What describe-task-definition returns for that revision: the same fields plus read-only ones.
    const described = {
      taskDefinition: {
        ...fromService,
        containerDefinitions: [service.containerDefinition],
        taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:1",
        revision: 1,
        status: "ACTIVE",
        compatibilities: ["EC2", "FARGATE"],
      },
    };
    const fromBuild = script.toTaskDefinitionTemplate(described, { containerName: service.containerName });
    expect(resolve(fromBuild)).toEqual(resolve(fromService));
  });

  test("strips the bootstrap override from the service's container", () => {
    const { service } = withService();
    const [container] = renderTaskDefinitionTemplate(service).containerDefinitions as Record<string, unknown>[];
    expect(container).toMatchObject({ name: "app", image: "<IMAGE1_NAME>" });
    expect(container).not.toHaveProperty("entryPoint");
    expect(container).not.toHaveProperty("command");
    expect(container).not.toHaveProperty("dockerLabels");
  });
});
