/**
 * The synthesized stacks as cdktf describes them in `<outdir>/manifest.json`: the one place that knows the file.
 * Exported for every script that drives Terraform on synthesized stacks (`npm run plan/deploy/destroy`, reviews).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** One synthesized stack, paths made absolute. */
export interface SynthesizedStack {
  /** Stack id, as `cdktf deploy <stack>` takes it. */
  readonly name: string;
  /** Where Terraform runs for this stack (the manifest's `workingDirectory`, absolute). */
  readonly workingDirectory: string;
  /** The stack's Terraform JSON (absolute). */
  readonly synthesizedStackPath: string;
  /** Stacks whose outputs this stack reads (cdktf cross-stack references): they deploy first. */
  readonly dependencies: readonly string[];
  /** Annotations cdktf attached during synth (level, construct path, message). */
  readonly annotations: readonly Annotation[];
}

export interface Annotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

interface ManifestJson {
  stacks?: Record<string, { name?: string; workingDirectory?: string; synthesizedStackPath?: string; dependencies?: string[]; annotations?: Annotation[] }>;
}

/** A failure the user can fix, reported as one line without a stack trace. */
export class StackCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackCommandError";
  }
}

/** The stacks of a synth output, in manifest order. Throws a StackCommandError when there is no usable manifest. */
export function readManifest(outdir: string): SynthesizedStack[] {
  const file = join(resolve(outdir), "manifest.json");
  if (!existsSync(file)) throw new StackCommandError(`no synthesized stacks: ${file} does not exist (run npm run synth first)`);
  let manifest: ManifestJson;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as ManifestJson;
  } catch (error) {
    throw new StackCommandError(`${file} is not valid JSON (${(error as Error).message}); run npm run synth again`);
  }
  if (typeof manifest.stacks !== "object" || manifest.stacks === null) {
    throw new StackCommandError(`${file} has no "stacks" object; run npm run synth again`);
  }
  return Object.entries(manifest.stacks).map(([name, stack]) => {
    if (typeof stack.workingDirectory !== "string" || typeof stack.synthesizedStackPath !== "string") {
      throw new StackCommandError(`${file}: stack "${name}" has no workingDirectory or synthesizedStackPath; run npm run synth again`);
    }
    return {
      name,
      workingDirectory: join(resolve(outdir), stack.workingDirectory),
      synthesizedStackPath: join(resolve(outdir), stack.synthesizedStackPath),
      dependencies: stack.dependencies ?? [],
      annotations: stack.annotations ?? [],
    };
  });
}
