import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { BlueGreenLoadBalancer } from "../constructs/runtime/blue-green-load-balancer";
import { ListenerRuleRoute } from "../constructs/environment/strategies/ecs-native-traffic-routing";
import { environmentId } from "./config-props";

/** The name of an environment's URL output: `StagingUrl`, `EuProdUrl` (the environment id without its `Env`). */
export function environmentUrlOutputName(environment: string): string {
  return `${environmentId(environment).slice("Env".length)}Url`;
}

/**
 * Where an environment answers: the production listener of its load balancer (HTTPS with a certificate), behind a
 * shared ALB with the service's path. The ALB's DNS name is known only after the apply, so this is an output.
 */
export function environmentUrl(loadBalancer: BlueGreenLoadBalancer, route?: ListenerRuleRoute): string {
  const https = loadBalancer.httpRedirectListener !== undefined;
  const port = loadBalancer.prodPort === (https ? 443 : 80) ? "" : `:${loadBalancer.prodPort}`;
  const host = loadBalancer.alb.dnsName;
  const path = (route?.pathPatterns?.[0] ?? "/").replace(/\*.*$/, "");
  return `${https ? "https" : "http"}://${host}${port}${path.startsWith("/") ? path : `/${path}`}`;
}

/** The `<Environment>Url` output of one environment, printed at the end of every deploy. */
export function addEnvironmentUrlOutput(scope: Construct, environment: string, loadBalancer: BlueGreenLoadBalancer, route?: ListenerRuleRoute): TerraformOutput {
  const https = loadBalancer.httpRedirectListener !== undefined;
  const hosts = route?.hostHeaders ?? [];
  const notes = [
    ...(hosts.length > 0 ? [`The listener rule answers requests for ${hosts.join(", ")}: point ${hosts.length > 1 ? "those names" : "that name"} at the load balancer`] : []),
    ...(https ? ["The certificate names your domain, not this host: point a DNS record at the load balancer (CNAME, or a Route 53 alias)"] : []),
  ];
  return new TerraformOutput(scope, environmentUrlOutputName(environment), {
    value: environmentUrl(loadBalancer, route),
    description: [`The ${environment} environment's production URL`, ...notes].join(". "),
  });
}
