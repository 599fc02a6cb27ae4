export * from "./statement";
export * from "./policy-document";
export * from "./service-role";
export * from "./merge";
export * from "./role-boundary";
