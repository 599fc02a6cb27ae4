import { Rule } from "../../types";
import { violation } from "../../values";

export const snsEncryptedTopics: Rule = {
  id: "BG-SNS-001",
  area: "sns",
  title: "SNS topics are encrypted",
  check: "Every aws_sns_topic sets kms_master_key_id.",
  rationale: "Pipeline notifications carry repository, commit and failure details; encryption at rest keeps them under a key policy.",
  source: "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
  fix: "Set kms_master_key_id to a customer managed key whose policy lets the publishing service use it.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_sns_topic")
      .filter((t) => typeof t.body.kms_master_key_id !== "string" || t.body.kms_master_key_id === "")
      .map((t) => violation(t, "topic is not encrypted")),
};
