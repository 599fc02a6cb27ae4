import { Rule } from "../../types";
import { isTrue, violation } from "../../values";
import { nested } from "../shared";

export const codeBuildNoPrivilegedMode: Rule = {
  id: "BG-CB-003",
  area: "codebuild",
  title: "CodeBuild privileged mode only with a recorded justification",
  check: "No aws_codebuild_project has environment.privileged_mode = true unless suppressed with a reason.",
  rationale: "Privileged builds run a Docker daemon with root on the build host; only image builds need it, and reviewers should see each one.",
  source: "https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html",
  fix: "Turn privileged_mode off, or suppress BG-CB-003 on the project's construct with the reason (e.g. docker build needs the daemon).",
  evaluate: (ctx) =>
    ctx
      .resources("aws_codebuild_project")
      .filter((p) => isTrue(nested(p.body, "environment.privileged_mode")))
      .map((p) => violation(p, "privileged_mode is on")),
};
