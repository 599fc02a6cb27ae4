import { Aspects, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Resource types that hold data or identity which a replacement would lose: state and artifacts,
 * images, the keys that decrypt them, logs, and the GitHub connection (a new one needs the console
 * handshake again).
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  "aws_s3_bucket",
  "aws_ecr_repository",
  "aws_kms_key",
  "aws_cloudwatch_log_group",
  "aws_codestarconnections_connection",
];

/** Arguments that let Terraform delete a non-empty bucket or repository. */
export const FORCE_DELETE_ARGUMENTS: readonly string[] = ["force_destroy", "force_delete"];

class PreventDestroy implements IAspect {
  constructor(private readonly exceptUnder: readonly string[]) {}

  public visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    if (!STATEFUL_RESOURCE_TYPES.includes(node.terraformResourceType)) return;
    const path = node.node.path;
    if (this.exceptUnder.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
  }
}

/**
 * Puts `prevent_destroy` on every stateful resource under `scope` (including ones added by hand),
 * except below the constructs given in `except` (environments that opted out with `allowDestroy`).
 * It only ever adds protection; a construct that opted out itself keeps its own setting.
 */
export function protectStatefulResources(scope: IConstruct, options: { readonly except?: readonly IConstruct[] } = {}): void {
  Aspects.of(scope).add(new PreventDestroy((options.except ?? []).map((c) => c.node.path)));
}
