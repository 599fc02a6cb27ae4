import { Rule } from "../../types";

export const stateLocalOnlyBootstrap: Rule = {
  id: "BG-STATE-003",
  area: "state",
  title: "Only the bootstrap stack keeps local state",
  check: "A stack without a backend, or with a local backend, is the bootstrap stack (applyPolicyPack(stack, { bootstrap: true })).",
  rationale: "Local state lives on one laptop: it is lost, unshared and unlocked. Only the stack that creates the state bucket can start there.",
  source: "https://developer.hashicorp.com/terraform/language/backend/local",
  fix: "Configure the S3 backend (or HCP Terraform) for this stack in the config's state section.",
  evaluate: (ctx) => {
    // cdktf adds a local backend to stacks that declare none.
    const type = ctx.backend?.type ?? "local";
    return type === "local" && !ctx.options.bootstrap
      ? [{ address: "terraform.backend.local", path: ctx.stackPath, message: "application stack uses local state" }]
      : [];
  },
};
