// Types of index.js for the TypeScript tests; the Lambda runs index.js.
export declare const TAG_PREFIX: string;

export interface TaggerConfig {
  cluster: string | undefined;
  service: string | undefined;
  containerName: string | undefined;
  repositoryName: string | undefined;
  environment: string | undefined;
}

export type ImageReference = { repositoryName: string; tag: string; digest?: undefined } | { repositoryName: string; digest: string; tag?: undefined };

export interface TaggerAws {
  describeServices(input: { cluster?: string; services: (string | undefined)[] }): Promise<{ services?: Record<string, unknown>[] }>;
  describeTaskDefinition(input: { taskDefinition: string }): Promise<{ taskDefinition: Record<string, unknown> }>;
  batchGetImage(input: { repositoryName?: string; imageIds: Record<string, string>[] }): Promise<{ images?: Record<string, unknown>[] }>;
  putImage(input: Record<string, unknown>): Promise<unknown>;
}

/** CodeDeploy's deployment state-change event, or ECS's "ECS Deployment State Change" (ECS-native blue/green). */
export interface DeploymentEvent {
  detail?: { state?: string; deploymentId?: string; deploymentGroup?: string; application?: string; eventType?: string; eventName?: string };
}

export type TagResult = { tagged: boolean; reason?: string; tag?: string };

export declare function configFromEnv(env: Record<string, string | undefined>): TaggerConfig;
export declare function deployedTag(environment: string, reference: ImageReference): string;
export declare function parseImage(image: string | undefined): ImageReference | undefined;
export declare function createHandler(overrides?: { config?: TaggerConfig; aws?: TaggerAws; log?: (...args: unknown[]) => void }): (event: DeploymentEvent) => Promise<TagResult>;
export declare const handler: (event: DeploymentEvent) => Promise<TagResult>;
