import { derivedPriority } from "../../../config";
import { BlueGreenLoadBalancer } from "../../../constructs/runtime/blue-green-load-balancer";
import { SharedLoadBalancer } from "../../../constructs/runtime/shared-load-balancer";
import { fleetConfig, Json, remoteStateOutputs, resourcesOf, synthFleet } from "../../helpers/fleet";
import { awsTestStack, resourcesOf as resourcesById, synthJson, testNetwork } from "../../helpers/runtime";

// Fleet mode with strategy ecs: one ALB per environment on the platform stack, each service's listener rules on it.

const SERVICES = [
  { name: "web", repository: "shop-web", routing: { hosts: ["www.shop.example.com"] } },
  { name: "cart", repository: "shop-cart", routing: { hosts: ["api.shop.example.com"], pathPrefix: "/cart", priority: 100 } },
  { name: "orders", repository: "shop-orders", routing: { hosts: ["api.shop.example.com"], pathPrefix: "/orders" } },
];

/** staging on ECS-native blue/green (shared ALB), prod on CodeDeploy (an ALB per service). */
function synthMixed(services: readonly Record<string, unknown>[] = SERVICES): Readonly<Record<string, Json>> {
  return synthFleet(
    fleetConfig({
      services,
      environments: [
        { name: "staging", strategy: "ecs", testListenerCidrs: ["198.51.100.0/24"] },
        { name: "prod", requireApproval: true },
      ],
    }),
  ).json;
}

/** The listener rules of one service stack, by construct path segment (`EnvStaging_Deployment_ProductionRule_...`). */
function rules(stack: Json): [string, Json][] {
  return Object.entries((stack.resource?.aws_lb_listener_rule ?? {}) as Record<string, Json>);
}

describe("shared load balancer (fleet mode, strategy ecs)", () => {
  let json: Readonly<Record<string, Json>>;
  beforeAll(() => {
    json = synthMixed();
  });

  test("the platform creates one ALB per ecs environment, and none for codedeploy environments", () => {
    expect(resourcesOf(json["shop-platform"], "aws_lb").map((lb) => lb.name)).toEqual(["shop-staging-alb"]);
  });

  test("ecs environments of a service create no ALB or listener; codedeploy environments keep the service's own ALB", () => {
    for (const name of ["web", "cart", "orders"]) {
      const stack = json[`shop-${name}`];
      expect(resourcesOf(stack, "aws_lb").map((lb) => lb.name)).toEqual([`shop-${name}-prod-alb`]);
      expect(resourcesOf(stack, "aws_lb_listener")).toHaveLength(2);
      expect(resourcesOf(stack, "aws_lb_target_group").map((tg) => tg.name).sort()).toEqual([
        `shop-${name}-prod-blue`,
        `shop-${name}-prod-green`,
        `shop-${name}-staging-blue`,
        `shop-${name}-staging-green`,
      ]);
    }
  });

  test("the shared listeners answer 404 to requests no service takes, on 80 (production) and 8443 (test)", () => {
    const listeners = resourcesOf(json["shop-platform"], "aws_lb_listener");
    expect(listeners.map((l) => [l.port, l.protocol])).toEqual([
      [80, "HTTP"],
      [8443, "HTTP"],
    ]);
    for (const listener of listeners) {
      expect(listener.default_action).toEqual([
        { type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "404", message_body: "No service matches this host and path" } },
      ]);
      // ECS reweights the services' rules, not this action: Terraform keeps owning it.
      expect(listener.lifecycle).toBeUndefined();
    }
  });

  test("the shared ALB's security group opens production to the world and the test listener to testListenerCidrs only", () => {
    const ingress = resourcesOf(json["shop-platform"], "aws_vpc_security_group_ingress_rule").map((r) => [r.from_port, r.cidr_ipv4]);
    expect(ingress).toEqual([
      [80, "0.0.0.0/0"],
      [8443, "198.51.100.0/24"],
    ]);
  });

  test("each service adds a production and a test rule with its host and path conditions on the shared listeners", () => {
    const [[prodId, prod], [testId, test]] = rules(json["shop-orders"]);
    expect(prodId).toMatch(/^EnvStaging_Deployment_ProductionRule_/);
    expect(testId).toMatch(/^EnvStaging_Deployment_TestRule_/);
    const conditions = [{ host_header: { values: ["api.shop.example.com"] } }, { path_pattern: { values: ["/orders", "/orders/*"] } }];
    expect(prod.condition).toEqual(conditions);
    expect(test.condition).toEqual(conditions);
    expect(remoteStateOutputs(prod.listener_arn)).toEqual([expect.stringMatching(/^cross-stack-output-aws_lb_listenerEnvStaging_LoadBalancer_ProdListener_\w+arn$/)]);
    expect(remoteStateOutputs(test.listener_arn)).toEqual([expect.stringMatching(/^cross-stack-output-aws_lb_listenerEnvStaging_LoadBalancer_TestListener_\w+arn$/)]);
  });

  test("a host-only route has no path condition", () => {
    const [[, prod]] = rules(json["shop-web"]);
    expect(prod.condition).toEqual([{ host_header: { values: ["www.shop.example.com"] } }]);
  });

  test("rule priorities are routing.priority when set, else derived from the service name", () => {
    const priorities = (name: string) => rules(json[`shop-${name}`]).map(([, rule]) => rule.priority);
    expect(priorities("cart")).toEqual([100, 100]);
    expect(priorities("orders")).toEqual([derivedPriority("orders"), derivedPriority("orders")]);
    expect(derivedPriority("orders")).toBe(39388);
    expect(derivedPriority("web")).toBe(24103);
  });

  test("adding and removing services leaves every other service's rules unchanged", () => {
    const before = rules(json["shop-orders"]);
    const added = synthMixed([...SERVICES, { name: "search", repository: "shop-search", routing: { pathPrefix: "/search", hosts: ["api.shop.example.com"] } }]);
    const removed = synthMixed(SERVICES.filter((s) => s.name !== "web"));
    expect(rules(added["shop-orders"])).toEqual(before);
    expect(rules(removed["shop-orders"])).toEqual(before);
    expect(rules(added["shop-search"]).map(([, rule]) => rule.priority)).toEqual([derivedPriority("search"), derivedPriority("search")]);
  });

  test("tasks accept the container port from the shared ALB's security group, which may send to them", () => {
    const stack = json["shop-web"];
    const staging = (type: string, id: string) => stack.resource[type][Object.keys(stack.resource[type]).find((k) => k.startsWith(`EnvStaging_Service_${id}`)) as string];
    const ingress = staging("aws_vpc_security_group_ingress_rule", "IngressFromLoadBalancer");
    expect(ingress.from_port).toBe(8080);
    expect(remoteStateOutputs(ingress.referenced_security_group_id)).toEqual([expect.stringMatching(/^cross-stack-output-aws_security_groupEnvStaging_LoadBalancer_SecurityGroup_\w+id$/)]);
    const egress = staging("aws_vpc_security_group_egress_rule", "LoadBalancerToTasks");
    expect(remoteStateOutputs(egress.security_group_id)).toEqual([expect.stringMatching(/^cross-stack-output-aws_security_groupEnvStaging_LoadBalancer_SecurityGroup_\w+id$/)]);
    expect(egress.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.EnvStaging_Service_SecurityGroup_\w+\.id\}$/);
  });

  test("the ECS service's blue/green settings name its own rules, and it depends on no remote-state output", () => {
    const service = resourcesOf(json["shop-web"], "aws_ecs_service").find((s) => s.name === "shop-web-staging") as Json;
    const advanced = service.load_balancer[0].advanced_configuration;
    expect(advanced.production_listener_rule).toMatch(/^\$\{aws_lb_listener_rule\.EnvStaging_Deployment_ProductionRule_\w+\.arn\}$/);
    expect(advanced.test_listener_rule).toMatch(/^\$\{aws_lb_listener_rule\.EnvStaging_Deployment_TestRule_\w+\.arn\}$/);
    // depends_on may only name resources; a shared listener is another stack's.
    expect(service.depends_on.some((d: string) => d.includes("terraform_remote_state"))).toBe(false);
    expect(service.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lb_listener_rule\.EnvStaging_Deployment_ProductionRule_/)]));
  });

  test("no smoke-test hook where the ALB is shared (its request would carry no route), even with NAT egress", () => {
    const hooks = resourcesOf(json["shop-web"], "aws_lambda_function").filter((f) => /smoke|Hook/i.test(f.function_name));
    expect(hooks.map((f) => f.function_name)).toEqual(["CodeDeployHook_shop-web-prod"]);
  });

  test("with a certificate the shared ALB serves HTTPS on 443 and redirects 80", () => {
    const platform = synthFleet(
      fleetConfig({
        services: SERVICES,
        environments: [{ name: "staging", strategy: "ecs", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" }],
      }),
    ).json["shop-platform"];
    const listeners = resourcesOf(platform, "aws_lb_listener").map((l) => [l.port, l.protocol, l.default_action[0].type]);
    expect(listeners.sort((a, b) => a[0] - b[0])).toEqual([
      [80, "HTTP", "redirect"],
      [443, "HTTPS", "fixed-response"],
      [8443, "HTTPS", "fixed-response"],
    ]);
  });
});

describe("SharedLoadBalancer and a service's target groups behind it", () => {
  function build() {
    const stack = awsTestStack();
    const network = testNetwork(stack);
    const shared = new SharedLoadBalancer(stack, "Shared", { name: "shop-prod", network });
    const service = new BlueGreenLoadBalancer(stack, "LoadBalancer", { name: "shop-web-prod", network, containerPort: 8080, healthCheck: { path: "/health" }, shared });
    return { stack, network, shared, service };
  }

  test("a service behind a shared ALB creates only its blue and green target groups and uses the shared listeners", () => {
    const { stack, shared, service } = build();
    const json = synthJson(stack);
    expect(Object.keys(resourcesById(json, "aws_lb"))).toEqual([expect.stringMatching(/^Shared_Alb_/)]);
    expect(Object.keys(resourcesById(json, "aws_lb_target_group")).sort()).toEqual([
      expect.stringMatching(/^LoadBalancer_BlueTargetGroup_/),
      expect.stringMatching(/^LoadBalancer_GreenTargetGroup_/),
    ]);
    expect(service.prodListener).toBe(shared.prodListener);
    expect(service.testListener).toBe(shared.testListener);
    expect(service.securityGroup).toBe(shared.securityGroup);
    expect([service.prodPort, service.testPort]).toEqual([80, 8443]);
  });

  test("fails when listener settings are given to a service behind a shared ALB", () => {
    const { stack, network, shared } = build();
    expect(
      () =>
        new BlueGreenLoadBalancer(stack, "Other", { name: "shop-cart-prod", network, containerPort: 8080, healthCheck: { path: "/health" }, shared, testPort: 9000, deletionProtection: true }),
    ).toThrow("load balancer shop-cart-prod: testPort, deletionProtection belong to the shared load balancer; give them there, not with shared");
  });

  test("fails when a service behind a shared ALB opens the shared test listener", () => {
    const { service } = build();
    expect(() => service.allowTestTrafficFrom("Hook", ["203.0.113.1/32"])).toThrow("the test listener of a shared ALB is opened on the platform stack");
  });

  test("fails when sslPolicy is given without a certificate", () => {
    const stack = awsTestStack();
    expect(() => new SharedLoadBalancer(stack, "Shared", { name: "shop-prod", network: testNetwork(stack), sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })).toThrow(
      'shared load balancer shop-prod: sslPolicy applies to HTTPS listeners only; give certificateArn too (got sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06")',
    );
  });
});
