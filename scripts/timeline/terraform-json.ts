/**
 * Small readers for synthesized Terraform JSON (`cdk.tf.json`): blocks, references, typed values.
 * Nested blocks are objects or lists of objects depending on the schema; numbers may be strings.
 */

export type Block = { readonly [key: string]: unknown };

export interface TerraformJson {
  readonly resource?: { readonly [type: string]: { readonly [name: string]: Block } };
  readonly data?: { readonly [type: string]: { readonly [name: string]: Block } };
}

/** A `${type.name.attribute}` reference (resources) or `${data.type.name.attribute}`. */
export interface Reference {
  readonly data: boolean;
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const EMBEDDED_REFERENCE = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

export function isBlock(value: unknown): value is Block {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The blocks of a nested block argument, whether synthesized as one object or a list. */
export function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value.filter(isBlock);
  return isBlock(value) ? [value] : [];
}

export function firstBlock(value: unknown): Block | undefined {
  return blocks(value)[0];
}

/** A number from a number or numeric string; undefined otherwise. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * One render target the image build hands its render script (`DEPLOY_TARGETS`, written by constructs/image-build.ts
 * from constructs/deploy-artifacts.ts's RenderTarget): the environment, its task definition and its appspec hooks.
 */
export interface BuildRenderTarget {
  readonly environmentName?: string;
  readonly taskDefinition?: string;
  readonly hooks?: readonly { readonly lifecycleEvent?: unknown; readonly functionName?: unknown }[];
}

/** The render targets of an `aws_codebuild_project` block; undefined when the project renders none. */
export function renderTargetsOf(project: Block): BuildRenderTarget[] | undefined {
  const variables = blocks(firstBlock(project.environment)?.environment_variable);
  const value = stringOf(variables.find((v) => v.name === "DEPLOY_TARGETS")?.value);
  return value === undefined ? undefined : (JSON.parse(value) as BuildRenderTarget[]);
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Parses a value that is exactly one reference. */
export function parseReference(value: unknown): Reference | undefined {
  const match = typeof value === "string" ? REFERENCE.exec(value) : null;
  if (!match) return undefined;
  return { data: match[1] !== undefined, type: match[2], name: match[3], attribute: match[4] };
}

/** Every reference embedded anywhere in a string (interpolations, `:*` suffixes). */
export function referencesIn(value: unknown): Reference[] {
  if (typeof value !== "string") return [];
  return [...value.matchAll(EMBEDDED_REFERENCE)].map((m) => ({
    data: m[1] !== undefined,
    type: m[2],
    name: m[3],
    attribute: m[4],
  }));
}

export function resourcesOf(tf: TerraformJson, type: string): [string, Block][] {
  return Object.entries(tf.resource?.[type] ?? {});
}

export function dataOf(tf: TerraformJson, type: string): [string, Block][] {
  return Object.entries(tf.data?.[type] ?? {});
}

/**
 * The resource a value points at: a reference to a resource of `type`, or a literal equal to the resource's
 * `nameAttribute` (e.g. a target group named directly instead of referenced).
 */
export function resolveResource(tf: TerraformJson, type: string, value: unknown, nameAttribute: string): [string, Block] | undefined {
  const ref = parseReference(value);
  if (ref && !ref.data && ref.type === type) {
    const block = tf.resource?.[type]?.[ref.name];
    return block === undefined ? undefined : [ref.name, block];
  }
  if (typeof value !== "string" || value.includes("${")) return undefined;
  return resourcesOf(tf, type).find(([, block]) => block[nameAttribute] === value);
}
