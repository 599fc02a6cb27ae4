import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { addListenerIngress, albSecurityGroup, DEFAULT_SSL_POLICY, httpRedirectListener, internetFacingAlb } from "./alb-edge";
import { Network } from "./network";
import { suppress } from "../policy";

export interface SharedLoadBalancerProps {
  /** Prefix for names, e.g. `shop-prod`; shortened with a hash where AWS allows only 32 characters. */
  readonly name: string;
  readonly network: Network;
  /**
   * ACM certificate for HTTPS: both listeners use HTTPS and port 80 redirects to HTTPS.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listeners; only with `certificateArn`. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** CIDRs that may reach the test listener. @default [] - reachable from nowhere */
  readonly testListenerCidrs?: readonly string[];
  /** CIDRs that may reach the production listener (and the HTTP redirect). @default ["0.0.0.0/0"] */
  readonly prodIngressCidrs?: readonly string[];
  /** ALB deletion protection; turn on for production. @default false */
  readonly deletionProtection?: boolean;
}

/** Production listener port: 80, or 443 with a certificate (as `BlueGreenLoadBalancer`). */
const HTTP_PORT = 80;
const HTTPS_PORT = 443;
/** Test listener port (as `BlueGreenLoadBalancer`). */
const TEST_PORT = 8443;

/**
 * One internet-facing ALB that the services of a fleet environment share (`strategy: ecs`): a production and
 * a test listener whose default action answers 404, and no target groups. Each service adds its own target
 * groups and a production and a test listener *rule* (host and/or path conditions) that ECS reweights during
 * its blue/green deployments, and an egress rule from this security group to its tasks. CodeDeploy swaps
 * whole listeners, so `strategy: codedeploy` services keep an ALB of their own.
 */
export class SharedLoadBalancer extends Construct {
  public readonly alb: Lb;
  public readonly securityGroup: SecurityGroup;
  public readonly prodListener: LbListener;
  public readonly testListener: LbListener;
  /** HTTP:80 listener redirecting to HTTPS; only with a certificate. */
  public readonly httpRedirectListener?: LbListener;
  public readonly prodPort: number;
  public readonly testPort: number;

  constructor(scope: Construct, id: string, props: SharedLoadBalancerProps) {
    super(scope, id);
    const https = props.certificateArn !== undefined;
    if (props.sslPolicy !== undefined && !https) {
      throw new Error(`shared load balancer ${props.name}: sslPolicy applies to HTTPS listeners only; give certificateArn too (got sslPolicy "${props.sslPolicy}")`);
    }
    this.prodPort = https ? HTTPS_PORT : HTTP_PORT;
    this.testPort = TEST_PORT;
    this.securityGroup = albSecurityGroup(this, props.name, props.network, `ALB shared by the services of ${props.name}: listeners in, each service's container port out`);
    addListenerIngress(this, this.securityGroup, {
      prodPort: this.prodPort,
      testPort: this.testPort,
      https,
      prodIngressCidrs: props.prodIngressCidrs ?? ["0.0.0.0/0"],
      testListenerCidrs: props.testListenerCidrs ?? [],
    });
    // The policy pack reads one stack at a time, and the production listener rules that make port 80/443 this ALB's
    // production entry are in the service stacks; only the production ingress rules are exempt (the test listener's are not).
    for (const child of this.node.children) {
      if (/^(Prod|Http)Ingress\d+$/.test(child.node.id)) {
        suppress(child, [{ id: "BG-SG-001", reason: "production listener (and its HTTPS redirect) of the ALB the fleet's strategy-ecs services share; their production rules live in their own stacks" }]);
      }
    }
    this.alb = internetFacingAlb(this, props.name, props.network, this.securityGroup, props.deletionProtection ?? false);
    const tls = https ? { certificateArn: props.certificateArn, sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY } : {};
    this.prodListener = this.listener("ProdListener", this.prodPort, tls);
    this.testListener = this.listener("TestListener", this.testPort, tls);
    if (https) this.httpRedirectListener = httpRedirectListener(this, this.alb, this.prodPort);
  }

  private listener(id: string, port: number, tls: { certificateArn?: string; sslPolicy?: string }): LbListener {
    return new LbListener(this, id, {
      loadBalancerArn: this.alb.arn,
      port,
      protocol: tls.certificateArn ? "HTTPS" : "HTTP",
      ...tls,
      // Requests no service's rule takes. ECS reweights the services' rules, never this action, so Terraform owns it.
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "No service matches this host and path" } }],
    });
  }
}
