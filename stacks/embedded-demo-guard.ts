import { TerraformStack, TerraformVariable } from "cdktf";
import { EMBEDDED_DEMO_OPT_IN, ROOT_CONFIG_NAMES } from "../config";

/** What Terraform prints when a stack of the embedded demo is planned or applied without the opt-in. */
export const EMBEDDED_DEMO_REFUSAL =
  `This stack was synthesized from the embedded demo config (config/examples/default.yaml) because DEPLOY_CONFIG ` +
  `is unset and there is no ${ROOT_CONFIG_NAMES[0]} at the repository root. Put your config there (or set ` +
  `DEPLOY_CONFIG) and synthesize again; to deploy the demo on purpose, set TF_VAR_${EMBEDDED_DEMO_OPT_IN}=true.`;

/**
 * Makes a stack synthesized from the embedded demo refuse `plan` and `apply` unless the variable is set to true.
 * Why a variable validation: it is checked by every plan (laptop, CI, `cdktf deploy`) before anything is created,
 * needs no provider, adds no resource (addresses are unchanged), and `terraform validate` and synth still pass, so
 * `npm run synth` and `npm test` work on a fresh clone. Only stacks synthesized by the app command without a
 * config of the team's own carry it.
 */
export function guardEmbeddedDemo(stack: TerraformStack): TerraformVariable {
  const optIn = new TerraformVariable(stack, EMBEDDED_DEMO_OPT_IN, {
    type: "bool",
    default: false,
    description: "Set to true to deploy the embedded demo config on purpose.",
  });
  optIn.addValidation({ condition: optIn.value, errorMessage: EMBEDDED_DEMO_REFUSAL });
  return optIn;
}
