import { readFileSync } from "node:fs";
import { join } from "node:path";

// The render logic is plain CommonJS so CodeBuild runs it without npm install; jest requires it as is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const t = require("../../../../constructs/assets/deploy-files/transform.cjs");

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "fixtures", "deploy-files", name), "utf8"));
const described = fixture("describe-task-definition.json");
const registerShape = fixture("register-task-definition-input.json");

type Container = Record<string, unknown> & { name: string };

describe("toTaskDefinitionTemplate", () => {
  const template = t.toTaskDefinitionTemplate(described, { containerName: "web" });
  const web = (template.containerDefinitions as Container[]).find((c) => c.name === "web") as Container;

  test("keeps only fields RegisterTaskDefinition accepts", () => {
    const allowed = new Set<string>([...registerShape.members, "enableFaultInjection"]);
    expect(Object.keys(template).filter((key) => !allowed.has(key))).toEqual([]);
  });

  test("drops the read-only fields describe-task-definition adds", () => {
    for (const field of ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy"]) {
      expect(template).not.toHaveProperty(field);
    }
  });

  test("drops enableFaultInjection when false (older CodeDeployToECS parsers reject the key), keeps it when true", () => {
    const off = t.toTaskDefinitionTemplate({ ...described, taskDefinition: { ...described.taskDefinition, enableFaultInjection: false } }, { containerName: "web" });
    const on = t.toTaskDefinitionTemplate({ ...described, taskDefinition: { ...described.taskDefinition, enableFaultInjection: true } }, { containerName: "web" });
    expect(off).not.toHaveProperty("enableFaultInjection");
    expect(on.enableFaultInjection).toBe(true);
  });

  test("leaves out tags, so deployments register untagged revisions", () => {
    expect(template).not.toHaveProperty("tags");
  });

  test("keeps the roles, sizes, network mode and volumes Terraform registered", () => {
    expect(template).toMatchObject({
      family: "demo-prod",
      taskRoleArn: "arn:aws:iam::123456789012:role/demo-prod-task",
      executionRoleArn: "arn:aws:iam::123456789012:role/demo-prod-task-execution",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      volumes: [{ name: "tmp", host: {} }],
      runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
    });
  });

  test("has every required RegisterTaskDefinition member", () => {
    for (const field of registerShape.required) expect(template).toHaveProperty(field);
  });

  test("replaces the application container's image with the placeholder", () => {
    expect(web.image).toBe("<IMAGE1_NAME>");
  });

  test("strips the bootstrap entry point, command, user and label but keeps other labels", () => {
    expect(web).not.toHaveProperty("entryPoint");
    expect(web).not.toHaveProperty("command");
    expect(web).not.toHaveProperty("user");
    expect(web.dockerLabels).toEqual({ team: "platform" });
  });

  test("keeps the container's port, logs, mounts and read-only root", () => {
    expect(web).toMatchObject({
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      logConfiguration: { logDriver: "awslogs" },
    });
  });

  test("leaves sidecar containers and their images untouched", () => {
    const sidecar = (template.containerDefinitions as Container[]).find((c) => c.name === "log-router");
    expect(sidecar).toEqual(described.taskDefinition.containerDefinitions[1]);
  });

  test("renders only container fields the API knows", () => {
    const known = new Set<string>(registerShape.containerDefinitionMembers);
    for (const container of template.containerDefinitions as Container[]) {
      expect(Object.keys(container).filter((key) => !known.has(key))).toEqual([]);
    }
  });

  test("drops the dockerLabels map when the bootstrap label was the only label", () => {
    const onlyBootstrap = structuredClone(described);
    onlyBootstrap.taskDefinition.containerDefinitions[0].dockerLabels = { "bluegreen.bootstrap": "true" };
    const rendered = t.toTaskDefinitionTemplate(onlyBootstrap, { containerName: "web" });
    expect(rendered.containerDefinitions[0]).not.toHaveProperty("dockerLabels");
  });

  test("keeps entryPoint and command of a container without the bootstrap label", () => {
    const custom = structuredClone(described);
    delete custom.taskDefinition.containerDefinitions[0].dockerLabels;
    const rendered = t.toTaskDefinitionTemplate(custom, { containerName: "web" });
    expect(rendered.containerDefinitions[0].command).toEqual(custom.taskDefinition.containerDefinitions[0].command);
  });

  test("accepts the bare taskDefinition member too", () => {
    expect(t.toTaskDefinitionTemplate(described.taskDefinition, { containerName: "web" })).toEqual(template);
  });

  test("does not modify its input", () => {
    expect(described.taskDefinition.containerDefinitions[0].image).toBe("public.ecr.aws/docker/library/busybox:stable");
  });

  test("fails when the container name is not in the task definition", () => {
    expect(() => t.toTaskDefinitionTemplate(described, { containerName: "api" })).toThrow(
      'task definition demo-prod has no container named "api" (containers: web, log-router)',
    );
  });
});

describe("renderAppSpecYaml", () => {
  test("renders the ECS appspec with the task definition placeholder and the load balancer container", () => {
    expect(t.renderAppSpecYaml({ containerName: "web", containerPort: 8080 })).toBe(
      [
        "version: 0.0",
        "Resources:",
        "  - TargetService:",
        "      Type: AWS::ECS::Service",
        "      Properties:",
        '        TaskDefinition: "<TASK_DEFINITION>"',
        "        LoadBalancerInfo:",
        '          ContainerName: "web"',
        "          ContainerPort: 8080",
        "",
      ].join("\n"),
    );
  });

  test("adds the lifecycle hooks when given", () => {
    const yaml = t.renderAppSpecYaml({
      containerName: "web",
      containerPort: 8080,
      hooks: [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_demo-prod-smoke" }],
    });
    expect(yaml.endsWith('Hooks:\n  - AfterAllowTestTraffic: "CodeDeployHook_demo-prod-smoke"\n')).toBe(true);
  });

  test("fails on an invalid port", () => {
    expect(() => t.renderAppSpecYaml({ containerName: "web", containerPort: 0 })).toThrow(
      "containerPort must be an integer from 1 to 65535 (got 0)",
    );
  });
});

describe("renderImageDetail", () => {
  test("writes the ImageURI the deploy action reads", () => {
    expect(JSON.parse(t.renderImageDetail("1.dkr.ecr.eu-west-1.amazonaws.com/demo:abc123"))).toEqual({
      ImageURI: "1.dkr.ecr.eu-west-1.amazonaws.com/demo:abc123",
    });
  });

  test("refuses the mutable latest tag", () => {
    expect(() => t.renderImageDetail("repo:latest")).toThrow("IMAGE_URI must name an immutable tag or digest");
  });
});

describe("renderRevision", () => {
  const bootstrapped = {
    taskDefinition: {
      family: "demo-prod",
      taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:3",
      revision: 3,
      containerDefinitions: [
        {
          name: "web",
          image: "public.ecr.aws/docker/library/busybox@sha256:00",
          entryPoint: ["sh", "-c"],
          command: ["exec httpd -f -p 8080 -h /dev/shm/www"],
          user: "65534:65534",
          dockerLabels: { "bluegreen.bootstrap": "true" },
          portMappings: [{ containerPort: 8080, protocol: "tcp" }],
        },
      ],
      cpu: "256",
      memory: "512",
    },
  };

  test("is the template with the built image and no bootstrap entry point, command, user or label", () => {
    const revision = t.renderRevision(bootstrapped, { containerName: "web" }, "repo:0123456789ab");
    expect(revision).toEqual({
      family: "demo-prod",
      containerDefinitions: [{ name: "web", image: "repo:0123456789ab", portMappings: [{ containerPort: 8080, protocol: "tcp" }] }],
      cpu: "256",
      memory: "512",
    });
    expect(t.revisionFileName("prod")).toBe("revision-prod.json");
  });

  test("refuses a mutable latest tag", () => {
    expect(() => t.renderRevision(bootstrapped, { containerName: "web" }, "repo:latest")).toThrow("IMAGE_URI must name an immutable tag or digest");
  });
});

describe("parseDeployTargets", () => {
  const target = { environmentName: "prod", taskDefinition: "arn:td", containerName: "web", containerPort: 8080 };

  test("defaults hooks to none and the format to codedeploy", () => {
    expect(t.parseDeployTargets(JSON.stringify([target]))).toEqual([{ ...target, format: "codedeploy", hooks: [] }]);
  });

  test("fails on an unknown format", () => {
    expect(() => t.parseDeployTargets(JSON.stringify([{ ...target, format: "appspec" }]))).toThrow(
      'DEPLOY_TARGETS[0].format must be "codedeploy" or "revision" (got "appspec")',
    );
  });

  test("fails on invalid JSON", () => {
    expect(() => t.parseDeployTargets("{")).toThrow("DEPLOY_TARGETS is not JSON");
  });

  test("fails on an empty list", () => {
    expect(() => t.parseDeployTargets("[]")).toThrow("DEPLOY_TARGETS must be a non-empty JSON array");
  });

  test("fails when a target lacks its task definition", () => {
    expect(() => t.parseDeployTargets(JSON.stringify([{ ...target, taskDefinition: "" }]))).toThrow(
      'DEPLOY_TARGETS[0].taskDefinition must be a non-empty string (got "")',
    );
  });

  test("fails on an environment name that cannot be a file name part", () => {
    expect(() => t.parseDeployTargets(JSON.stringify([{ ...target, environmentName: "../prod" }]))).toThrow(
      'environmentName must be lowercase letters, digits and "-"',
    );
  });
});
