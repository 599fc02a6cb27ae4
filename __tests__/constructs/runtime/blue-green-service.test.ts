import { BOOTSTRAP_LABEL, DEFAULT_BOOTSTRAP_IMAGE } from "../../../constructs/runtime/blue-green-service";
import { ServiceRole } from "../../../constructs/identity/iam";
import { NAME, TerraformJson, byPath, only, policyStatements, synth, withService } from "../../helpers/codedeploy-runtime";
import { deepFreeze, oncePerOptions } from "../../helpers/shared";

/** Synthesized once per options object: the tests reading the default stack share it. */
const synthService = oncePerOptions(
  (options: Parameters<typeof withService>[0] = {}): TerraformJson => deepFreeze(synth(withService(options).stack)),
);

function containerDefinitions(json: TerraformJson): Record<string, unknown>[] {
  return JSON.parse(only(json, "aws_ecs_task_definition").container_definitions);
}

describe("BlueGreenService: the ECS service (invariant 1)", () => {
  test("uses the CODE_DEPLOY deployment controller", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
  });

  test("ignores what CodeDeploy owns: task definition, load balancer, network configuration, platform version", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service.lifecycle.ignore_changes).toEqual([
      "task_definition",
      "load_balancer",
      "network_configuration",
      "platform_version",
    ]);
  });

  test("attaches only the blue target group, with the container name and port", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service.load_balancer).toEqual([
      {
        target_group_arn: "${aws_lb_target_group.LoadBalancer_BlueTargetGroup_B192E3CD.arn}",
        container_name: "app",
        container_port: 8080,
      },
    ]);
  });

  test("is created after both listeners, so its target group is attached to the ALB", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service.depends_on).toEqual([
      "aws_lb_listener.LoadBalancer_ProdListener_2283AECF",
      "aws_lb_listener.LoadBalancer_TestListener_FE78F770",
    ]);
  });

  test("runs Fargate tasks in the private subnets without public IPs by default", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service).toMatchObject({ launch_type: "FARGATE", desired_count: 2, name: NAME });
    expect(service.network_configuration).toEqual({
      subnets: ["${aws_subnet.Network_PrivateSubnet1_E8491189.id}", "${aws_subnet.Network_PrivateSubnet2_6BD46F8C.id}"],
      security_groups: ["${aws_security_group.Service_SecurityGroup_263BC618.id}"],
      assign_public_ip: false,
    });
  });

  test("runs tasks in the public subnets with public IPs when the VPC has no NAT gateway", () => {
    const json = synthService({
      network: { name: NAME, newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "none" } },
    });
    const service = only(json, "aws_ecs_service");
    expect(service.network_configuration.subnets).toEqual([
      "${aws_subnet.Network_PublicSubnet1_3B56D098.id}",
      "${aws_subnet.Network_PublicSubnet2_E7B6D3F8.id}",
    ]);
    expect(service.network_configuration.assign_public_ip).toBe(true);
  });

  test("leaves rollouts to CodeDeploy: no wait for steady state, a 60 s health-check grace period, tags propagated", () => {
    const service = only(synthService(), "aws_ecs_service");
    expect(service).toMatchObject({
      wait_for_steady_state: false,
      health_check_grace_period_seconds: 60,
      propagate_tags: "SERVICE",
      enable_ecs_managed_tags: true,
    });
  });

  test("takes the health-check grace period from props", () => {
    const service = only(synthService({ service: { healthCheckGracePeriodSeconds: 15 } }), "aws_ecs_service");
    expect(service.health_check_grace_period_seconds).toBe(15);
  });
});

describe("BlueGreenService: the task definition (invariants 4 and 5)", () => {
  test("registers a Fargate awsvpc task with the given size, both roles and an ephemeral /tmp volume", () => {
    const taskDefinition = only(synthService(), "aws_ecs_task_definition");
    expect(taskDefinition).toMatchObject({
      family: NAME,
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      cpu: "256",
      memory: "512",
      execution_role_arn: "${aws_iam_role.Service_ExecutionRole_02E8CD47.arn}",
      task_role_arn: "${aws_iam_role.Service_TaskRole_3FF3097A.arn}",
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "X86_64" },
      volume: [{ name: "tmp" }],
    });
  });

  test("starts on the public bootstrap image, serving the health path at the container port", () => {
    const [container] = containerDefinitions(synthService());
    expect(container).toMatchObject({
      name: "app",
      image: DEFAULT_BOOTSTRAP_IMAGE,
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      entryPoint: ["sh", "-c"],
      command: ['mkdir -p "$(dirname /dev/shm/www/health)" && echo ok > /dev/shm/www/health && exec httpd -f -v -p 8080 -h /dev/shm/www'],
    });
  });

  test("pins the bootstrap image by digest, from ECR Public", () => {
    expect(DEFAULT_BOOTSTRAP_IMAGE).toMatch(/^public\.ecr\.aws\/docker\/library\/busybox@sha256:[0-9a-f]{64}$/);
  });

  test("runs the bootstrap as busybox's nobody, never root", () => {
    const [container] = containerDefinitions(synthService());
    expect(container.user).toBe("65534:65534");
  });

  test("writes the bootstrap's health file outside the root-owned /tmp volume, which nobody cannot write", () => {
    const [container] = containerDefinitions(synthService());
    expect((container.command as string[])[0]).not.toContain("/tmp");
  });

  test("fails when the default non-root bootstrap would have to listen below port 1024", () => {
    expect(() => synthService({ service: { containerPort: 80 } })).toThrow(
      "service.containerPort must be at least 1024 with the default bootstrap image, which runs as a non-root user like the application image must (got 80); use a port from 1024 or set service.bootstrapImage",
    );
  });

  test("marks the bootstrap override with the label the render script strips", () => {
    const [container] = containerDefinitions(synthService());
    expect(BOOTSTRAP_LABEL).toBe("bluegreen.bootstrap");
    expect(container.dockerLabels).toEqual({ [BOOTSTRAP_LABEL]: "true" });
  });

  test("serves index.html when the health path is a directory", () => {
    const json = synthService({ loadBalancer: { healthCheck: { path: "/" } } });
    const [container] = containerDefinitions(json);
    expect((container.command as string[])[0]).toContain("echo ok > /dev/shm/www/index.html");
  });

  test("runs a custom bootstrap image as it is, without override or label", () => {
    const [container] = containerDefinitions(synthService({ service: { bootstrapImage: "nginx:stable" } }));
    expect(container.image).toBe("nginx:stable");
    expect(container).not.toHaveProperty("entryPoint");
    expect(container).not.toHaveProperty("command");
    expect(container).not.toHaveProperty("user");
    expect(container).not.toHaveProperty("dockerLabels");
  });

  test("mounts the root filesystem read-only with /tmp writable by default", () => {
    const [container] = containerDefinitions(synthService());
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
  });

  test("allows a writable root filesystem when asked", () => {
    const [container] = containerDefinitions(synthService({ service: { readonlyRootFilesystem: false } }));
    expect(container.readonlyRootFilesystem).toBe(false);
  });

  test("ships logs with awslogs to its own log group", () => {
    const [container] = containerDefinitions(synthService());
    expect(container.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": "${aws_cloudwatch_log_group.Service_LogGroup_90084B16.name}",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "app",
      },
    });
  });

  test("passes the environment variables sorted by name", () => {
    const [container] = containerDefinitions(synthService({ service: { environment: { B: "2", A: "1" } } }));
    expect(container.environment).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
  });

  test("fails when the health path cannot be used in the bootstrap command", () => {
    expect(() => withService({ loadBalancer: { healthCheck: { path: "/health;rm -rf" } } })).toThrow(
      /healthCheckPath must be a plain URL path .* \(got "\/health;rm -rf"\)/,
    );
  });
});

describe("BlueGreenService: log group", () => {
  test("keeps logs 30 days and is protected from destroy by default", () => {
    const logGroup = only(synthService(), "aws_cloudwatch_log_group");
    expect(logGroup).toMatchObject({ name: `/ecs/${NAME}`, retention_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  test("can be destroyed when preventDestroy is false", () => {
    const logGroup = only(synthService({ service: { preventDestroy: false, logRetentionDays: 7 } }), "aws_cloudwatch_log_group");
    expect(logGroup).toMatchObject({ retention_in_days: 7, lifecycle: { prevent_destroy: false } });
  });
});

describe("BlueGreenService: security groups", () => {
  test("accepts the container port from the ALB security group only", () => {
    const json = synthService();
    const ingress = Object.values(json.resource.aws_vpc_security_group_ingress_rule).filter(
      (rule) => rule.security_group_id === "${aws_security_group.Service_SecurityGroup_263BC618.id}",
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      referenced_security_group_id: "${aws_security_group.LoadBalancer_SecurityGroup_7560AED0.id}",
    });
    expect(ingress[0]).not.toHaveProperty("cidr_ipv4");
  });

  test("lets the ALB security group send to the tasks' security group on the container port", () => {
    const rule = byPath(synthService(), "aws_vpc_security_group_egress_rule", "Service/LoadBalancerToTasks");
    expect(rule).toMatchObject({
      security_group_id: "${aws_security_group.LoadBalancer_SecurityGroup_7560AED0.id}",
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      referenced_security_group_id: "${aws_security_group.Service_SecurityGroup_263BC618.id}",
    });
  });

  test("has no inline rules that would fight the rule resources", () => {
    const group = byPath(synthService(), "aws_security_group", "Service/SecurityGroup");
    expect(group).not.toHaveProperty("ingress");
    expect(group).not.toHaveProperty("egress");
  });
});

describe("BlueGreenService: IAM (invariant 6)", () => {
  test("the execution role is trusted by ECS tasks of this account only", () => {
    expect(policyStatements(synthService(), "Service/ExecutionRole/Trust/Document")).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ['${element(split(":", aws_ecs_cluster.Cluster_3DA9CCBA.arn), 4)}'] }],
      },
    ]);
  });

  test("the execution role may only write to the service's log streams", () => {
    expect(policyStatements(synthService(), "Service/ExecutionRole/Permissions/Document")).toEqual([
      {
        sid: "WriteContainerLogs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: ["${aws_cloudwatch_log_group.Service_LogGroup_90084B16.arn}:*"],
      },
    ]);
  });

  test("the task role is trusted by ECS tasks of this account and region only", () => {
    const account = '${element(split(":", aws_ecs_cluster.Cluster_3DA9CCBA.arn), 4)}';
    const partition = '${element(split(":", aws_ecs_cluster.Cluster_3DA9CCBA.arn), 1)}';
    expect(policyStatements(synthService(), "Service/TaskRole/Trust/Document")).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
        condition: [
          { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:ecs:eu-west-1:${account}:*`] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
        ],
      },
    ]);
  });

  test("the task role has no permissions by default", () => {
    const json = synthService();
    const policies = Object.values(json.resource.aws_iam_role_policy ?? {});
    expect(policies.map((p) => p.role)).toEqual(["${aws_iam_role.Service_ExecutionRole_02E8CD47.id}"]);
  });

  test("passRoleStatement allows passing exactly the two roles, to ECS tasks only", () => {
    const { stack, service } = withService();
    const deployer = new ServiceRole(stack, "Deployer", { name: "deployer", servicePrincipal: "codepipeline.amazonaws.com", description: "test" });
    deployer.addToPolicy(service.passRoleStatement("PassTaskRoles"));
    expect(policyStatements(synth(stack), "Deployer/Permissions/Document")).toEqual([
      {
        sid: "PassTaskRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: ["${aws_iam_role.Service_TaskRole_3FF3097A.arn}", "${aws_iam_role.Service_ExecutionRole_02E8CD47.arn}"],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ]);
  });
});
