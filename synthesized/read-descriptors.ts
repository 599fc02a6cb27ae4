/**
 * The one reader of the synthesized output for the shipped tools (the operations command, the timeline): the
 * stacks in `cdktf.out/manifest.json` and each AWS stack's `bluegreen.json` (see ./descriptor.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DESCRIPTOR_FILE, DESCRIPTOR_VERSION, StackDescriptor } from "./descriptor";

/** Why the synthesized output cannot be read, in one line that says what to run. */
export class SynthesizedOutputError extends Error {}

interface Manifest {
  readonly stacks?: Readonly<Record<string, { readonly workingDirectory?: string; readonly synthesizedStackPath?: string }>>;
}

/** Every stack id of the synthesized app, in manifest order. */
export function synthesizedStackIds(outdir: string): string[] {
  return Object.keys(readManifest(outdir).stacks ?? {});
}

/** The descriptors of every AWS stack that deploys a service (stacks without one, e.g. bootstrap, are skipped). */
export function readDescriptors(outdir: string): StackDescriptor[] {
  const manifest = readManifest(outdir);
  return Object.entries(manifest.stacks ?? {}).flatMap(([id, entry]) => {
    const file = join(outdir, entry.workingDirectory ?? join("stacks", id), DESCRIPTOR_FILE);
    if (!existsSync(file)) return [];
    const descriptor = JSON.parse(readFileSync(file, "utf8")) as StackDescriptor;
    if (descriptor.version !== DESCRIPTOR_VERSION) {
      throw new SynthesizedOutputError(
        `${file} has descriptor version ${String(descriptor.version)}, this code reads ${DESCRIPTOR_VERSION}: run \`npm run synth\` again`,
      );
    }
    return [descriptor];
  });
}

function readManifest(outdir: string): Manifest {
  const path = join(outdir, "manifest.json");
  if (!existsSync(path)) throw new SynthesizedOutputError(`no synthesized stacks in ${outdir} (run \`npm run synth\` first)`);
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}
