import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { addListenerIngress, albSecurityGroup, DEFAULT_SSL_POLICY, httpRedirectListener, ingressRule, internetFacingAlb } from "./alb-edge";
import { ELB_NAME_MAX_LENGTH, shortName } from "../core/naming";
import { Network } from "./network";
import type { SharedLoadBalancer } from "./shared-load-balancer";

export interface HealthCheckProps {
  /** HTTP path the target group probes; must answer `matcher` without auth. */
  readonly path: string;
  /**
   * Seconds between probes. The AWS default (30 s, 5 healthy checks) makes a new task wait
   * 2.5 minutes before it takes traffic, on every deployment; 5 s (the minimum) also notices a
   * failing task within 10 s, so alarms stop a bad deployment sooner.
   * @default 5
   */
  readonly intervalSeconds?: number;
  /** Consecutive successes before a target is healthy. @default 2 (10 s with the default interval) */
  readonly healthyThreshold?: number;
  /** Consecutive failures before a target is unhealthy. @default 2 */
  readonly unhealthyThreshold?: number;
  /** Seconds to wait for a response; must be less than the interval. @default 4 */
  readonly timeoutSeconds?: number;
  /** HTTP codes that count as healthy, e.g. `"200"` or `"200-299"`. @default "200" */
  readonly matcher?: string;
}

export interface BlueGreenLoadBalancerProps {
  /** Prefix for names, e.g. `demo-prod`; shortened with a hash where AWS allows only 32 characters. */
  readonly name: string;
  readonly network: Network;
  /** Port the container listens on; the target groups send traffic and health checks there. */
  readonly containerPort: number;
  readonly healthCheck: HealthCheckProps;
  /**
   * Seconds the ALB keeps sending in-flight requests to a deregistering target. The AWS default
   * of 300 s adds five minutes to every traffic shift and rollback; 30 s covers typical requests.
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;
  /** Production listener port. @default 80, or 443 with `certificateArn` */
  readonly prodPort?: number;
  /** Test listener port; CodeDeploy routes it to the new task set before production traffic. @default 8443 */
  readonly testPort?: number;
  /**
   * ACM certificate for HTTPS. With it, both listeners use HTTPS and port 80 redirects to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listeners; only with `certificateArn`. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /**
   * CIDRs that may reach the test listener (testers, the smoke-test hook's NAT IPs via `allowTestTrafficFrom`).
   * @default [] - reachable from nowhere
   */
  readonly testListenerCidrs?: readonly string[];
  /** CIDRs that may reach the production listener (and the HTTP redirect). @default ["0.0.0.0/0"] */
  readonly prodIngressCidrs?: readonly string[];
  /** ALB deletion protection; turn on for production. @default false */
  readonly deletionProtection?: boolean;
  /**
   * Another stack's ALB (fleet mode, `strategy: ecs`): only the target groups are created here, and the
   * listeners, ports, TLS and ingress are the shared ALB's (giving any of them here is an error).
   * @default - this construct creates its own ALB, security group and listeners
   */
  readonly shared?: SharedLoadBalancer;
}

/** The health check and traffic-shift timings in effect (for alarms, hooks and docs). */
export interface LoadBalancerTimings {
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly timeoutSeconds: number;
  readonly deregistrationDelaySeconds: number;
}

/**
 * An internet-facing ALB for CodeDeploy blue/green: a production and a test listener and two
 * identical target groups. The listeners start on fixed target groups; after that CodeDeploy owns
 * their actions, so Terraform ignores `default_action`. With `shared` (ECS-native blue/green in a fleet),
 * only the two target groups are created, behind another stack's ALB and listeners.
 */
export class BlueGreenLoadBalancer extends Construct {
  public readonly alb: Lb;
  public readonly securityGroup: SecurityGroup;
  public readonly blueTargetGroup: LbTargetGroup;
  public readonly greenTargetGroup: LbTargetGroup;
  public readonly prodListener: LbListener;
  public readonly testListener: LbListener;
  /** HTTP:80 listener redirecting to HTTPS; only with a certificate. */
  public readonly httpRedirectListener?: LbListener;
  public readonly prodPort: number;
  public readonly testPort: number;
  public readonly healthCheckPath: string;
  public readonly timings: LoadBalancerTimings;
  /** The shared ALB this service's target groups sit behind, when it has no ALB of its own. */
  public readonly shared?: SharedLoadBalancer;

  constructor(scope: Construct, id: string, props: BlueGreenLoadBalancerProps) {
    super(scope, id);
    const https = props.certificateArn !== undefined;
    this.shared = props.shared;
    this.prodPort = props.shared?.prodPort ?? props.prodPort ?? (https ? 443 : 80);
    this.testPort = props.shared?.testPort ?? props.testPort ?? 8443;
    this.healthCheckPath = props.healthCheck.path;
    this.timings = {
      intervalSeconds: props.healthCheck.intervalSeconds ?? 5,
      healthyThreshold: props.healthCheck.healthyThreshold ?? 2,
      unhealthyThreshold: props.healthCheck.unhealthyThreshold ?? 2,
      timeoutSeconds: props.healthCheck.timeoutSeconds ?? 4,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds ?? 30,
    };
    validateProps(props, this.prodPort, this.testPort, this.timings);
    if (props.shared) {
      const { shared } = props;
      this.securityGroup = shared.securityGroup;
      this.alb = shared.alb;
      this.prodListener = shared.prodListener;
      this.testListener = shared.testListener;
      this.httpRedirectListener = shared.httpRedirectListener;
      this.blueTargetGroup = this.targetGroup("BlueTargetGroup", "blue", props);
      this.greenTargetGroup = this.targetGroup("GreenTargetGroup", "green", props);
      return;
    }
    const prodIngressCidrs = props.prodIngressCidrs ?? ["0.0.0.0/0"];
    const testListenerCidrs = props.testListenerCidrs ?? [];

    this.securityGroup = albSecurityGroup(this, props.name, props.network, `ALB of ${props.name}: listeners in, container port out`);
    addListenerIngress(this, this.securityGroup, { prodPort: this.prodPort, testPort: this.testPort, https, prodIngressCidrs, testListenerCidrs });
    // Targets are task IPs inside the VPC; when an existing VPC's CIDR is unknown the rule is
    // still limited to the container port (Terraform removes AWS's default allow-all egress).
    new VpcSecurityGroupEgressRule(this, "EgressToTargets", {
      securityGroupId: this.securityGroup.id,
      description: "Traffic and health checks to the tasks",
      ipProtocol: "tcp",
      fromPort: props.containerPort,
      toPort: props.containerPort,
      cidrIpv4: props.network.vpcCidr ?? "0.0.0.0/0",
    });

    this.alb = internetFacingAlb(this, props.name, props.network, this.securityGroup, props.deletionProtection ?? false);

    this.blueTargetGroup = this.targetGroup("BlueTargetGroup", "blue", props);
    this.greenTargetGroup = this.targetGroup("GreenTargetGroup", "green", props);

    const tls = https ? { certificateArn: props.certificateArn, sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY } : {};
    // Production starts on blue, the group the ECS service is created with. The test listener
    // starts on green, where CodeDeploy sends test traffic first (docs/design.md: "test listener ->
    // green TG"); this also keeps both groups attached to the ALB before the first deployment.
    // CodeDeploy rewrites both actions during every deployment, so this is only the starting point.
    this.prodListener = this.blueGreenListener("ProdListener", this.prodPort, this.blueTargetGroup, tls);
    this.testListener = this.blueGreenListener("TestListener", this.testPort, this.greenTargetGroup, tls);
    if (https) this.httpRedirectListener = httpRedirectListener(this, this.alb, this.prodPort);
  }

  /** Opens the test listener to more CIDRs, e.g. the NAT IPs the smoke-test hook calls from. */
  public allowTestTrafficFrom(id: string, cidrs: readonly string[]): void {
    if (this.shared) throw new Error(`load balancer ${this.node.path}: the test listener of a shared ALB is opened on the platform stack`);
    const group = new Construct(this, id);
    cidrs.forEach((cidr, i) => ingressRule(group, `Rule${i + 1}`, this.securityGroup, cidr, this.testPort, `test listener (${id})`));
  }

  private targetGroup(id: string, colour: string, props: BlueGreenLoadBalancerProps): LbTargetGroup {
    const t = this.timings;
    // No create_before_destroy: names are fixed, so a replacement would collide with itself.
    return new LbTargetGroup(this, id, {
      name: shortName(props.name, colour, ELB_NAME_MAX_LENGTH),
      port: props.containerPort,
      protocol: "HTTP",
      // Fargate tasks (awsvpc networking) register by IP.
      targetType: "ip",
      vpcId: props.network.vpcId,
      deregistrationDelay: String(t.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: props.healthCheck.path,
        matcher: props.healthCheck.matcher ?? "200",
        interval: t.intervalSeconds,
        timeout: t.timeoutSeconds,
        healthyThreshold: t.healthyThreshold,
        unhealthyThreshold: t.unhealthyThreshold,
      },
      tags: { Name: `${props.name}-${colour}` },
    });
  }

  private blueGreenListener(
    id: string,
    port: number,
    initial: LbTargetGroup,
    tls: { certificateArn?: string; sslPolicy?: string },
  ): LbListener {
    const defaultAction: LbListenerDefaultAction[] = [{ type: "forward", targetGroupArn: initial.arn }];
    return new LbListener(this, id, {
      loadBalancerArn: this.alb.arn,
      port,
      protocol: tls.certificateArn ? "HTTPS" : "HTTP",
      ...tls,
      defaultAction,
      // CodeDeploy rewrites the action on every deployment and leaves a weighted forward
      // (new group 100, old group 0). Ignoring only target_group_arn is not enough: a later
      // apply would send traffic back to the old task set (terraform-provider-aws #28129).
      lifecycle: { ignoreChanges: ["default_action"] },
    });
  }
}

function validateProps(props: BlueGreenLoadBalancerProps, prodPort: number, testPort: number, t: LoadBalancerTimings): void {
  const where = `load balancer ${props.name}`;
  const range = (key: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${where}: ${key} must be an integer from ${min} to ${max} (got ${value})`);
    }
  };
  range("containerPort", props.containerPort, 1, 65535);
  range("prodPort", prodPort, 1, 65535);
  range("testPort", testPort, 1, 65535);
  range("healthCheck.intervalSeconds", t.intervalSeconds, 5, 300);
  range("healthCheck.timeoutSeconds", t.timeoutSeconds, 2, 120);
  range("healthCheck.healthyThreshold", t.healthyThreshold, 2, 10);
  range("healthCheck.unhealthyThreshold", t.unhealthyThreshold, 2, 10);
  range("deregistrationDelaySeconds", t.deregistrationDelaySeconds, 0, 3600);
  if (t.timeoutSeconds >= t.intervalSeconds) {
    throw new Error(
      `${where}: healthCheck.timeoutSeconds must be less than intervalSeconds (got ${t.timeoutSeconds} >= ${t.intervalSeconds})`,
    );
  }
  if (!props.healthCheck.path.startsWith("/")) {
    throw new Error(`${where}: healthCheck.path must start with "/" (got "${props.healthCheck.path}")`);
  }
  if (props.shared) {
    const own = (["prodPort", "testPort", "certificateArn", "sslPolicy", "testListenerCidrs", "prodIngressCidrs", "deletionProtection"] as const).filter(
      (key) => props[key] !== undefined,
    );
    if (own.length > 0) throw new Error(`${where}: ${own.join(", ")} belong to the shared load balancer; give them there, not with shared`);
  }
  if (prodPort === testPort) {
    throw new Error(`${where}: testPort must differ from prodPort (both ${prodPort})`);
  }
  if (props.certificateArn !== undefined && (prodPort === 80 || testPort === 80)) {
    throw new Error(`${where}: with certificateArn, port 80 is the HTTP-to-HTTPS redirect; use other prodPort/testPort (got ${prodPort}/${testPort})`);
  }
  if (props.sslPolicy !== undefined && props.certificateArn === undefined) {
    throw new Error(`${where}: sslPolicy applies to HTTPS listeners only; give certificateArn too (got sslPolicy "${props.sslPolicy}")`);
  }
}
