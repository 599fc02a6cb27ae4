import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";

/** How private subnets reach the internet (ECR, CloudWatch Logs, the smoke test's calls to the ALB). */
export type NatGatewayMode = "none" | "single" | "per-az";

export interface NewVpcProps {
  /** IPv4 CIDR of the VPC, e.g. `10.0.0.0/16`; at most /24 so every subnet gets at least /28. */
  readonly cidr: string;
  /** Availability zones, e.g. `["eu-west-1a", "eu-west-1b"]`; at least two (an ALB needs two), at most eight. */
  readonly availabilityZones: readonly string[];
  /**
   * NAT gateways for the private subnets. The trade-off is cost against isolation and availability:
   * - `"per-az"`: one NAT gateway (and Elastic IP) per AZ. Each costs an hourly fee plus a per-GB
   *   processing fee (in us-east-1 about USD 0.045/hour, roughly USD 33/month per AZ, plus
   *   USD 0.045/GB, image pulls included); an AZ outage only affects the tasks in that AZ.
   *   The production choice.
   * - `"single"`: one NAT gateway in the first AZ shared by all private subnets: half (2 AZs) or a
   *   third (3 AZs) of the fixed cost, same per-GB fee plus cross-AZ transfer, but tasks in every
   *   AZ lose outbound access (image pulls, logs) when that AZ fails.
   * - `"none"`: no NAT gateway: tasks run in the public subnets with a public IP (each public IPv4
   *   address is billed hourly too, but far below a NAT gateway). Cheapest and fine for demos;
   *   least isolated: tasks are addressable from the internet, and only their security group
   *   (which admits the ALB alone) stands in the way.
   */
  readonly natGateways: NatGatewayMode;
}

export interface ExistingVpcProps {
  readonly vpcId: string;
  /** Subnets for the internet-facing ALB, in at least two AZs. */
  readonly publicSubnetIds: readonly string[];
  /** Subnets for the tasks; they need a route to the internet (NAT) or VPC endpoints for ECR and Logs. */
  readonly privateSubnetIds: readonly string[];
  /**
   * The VPC's IPv4 CIDR, used to narrow the ALB's egress to the VPC.
   * @default - unknown: the ALB may send to any address, on the container port only
   */
  readonly vpcCidr?: string;
  /**
   * Public IPs the private subnets egress from (their NAT), so the smoke-test hook may call the test listener.
   * @default - none: no smoke test is possible
   */
  readonly natPublicIps?: readonly string[];
}

export interface NetworkProps {
  /** Prefix for resource names (Name tags), e.g. `demo-prod`. */
  readonly name: string;
  /** Create a new VPC. Exactly one of `newVpc` and `existing`. */
  readonly newVpc?: NewVpcProps;
  /** Use an existing VPC by ids. Exactly one of `newVpc` and `existing`. */
  readonly existing?: ExistingVpcProps;
}

/**
 * The network of one environment: a new VPC with public subnets (ALB, NAT gateways) and private
 * subnets (tasks) in each AZ, or an existing VPC given by ids.
 */
export class Network extends Construct {
  public readonly vpcId: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  /** Where tasks run: the private subnets, or the public ones when there is no NAT gateway. */
  public readonly taskSubnetIds: string[];
  /** True only for a new VPC without NAT gateways: tasks then need a public IP to pull images. */
  public readonly tasksNeedPublicIp: boolean;
  /**
   * Public IPs outbound task/Lambda traffic leaves from: the new VPC's NAT gateways, or what an
   * existing VPC declares; empty for natGateways "none" or an existing VPC that declares none.
   */
  public readonly natPublicIps: string[];
  /** The VPC's IPv4 CIDR when known (always for a new VPC). */
  public readonly vpcCidr?: string;
  public readonly vpc?: Vpc;
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnets: Subnet[] = [];
  public readonly natGateways: NatGateway[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (Boolean(props.newVpc) === Boolean(props.existing)) {
      throw new Error(`network ${props.name}: give exactly one of newVpc and existing`);
    }
    if (props.existing) {
      const existing = validateExisting(props.name, props.existing);
      this.vpcId = existing.vpcId;
      this.publicSubnetIds = [...existing.publicSubnetIds];
      this.privateSubnetIds = [...existing.privateSubnetIds];
      this.taskSubnetIds = [...existing.privateSubnetIds];
      this.tasksNeedPublicIp = false;
      this.natPublicIps = [...(existing.natPublicIps ?? [])];
      this.vpcCidr = existing.vpcCidr;
      return;
    }
    const spec = props.newVpc as NewVpcProps;
    const cidrs = planSubnets(props.name, spec);
    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: spec.cidr,
      // Both are needed for private DNS of interface endpoints and for ECS service discovery.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = spec.cidr;
    // The VPC's default security group is left alone: adopting it (aws_default_security_group) tags a group the
    // project did not create, and the deploy role may add the project tag only while creating (issue 20). Nothing of
    // the project uses that group; removing its rules (CIS AWS 5.4) is the account's: AWS Config's
    // vpc-default-security-group-closed rule, or an administrator once per VPC.
    this.buildPublicTier(props.name, spec, cidrs.public);
    this.buildPrivateTier(props.name, spec, cidrs.private);
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.tasksNeedPublicIp = spec.natGateways === "none";
    this.taskSubnetIds = this.tasksNeedPublicIp ? this.publicSubnetIds : this.privateSubnetIds;
    this.natPublicIps = this.natGateways.map((nat) => nat.publicIp);
  }

  private buildPublicTier(name: string, spec: NewVpcProps, cidrs: string[]): void {
    const vpcId = this.vpcId;
    const igw = new InternetGateway(this, "InternetGateway", { vpcId, tags: { Name: name } });
    const table = new RouteTable(this, "PublicRouteTable", { vpcId, tags: { Name: `${name}-public` } });
    new Route(this, "PublicDefaultRoute", {
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    spec.availabilityZones.forEach((az, i) => {
      const subnet = new Subnet(this, `PublicSubnet${i + 1}`, {
        vpcId,
        availabilityZone: az,
        cidrBlock: cidrs[i],
        // No automatic public IPs: only what asks for one (the ALB, NAT gateways, tasks when
        // natGateways is "none" via the service's assign_public_ip) gets one.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${az}` },
      });
      new RouteTableAssociation(this, `PublicSubnet${i + 1}RouteTable`, { subnetId: subnet.id, routeTableId: table.id });
      this.publicSubnets.push(subnet);
    });
    const natCount = { none: 0, single: 1, "per-az": spec.availabilityZones.length }[spec.natGateways];
    for (let i = 0; i < natCount; i++) {
      const az = spec.availabilityZones[i];
      const eip = new Eip(this, `NatEip${i + 1}`, { domain: "vpc", tags: { Name: `${name}-nat-${az}` } });
      this.natGateways.push(
        new NatGateway(this, `NatGateway${i + 1}`, {
          allocationId: eip.allocationId,
          subnetId: this.publicSubnets[i].id,
          tags: { Name: `${name}-${az}` },
          // The NAT gateway only works once the VPC has an internet gateway.
          dependsOn: [igw],
        }),
      );
    }
  }

  private buildPrivateTier(name: string, spec: NewVpcProps, cidrs: string[]): void {
    spec.availabilityZones.forEach((az, i) => {
      const subnet = new Subnet(this, `PrivateSubnet${i + 1}`, {
        vpcId: this.vpcId,
        availabilityZone: az,
        cidrBlock: cidrs[i],
        tags: { Name: `${name}-private-${az}` },
      });
      // One table per AZ even with a single NAT, so moving to per-az later only changes routes.
      const table = new RouteTable(this, `PrivateRouteTable${i + 1}`, {
        vpcId: this.vpcId,
        tags: { Name: `${name}-private-${az}` },
      });
      new RouteTableAssociation(this, `PrivateSubnet${i + 1}RouteTable`, { subnetId: subnet.id, routeTableId: table.id });
      // Without NAT the private subnets stay (unused by tasks, no internet route), so switching
      // natGateways later neither replaces subnets nor renumbers CIDRs.
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      if (nat) {
        new Route(this, `PrivateDefaultRoute${i + 1}`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
      this.privateSubnets.push(subnet);
    });
  }
}

/** The subnet CIDRs of a new VPC, computed at synth time so the plan shows real ranges. */
export interface SubnetPlan {
  readonly public: string[];
  readonly private: string[];
}

/**
 * Splits the VPC CIDR into equal slots: public subnets take slots 0..n-1, private subnets the
 * second half. The number of slots is fixed at 8 (room for 4 AZs) or 16 (up to 8 AZs), so
 * adding an AZ within that room adds subnets without renumbering, and therefore without
 * replacing, the existing ones.
 */
export function planSubnets(name: string, spec: NewVpcProps): SubnetPlan {
  const azs = spec.availabilityZones;
  if (azs.length < 2 || azs.length > 8) {
    throw new Error(`network ${name}: newVpc.availabilityZones must list 2 to 8 zones (got ${azs.length})`);
  }
  if (new Set(azs).size !== azs.length) {
    throw new Error(`network ${name}: newVpc.availabilityZones must not repeat a zone (got ${azs.join(", ")})`);
  }
  const { base, prefix } = parseCidr(name, spec.cidr);
  const newBits = azs.length <= 4 ? 3 : 4;
  const subnetPrefix = prefix + newBits;
  if (subnetPrefix > 28) {
    throw new Error(
      `network ${name}: newVpc.cidr must be /${28 - newBits} or larger for ${azs.length} zones (got ${spec.cidr})`,
    );
  }
  const half = 2 ** (newBits - 1);
  const size = 2 ** (32 - subnetPrefix);
  const slot = (i: number) => `${formatIp(base + i * size)}/${subnetPrefix}`;
  return { public: azs.map((_, i) => slot(i)), private: azs.map((_, i) => slot(half + i)) };
}

function parseCidr(name: string, cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : -1;
  if (!match || octets.some((o) => o > 255) || prefix < 16 || prefix > 28) {
    throw new Error(`network ${name}: newVpc.cidr must be an IPv4 CIDR from /16 to /28, like 10.0.0.0/16 (got "${cidr}")`);
  }
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) {
    throw new Error(`network ${name}: newVpc.cidr has host bits set; did you mean ${formatIp(base - (base % 2 ** (32 - prefix)))}/${prefix}? (got ${cidr})`);
  }
  return { base, prefix };
}

function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function validateExisting(name: string, existing: ExistingVpcProps): ExistingVpcProps {
  if (existing.publicSubnetIds.length < 2) {
    throw new Error(
      `network ${name}: existing.publicSubnetIds needs at least 2 subnets in different AZs for the ALB (got ${existing.publicSubnetIds.length})`,
    );
  }
  if (existing.privateSubnetIds.length < 1) {
    throw new Error(`network ${name}: existing.privateSubnetIds needs at least 1 subnet for the tasks (got 0)`);
  }
  return existing;
}
