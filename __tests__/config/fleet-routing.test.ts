import { ConfigError, derivedPriority, validateConfig } from "../../config";
import { routeOverlap } from "../../config/fleet-routing";
import { fleetInput } from "../helpers/fleet";

// services[].routing: the routes of services that share an environment's ALB (fleet mode, strategy ecs).

const ECS = [{ name: "staging", strategy: "ecs" }];

/** The problems of a fleet whose environments use strategy ecs, with these services. */
function problems(services: readonly Record<string, unknown>[], environments: readonly Record<string, unknown>[] = ECS): readonly string[] {
  try {
    validateConfig(fleetInput({ services, environments }), "fleet test config");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const service = (name: string, routing?: Record<string, unknown>) => ({ name, repository: `shop-${name}`, ...(routing ? { routing } : {}) });

describe("shared ALB routes", () => {
  test("accepts disjoint routes: other hosts, or sibling path prefixes on one host", () => {
    expect(
      problems([
        service("web", { hosts: ["www.shop.example.com"] }),
        service("orders", { hosts: ["api.shop.example.com"], pathPrefix: "/orders" }),
        service("cart", { hosts: ["api.shop.example.com"], pathPrefix: "/cart" }),
        service("ordersx", { hosts: ["api.shop.example.com"], pathPrefix: "/ordersx" }),
      ]),
    ).toEqual([]);
  });

  test("accepts one service without routing when it has the ALB to itself", () => {
    expect(problems([service("web")])).toEqual([]);
  });

  test("fails when two services take the same host and path", () => {
    expect(problems([service("web", { hosts: ["api.shop.example.com"], pathPrefix: "/orders" }), service("cart", { hosts: ["api.shop.example.com"], pathPrefix: "/orders" })])).toEqual([
      'services[1].routing: overlaps services[0] ("web"): both take host api.shop.example.com with path /orders; give them different hosts, or path prefixes that do not contain each other (got {"hosts":["api.shop.example.com"],"pathPrefix":"/orders"})',
    ]);
  });

  test("fails when a path prefix contains another one on a shared host", () => {
    expect(problems([service("web", { hosts: ["a.example.com", "b.example.com"], pathPrefix: "/api" }), service("cart", { hosts: ["b.example.com"], pathPrefix: "/api/cart" })])).toEqual([
      'services[1].routing: overlaps services[0] ("web"): both take host b.example.com with path /api/cart; give them different hosts, or path prefixes that do not contain each other (got {"hosts":["b.example.com"],"pathPrefix":"/api/cart"})',
    ]);
  });

  test("fails when a route without hosts takes a path another service's host serves", () => {
    expect(problems([service("web", { hosts: ["www.shop.example.com"] }), service("cart", { pathPrefix: "/cart" })])).toEqual([
      'services[1].routing: overlaps services[0] ("web"): both take host www.shop.example.com with path /cart; give them different hosts, or path prefixes that do not contain each other (got {"pathPrefix":"/cart"})',
    ]);
  });

  test("fails when two services have no routing (both take every request)", () => {
    expect(problems([service("web"), service("cart")])).toEqual([
      'services[1].routing: overlaps services[0] ("web"): both take any host with every path; give them different hosts, or path prefixes that do not contain each other (got {})',
    ]);
  });

  test("routes overlap only on whole path segments", () => {
    expect(routeOverlap({ pathPrefix: "/orders" }, { pathPrefix: "/ordersx" })).toBeUndefined();
    expect(routeOverlap({ pathPrefix: "/orders" }, { pathPrefix: "/orders/v2" })).toBe("any host with path /orders/v2");
    expect(routeOverlap({ hosts: ["a.example.com"] }, { hosts: ["b.example.com"] })).toBeUndefined();
  });

  test("fails when two services set the same priority", () => {
    expect(problems([service("web", { hosts: ["a.example.com"], priority: 7 }), service("cart", { hosts: ["b.example.com"], priority: 7 })])).toEqual([
      'services[1].routing.priority: listener rule priority 7 (set) is also services[0] ("web")\'s (set); set a different routing.priority on one of them (got 7)',
    ]);
  });

  test("fails when a set priority equals another service's derived one", () => {
    const web = derivedPriority("web");
    expect(problems([service("web", { hosts: ["a.example.com"] }), service("cart", { hosts: ["b.example.com"], priority: web })])).toEqual([
      `services[1].routing.priority: listener rule priority ${web} (set) is also services[0] ("web")'s (derived from the name); set a different routing.priority on one of them (got ${web})`,
    ]);
  });

  test("fails when two names derive the same priority", () => {
    expect(derivedPriority("svc214")).toBe(derivedPriority("svc467"));
    expect(problems([service("svc214", { hosts: ["a.example.com"] }), service("svc467", { hosts: ["b.example.com"] })])).toEqual([
      `services[1].routing.priority: listener rule priority 9202 (derived from the name) is also services[0] ("svc214")'s (derived from the name); set a different routing.priority on one of them (got 9202)`,
    ]);
  });

  test("fails when hosts and the path prefix exceed the ALB's 5 condition values per rule", () => {
    const hosts = ["a.example.com", "b.example.com", "c.example.com", "d.example.com"];
    expect(problems([service("web", { hosts, pathPrefix: "/web" })])).toEqual([
      "services[0].routing.hosts: 4 host names plus the path prefix's 2 patterns exceed the ALB's 5 condition values per rule; at most 3 host names with a pathPrefix (got 4)",
    ]);
  });

  test("fails when more services share an ALB than its 100 target groups hold", () => {
    const many = Array.from({ length: 51 }, (_, i) => service(`s${i}`, { hosts: [`s${i}.example.com`], priority: i + 1 }));
    expect(problems(many)).toEqual([
      "services: environments staging use strategy ecs, so the services share one ALB there; an ALB holds at most 100 target groups (2 per service), so at most 50 services (got 51)",
    ]);
  });

  test("fails when an environment whose ALB is shared asks for the smoke-test hook", () => {
    expect(problems([service("web")], [{ name: "staging", strategy: "ecs", smokeTest: true }])).toEqual([
      "environments[0].smokeTest: the smoke-test hook is not available where fleet services share the load balancer (strategy ecs in fleet mode); remove it (got true)",
    ]);
  });

  test("codedeploy environments give every service its own ALB, so routes are not checked", () => {
    expect(problems([service("web"), service("cart")], [{ name: "staging" }])).toEqual([]);
  });

  test("fails when a service routes but no environment shares an ALB (the routing would be ignored)", () => {
    expect(problems([service("web", { hosts: ["web.example.com"] }), service("cart")], [{ name: "staging" }])).toEqual([
      'services[0].routing: only applies where services share an ALB, and no environment uses strategy ecs (each service has its own ALB); remove it, or set deploy.strategy: ecs on an environment (got {"hosts":["web.example.com"]})',
    ]);
  });

  test("fails when a host has a wildcard or a path prefix ends with a slash", () => {
    expect(problems([service("web", { hosts: ["*.example.com"], pathPrefix: "/web/" })])).toEqual([
      'services[0].routing.hosts[0]: must be a lowercase host name without wildcards, e.g. shop.example.com (got "*.example.com")',
      'services[0].routing.pathPrefix: must be a path like "/orders" or "/api/v2": segments after "/", no trailing "/", no wildcards (got "/web/")',
    ]);
  });
});
