import { Rule } from "../../types";
import { block, blocks, violation } from "../../values";

export const codePipelineEncryptedArtifacts: Rule = {
  id: "BG-CP-002",
  area: "codepipeline",
  title: "Pipeline artifacts are encrypted with a customer managed key",
  check: "Every artifact_store of every aws_codepipeline has encryption_key { id, type = KMS }.",
  rationale: "Artifacts carry the task definition and build outputs; a customer key limits who can read them to the pipeline's roles.",
  source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html",
  fix: "Set artifact_store.encryption_key { id = <key arn>, type = \"KMS\" } (the artifact bucket's key).",
  evaluate: (ctx) =>
    ctx.resources("aws_codepipeline").flatMap((pipeline) => {
      const stores = blocks(pipeline.body.artifact_store);
      const unencrypted = stores.filter((s) => {
        const key = block(s.encryption_key);
        return !key || key.type !== "KMS" || typeof key.id !== "string" || key.id === "";
      });
      return stores.length === 0 || unencrypted.length > 0 ? [violation(pipeline, "an artifact store has no KMS encryption key")] : [];
    }),
};
