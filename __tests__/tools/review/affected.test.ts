import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "../../../config";
import { synthesizeApp } from "../../../stacks/synthesize";
import { affectedStacks, AffectedResult, StackDecision } from "../../../tools/review/affected";
import { readSynth, SynthStack } from "../../../tools/review/synth-output";
import { fleetInput } from "../../helpers/fleet";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Synthesizes a fleet like `cdktf synth` and reads it back the way the review script does. */
function synth(input: Record<string, unknown>): Map<string, SynthStack> {
  const outdir = mkdtempSync(join(tmpdir(), "review-affected-"));
  dirs.push(outdir);
  synthesizeApp(validateConfig(input, "review test config"), outdir);
  return readSynth(outdir);
}

const options = { neverPlan: ["bootstrap", "shop-access"] };
const planned = (result: AffectedResult): string[] => result.stacks.filter((s) => s.plan).map((s) => s.stack);
const decision = (result: AffectedResult, stack: string): StackDecision => {
  const found = result.stacks.find((s) => s.stack === stack);
  if (!found) throw new Error(`no decision for ${stack}`);
  return found;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit arbitrary Terraform JSON
type Json = Record<string, any>;

/** A copy of `stacks` where `stack`'s Terraform JSON went through `edit` (a code change the config cannot express). */
function edited(stacks: ReadonlyMap<string, SynthStack>, stack: string, edit: (json: Json) => void): Map<string, SynthStack> {
  const copy = new Map(stacks);
  const json = JSON.parse(JSON.stringify(stacks.get(stack)!.json)) as Json;
  edit(json);
  copy.set(stack, { ...stacks.get(stack)!, json });
  return copy;
}
const services = (list: readonly Record<string, unknown>[]): Record<string, unknown> => ({ services: list });
const web = { name: "web", repository: "shop-web" };
const cart = { name: "cart", repository: "shop-cart", branch: "release", service: { containerName: "cart", cpu: 512, memory: 1024 } };

describe("affectedStacks on synthesized fleets", () => {
  const base = synth(fleetInput());

  test("plans nothing when the change leaves every stack's Terraform as it was", () => {
    // GIVEN the same config, written with its keys in another order
    const reordered = Object.fromEntries(Object.entries(fleetInput()).reverse());
    // WHEN
    const result = affectedStacks(synth(reordered), base, undefined, options);
    // THEN
    expect(planned(result)).toEqual([]);
    expect(result.stacks.every((s) => s.status === "unchanged")).toBe(true);
    expect(result.fallback).toBeUndefined();
  });

  test("plans only the service stack whose service changed", () => {
    const head = synth(fleetInput(services([web, { ...cart, service: { ...cart.service, desiredCount: 4 } }])));
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual(["shop-cart"]);
    expect(decision(result, "shop-cart")).toMatchObject({ status: "changed", reasons: ["changed: aws_ecs_service.EnvProd_Service_428B11CA, aws_ecs_service.EnvStaging_Service_B2C932F0"] });
    expect(decision(result, "shop-web").status).toBe("unchanged");
    expect(decision(result, "shop-platform").status).toBe("unchanged");
  });

  test("plans every service stack when the platform's network changes under them", () => {
    // GIVEN a new VPC range: the platform's VPCs and subnets change, and the services' egress rules follow the range
    const head = synth(fleetInput({ network: { mode: "new", vpcCidr: "10.70.0.0/16" } }));
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual(["shop-cart", "shop-platform", "shop-web"]);
    expect(decision(result, "shop-github").status).toBe("unchanged");
  });

  test("plans the stacks that read a platform output the change may alter, through what the output depends on", () => {
    // GIVEN a platform code change of the prod VPC only: the prod subnets and NAT gateway (their ids, its IP) are built on it
    const head = edited(base, "shop-platform", (json) => {
      json.resource.aws_vpc.EnvProd_Network_Vpc_B7FB55A3.tags.Purpose = "review";
    });
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual(["shop-cart", "shop-platform", "shop-web"]);
    for (const service of ["shop-cart", "shop-web"]) {
      const { status, reasons } = decision(result, service);
      expect(status).toBe("inputs-changed");
      expect(reasons).toEqual([
        "reads outputs of shop-platform that may change: cross-stack-output-aws_nat_gatewayEnvProd_Network_NatGateway1_46FCF8F7public_ip, cross-stack-output-aws_subnetEnvProd_Network_PrivateSubnet1_38BCE31Fid, cross-stack-output-aws_subnetEnvProd_Network_PrivateSubnet2_DFC165ADid and 3 more",
      ]);
    }
    // The infrastructure repository's stack reads only a cluster's ARN, which the VPC does not touch.
    expect(decision(result, "shop-github").status).toBe("unchanged");
  });

  test("plans only the platform when no output another stack reads depends on what changed", () => {
    // GIVEN a prod route table association changes: no output refers to it
    const head = edited(base, "shop-platform", (json) => {
      const [association] = Object.keys(json.resource.aws_route_table_association).filter((key) => key.startsWith("EnvProd_"));
      json.resource.aws_route_table_association[association].lifecycle = { create_before_destroy: true };
    });
    expect(planned(affectedStacks(head, base, undefined, options))).toEqual(["shop-platform"]);
  });

  test("ignores cdktf's comments and the order of keys and of depends_on", () => {
    const head = edited(base, "shop-web", (json) => {
      json["//"].metadata.version = "0.0.0";
      const service = json.resource.aws_ecs_service.EnvProd_Service_428B11CA;
      service["//"].metadata.path = "elsewhere";
      service.depends_on.reverse();
      json.resource.aws_ecs_service.EnvProd_Service_428B11CA = Object.fromEntries(Object.entries(service).reverse());
      json.output = { ...json.output, Url: { value: "x", description: "before" } };
    });
    const described = edited(head, "shop-web", (json) => {
      json.output.Url.description = "after";
    });
    expect(decision(affectedStacks(described, head, undefined, options), "shop-web").status).toBe("unchanged");
    expect(decision(affectedStacks(head, base, undefined, options), "shop-web").reasons).toEqual(["changed: output.Url"]);
  });

  test("plans a new stack", () => {
    const head = synth(fleetInput(services([web, cart, { name: "orders", repository: "shop-orders" }])));
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual(["shop-orders", "shop-orders-github"]);
    expect(decision(result, "shop-orders")).toEqual({ stack: "shop-orders", status: "new", plan: true, reasons: ["new stack"] });
  });

  test("flags a removed stack as a destroy risk without planning it", () => {
    const head = synth(fleetInput(services([web])));
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual([]);
    expect(decision(result, "shop-cart")).toEqual({
      stack: "shop-cart",
      status: "removed",
      plan: false,
      reasons: ["removed from the code: its resources stay deployed (state s3:acme-shop-tfstate/shop/shop-cart.tfstate)"],
    });
    expect(decision(result, "shop-cart-github").status).toBe("removed");
  });

  test("plans the services that inherit a changed default of the config file, not the one that overrides it", () => {
    // GIVEN only the config changes: the fleet-wide default desired count (cart sets its own)
    const head = synth(fleetInput({ service: { desiredCount: 3 }, ...services([web, { ...cart, service: { ...cart.service, desiredCount: 2 } }]) }));
    const result = affectedStacks(head, base, undefined, options);
    expect(planned(result)).toEqual(["shop-web"]);
  });

  test("plans every stack but the administrator-applied ones, and says why, when there is no base", () => {
    const result = affectedStacks(base, undefined, "the base failed to synthesize: exit 1", options);
    expect(result.fallback).toBe("the base failed to synthesize: exit 1");
    expect(planned(result)).toEqual(["shop-cart", "shop-cart-github", "shop-github", "shop-platform", "shop-web", "shop-web-github"]);
    for (const stack of ["bootstrap", "shop-access"]) {
      expect(decision(result, stack)).toEqual({
        stack,
        status: "unknown",
        plan: false,
        reasons: ["the base failed to synthesize: exit 1", "never planned in CI (applied by an administrator)"],
      });
    }
  });
});

describe("affectedStacks through chains of remote state", () => {
  const s3 = (key: string) => ({ backend: { s3: { bucket: "b", key } } });
  const reads = (key: string) => ({ terraform_remote_state: { upstream: { backend: "s3", config: { bucket: "b", key }, workspace: "${terraform.workspace}" } } });
  const stack = (name: string, json: Json): [string, SynthStack] => [name, { name, dir: name, json, assetsDigest: "" }];
  const fleet = (cidr: string, wholeOutputs = false) =>
    new Map([
      stack("net", { terraform: s3("net"), resource: { aws_vpc: { v: { cidr_block: cidr } }, aws_iam_role: { r: { name: "r" } } }, output: { vpc: { value: "${aws_vpc.v.id}" }, role: { value: "${aws_iam_role.r.arn}" } } }),
      stack("svc", { terraform: s3("svc"), data: reads("net"), resource: { aws_x: { s: { vpc: "${data.terraform_remote_state.upstream.outputs.vpc}" } } }, output: { s: { value: "${aws_x.s.id}" } } }),
      stack("svc-github", { terraform: s3("svc-github"), data: reads("svc"), resource: { github_y: { y: { v: "${data.terraform_remote_state.upstream.outputs.s}" } } } }),
      stack("roles", { terraform: s3("roles"), data: reads("net"), resource: { aws_z: { z: { role: wholeOutputs ? "${lookup(data.terraform_remote_state.upstream.outputs, \"role\")}" : "${data.terraform_remote_state.upstream.outputs.role}" } } } }),
    ]);

  test("passes a possible output change on from stack to stack, matching remote state to stacks by their backend", () => {
    const result = affectedStacks(fleet("10.1.0.0/16"), fleet("10.0.0.0/16"), undefined);
    expect(result.stacks.map((d) => [d.stack, d.status, d.reasons])).toEqual([
      ["net", "changed", ["changed: aws_vpc.v"]],
      ["roles", "unchanged", []],
      ["svc", "inputs-changed", ["reads outputs of net that may change: vpc"]],
      ["svc-github", "inputs-changed", ["reads outputs of svc that may change: s"]],
    ]);
  });

  test("plans a stack that uses the whole outputs object whenever an output of its source may change", () => {
    const result = affectedStacks(fleet("10.1.0.0/16", true), fleet("10.0.0.0/16", true), undefined);
    expect(decision(result, "roles")).toEqual({ stack: "roles", status: "inputs-changed", plan: true, reasons: ["reads outputs of net that may change: (all outputs)"] });
  });
});
