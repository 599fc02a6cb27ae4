import { Token } from "cdktf";
import { Network, NetworkProps, planSubnets } from "../../../constructs/runtime/network";
import { addressOf, awsTestStack, resourceById, resourcesOf, synthJson, testNetwork } from "../../helpers/runtime";

const TWO_AZS = ["eu-west-1a", "eu-west-1b"];

function build(props: Partial<NetworkProps> = {}) {
  const stack = awsTestStack();
  const network = new Network(stack, "Network", { name: "demo-prod", ...props });
  return { network, json: synthJson(stack) };
}

describe("Network with a new VPC", () => {
  test("creates a VPC with the given CIDR and DNS support and hostnames", () => {
    const { json } = build({ newVpc: { cidr: "10.20.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    expect(resourceById(json, "aws_vpc", "Vpc")).toMatchObject({
      cidr_block: "10.20.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  test("creates a public and a private subnet per AZ with CIDRs computed from the VPC CIDR", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    const subnet = (id: string) => resourceById(json, "aws_subnet", id);
    expect(subnet("PublicSubnet1")).toMatchObject({ availability_zone: "eu-west-1a", cidr_block: "10.0.0.0/19" });
    expect(subnet("PublicSubnet2")).toMatchObject({ availability_zone: "eu-west-1b", cidr_block: "10.0.32.0/19" });
    expect(subnet("PrivateSubnet1")).toMatchObject({ availability_zone: "eu-west-1a", cidr_block: "10.0.128.0/19" });
    expect(subnet("PrivateSubnet2")).toMatchObject({ availability_zone: "eu-west-1b", cidr_block: "10.0.160.0/19" });
    expect(Object.keys(resourcesOf(json, "aws_subnet"))).toHaveLength(4);
  });

  test("does not give public IPs to everything launched in a public subnet", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    expect(resourceById(json, "aws_subnet", "PublicSubnet1").map_public_ip_on_launch).toBe(false);
  });

  test("routes the public subnets to an internet gateway", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    const igw = addressOf(json, "aws_internet_gateway", "InternetGateway");
    const table = addressOf(json, "aws_route_table", "PublicRouteTable");
    expect(resourceById(json, "aws_route", "PublicDefaultRoute")).toEqual({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: `\${${igw}.id}`,
      route_table_id: `\${${table}.id}`,
    });
    expect(resourceById(json, "aws_route_table_association", "PublicSubnet2RouteTable").route_table_id).toBe(`\${${table}.id}`);
  });

  test("creates one NAT gateway with an Elastic IP per AZ for per-az, each private subnet using its own", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "per-az" } });
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(2);
    expect(resourceById(json, "aws_eip", "NatEip1")).toMatchObject({ domain: "vpc" });
    const nat2 = addressOf(json, "aws_nat_gateway", "NatGateway2");
    expect(resourceById(json, "aws_nat_gateway", "NatGateway2").subnet_id).toBe(`\${${addressOf(json, "aws_subnet", "PublicSubnet2")}.id}`);
    expect(resourceById(json, "aws_route", "PrivateDefaultRoute2")).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      nat_gateway_id: `\${${nat2}.id}`,
      route_table_id: `\${${addressOf(json, "aws_route_table", "PrivateRouteTable2")}.id}`,
    });
  });

  test("shares one NAT gateway in the first AZ between all private subnets for single", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_eip"))).toHaveLength(1);
    const nat = `\${${addressOf(json, "aws_nat_gateway", "NatGateway1")}.id}`;
    expect(resourceById(json, "aws_route", "PrivateDefaultRoute1").nat_gateway_id).toBe(nat);
    expect(resourceById(json, "aws_route", "PrivateDefaultRoute2").nat_gateway_id).toBe(nat);
  });

  test("runs tasks in the private subnets and exposes the NAT public IPs when there is a NAT gateway", () => {
    const { network } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "per-az" } });
    expect(network.taskSubnetIds).toEqual(network.privateSubnetIds);
    expect(network.tasksNeedPublicIp).toBe(false);
    expect(network.natPublicIps).toHaveLength(2);
    expect(network.natPublicIps.every((ip) => Token.isUnresolved(ip))).toBe(true);
  });

  test("creates no NAT gateway for none and runs tasks in the public subnets with a public IP", () => {
    const { network, json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "none" } });
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(json, "aws_eip")).toEqual({});
    expect(network.taskSubnetIds).toEqual(network.publicSubnetIds);
    expect(network.tasksNeedPublicIp).toBe(true);
    expect(network.natPublicIps).toEqual([]);
  });

  test("keeps private subnets without an internet route for none, so adding NAT later replaces nothing", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "none" } });
    expect(Object.keys(resourcesOf(json, "aws_subnet"))).toHaveLength(4);
    expect(Object.keys(resourcesOf(json, "aws_route"))).toEqual([expect.stringContaining("PublicDefaultRoute")]);
  });

  test("leaves the VPC's default security group alone (adopting it would tag a group the project did not create)", () => {
    const { json } = build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "single" } });
    expect(json.resource?.aws_default_security_group).toBeUndefined();
  });

  test("exposes the VPC and its CIDR, and puts every subnet in it", () => {
    const stack = awsTestStack();
    const network = testNetwork(stack);
    const json = synthJson(stack);
    const vpcRef = `\${${addressOf(json, "aws_vpc", "Vpc")}.id}`;
    expect(network.vpc).toBeDefined();
    expect(network.vpcCidr).toBe("10.0.0.0/16");
    expect(Object.values(resourcesOf(json, "aws_subnet")).map((s) => s.vpc_id)).toEqual(Array(4).fill(vpcRef));
  });
});

describe("Network with an existing VPC", () => {
  const existing = { vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"] };

  test("creates no resources and passes the ids through", () => {
    const { network, json } = build({ existing });
    expect(json.resource ?? {}).toEqual({});
    expect(network.vpcId).toBe("vpc-1");
    expect(network.publicSubnetIds).toEqual(["subnet-a", "subnet-b"]);
    expect(network.privateSubnetIds).toEqual(["subnet-c", "subnet-d"]);
    expect(network.vpc).toBeUndefined();
  });

  test("runs tasks in the private subnets without a public IP", () => {
    const { network } = build({ existing });
    expect(network.taskSubnetIds).toEqual(["subnet-c", "subnet-d"]);
    expect(network.tasksNeedPublicIp).toBe(false);
    expect(network.natPublicIps).toEqual([]);
  });

  test("exposes the NAT public IPs an existing VPC declares", () => {
    const { network } = build({ existing: { ...existing, natPublicIps: ["198.51.100.7"] } });
    expect(network.natPublicIps).toEqual(["198.51.100.7"]);
  });

  test("fails when fewer than two public subnets are given", () => {
    expect(() => build({ existing: { ...existing, publicSubnetIds: ["subnet-a"] } })).toThrow(
      "network demo-prod: existing.publicSubnetIds needs at least 2 subnets in different AZs for the ALB (got 1)",
    );
  });

  test("fails when no private subnet is given", () => {
    expect(() => build({ existing: { ...existing, privateSubnetIds: [] } })).toThrow(/existing.privateSubnetIds needs at least 1/);
  });
});

describe("Network validation", () => {
  test("fails when neither newVpc nor existing is given", () => {
    expect(() => build({})).toThrow("network demo-prod: give exactly one of newVpc and existing");
  });

  test("fails when both newVpc and existing are given", () => {
    expect(() =>
      build({
        newVpc: { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "none" },
        existing: { vpcId: "vpc-1", publicSubnetIds: ["a", "b"], privateSubnetIds: ["c"] },
      }),
    ).toThrow(/exactly one of newVpc and existing/);
  });

  test("fails with a single availability zone", () => {
    expect(() => build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a"], natGateways: "none" } })).toThrow(
      "network demo-prod: newVpc.availabilityZones must list 2 to 8 zones (got 1)",
    );
  });

  test("fails when an availability zone repeats", () => {
    expect(() =>
      build({ newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1a"], natGateways: "none" } }),
    ).toThrow(/must not repeat a zone/);
  });

  test("fails on a malformed CIDR", () => {
    expect(() => build({ newVpc: { cidr: "10.0.0.300/16", availabilityZones: TWO_AZS, natGateways: "none" } })).toThrow(
      'newVpc.cidr must be an IPv4 CIDR from /16 to /28, like 10.0.0.0/16 (got "10.0.0.300/16")',
    );
  });

  test("fails on a CIDR with host bits set and suggests the network address", () => {
    expect(() => build({ newVpc: { cidr: "10.0.1.0/16", availabilityZones: TWO_AZS, natGateways: "none" } })).toThrow(
      /did you mean 10.0.0.0\/16\?/,
    );
  });

  test("fails when the CIDR is too small to split into subnets", () => {
    expect(() => build({ newVpc: { cidr: "10.0.0.0/26", availabilityZones: TWO_AZS, natGateways: "none" } })).toThrow(
      "network demo-prod: newVpc.cidr must be /25 or larger for 2 zones (got 10.0.0.0/26)",
    );
  });
});

describe("planSubnets", () => {
  test("keeps the existing subnets' CIDRs when an AZ is added within the first four", () => {
    const two = planSubnets("n", { cidr: "10.0.0.0/16", availabilityZones: TWO_AZS, natGateways: "none" });
    const three = planSubnets("n", { cidr: "10.0.0.0/16", availabilityZones: [...TWO_AZS, "eu-west-1c"], natGateways: "none" });
    expect(three.public.slice(0, 2)).toEqual(two.public);
    expect(three.private.slice(0, 2)).toEqual(two.private);
  });

  test("uses sixteen slots for more than four AZs", () => {
    const azs = ["a", "b", "c", "d", "e"].map((l) => `us-east-1${l}`);
    const plan = planSubnets("n", { cidr: "10.0.0.0/16", availabilityZones: azs, natGateways: "none" });
    expect(plan.public[4]).toBe("10.0.64.0/20");
    expect(plan.private[0]).toBe("10.0.128.0/20");
  });
});
