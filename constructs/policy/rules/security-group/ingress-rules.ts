/** Every ingress permission of the stack, whichever of the three Terraform shapes declares it. */
import { PolicyContext, TfBlock } from "../../types";
import { blocks, num, strings } from "../../values";

export interface IngressPermission {
  /** The resource that declares it (the security group for inline rules). */
  readonly resource: TfBlock;
  /** The security group it opens. */
  readonly securityGroup: TfBlock | undefined;
  readonly cidrs: string[];
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly description: unknown;
}

export const ANYWHERE = ["0.0.0.0/0", "::/0"];

export function ingressPermissions(ctx: PolicyContext): IngressPermission[] {
  const inline = ctx.resources("aws_security_group").flatMap((sg) =>
    blocks(sg.body.ingress).map((rule) => ({
      resource: sg,
      securityGroup: sg,
      cidrs: [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)],
      protocol: String(rule.protocol ?? "tcp"),
      fromPort: num(rule.from_port),
      toPort: num(rule.to_port),
      description: rule.description,
    })),
  );
  const vpcRules = ctx.resources("aws_vpc_security_group_ingress_rule").map((rule) => ({
    resource: rule,
    securityGroup: ctx.refs(rule.body.security_group_id)[0],
    cidrs: [...strings(rule.body.cidr_ipv4), ...strings(rule.body.cidr_ipv6)],
    protocol: String(rule.body.ip_protocol ?? "tcp"),
    fromPort: num(rule.body.from_port),
    toPort: num(rule.body.to_port),
    description: rule.body.description,
  }));
  const legacyRules = ctx
    .resources("aws_security_group_rule")
    .filter((rule) => rule.body.type === "ingress")
    .map((rule) => ({
      resource: rule,
      securityGroup: ctx.refs(rule.body.security_group_id)[0],
      cidrs: [...strings(rule.body.cidr_blocks), ...strings(rule.body.ipv6_cidr_blocks)],
      protocol: String(rule.body.protocol ?? "tcp"),
      fromPort: num(rule.body.from_port),
      toPort: num(rule.body.to_port),
      description: rule.body.description,
    }));
  return [...inline, ...vpcRules, ...legacyRules];
}

/** Protocol "-1"/"all" opens every port whatever the port numbers say. */
export function isAllProtocols(protocol: string): boolean {
  return protocol === "-1" || protocol.toLowerCase() === "all";
}
