/**
 * The URL an environment answers on: its load balancer's DNS name (known only once deployed; the stack's
 * `<Environment>Url` output says the same) with the production listener's protocol and port.
 */
import { DescribeListenersCommand, DescribeLoadBalancersCommand, LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import { EnvironmentTarget } from "./project";
import { Session } from "./session";

/** `https://<alb dns>/` (a port only when it is not the protocol's default), or undefined while the ALB does not exist. */
export async function environmentUrl(session: Session, env: EnvironmentTarget): Promise<string | undefined> {
  const { elbv2 } = session.clients;
  const alb = await loadBalancer(session, env.loadBalancerName);
  if (!alb?.DNSName || !alb.LoadBalancerArn) return undefined;
  const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: alb.LoadBalancerArn })))?.Listeners ?? [];
  const production = listeners.find((l) => l.Port === env.prodListenerPort);
  const scheme = production?.Protocol === "HTTPS" ? "https" : "http";
  const port = env.prodListenerPort === (scheme === "https" ? 443 : 80) ? "" : `:${env.prodListenerPort}`;
  return `${scheme}://${alb.DNSName}${port}/`;
}

async function loadBalancer(session: Session, name: string): Promise<LoadBalancer | undefined> {
  try {
    return (await session.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] })))?.LoadBalancers?.[0];
  } catch (error) {
    // Not deployed yet (or destroyed): status shows "-" for the URL and goes on.
    if ((error as { name?: string }).name === "LoadBalancerNotFoundException") return undefined;
    throw error;
  }
}
