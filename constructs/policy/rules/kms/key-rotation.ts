import { Rule } from "../../types";
import { isTrue, violation } from "../../values";

export const kmsKeyRotation: Rule = {
  id: "BG-KMS-001",
  area: "kms",
  title: "Customer managed keys rotate",
  check: "Every symmetric aws_kms_key has enable_key_rotation = true.",
  rationale: "Yearly rotation limits how much data one key version protects; it is free and transparent for symmetric keys.",
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
  fix: "Set enable_key_rotation = true on the key.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_kms_key")
      .filter((k) => (k.body.customer_master_key_spec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT")
      .filter((k) => !isTrue(k.body.enable_key_rotation))
      .map((k) => violation(k, "key rotation is not enabled")),
};
