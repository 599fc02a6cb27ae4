/** ECS, ECR and ELB responses for the default config's environments as they run after a few releases. */
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, Service, TaskDefinition } from "@aws-sdk/client-ecs";
import { DescribeListenersCommand, DescribeLoadBalancersCommand, Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IMAGE_REPOSITORY, listenerArn, Mocks, taskDefinitionArn, targetGroupArn } from "./harness";

export const LIVE = { staging: { revision: 7, tag: "3f2a1c9" }, prod: { revision: 5, tag: "3f2a1c9" } } as const;
export const DIGEST = "sha256:4b5c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";

export function service(env: "staging" | "prod", revision: number): Service {
  const name = `bluegreen-demo-${env}`;
  return {
    serviceName: name,
    status: "ACTIVE",
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: taskDefinitionArn(env, revision),
    deploymentController: { type: "CODE_DEPLOY" },
    taskSets: [{ status: "PRIMARY", taskDefinition: taskDefinitionArn(env, revision), runningCount: 2 }],
  };
}

export function taskDefinition(env: "staging" | "prod", revision: number, tag: string): TaskDefinition {
  return {
    taskDefinitionArn: taskDefinitionArn(env, revision),
    family: `bluegreen-demo-${env}`,
    revision,
    containerDefinitions: [{ name: "app", image: `${IMAGE_REPOSITORY}:${tag}`, portMappings: [{ containerPort: 8080, protocol: "tcp" }] }],
  };
}

/** The DNS name AWS gives an environment's load balancer. */
export const albDnsName = (env: string) => `bluegreen-demo-${env}-alb-1234567890.eu-west-1.elb.amazonaws.com`;

/** Production on green after an even number of swaps (CodeDeploy's weighted forward: new 100, old 0). */
export function listener(env: string, kind: "prod" | "test", live: "blue" | "green"): Listener {
  const other = live === "blue" ? "green" : "blue";
  const serving = kind === "prod" ? live : other;
  return {
    ListenerArn: listenerArn(env, kind),
    LoadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bluegreen-demo-${env}-alb/50dc6c495c0c9188`,
    Port: kind === "prod" ? 80 : 8443,
    Protocol: "HTTP",
    DefaultActions: [
      {
        Type: "forward",
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: targetGroupArn(env, serving), Weight: 100 },
            { TargetGroupArn: targetGroupArn(env, serving === "blue" ? "green" : "blue"), Weight: 0 },
          ],
        },
      },
    ],
  };
}

/** Both environments running their live revision, images in ECR, production on green. */
export function liveEnvironments(mocks: Mocks): void {
  for (const env of ["staging", "prod"] as const) {
    const { revision, tag } = LIVE[env];
    const name = `bluegreen-demo-${env}`;
    mocks.ecs.on(DescribeServicesCommand, { cluster: name, services: [name] }).resolves({ services: [service(env, revision)] });
    mocks.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn(env, revision) }).resolves({ taskDefinition: taskDefinition(env, revision, tag) });
    mocks.elbv2
      .on(DescribeListenersCommand, { ListenerArns: [listenerArn(env, "prod"), listenerArn(env, "test")] })
      .resolves({ Listeners: [listener(env, "prod", "green"), listener(env, "test", "green")] });
    // The URL (ops/url.ts): the ALB by its name, then its listeners.
    const albArn = listener(env, "prod", "green").LoadBalancerArn as string;
    mocks.elbv2.on(DescribeLoadBalancersCommand, { Names: [`${name}-alb`] }).resolves({ LoadBalancers: [{ LoadBalancerArn: albArn, DNSName: albDnsName(env) }] });
    mocks.elbv2.on(DescribeListenersCommand, { LoadBalancerArn: albArn }).resolves({ Listeners: [listener(env, "prod", "green"), listener(env, "test", "green")] });
  }
  mocks.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ repositoryName: "bluegreen-demo", imageTags: ["3f2a1c9"], imageDigest: DIGEST }] });
}
