import { Rule } from "../../types";
import { blocks, isTrue, violation } from "../../values";
import { nested } from "../shared";

export const ecrScanOnPush: Rule = {
  id: "BG-ECR-001",
  area: "ecr",
  title: "ECR repositories scan images on push",
  check: "Every aws_ecr_repository has image_scanning_configuration.scan_on_push = true, unless a registry scanning configuration scans on push or continuously.",
  rationale: "Known CVEs in a pushed image are reported before the pipeline deploys it.",
  source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
  fix: "Set image_scanning_configuration { scan_on_push = true } on the repository.",
  evaluate: (ctx) => {
    const registryScans = ctx
      .resources("aws_ecr_registry_scanning_configuration")
      .some((c) => blocks(c.body.rule).some((r) => ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].includes(String(r.scan_frequency))));
    if (registryScans) return [];
    return ctx
      .resources("aws_ecr_repository")
      .filter((repo) => !isTrue(nested(repo.body, "image_scanning_configuration.scan_on_push")))
      .map((repo) => violation(repo, "images are not scanned on push"));
  },
};
