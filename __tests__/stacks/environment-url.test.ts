import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config";
import { environmentUrlOutputName } from "../../stacks/environment-url";
import { synthesizeApp } from "../../stacks/synthesize";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON
type Json = Record<string, any>;

/** Every stack's outputs of an example config, synthesized as `npm run synth` does. */
function outputsOf(example: string): Record<string, Json> {
  const outdir = mkdtempSync(join(tmpdir(), "urls-"));
  try {
    const stacks = synthesizeApp(loadConfig(join(__dirname, "..", "..", "config", "examples", example)), outdir);
    return Object.fromEntries(
      stacks.all().map((s) => [s.node.id, (JSON.parse(readFileSync(join(outdir, "stacks", s.node.id, "cdk.tf.json"), "utf8")) as Json).output ?? {}]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("every environment's URL is a stack output", () => {
  test("names the output after the environment", () => {
    expect(environmentUrlOutputName("staging")).toBe("StagingUrl");
    expect(environmentUrlOutputName("eu-prod-2")).toBe("EuProd2Url");
  });

  test("HTTP on port 80: the load balancer's DNS name, per environment", () => {
    const aws = outputsOf("default.yaml")["bluegreen-demo"];
    expect(aws.StagingUrl.value).toMatch(/^http:\/\/\$\{aws_lb\.EnvStaging_LoadBalancer_Alb_[0-9A-F]{8}\.dns_name\}\/$/);
    expect(aws.ProdUrl.value).toMatch(/^http:\/\/\$\{aws_lb\.EnvProd_LoadBalancer_Alb_[0-9A-F]{8}\.dns_name\}\/$/);
    expect(aws.ProdUrl.description).toBe("The prod environment's production URL");
  });

  test("with a certificate: HTTPS, and the description says to point a DNS record at the load balancer", () => {
    const aws = outputsOf("single-env-https.yaml").landing;
    expect(aws.ProdUrl.value).toMatch(/^https:\/\/\$\{aws_lb\.EnvProd_LoadBalancer_Alb_[0-9A-F]{8}\.dns_name\}\/$/);
    expect(aws.ProdUrl.description).toContain("point a DNS record at the load balancer (CNAME, or a Route 53 alias)");
  });

  test("behind a shared load balancer: each service's own route on the platform's ALB", () => {
    const outputs = outputsOf("fleet-ecs-shared-alb.yaml");
    const urls = Object.entries(outputs)
      .filter(([stack]) => !stack.endsWith("-github") && !stack.endsWith("-access") && stack !== "bootstrap" && !stack.endsWith("-platform"))
      .flatMap(([stack, output]) => Object.entries(output).filter(([name]) => name.endsWith("Url")).map(([name, o]) => `${stack} ${name} ${o.value}`));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls).toContain("market-orders StagingUrl http://${data.terraform_remote_state.cross-stack-reference-input-market-platform.outputs.cross-stack-output-aws_lbEnvStaging_LoadBalancer_Alb_1912C4CAdns_name}/orders");
    expect(outputs["market-web"].ProdUrl.description).toBe(
      "The prod environment's production URL. The listener rule answers requests for www.market.example.com, market.example.com: point those names at the load balancer",
    );
  });
});
