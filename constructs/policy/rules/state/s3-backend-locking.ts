import { Rule } from "../../types";
import { isTrue } from "../../values";

export const stateS3Locking: Rule = {
  id: "BG-STATE-002",
  area: "state",
  title: "S3 state is locked with native lockfiles",
  check: "An s3 backend sets use_lockfile = true.",
  rationale: "Without a lock, two concurrent applies (a laptop and CI) can corrupt the state; S3-native locking needs no DynamoDB table.",
  source: "https://developer.hashicorp.com/terraform/language/backend/s3",
  fix: "Add the use_lockfile override on the S3Backend (cdktf 0.21's S3Backend has no typed property for it).",
  evaluate: (ctx) =>
    ctx.backend?.type === "s3" && !isTrue(ctx.backend.config.use_lockfile)
      ? [{ address: "terraform.backend.s3", path: ctx.stackPath, message: "use_lockfile is not true" }]
      : [],
};
