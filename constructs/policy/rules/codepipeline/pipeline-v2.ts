import { Rule } from "../../types";
import { violation } from "../../values";

export const codePipelineV2: Rule = {
  id: "BG-CP-001",
  area: "codepipeline",
  title: "Pipelines are V2",
  check: "Every aws_codepipeline has pipeline_type = V2.",
  rationale: "V2 pipelines have git triggers with branch/path filters, pipeline variables and per-execution billing the project relies on.",
  source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/pipeline-types.html",
  fix: "Set pipeline_type = \"V2\".",
  evaluate: (ctx) =>
    ctx
      .resources("aws_codepipeline")
      .filter((p) => p.body.pipeline_type !== "V2")
      .map((p) => violation(p, `pipeline_type is ${String(p.body.pipeline_type ?? "V1 (default)")}`)),
};
