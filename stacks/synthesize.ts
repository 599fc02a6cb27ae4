import { mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { DeployConfig } from "../config";
import { currentStamp, writeStamp } from "../config/synth-stamp";
import { guardEmbeddedDemo } from "./embedded-demo-guard";
import { buildStacks, ProjectStacks } from "./index";
import { moveInto, reuseTerraformJsonDuringSynth, withoutTokenStackTraces } from "./synth-speed";

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
