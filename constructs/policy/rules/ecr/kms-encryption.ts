import { Rule } from "../../types";
import { blocks, violation } from "../../values";

export const ecrKmsEncryption: Rule = {
  id: "BG-ECR-004",
  area: "ecr",
  title: "ECR repositories are encrypted with KMS",
  check: "Every aws_ecr_repository has encryption_configuration.encryption_type KMS (or KMS_DSSE).",
  rationale: "A KMS key puts image access under a key policy and CloudTrail key-use logs, beyond the default AES-256.",
  source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
  fix: "Set encryption_configuration { encryption_type = \"KMS\", kms_key = <key arn> } on the repository.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecr_repository")
      .filter((repo) => {
        const configs = blocks(repo.body.encryption_configuration);
        return configs.length === 0 || configs.some((c) => !["KMS", "KMS_DSSE"].includes(String(c.encryption_type)));
      })
      .map((repo) => violation(repo, "repository is not encrypted with KMS")),
};
