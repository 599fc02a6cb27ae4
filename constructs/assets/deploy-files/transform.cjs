// Pure functions that turn the task definition Terraform registered into the files CodeDeployToECS reads.
// Plain CommonJS with zero dependencies: CodeBuild runs it with the image's Node (no npm install at build
// time), and jest requires it directly. Shared names and the appspec shape mirror constructs/deploy-artifacts.ts;
// a test keeps the two in step.
"use strict";

/** The text CodeDeployToECS replaces with the built image (`Image1ContainerName` is this without brackets). */
const IMAGE_PLACEHOLDER = "<IMAGE1_NAME>";
/** The text CodeDeployToECS replaces with the task definition it registered. */
const TASK_DEFINITION_PLACEHOLDER = "<TASK_DEFINITION>";
/** Docker label on the container definition that marks the bootstrap entry point/command (BOOTSTRAP_LABEL). */
const DEFAULT_BOOTSTRAP_LABEL = "bluegreen.bootstrap";

/**
 * The members of the RegisterTaskDefinition request (aws-sdk 2.1693.0, apis/ecs-2014-11-13.min.json; a test
 * checks this list against the committed extract), plus `enableFaultInjection` (added to the API in
 * December 2024, after that model froze). Everything else DescribeTaskDefinition returns is read-only
 * (taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy...)
 * and RegisterTaskDefinition would reject it. `tags` is left out on purpose: the deployment registers
 * untagged revisions, so the pipeline role needs no ecs:TagResource for them.
 */
const REGISTER_TASK_DEFINITION_FIELDS = [
  "family",
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "containerDefinitions",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
  "ephemeralStorage",
  "runtimePlatform",
  "enableFaultInjection",
];

/** File names in the build output artifact, one pair per environment (their task definitions differ). */
function taskDefinitionFileName(environmentName) {
  return `taskdef-${environmentName}.json`;
}
function appSpecFileName(environmentName) {
  return `appspec-${environmentName}.yaml`;
}

/**
 * The `taskdef-<env>.json` content: the RegisterTaskDefinition fields of the described task definition, the
 * application container's image replaced by the placeholder, and the bootstrap override removed.
 * @param {object} described output of `aws ecs describe-task-definition` (or its `taskDefinition` member)
 * @param {{ containerName: string, bootstrapLabel?: string }} options
 */
function toTaskDefinitionTemplate(described, options) {
  const source = described && described.taskDefinition ? described.taskDefinition : described;
  if (!source || !Array.isArray(source.containerDefinitions)) {
    throw new Error("describe-task-definition output has no containerDefinitions");
  }
  const label = options.bootstrapLabel || DEFAULT_BOOTSTRAP_LABEL;
  const names = source.containerDefinitions.map((c) => c.name);
  if (!names.includes(options.containerName)) {
    throw new Error(
      `task definition ${source.family} has no container named "${options.containerName}" (containers: ${names.join(", ")})`,
    );
  }
  const template = {};
  for (const field of REGISTER_TASK_DEFINITION_FIELDS) {
    if (source[field] !== undefined) template[field] = source[field];
  }
  // DescribeTaskDefinition returns `enableFaultInjection: false` for every revision, and CodeDeployToECS parsers
  // older than the field reject it as an unexpected key (aws-actions/amazon-ecs-deploy-task-definition #701, #704).
  // false is RegisterTaskDefinition's default, so leaving it out registers the same task definition.
  if (template.enableFaultInjection === false) delete template.enableFaultInjection;
  template.containerDefinitions = source.containerDefinitions.map((container) => {
    const rendered = stripBootstrap(container, label);
    return container.name === options.containerName ? { ...rendered, image: IMAGE_PLACEHOLDER } : rendered;
  });
  return template;
}

/**
 * Removes what only the bootstrap image needed (entry point, command, its non-root user) and the label that marks
 * them: the application image runs its own command as the USER its Dockerfile declares.
 */
function stripBootstrap(container, label) {
  const labels = container.dockerLabels || {};
  if (labels[label] !== "true") return { ...container };
  const rest = { ...container };
  delete rest.entryPoint;
  delete rest.command;
  delete rest.user;
  delete rest.dockerLabels;
  const otherLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => key !== label));
  return Object.keys(otherLabels).length > 0 ? { ...rest, dockerLabels: otherLabels } : rest;
}

/**
 * The ECS appspec as YAML text. Written by hand (no YAML library at build time): strings are JSON-quoted,
 * which is valid YAML, and `version: 0.0` stays the number CodeDeploy documents.
 * @param {{ containerName: string, containerPort: number, hooks?: { lifecycleEvent: string, functionName: string }[] }} spec
 */
function renderAppSpecYaml(spec) {
  if (!Number.isInteger(spec.containerPort) || spec.containerPort < 1 || spec.containerPort > 65535) {
    throw new Error(`containerPort must be an integer from 1 to 65535 (got ${spec.containerPort})`);
  }
  const lines = [
    "version: 0.0",
    "Resources:",
    "  - TargetService:",
    "      Type: AWS::ECS::Service",
    "      Properties:",
    `        TaskDefinition: ${JSON.stringify(TASK_DEFINITION_PLACEHOLDER)}`,
    "        LoadBalancerInfo:",
    `          ContainerName: ${JSON.stringify(spec.containerName)}`,
    `          ContainerPort: ${spec.containerPort}`,
  ];
  const hooks = spec.hooks || [];
  if (hooks.length > 0) {
    lines.push("Hooks:");
    for (const hook of hooks) lines.push(`  - ${hook.lifecycleEvent}: ${JSON.stringify(hook.functionName)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `imageDetail.json`: the file the CodeDeployToECS action reads the image URI from. */
function renderImageDetail(imageUri) {
  if (!imageUri || /:latest$/.test(imageUri)) {
    throw new Error(`IMAGE_URI must name an immutable tag or digest, not "${imageUri}"`);
  }
  return `${JSON.stringify({ ImageURI: imageUri })}\n`;
}

/** The complete task definition of one ECS-native environment's release (`revision-<env>.json`). */
function revisionFileName(environmentName) {
  return `revision-${environmentName}.json`;
}

/**
 * The RegisterTaskDefinition input an ECS-native release registers: the template of `toTaskDefinitionTemplate` (the
 * revision Terraform registered, bootstrap entry point, command, user and label removed) with the built image in
 * place of the placeholder. ECS runs exactly this; nothing is derived from what the service ran before.
 */
function renderRevision(described, options, imageUri) {
  renderImageDetail(imageUri); // the same immutable-tag check
  const template = toTaskDefinitionTemplate(described, options);
  template.containerDefinitions = template.containerDefinitions.map((container) =>
    container.name === options.containerName ? { ...container, image: imageUri } : container,
  );
  return template;
}

/**
 * Parses and checks the DEPLOY_TARGETS variable Terraform sets on the build project.
 * @returns {{ environmentName: string, taskDefinition: string, containerName: string, containerPort: number, hooks: { lifecycleEvent: string, functionName: string }[] }[]}
 */
function parseDeployTargets(json) {
  let targets;
  try {
    targets = JSON.parse(json);
  } catch (error) {
    throw new Error(`DEPLOY_TARGETS is not JSON: ${error.message}`);
  }
  if (!Array.isArray(targets) || targets.length === 0) throw new Error("DEPLOY_TARGETS must be a non-empty JSON array");
  return targets.map((target, index) => {
    for (const key of ["environmentName", "taskDefinition", "containerName"]) {
      if (typeof target[key] !== "string" || target[key] === "") {
        throw new Error(`DEPLOY_TARGETS[${index}].${key} must be a non-empty string (got ${JSON.stringify(target[key])})`);
      }
    }
    if (!/^[a-z0-9][a-z0-9-]*$/.test(target.environmentName)) {
      throw new Error(`DEPLOY_TARGETS[${index}].environmentName must be lowercase letters, digits and "-" (got "${target.environmentName}")`);
    }
    if (target.format !== undefined && target.format !== "codedeploy" && target.format !== "revision") {
      throw new Error(`DEPLOY_TARGETS[${index}].format must be "codedeploy" or "revision" (got ${JSON.stringify(target.format)})`);
    }
    return { ...target, format: target.format || "codedeploy", hooks: target.hooks || [] };
  });
}

module.exports = {
  IMAGE_PLACEHOLDER,
  TASK_DEFINITION_PLACEHOLDER,
  DEFAULT_BOOTSTRAP_LABEL,
  REGISTER_TASK_DEFINITION_FIELDS,
  taskDefinitionFileName,
  appSpecFileName,
  toTaskDefinitionTemplate,
  stripBootstrap,
  renderAppSpecYaml,
  renderImageDetail,
  revisionFileName,
  renderRevision,
  parseDeployTargets,
};
