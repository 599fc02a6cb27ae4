import { Rule } from "../../types";
import { violation } from "../../values";

const IMMUTABLE = ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"];

export const ecrImmutableTags: Rule = {
  id: "BG-ECR-002",
  area: "ecr",
  title: "ECR image tags are immutable",
  check: "Every aws_ecr_repository has image_tag_mutability IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for named tags).",
  rationale: "A deployed tag must always mean the same image, so a rollback redeploys exactly what ran before.",
  source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
  fix: "Set image_tag_mutability = \"IMMUTABLE\" and push commit-SHA tags.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecr_repository")
      .filter((repo) => !IMMUTABLE.includes(String(repo.body.image_tag_mutability)))
      .map((repo) => violation(repo, `image_tag_mutability is ${String(repo.body.image_tag_mutability ?? "MUTABLE (default)")}`)),
};
