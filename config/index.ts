export * from "./schema";
export * from "./errors";
export * from "./loader";
export { defaultZones, environmentKey, hasNatEgress } from "./rules";
export * from "./fleet";
