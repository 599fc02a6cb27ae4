import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
// cdktf's hook for constructs that write files of their own at synth (not re-exported from the package root).
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { Construct } from "constructs";
import { DESCRIPTOR_FILE, StackDescriptor } from "../../synthesized/descriptor";

/**
 * Writes the stack's descriptor (`bluegreen.json`) into the stack's synthesized folder, beside `cdk.tf.json`.
 * `describe` runs at synth, when every construct of the stack exists.
 */
export class DescriptorFile extends Construct {
  constructor(scope: Construct, id: string, describe: () => StackDescriptor) {
    super(scope, id);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const folder = join(session.outdir, session.manifest.forStack(TerraformStack.of(this)).workingDirectory);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, DESCRIPTOR_FILE), `${JSON.stringify(describe(), null, 2)}\n`);
      },
    });
  }
}
