import { Rule } from "../../types";
import { isTrue } from "../../values";

export const stateS3Encrypted: Rule = {
  id: "BG-STATE-001",
  area: "state",
  title: "S3 state is encrypted",
  check: "An s3 backend sets encrypt = true.",
  rationale: "State holds every resource attribute, including generated secrets; it must be encrypted at rest explicitly.",
  source: "https://developer.hashicorp.com/terraform/language/backend/s3",
  fix: "Set encrypt: true on the S3Backend (the stack builder does this from the config's state section).",
  evaluate: (ctx) =>
    ctx.backend?.type === "s3" && !isTrue(ctx.backend.config.encrypt)
      ? [{ address: "terraform.backend.s3", path: ctx.stackPath, message: "encrypt is not true" }]
      : [],
};
