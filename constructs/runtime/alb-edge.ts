import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { ELB_NAME_MAX_LENGTH, shortName } from "../core/naming";
import { Network } from "./network";

/** TLS 1.3 with TLS 1.2 fallback for older clients; AWS's recommended policy for internet-facing listeners. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The internet-facing part every ALB of this project has, whether one service owns it (`BlueGreenLoadBalancer`)
 * or the services of a fleet environment share it (`SharedLoadBalancer`): its security group with the listener
 * ingress rules, the ALB itself, and the HTTP-to-HTTPS redirect. Helpers, not a construct, so both keep the
 * construct ids `SecurityGroup`, `Alb`, `ProdIngress<n>`... directly under themselves (resource addresses).
 */

/** Who may reach which listener port. */
export interface ListenerIngress {
  readonly prodPort: number;
  readonly testPort: number;
  /** With HTTPS, port 80 (the redirect) opens to the production CIDRs too. */
  readonly https: boolean;
  readonly prodIngressCidrs: readonly string[];
  readonly testListenerCidrs: readonly string[];
}

/** The ALB's security group `<name>-alb` (rules are separate resources). */
export function albSecurityGroup(scope: Construct, name: string, network: Network, description: string): SecurityGroup {
  return new SecurityGroup(scope, "SecurityGroup", {
    name: `${name}-alb`,
    description,
    vpcId: network.vpcId,
    tags: { Name: `${name}-alb` },
  });
}

/** `ProdIngress<n>`, `HttpIngress<n>` (HTTPS only) and `TestIngress<n>`: one rule per CIDR. */
export function addListenerIngress(scope: Construct, group: SecurityGroup, ingress: ListenerIngress): void {
  const add = (id: string, cidrs: readonly string[], port: number, what: string) =>
    cidrs.forEach((cidr, i) => ingressRule(scope, `${id}${i + 1}`, group, cidr, port, what));
  add("ProdIngress", ingress.prodIngressCidrs, ingress.prodPort, "production listener");
  if (ingress.https) add("HttpIngress", ingress.prodIngressCidrs, 80, "HTTP to HTTPS redirect");
  add("TestIngress", ingress.testListenerCidrs, ingress.testPort, "test listener");
}

/** The internet-facing ALB `Alb` in the public subnets. */
export function internetFacingAlb(scope: Construct, name: string, network: Network, group: SecurityGroup, deletionProtection: boolean): Lb {
  return new Lb(scope, "Alb", {
    name: shortName(name, "alb", ELB_NAME_MAX_LENGTH),
    internal: false,
    loadBalancerType: "application",
    securityGroups: [group.id],
    subnets: network.publicSubnetIds,
    // Rejects requests with header names that are not valid HTTP (request smuggling defence).
    dropInvalidHeaderFields: true,
    enableDeletionProtection: deletionProtection,
  });
}

/** `HttpRedirectListener`: HTTP:80 answering 301 to HTTPS on the production port. */
export function httpRedirectListener(scope: Construct, alb: Lb, prodPort: number): LbListener {
  return new LbListener(scope, "HttpRedirectListener", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(prodPort), statusCode: "HTTP_301" } }],
  });
}

export function ingressRule(scope: Construct, id: string, sg: SecurityGroup, cidr: string, port: number, what: string): void {
  const ipv6 = cidr.includes(":");
  new VpcSecurityGroupIngressRule(scope, id, {
    securityGroupId: sg.id,
    description: `${what} from ${ipv6 ? "IPv6 " : ""}range`,
    ipProtocol: "tcp",
    fromPort: port,
    toPort: port,
    ...(ipv6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
  });
}
