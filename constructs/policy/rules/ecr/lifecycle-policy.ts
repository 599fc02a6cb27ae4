import { Rule } from "../../types";
import { violation } from "../../values";

export const ecrLifecyclePolicy: Rule = {
  id: "BG-ECR-003",
  area: "ecr",
  title: "ECR repositories expire old images",
  check: "Every aws_ecr_repository has an aws_ecr_lifecycle_policy.",
  rationale: "Without one, every build's image is kept (and billed) forever.",
  source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html",
  fix: "Add an aws_ecr_lifecycle_policy that expires untagged images and keeps enough tagged images to roll back.",
  evaluate: (ctx) =>
    ctx
      .resources("aws_ecr_repository")
      .filter((repo) => ctx.attachedTo(repo, "aws_ecr_lifecycle_policy", "repository", ["name"]).length === 0)
      .map((repo) => violation(repo, "no lifecycle policy for this repository")),
};
