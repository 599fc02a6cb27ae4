import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { DeployConfig } from "../config";
import { currentStamp, writeStamp } from "../config/synth-stamp";
import { guardEmbeddedDemo } from "./embedded-demo-guard";
import { buildStacks, ProjectStacks } from "./index";
import { reuseTerraformJsonDuringSynth, withoutTokenStackTraces } from "../speed/synth";

/** A synth that failed for a reason the user can fix (a policy violation, a validation); printed without a stack trace. */
export class SynthError extends Error {
  constructor(public readonly report: string) {
    super(report);
    this.name = "SynthError";
  }
}

export interface SynthesizeOptions {
  /**
   * The config is the embedded demo, chosen because the team gave none: every stack then refuses to plan or
   * apply without an explicit opt-in (./embedded-demo-guard.ts).
   * @default false
   */
  readonly embeddedDemo?: boolean;
  /** @default - see BuildOptions.deployConfigPath */
  readonly deployConfigPath?: string;
  /**
   * The config file synthesized: recorded with the checked-out commit in `synth-stamp.json`, which the tools reading
   * the output compare with theirs (config/synth-stamp.ts).
   * @default - no stamp
   */
  readonly configPath?: string;
}

/**
 * Synthesizes every stack into a staging folder next to `outdir`, then moves the result into `outdir`.
 * A failure leaves the previous output untouched (the move only happens after every stack passed).
 * Returns the stacks; `report()` gives the lines worth printing (stacks written, policy suppressions).
 */
export function synthesizeApp(
  config: DeployConfig,
  outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out",
  options: SynthesizeOptions = {},
): ProjectStacks {
  const target = resolve(outdir);
  const staging = mkdtempSync(join(dirname(target), ".cdktf-staging-"));
  try {
    // Stack traces in construct metadata cost a source-map walk per construct; addresses are enough to find a resource.
    const app = new App({ outdir: staging, stackTraces: false });
    const stacks = withoutTokenStackTraces(() => {
      const built = buildStacks(app, config, { deployConfigPath: options.deployConfigPath });
      if (options.embeddedDemo) built.all().forEach(guardEmbeddedDemo);
      reuseTerraformJsonDuringSynth(built.all());
      try {
        app.synth();
      } catch (error) {
        throw new SynthError((error as Error).message);
      }
      return built;
    });
    if (options.configPath) writeStamp(staging, currentStamp(options.configPath));
    moveInto(staging, target);
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Moves every entry of `from` into `to`: a folder that `to` lacks moves whole (one rename), a file replaces
 * the file of the same name, and whatever else `to` holds stays (Terraform's `.terraform` folders inside
 * `cdktf.out/stacks/<id>`, other stacks). The same result as copying over `to`, without copying a byte:
 * a fleet's output is hundreds of folders and Lambda archives, and the copy plus the staging clean-up
 * cost more than a second on a busy disk. `from` must be on the same file system (the staging folder is
 * created next to `to`).
 */
function moveInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const existing = existsSync(target) ? statSync(target) : undefined;
    if (entry.isDirectory() && existing?.isDirectory()) {
      moveInto(source, target);
      continue;
    }
    if (existing?.isDirectory()) rmSync(target, { recursive: true, force: true });
    renameSync(source, target);
  }
}
