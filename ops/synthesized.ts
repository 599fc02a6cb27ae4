/**
 * Reads the synthesized stacks (`cdktf.out/manifest.json` and each `cdk.tf.json`) and resolves the values the
 * operations commands need to literal names: a value is a literal, a reference to a resource of the same stack
 * (`${aws_ecs_cluster.X.name}`), or a cdktf cross-stack reference (`${data.terraform_remote_state.S.outputs.O}`),
 * which is the output `O` of another stack. Nothing here talks to AWS.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Block, TerraformJson, isBlock, parseReference } from "../scripts/timeline/terraform-json";
import { ExitCode, OpsError } from "./errors";

/** One synthesized stack: its id and its Terraform JSON. */
export interface SynthesizedStack {
  readonly id: string;
  readonly json: TerraformJson & {
    readonly provider?: { readonly aws?: readonly Block[] };
    readonly output?: { readonly [name: string]: Block };
  };
}

/** A resource block found by reference or by name. */
export interface FoundResource {
  readonly stack: SynthesizedStack;
  readonly type: string;
  readonly name: string;
  readonly block: Block;
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.([A-Za-z0-9_-]+)\}$/;

/** Every stack of a synthesized app, with reference resolution across them. */
export class SynthesizedApp {
  /** Reads `<outdir>/manifest.json` and every stack it lists. */
  static read(outdir: string): SynthesizedApp {
    const manifestPath = join(outdir, "manifest.json");
    if (!existsSync(manifestPath)) {
      throw new OpsError(ExitCode.Usage, `no synthesized stacks in ${outdir} (run \`npm run synth\` first)`);
    }
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks?: Record<string, { synthesizedStackPath?: string }> };
    const stacks = Object.entries(manifest.stacks ?? {}).map(([id, entry]) => ({
      id,
      json: JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath ?? join("stacks", id, "cdk.tf.json")), "utf8")) as SynthesizedStack["json"],
    }));
    return new SynthesizedApp(stacks);
  }

  constructor(readonly stacks: readonly SynthesizedStack[]) {}

  stack(id: string): SynthesizedStack | undefined {
    return this.stacks.find((stack) => stack.id === id);
  }

  /** The region of a stack's AWS provider. */
  region(stack: SynthesizedStack): string | undefined {
    const region = stack.json.provider?.aws?.[0]?.region;
    return typeof region === "string" ? region : undefined;
  }

  /** Resources of a type in a stack. */
  resources(stack: SynthesizedStack, type: string): FoundResource[] {
    return Object.entries(stack.json.resource?.[type] ?? {}).map(([name, block]) => ({ stack, type, name, block }));
  }

  /** The resource a value references (following cross-stack outputs), or undefined for a literal. */
  resourceOf(stack: SynthesizedStack, value: unknown): FoundResource | undefined {
    const remote = typeof value === "string" ? REMOTE_OUTPUT.exec(value) : null;
    if (remote) {
      const owner = this.stacks.find((s) => s.json.output?.[remote[1]] !== undefined);
      return owner ? this.resourceOf(owner, owner.json.output?.[remote[1]]?.value) : undefined;
    }
    const ref = parseReference(value);
    if (!ref || ref.data) return undefined;
    const block = stack.json.resource?.[ref.type]?.[ref.name];
    return isBlock(block) ? { stack, type: ref.type, name: ref.name, block } : undefined;
  }

  /**
   * The literal a value stands for: itself when it is a plain string, else the referenced resource's `attribute`
   * (e.g. `name`) when that is a literal. `attribute` defaults to the one the reference names.
   */
  literal(stack: SynthesizedStack, value: unknown, attribute?: string): string | undefined {
    if (typeof value === "number") return String(value);
    if (typeof value !== "string") return undefined;
    if (!value.includes("${")) return value;
    const remote = REMOTE_OUTPUT.exec(value);
    if (remote) {
      const owner = this.stacks.find((s) => s.json.output?.[remote[1]] !== undefined);
      return owner ? this.literal(owner, owner.json.output?.[remote[1]]?.value, attribute) : undefined;
    }
    const ref = parseReference(value);
    if (!ref || ref.data) return undefined;
    const resolved = stack.json.resource?.[ref.type]?.[ref.name]?.[attribute ?? ref.attribute];
    if (typeof resolved === "number") return String(resolved);
    return typeof resolved === "string" && !resolved.includes("${") ? resolved : undefined;
  }

  /** A string with embedded references (`"${aws_cloudwatch_log_group.X.name}"` inside JSON) resolved where possible. */
  interpolate(stack: SynthesizedStack, text: string): string {
    return text.replace(/\$\{[^}]+\}/g, (ref) => this.literal(stack, ref) ?? ref);
  }
}
