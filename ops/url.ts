/**
 * The URL an environment answers on, from its production listener: the listener's protocol and port, its load
 * balancer's DNS name (known only once deployed; the stack's `<Environment>Url` output says the same).
 */
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Session } from "./session";

/** `https://<alb dns>/` (a port only when it is not the protocol's default), or undefined without a listener. */
export async function listenerUrl(session: Session, listenerArn: string | undefined): Promise<string | undefined> {
  if (!listenerArn) return undefined;
  const { elbv2 } = session.clients;
  const listener = (await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners?.[0];
  if (!listener?.LoadBalancerArn) return undefined;
  const alb = (await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn] }))).LoadBalancers?.[0];
  if (!alb?.DNSName) return undefined;
  const scheme = listener.Protocol === "HTTPS" ? "https" : "http";
  const port = listener.Port === undefined || listener.Port === (scheme === "https" ? 443 : 80) ? "" : `:${listener.Port}`;
  return `${scheme}://${alb.DNSName}${port}/`;
}
