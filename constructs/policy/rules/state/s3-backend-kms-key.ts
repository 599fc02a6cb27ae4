import { Rule } from "../../types";

export const stateS3KmsKey: Rule = {
  id: "BG-STATE-004",
  area: "state",
  title: "S3 state is encrypted with the state key",
  check: "An s3 backend sets kms_key_id.",
  rationale:
    "With encrypt = true and no kms_key_id, Terraform's S3 backend sends ServerSideEncryption AES256, overriding the bucket's default KMS key: any principal with s3:GetObject reads the state, no key permission needed.",
  source: "https://developer.hashicorp.com/terraform/language/backend/s3",
  fix: "Set kmsKeyId on the S3Backend (stacks/backend.ts does: state.kmsKeyArn, else the state key's alias).",
  evaluate: (ctx) =>
    ctx.backend?.type === "s3" && !(typeof ctx.backend.config.kms_key_id === "string" && ctx.backend.config.kms_key_id !== "")
      ? [{ address: "terraform.backend.s3", path: ctx.stackPath, message: "kms_key_id is not set" }]
      : [],
};
