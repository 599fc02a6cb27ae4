"use strict";
/**
 * Marks the image an environment now runs, after CodeDeploy reports a successful deployment (EventBridge:
 * "CodeDeploy Deployment State-change Notification", state SUCCESS, this environment's deployment group).
 * It reads the service's PRIMARY task set, its task definition, the application container's image, and adds the
 * tag `deployed_<environment>_<image tag>` to that image in ECR. The repository's lifecycle policy keeps the newest
 * images carrying each environment's tag ahead of every other rule, so neither the running image nor the ones
 * before it (the rollback targets) expire however many builds other environments see.
 *
 * CommonJS on purpose: jest loads it as is, and the nodejs22.x runtime provides @aws-sdk/client-ecs and
 * @aws-sdk/client-ecr, which are required lazily so the tests never need them installed.
 */

/** Prefix of the per-environment tags; "_" never occurs in environment names, so prefixes cannot overlap. */
const TAG_PREFIX = "deployed_";

function configFromEnv(env) {
  return {
    cluster: env.CLUSTER,
    service: env.SERVICE,
    containerName: env.CONTAINER_NAME,
    repositoryName: env.REPOSITORY_NAME,
    environment: env.ENVIRONMENT,
  };
}

/** `deployed_<environment>_<tag>`, where a digest-only reference uses `sha256-<first 12 hex digits>`. */
function deployedTag(environment, reference) {
  const suffix = reference.tag !== undefined ? reference.tag : `sha256-${reference.digest.slice("sha256:".length, "sha256:".length + 12)}`;
  return `${TAG_PREFIX}${environment}_${suffix}`;
}

/**
 * Splits `<registry>/<repository>:<tag>` or `<registry>/<repository>@sha256:<hex>` (a tag before the digest is
 * ignored, as Docker ignores it). Returns undefined for anything else.
 */
function parseImage(image) {
  const match = /^[^/]+\/([^:@]+)(?::([\w][\w.-]{0,299}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(image || "");
  if (!match || (match[2] === undefined && match[3] === undefined)) return undefined;
  return match[3] !== undefined ? { repositoryName: match[1], digest: match[3] } : { repositoryName: match[1], tag: match[2] };
}

function awsClients() {
  const { ECSClient, DescribeServicesCommand, DescribeTaskDefinitionCommand } = require("@aws-sdk/client-ecs");
  const { ECRClient, BatchGetImageCommand, PutImageCommand } = require("@aws-sdk/client-ecr");
  const ecs = new ECSClient({});
  const ecr = new ECRClient({});
  return {
    describeServices: (input) => ecs.send(new DescribeServicesCommand(input)),
    describeTaskDefinition: (input) => ecs.send(new DescribeTaskDefinitionCommand(input)),
    batchGetImage: (input) => ecr.send(new BatchGetImageCommand(input)),
    putImage: (input) => ecr.send(new PutImageCommand(input)),
  };
}

/** The image the service's PRIMARY task set runs (the one CodeDeploy just made primary). */
async function runningImage(aws, config) {
  const { services } = await aws.describeServices({ cluster: config.cluster, services: [config.service] });
  const service = (services || [])[0];
  if (!service) throw new Error(`service ${config.service} not found in cluster ${config.cluster}`);
  const primary = (service.taskSets || []).find((set) => set.status === "PRIMARY");
  const taskDefinition = primary ? primary.taskDefinition : service.taskDefinition;
  const { taskDefinition: described } = await aws.describeTaskDefinition({ taskDefinition });
  const container = (described.containerDefinitions || []).find((c) => c.name === config.containerName);
  if (!container) throw new Error(`task definition ${taskDefinition} has no container named ${config.containerName}`);
  return container.image;
}

function createHandler(overrides = {}) {
  const config = overrides.config || configFromEnv(process.env);
  const log = overrides.log || console.log;
  let aws = overrides.aws;
  return async (event) => {
    aws = aws || awsClients();
    const detail = (event && event.detail) || {};
    // CodeDeploy: state SUCCESS; ECS-native blue/green: eventName SERVICE_DEPLOYMENT_COMPLETED.
    const succeeded = detail.state === "SUCCESS" || detail.eventName === "SERVICE_DEPLOYMENT_COMPLETED";
    if (!succeeded) return { tagged: false, reason: `deployment state ${detail.state ?? detail.eventName}` };
    const image = await runningImage(aws, config);
    const reference = parseImage(image);
    if (!reference || reference.repositoryName !== config.repositoryName) {
      log(`not tagging ${image}: not an image of repository ${config.repositoryName} (the bootstrap image, before the first release)`);
      return { tagged: false, reason: "not this repository" };
    }
    const imageId = reference.tag !== undefined ? { imageTag: reference.tag } : { imageDigest: reference.digest };
    const { images } = await aws.batchGetImage({ repositoryName: config.repositoryName, imageIds: [imageId] });
    const found = (images || [])[0];
    if (!found) throw new Error(`image ${image} is not in repository ${config.repositoryName}`);
    const tag = deployedTag(config.environment, reference);
    try {
      await aws.putImage({
        repositoryName: config.repositoryName,
        imageTag: tag,
        imageManifest: found.imageManifest,
        imageManifestMediaType: found.imageManifestMediaType,
        imageDigest: found.imageId.imageDigest,
      });
    } catch (error) {
      // A retried event, or a rollback to an image this environment ran before: the tag is already there.
      if (!error || error.name !== "ImageAlreadyExistsException") throw error;
      log(`${tag} already names ${image}`);
      return { tagged: false, reason: "already tagged", tag };
    }
    log(`tagged ${image} as ${tag} (deployment ${detail.deploymentId})`);
    return { tagged: true, tag };
  };
}

const handler = (event) => createHandler()(event);

module.exports = { TAG_PREFIX, configFromEnv, deployedTag, parseImage, createHandler, handler };
