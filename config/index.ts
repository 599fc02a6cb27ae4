export * from "./schema";
export * from "./errors";
export * from "./loader";
export { defaultZones, hasNatEgress } from "./rules";
export * from "./fleet";
