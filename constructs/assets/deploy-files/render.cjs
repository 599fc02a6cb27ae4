#!/usr/bin/env node
// Renders the deploy files of every environment into OUT_DIR, in CodeBuild's post_build phase:
//   imageDetail.json                 the image just pushed (IMAGE_URI)
//   taskdef-<env>.json               from the task definition Terraform registered for <env>
//   appspec-<env>.yaml               from the same container name and port (and the smoke-test hook)
//   revision-<env>.json              instead of both, for an ECS-native environment (format "revision"): the
//                                    complete task definition its release step registers, with the new image
// Inputs (environment): DEPLOY_TARGETS (JSON set by Terraform on the build project), IMAGE_URI, OUT_DIR,
// BOOTSTRAP_LABEL (optional). Reads each task definition with the AWS CLI present in the build image.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: CodeBuild runs this file with plain node, no build step */

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const t = require("./transform.cjs");

function describeTaskDefinition(taskDefinition) {
  const output = execFileSync(
    process.env.AWS_CLI || "aws",
    ["ecs", "describe-task-definition", "--task-definition", taskDefinition, "--output", "json"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(output);
}

function main(env) {
  const targets = t.parseDeployTargets(env.DEPLOY_TARGETS || "");
  const outDir = path.resolve(env.OUT_DIR || "deploy-out");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "imageDetail.json"), t.renderImageDetail(env.IMAGE_URI));
  for (const target of targets) {
    const options = { containerName: target.containerName, bootstrapLabel: env.BOOTSTRAP_LABEL };
    if (target.format === "revision") {
      const revision = t.renderRevision(describeTaskDefinition(target.taskDefinition), options, env.IMAGE_URI);
      fs.writeFileSync(path.join(outDir, t.revisionFileName(target.environmentName)), `${JSON.stringify(revision, null, 2)}\n`);
      console.log(`rendered ${target.environmentName}: ${target.taskDefinition} -> ${t.revisionFileName(target.environmentName)}`);
      continue;
    }
    const template = t.toTaskDefinitionTemplate(describeTaskDefinition(target.taskDefinition), options);
    fs.writeFileSync(path.join(outDir, t.taskDefinitionFileName(target.environmentName)), `${JSON.stringify(template, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, t.appSpecFileName(target.environmentName)), t.renderAppSpecYaml(target));
    console.log(`rendered ${target.environmentName}: ${target.taskDefinition} -> ${t.taskDefinitionFileName(target.environmentName)}`);
  }
}

try {
  main(process.env);
} catch (error) {
  console.error(`render: ${error.message}`);
  process.exit(1);
}
