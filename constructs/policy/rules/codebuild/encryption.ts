import { Rule } from "../../types";
import { blocks, isTrue, violation } from "../../values";

export const codeBuildEncryption: Rule = {
  id: "BG-CB-001",
  area: "codebuild",
  title: "CodeBuild projects encrypt with a customer managed key",
  check: "Every aws_codebuild_project sets encryption_key, and no artifacts block sets encryption_disabled = true.",
  rationale: "Build outputs and caches are encrypted with a key whose policy the project controls.",
  source: "https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html",
  fix: "Set encryption_key to the artifact key's ARN and remove encryption_disabled.",
  evaluate: (ctx) =>
    ctx.resources("aws_codebuild_project").flatMap((project) => {
      if (typeof project.body.encryption_key !== "string" || project.body.encryption_key === "") {
        return [violation(project, "no encryption_key")];
      }
      const disabled = [...blocks(project.body.artifacts), ...blocks(project.body.secondary_artifacts)].some((a) => isTrue(a.encryption_disabled));
      return disabled ? [violation(project, "an artifacts block disables encryption")] : [];
    }),
};
