export * from "./types";
export * from "./errors";
export * from "./pack";
export * from "./suppressions";
export { ALL_RULES, ruleById } from "./rules";
export { ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from "./rules/iam/resource-less-actions";
