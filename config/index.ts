export * from "./schema";
export * from "./errors";
export * from "./loader";
export { defaultZones, environmentKey, hasNatEgress } from "./rules";
export * from "./fleet";
export { MAX_RULE_PRIORITY, derivedPriority, prefixPatterns, routePriority, sharesLoadBalancer } from "./fleet-routing";
export { configWarnings } from "./warnings";
export { GITHUB_STACK_VARIABLES } from "./github-rules";
