import { BlueGreenLoadBalancer, BlueGreenLoadBalancerProps } from "../../../constructs/runtime/blue-green-load-balancer";
import { Network } from "../../../constructs/runtime/network";
import { addressOf, awsTestStack, resourceById, resourcesOf, synthJson, testNetwork, TfBlock } from "../../helpers/runtime";
import { deepFreeze, once } from "../../helpers/shared";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0000";

function build(props: Partial<BlueGreenLoadBalancerProps> = {}, network?: (stack: ReturnType<typeof awsTestStack>) => Network) {
  const stack = awsTestStack();
  const lb = new BlueGreenLoadBalancer(stack, "LoadBalancer", {
    name: "demo-prod",
    network: network ? network(stack) : testNetwork(stack),
    containerPort: 8080,
    healthCheck: { path: "/health" },
    ...props,
  });
  return { lb, json: synthJson(stack) };
}

/** The default load balancer, synthesized once and shared by the tests that read it. */
const defaultBuild = once(() => {
  const built = build();
  return { ...built, json: deepFreeze(built.json) };
});

const ref = (json: ReturnType<typeof synthJson>, type: string, id: string, attr: string) =>
  `\${${addressOf(json, type, id)}.${attr}}`;

/** Ingress rules of the ALB security group, as [port, cidr] pairs in address order. */
function ingress(json: ReturnType<typeof synthJson>): [number, string][] {
  return Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).map((r: TfBlock) => [
    r.from_port as number,
    (r.cidr_ipv4 ?? r.cidr_ipv6) as string,
  ]);
}

describe("BlueGreenLoadBalancer: ALB", () => {
  test("creates an internet-facing application load balancer in the public subnets", () => {
    const { json } = defaultBuild();
    const alb = resourceById(json, "aws_lb", "Alb");
    expect(alb).toMatchObject({ internal: false, load_balancer_type: "application", name: "demo-prod-alb" });
    expect(alb.subnets).toEqual([ref(json, "aws_subnet", "PublicSubnet1", "id"), ref(json, "aws_subnet", "PublicSubnet2", "id")]);
    expect(alb.security_groups).toEqual([ref(json, "aws_security_group", "SecurityGroup", "id")]);
  });

  test("drops invalid header fields", () => {
    expect(resourceById(defaultBuild().json, "aws_lb", "Alb").drop_invalid_header_fields).toBe(true);
  });

  test("has deletion protection off by default and on when asked", () => {
    expect(resourceById(defaultBuild().json, "aws_lb", "Alb").enable_deletion_protection).toBe(false);
    expect(resourceById(build({ deletionProtection: true }).json, "aws_lb", "Alb").enable_deletion_protection).toBe(true);
  });

  test("shortens names that exceed AWS's 32 characters", () => {
    const { json } = build({ name: "a-really-long-project-name-production" });
    expect((resourceById(json, "aws_lb", "Alb").name as string).length).toBeLessThanOrEqual(32);
    expect(resourceById(json, "aws_lb_target_group", "GreenTargetGroup").name).toMatch(/^[a-z0-9-]{1,26}-green$/);
  });
});

describe("BlueGreenLoadBalancer: target groups", () => {
  test("creates blue and green IP target groups on the container port in the VPC", () => {
    const { json } = defaultBuild();
    for (const [id, name] of [["BlueTargetGroup", "demo-prod-blue"], ["GreenTargetGroup", "demo-prod-green"]]) {
      expect(resourceById(json, "aws_lb_target_group", id)).toMatchObject({
        name,
        port: 8080,
        protocol: "HTTP",
        target_type: "ip",
        vpc_id: ref(json, "aws_vpc", "Vpc", "id"),
      });
    }
  });

  test("uses fast health checks and a short deregistration delay by default", () => {
    const tg = resourceById(defaultBuild().json, "aws_lb_target_group", "BlueTargetGroup");
    expect(tg.deregistration_delay).toBe("30");
    expect(tg.health_check).toEqual({
      enabled: true,
      protocol: "HTTP",
      port: "traffic-port",
      path: "/health",
      matcher: "200",
      interval: 5,
      timeout: 4,
      healthy_threshold: 2,
      unhealthy_threshold: 2,
    });
  });

  test("applies custom health check timings to both target groups and exposes them", () => {
    const { lb, json } = build({
      healthCheck: { path: "/ready", intervalSeconds: 15, timeoutSeconds: 6, healthyThreshold: 3, unhealthyThreshold: 4, matcher: "200-299" },
      deregistrationDelaySeconds: 10,
    });
    expect(resourceById(json, "aws_lb_target_group", "GreenTargetGroup")).toMatchObject({
      deregistration_delay: "10",
      health_check: { path: "/ready", interval: 15, timeout: 6, healthy_threshold: 3, unhealthy_threshold: 4, matcher: "200-299" },
    });
    expect(lb.timings).toEqual({
      intervalSeconds: 15,
      timeoutSeconds: 6,
      healthyThreshold: 3,
      unhealthyThreshold: 4,
      deregistrationDelaySeconds: 10,
    });
    expect(lb.healthCheckPath).toBe("/ready");
  });

  test("does not use create_before_destroy, since the fixed names would collide", () => {
    expect(resourceById(defaultBuild().json, "aws_lb_target_group", "BlueTargetGroup").lifecycle).toBeUndefined();
  });
});

describe("BlueGreenLoadBalancer: listeners over HTTP", () => {
  test("forwards the production listener on port 80 to the blue target group", () => {
    const { lb, json } = defaultBuild();
    expect(resourceById(json, "aws_lb_listener", "ProdListener")).toMatchObject({
      load_balancer_arn: ref(json, "aws_lb", "Alb", "arn"),
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: ref(json, "aws_lb_target_group", "BlueTargetGroup", "arn") }],
    });
    expect(lb.prodPort).toBe(80);
  });

  test("forwards the test listener on port 8443 to the green target group, so both groups belong to the ALB", () => {
    const { lb, json } = defaultBuild();
    expect(resourceById(json, "aws_lb_listener", "TestListener")).toMatchObject({
      port: 8443,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: ref(json, "aws_lb_target_group", "GreenTargetGroup", "arn") }],
    });
    expect(lb.testPort).toBe(8443);
  });

  test("ignores changes to the default action of both listeners, which CodeDeploy owns", () => {
    const { json } = defaultBuild();
    for (const id of ["ProdListener", "TestListener"]) {
      expect(resourceById(json, "aws_lb_listener", id).lifecycle).toEqual({ ignore_changes: ["default_action"] });
    }
  });

  test("creates no redirect listener without a certificate", () => {
    const { lb, json } = defaultBuild();
    expect(Object.keys(resourcesOf(json, "aws_lb_listener"))).toHaveLength(2);
    expect(lb.httpRedirectListener).toBeUndefined();
  });

  test("uses custom ports", () => {
    const { json } = build({ prodPort: 8080, testPort: 9000 });
    expect(resourceById(json, "aws_lb_listener", "ProdListener").port).toBe(8080);
    expect(resourceById(json, "aws_lb_listener", "TestListener").port).toBe(9000);
  });
});

describe("BlueGreenLoadBalancer: HTTPS", () => {
  test("serves production on 443 over HTTPS with the certificate and a TLS 1.3 policy", () => {
    const { lb, json } = build({ certificateArn: CERT });
    expect(resourceById(json, "aws_lb_listener", "ProdListener")).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      certificate_arn: CERT,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      lifecycle: { ignore_changes: ["default_action"] },
    });
    expect(lb.prodPort).toBe(443);
  });

  test("serves the test listener over HTTPS too", () => {
    const { json } = build({ certificateArn: CERT, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    expect(resourceById(json, "aws_lb_listener", "TestListener")).toMatchObject({
      port: 8443,
      protocol: "HTTPS",
      certificate_arn: CERT,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
    });
  });

  test("redirects HTTP on port 80 to HTTPS permanently", () => {
    const { lb, json } = build({ certificateArn: CERT });
    const redirect = resourceById(json, "aws_lb_listener", "HttpRedirectListener");
    expect(redirect).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    expect(redirect.lifecycle).toBeUndefined();
    expect(lb.httpRedirectListener).toBeDefined();
  });

  test("opens port 80 to the production CIDRs for the redirect", () => {
    expect(ingress(build({ certificateArn: CERT }).json)).toEqual([
      [80, "0.0.0.0/0"],
      [443, "0.0.0.0/0"],
    ]);
  });
});

describe("BlueGreenLoadBalancer: security group", () => {
  test("admits the production port from anywhere and the test port from nowhere by default", () => {
    expect(ingress(defaultBuild().json)).toEqual([[80, "0.0.0.0/0"]]);
  });

  test("admits the production port only from prodIngressCidrs", () => {
    expect(ingress(build({ prodIngressCidrs: ["198.51.100.0/24", "2001:db8::/32"] }).json)).toEqual([
      [80, "198.51.100.0/24"],
      [80, "2001:db8::/32"],
    ]);
  });

  test("admits the test port from testListenerCidrs", () => {
    const { json } = build({ testListenerCidrs: ["203.0.113.7/32"] });
    expect(resourceById(json, "aws_vpc_security_group_ingress_rule", "TestIngress1")).toMatchObject({
      security_group_id: ref(json, "aws_security_group", "SecurityGroup", "id"),
      ip_protocol: "tcp",
      from_port: 8443,
      to_port: 8443,
      cidr_ipv4: "203.0.113.7/32",
    });
  });

  test("allowTestTrafficFrom opens the test port to more CIDRs", () => {
    const stack = awsTestStack();
    const network = testNetwork(stack);
    const lb = new BlueGreenLoadBalancer(stack, "LoadBalancer", {
      name: "demo-prod",
      network,
      containerPort: 8080,
      healthCheck: { path: "/" },
    });
    lb.allowTestTrafficFrom("SmokeTest", network.natPublicIps.map((ip) => `${ip}/32`));
    const json = synthJson(stack);
    expect(resourceById(json, "aws_vpc_security_group_ingress_rule", "Rule1")).toMatchObject({
      from_port: 8443,
      to_port: 8443,
      cidr_ipv4: `${ref(json, "aws_nat_gateway", "NatGateway1", "public_ip")}/32`,
    });
  });

  test("sends traffic only to the container port inside the VPC", () => {
    const { json } = defaultBuild();
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_egress_rule"))).toHaveLength(1);
    expect(resourceById(json, "aws_vpc_security_group_egress_rule", "EgressToTargets")).toMatchObject({
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      cidr_ipv4: "10.0.0.0/16",
    });
  });

  test("limits egress to the container port when an existing VPC's CIDR is unknown", () => {
    const { json } = build({}, (stack) =>
      new Network(stack, "Network", {
        name: "demo-prod",
        existing: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c"] },
      }),
    );
    expect(resourceById(json, "aws_vpc_security_group_egress_rule", "EgressToTargets")).toMatchObject({
      from_port: 8080,
      cidr_ipv4: "0.0.0.0/0",
    });
    expect(resourceById(json, "aws_security_group", "SecurityGroup").vpc_id).toBe("vpc-1");
  });

  test("declares no inline rules, so Terraform removes AWS's default allow-all egress", () => {
    const sg = resourceById(defaultBuild().json, "aws_security_group", "SecurityGroup");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });
});

describe("BlueGreenLoadBalancer validation", () => {
  test("fails when the health check timeout is not below the interval", () => {
    expect(() => build({ healthCheck: { path: "/", intervalSeconds: 5, timeoutSeconds: 5 } })).toThrow(
      "load balancer demo-prod: healthCheck.timeoutSeconds must be less than intervalSeconds (got 5 >= 5)",
    );
  });

  test("fails when a threshold is out of range", () => {
    expect(() => build({ healthCheck: { path: "/", healthyThreshold: 1 } })).toThrow(
      "load balancer demo-prod: healthCheck.healthyThreshold must be an integer from 2 to 10 (got 1)",
    );
  });

  test("fails when the deregistration delay is out of range", () => {
    expect(() => build({ deregistrationDelaySeconds: 4000 })).toThrow(/deregistrationDelaySeconds must be an integer from 0 to 3600 \(got 4000\)/);
  });

  test("fails when the health check path does not start with a slash", () => {
    expect(() => build({ healthCheck: { path: "health" } })).toThrow('healthCheck.path must start with "/" (got "health")');
  });

  test("fails when the test port equals the production port", () => {
    expect(() => build({ prodPort: 8443 })).toThrow("load balancer demo-prod: testPort must differ from prodPort (both 8443)");
  });

  test("fails when an HTTPS listener would take port 80 from the redirect", () => {
    expect(() => build({ certificateArn: CERT, prodPort: 80 })).toThrow(/port 80 is the HTTP-to-HTTPS redirect/);
  });

  test("fails when an SSL policy is given without a certificate", () => {
    expect(() => build({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })).toThrow(/sslPolicy applies to HTTPS listeners only/);
  });

  test("fails on an out-of-range container port", () => {
    expect(() => build({ containerPort: 70000 })).toThrow("load balancer demo-prod: containerPort must be an integer from 1 to 65535 (got 70000)");
  });
});
