#!/usr/bin/env node
// Releases one ECS-native environment: the pipeline's Deploy-<env> action runs this in a CodeBuild project of
// its own (constructs/ecs-service-release.ts), with the build's output artifact as its source.
//   1. registers revision-<env>.json, the complete task definition the build rendered from the revision Terraform
//      registered (bootstrap settings stripped, the new image in place): what ECS runs is exactly that file;
//   2. UpdateService with that revision: ECS starts a service deployment with the service's own strategy
//      (BLUE_GREEN, LINEAR or CANARY: test traffic, hooks, traffic shift, bake time, alarm and circuit-breaker rollback);
//   3. follows that service deployment (ListServiceDeployments, DescribeServiceRevisions, DescribeServiceDeployments)
//      until it ends, and fails the action unless it is SUCCESSFUL, so a later environment never gets a release its
//      predecessor rolled back.
// Why not the standard ECS deploy action: it "creates its own revision of the task definition based on the revision
// used by the Amazon ECS service" (CodePipeline User Guide, Amazon ECS deploy action reference) and only swaps the
// image, so the first release would inherit the bootstrap's command and user.
// Inputs (environment): CLUSTER, SERVICE, ENVIRONMENT_NAME, ARTIFACT_DIR (default CODEBUILD_SRC_DIR), POLL_SECONDS
// (default 15), AWS_CLI (default aws).
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: CodeBuild runs this file with plain node, no build step */

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** Service deployment states that end it (ECS API reference, ServiceDeployment.status). */
const DONE = new Set(["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"]);

function revisionFileName(environmentName) {
  return `revision-${environmentName}.json`;
}

function aws(env, args) {
  const output = execFileSync(env.AWS_CLI || "aws", [...args, "--output", "json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return output.trim() ? JSON.parse(output) : {};
}

function required(env, name) {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function sleep(seconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

/** The service deployment that rolls out `taskDefinitionArn`, among those created since `since`. */
function findDeployment(env, cluster, service, since, taskDefinitionArn) {
  const listed = aws(env, ["ecs", "list-service-deployments", "--cluster", cluster, "--service", service, "--created-at", `after=${since}`]);
  const candidates = (listed.serviceDeployments || []).slice().sort((a, b) => Date.parse(b.createdAt || 0) - Date.parse(a.createdAt || 0));
  for (const candidate of candidates) {
    const revisions = aws(env, ["ecs", "describe-service-revisions", "--service-revision-arns", candidate.targetServiceRevisionArn]);
    const revision = (revisions.serviceRevisions || [])[0];
    if (revision && revision.taskDefinition === taskDefinitionArn) return candidate.serviceDeploymentArn;
  }
  return undefined;
}

function main(env) {
  const cluster = required(env, "CLUSTER");
  const service = required(env, "SERVICE");
  const environmentName = required(env, "ENVIRONMENT_NAME");
  const pollSeconds = Number(env.POLL_SECONDS || 15);
  const file = path.join(env.ARTIFACT_DIR || env.CODEBUILD_SRC_DIR || ".", revisionFileName(environmentName));
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the build renders it for every ECS-native environment`);

  const registered = aws(env, ["ecs", "register-task-definition", "--cli-input-json", `file://${file}`]);
  const taskDefinitionArn = registered.taskDefinition && registered.taskDefinition.taskDefinitionArn;
  if (!taskDefinitionArn) throw new Error("register-task-definition returned no taskDefinitionArn");
  console.log(`registered ${taskDefinitionArn}`);

  // Whole seconds a little before the update, so the new deployment's creation time is after it.
  const since = Math.floor(Date.now() / 1000) - 5;
  aws(env, ["ecs", "update-service", "--cluster", cluster, "--service", service, "--task-definition", taskDefinitionArn]);
  console.log(`updated service ${service} in ${cluster}: ECS deploys ${taskDefinitionArn}`);

  let deploymentArn;
  for (let attempt = 0; !deploymentArn; attempt++) {
    deploymentArn = findDeployment(env, cluster, service, since, taskDefinitionArn);
    if (!deploymentArn) {
      if (attempt >= 20) throw new Error(`ECS started no service deployment of ${taskDefinitionArn}`);
      sleep(pollSeconds);
    }
  }
  console.log(`following ${deploymentArn}`);

  let last = "";
  for (;;) {
    const described = aws(env, ["ecs", "describe-service-deployments", "--service-deployment-arns", deploymentArn]);
    const deployment = (described.serviceDeployments || [])[0] || {};
    const line = [deployment.status, deployment.lifecycleStage, deployment.statusReason].filter(Boolean).join(" · ");
    if (line !== last) console.log(`${new Date().toISOString()} ${line}`);
    last = line;
    if (DONE.has(deployment.status)) {
      if (deployment.status === "SUCCESSFUL") return;
      throw new Error(`the deployment ended ${deployment.status}${deployment.statusReason ? `: ${deployment.statusReason}` : ""}`);
    }
    sleep(pollSeconds);
  }
}

if (require.main === module) {
  try {
    main(process.env);
  } catch (error) {
    console.error(`release: ${error.message}`);
    process.exit(1);
  }
}

module.exports = { revisionFileName, main };
