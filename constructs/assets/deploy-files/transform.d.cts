// Types for transform.cjs, which the build runs with plain Node and the infrastructure code reuses
// (constructs/deploy-artifacts.ts), so the deploy files rendered at synth and at build time cannot drift.
export declare const IMAGE_PLACEHOLDER: string;
export declare const TASK_DEFINITION_PLACEHOLDER: string;
export declare const DEFAULT_BOOTSTRAP_LABEL: string;
export declare const REGISTER_TASK_DEFINITION_FIELDS: readonly string[];
export interface AppSpecHookSpec {
  readonly lifecycleEvent: string;
  readonly functionName: string;
}
export interface AppSpecSpec {
  readonly containerName: string;
  readonly containerPort: number;
  readonly hooks?: readonly AppSpecHookSpec[];
}
export declare function taskDefinitionFileName(environmentName: string): string;
export declare function appSpecFileName(environmentName: string): string;
export declare function toTaskDefinitionTemplate(
  described: Record<string, unknown>,
  options: { containerName: string; bootstrapLabel?: string },
): Record<string, unknown>;
export declare function stripBootstrap(container: Record<string, unknown>, label: string): Record<string, unknown>;
export declare function renderAppSpecYaml(spec: AppSpecSpec): string;
export declare function renderImageDetail(imageUri: string): string;
export declare function revisionFileName(environmentName: string): string;
export declare function renderRevision(described: unknown, options: { containerName: string; bootstrapLabel?: string }, imageUri: string): Record<string, unknown>;
