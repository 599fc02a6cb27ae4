import { createHash } from "node:crypto";
import { z } from "zod";
import { strategyOf } from "./deploy-rules";

/**
 * Fleet mode with `deploy.strategy: ecs`: the services of an environment share one ALB (on `<project>-platform`),
 * each taking its requests with a production and a test listener rule. This file holds the routing schema,
 * the rule priority scheme and the rules that keep the routes apart. Same style as ./fleet-rules.ts.
 *
 * Priorities: a service's rules use `routing.priority` when set, otherwise a number derived from the service
 * name alone (`derivedPriority`), so adding or removing a service never renumbers another one's rules
 * (renumbering would replace nothing but would rewrite every rule on every change). Because overlapping routes
 * are refused, at most one service rule matches any request: priorities only need to be unique per listener,
 * their order never decides who gets a request. Two services whose priorities collide are refused, and the
 * message says to set `routing.priority` on one of them.
 */

type Ctx = z.core.$RefinementCtx;

/** ALB rule priorities are 1-50000 per listener. */
export const MAX_RULE_PRIORITY = 50000;
/** ALB quota "condition values per rule" (not adjustable): host names plus path patterns. */
export const MAX_CONDITION_VALUES = 5;
/** ALB quota "target groups per Application Load Balancer" (100, not adjustable), 2 per service (blue, green). */
export const MAX_SERVICES_PER_SHARED_ALB = 50;

const hostName = z
  .string()
  .max(128)
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    message: "must be a lowercase host name without wildcards, e.g. shop.example.com",
  });

export const routing = z
  .strictObject({
    hosts: z
      .array(hostName)
      .min(1)
      .max(MAX_CONDITION_VALUES)
      .optional()
      .describe("Host names (Host header, exact match) this service answers on the shared ALB. @default - any host"),
    pathPrefix: z
      .string()
      .max(126)
      .regex(/^(\/[A-Za-z0-9._~!$&'()+,;=:@%-]+)+$/, {
        message: 'must be a path like "/orders" or "/api/v2": segments after "/", no trailing "/", no wildcards',
      })
      .optional()
      .describe('Path prefix this service answers: the prefix itself and everything under it ("/orders" and "/orders/*"). @default - every path'),
    priority: z
      .int()
      .min(1)
      .max(MAX_RULE_PRIORITY)
      .optional()
      .describe("Priority of the service's listener rules (unique per environment). @default - derived from the service name, stable when services are added or removed"),
  })
  .describe(
    "strategy ecs in fleet mode: which requests of the environment's shared ALB reach this service (production and test listener rules). Routes of two services may not overlap. @default - every request (only valid for a service that shares the ALB with no other)",
  );

export type RoutingConfig = z.output<typeof routing>;

/** A stable rule priority from the service name alone: 1 + (first 32 bits of SHA-256 of the name) mod 50000. */
export function derivedPriority(serviceName: string): number {
  return 1 + (createHash("sha256").update(serviceName).digest().readUInt32BE(0) % MAX_RULE_PRIORITY);
}

/** The priority of a service's listener rules: `routing.priority`, else derived from its name. */
export function routePriority(entry: { readonly name: string; readonly routing?: RoutingConfig }): number {
  return entry.routing?.priority ?? derivedPriority(entry.name);
}

/** The ALB path patterns of a prefix: the prefix itself and everything below it. */
export function prefixPatterns(prefix: string): string[] {
  return [prefix, `${prefix}/*`];
}

interface RoutingView {
  readonly environments: readonly { readonly name: string; readonly deploy?: { readonly strategy: string }; readonly smokeTest?: boolean }[];
  readonly services?: readonly { readonly name: string; readonly routing?: RoutingConfig }[];
}

/** True when this fleet environment's services share one ALB (fleet mode and `deploy.strategy: ecs`). */
export function sharesLoadBalancer(environment: { readonly deploy?: { readonly strategy: string } }, fleet: boolean): boolean {
  return fleet && strategyOf(environment) === "ecs";
}

/** Routes of services that share an ALB: no overlap, no priority collision, within the ALB's quotas. */
export function checkSharedRouting(config: RoutingView, ctx: Ctx): void {
  const services = config.services;
  // Which environments share an ALB is unknown while one has problems of its own (./deploy-rules.ts, strategyOf).
  if (!services || config.environments.some((environment) => strategyOf(environment) === undefined)) return;
  const shared = config.environments.map((environment, index) => ({ environment, index })).filter(({ environment }) => sharesLoadBalancer(environment, true));
  if (shared.length === 0) {
    // Routes only mean something on a shared ALB; a routing block that nothing reads is a config mistake.
    services.forEach((entry, index) => {
      if (entry.routing === undefined) return;
      ctx.addIssue({
        code: "custom",
        path: ["services", index, "routing"],
        input: entry.routing,
        message: "only applies where services share an ALB, and no environment uses strategy ecs (each service has its own ALB); remove it, or set deploy.strategy: ecs on an environment",
      });
    });
    return;
  }
  for (const { environment, index } of shared) {
    if (environment.smokeTest === true) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", index, "smokeTest"],
        input: true,
        message: "the smoke-test hook is not available where fleet services share the load balancer (strategy ecs in fleet mode); remove it",
      });
    }
  }
  if (services.length > MAX_SERVICES_PER_SHARED_ALB) {
    ctx.addIssue({
      code: "custom",
      path: ["services"],
      input: services.length,
      message: `environments ${shared.map((s) => s.environment.name).join(", ")} use strategy ecs, so the services share one ALB there; an ALB holds at most 100 target groups (2 per service), so at most ${MAX_SERVICES_PER_SHARED_ALB} services`,
    });
  }
  const priorities = new Map<number, number>();
  services.forEach((entry, index) => {
    const at = (...path: (string | number)[]) => ["services", index, "routing", ...path];
    const hosts = entry.routing?.hosts ?? [];
    const values = hosts.length + (entry.routing?.pathPrefix ? 2 : 0);
    if (values > MAX_CONDITION_VALUES) {
      ctx.addIssue({
        code: "custom",
        path: at("hosts"),
        input: hosts.length,
        message: `${hosts.length} host names plus the path prefix's 2 patterns exceed the ALB's ${MAX_CONDITION_VALUES} condition values per rule; at most ${MAX_CONDITION_VALUES - 2} host names with a pathPrefix`,
      });
    }
    for (let other = 0; other < index; other++) {
      const overlap = routeOverlap(services[other].routing, entry.routing);
      if (overlap) {
        ctx.addIssue({
          code: "custom",
          path: at(),
          input: entry.routing ?? {},
          message: `overlaps services[${other}] ("${services[other].name}"): both take ${overlap}; give them different hosts, or path prefixes that do not contain each other`,
        });
      }
    }
    const priority = routePriority(entry);
    const first = priorities.get(priority);
    if (first !== undefined) {
      const how = (i: number) => (services[i].routing?.priority !== undefined ? "set" : "derived from the name");
      ctx.addIssue({
        code: "custom",
        path: at("priority"),
        input: priority,
        message: `listener rule priority ${priority} (${how(index)}) is also services[${first}] ("${services[first].name}")'s (${how(first)}); set a different routing.priority on one of them`,
      });
    } else {
      priorities.set(priority, index);
    }
  });
}

/**
 * The requests two routes both take, described, or undefined when they are disjoint. Routes overlap when their
 * host sets intersect (no hosts = any host) and one path prefix contains the other segment-wise (no prefix = "/",
 * which contains every path; "/orders" contains "/orders/v2" but not "/ordersx").
 */
export function routeOverlap(a: RoutingConfig | undefined, b: RoutingConfig | undefined): string | undefined {
  const hostsA = a?.hosts;
  const hostsB = b?.hosts;
  let host: string;
  if (hostsA && hostsB) {
    const common = hostsA.find((h) => hostsB.includes(h));
    if (common === undefined) return undefined;
    host = `host ${common}`;
  } else {
    const only = hostsA ?? hostsB;
    host = only ? `host ${only[0]}` : "any host";
  }
  const pathA = a?.pathPrefix ?? "/";
  const pathB = b?.pathPrefix ?? "/";
  const inner = contains(pathA, pathB) ? pathB : contains(pathB, pathA) ? pathA : undefined;
  if (inner === undefined) return undefined;
  return `${host} with ${inner === "/" ? "every path" : `path ${inner}`}`;
}

function contains(outer: string, inner: string): boolean {
  return outer === "/" || inner === outer || inner.startsWith(`${outer}/`);
}
