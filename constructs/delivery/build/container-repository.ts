import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { ServiceRole } from "../../identity/iam";

/** `docker login` to ECR: the token is for the whole registry, so the action has no resource-level permission. */
export const ECR_AUTH_ACTIONS = ["ecr:GetAuthorizationToken"] as const;
/** Pulling an image (what the ECS execution role and a build's `--cache-from` need). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] as const;
/** Pushing an image (what the build needs). */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
] as const;

/** Prefix of the tags `DeployedImageTagger` adds, `deployed_<environment>_<image tag>`; the lifecycle policy keeps them. */
export const DEPLOYED_TAG_PREFIX = "deployed_";

/** ECR allows at most five tag mutability exclusion filters. */
const MAX_TAG_EXCLUSIONS = 5;

export interface ContainerRepositoryProps {
  /** Repository name, e.g. `demo`. */
  readonly name: string;
  /**
   * How many tagged images to keep: per environment registered with `keepDeployedImages`, the newest images deployed
   * there (what it runs and its rollback targets), and of all other tagged images (builds) the newest.
   * @default 30
   */
  readonly keepTaggedImages?: number;
  /**
   * Tag patterns (`*` wildcards) that may be overwritten although tags are otherwise IMMUTABLE,
   * e.g. `["latest"]`. Uses `IMMUTABLE_WITH_EXCLUSION`, which needs AWS provider 6.x; the
   * offline provider 5.100 in this repository's test mirror rejects it.
   * @default - none: every tag is immutable
   */
  readonly mutableTagExclusions?: readonly string[];
  /**
   * Adds `lifecycle.prevent_destroy` to the repository and its key: images and the key that
   * decrypts them are not casually destroyed by a `cdktf destroy` or a rename.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The private ECR repository the pipeline pushes to: scan on push, immutable tags (every
 * deployment names exactly one image), encrypted with its own rotating KMS key, and a
 * lifecycle policy that expires untagged layers quickly, never expires what an environment runs or may
 * roll back to (see `keepDeployedImages`), and keeps the newest builds.
 */
export class ContainerRepository extends Construct {
  public readonly repository: EcrRepository;
  public readonly kmsKey: KmsKey;
  public readonly arn: string;
  public readonly url: string;
  public readonly repositoryName: string;
  public readonly keepTaggedImages: number;
  /** Environments whose deployed images the lifecycle policy protects, in deployment order. */
  private readonly deployedEnvironments: string[] = [];

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const keepTaggedImages = props.keepTaggedImages ?? 30;
    const exclusions = props.mutableTagExclusions ?? [];
    const preventDestroy = props.preventDestroy ?? true;
    validate(props.name, keepTaggedImages, exclusions);
    this.keepTaggedImages = keepTaggedImages;

    this.kmsKey = new KmsKey(this, "Key", {
      description: `Encrypts the images of ECR repository ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy },
    });
    new KmsAlias(this, "KeyAlias", { name: `alias/ecr/${props.name}`, targetKeyId: this.kmsKey.keyId });

    this.repository = new EcrRepository(this, "Repository", {
      name: props.name,
      imageTagMutability: exclusions.length > 0 ? "IMMUTABLE_WITH_EXCLUSION" : "IMMUTABLE",
      imageTagMutabilityExclusionFilter:
        exclusions.length > 0 ? exclusions.map((filter) => ({ filter, filterType: "WILDCARD" })) : undefined,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.kmsKey.arn }],
      // Never delete a repository that still holds images: they are the rollback targets.
      forceDelete: false,
      lifecycle: { preventDestroy },
    });

    new EcrLifecyclePolicy(this, "LifecyclePolicy", {
      repository: this.repository.name,
      // Not an IAM policy: a document without tokens, so a plain JSON string keeps the plan readable. Lazy: the
      // environments registered with keepDeployedImages after the constructor are part of it.
      policy: Lazy.stringValue({ produce: () => JSON.stringify(lifecycleRules(keepTaggedImages, this.deployedEnvironments)) }),
    });

    this.arn = this.repository.arn;
    this.url = this.repository.repositoryUrl;
    this.repositoryName = this.repository.name;
  }

  /**
   * Protects what an environment runs: the lifecycle policy keeps the newest `keepTaggedImages` images tagged
   * `deployed_<environmentName>_*` ahead of every other rule. `DeployedImageTagger` registers its environment here
   * when it is created (in deployment order) and adds those tags after each successful deployment.
   */
  public keepDeployedImages(environmentName: string): void {
    if (this.deployedEnvironments.includes(environmentName)) {
      throw new Error(`repository ${this.repository.name}: deployed images of environment "${environmentName}" are kept twice (one DeployedImageTagger per environment)`);
    }
    this.deployedEnvironments.push(environmentName);
  }

  /**
   * Lets the role pull images from this repository. No KMS permission is needed: ECR decrypts
   * through the grant it created on the key when the repository was created.
   */
  public grantPull(role: ServiceRole): void {
    this.grantAuthToken(role);
    role.addToPolicy({ sid: `EcrPull${this.sidSuffix}`, actions: [...ECR_PULL_ACTIONS], resources: [this.arn] });
  }

  /** Lets the role push images to this repository (KMS: see `grantPull`). */
  public grantPush(role: ServiceRole): void {
    this.grantAuthToken(role);
    role.addToPolicy({ sid: `EcrPush${this.sidSuffix}`, actions: [...ECR_PUSH_ACTIONS], resources: [this.arn] });
  }

  private grantAuthToken(role: ServiceRole): void {
    if (role.statements.some((s) => s.sid === "EcrAuthToken")) {
      return;
    }
    // ecr:GetAuthorizationToken has no resource-level permission: the token covers the registry.
    role.addToPolicy({ sid: "EcrAuthToken", actions: [...ECR_AUTH_ACTIONS], resources: ["*"] });
  }

  /** Keeps statement ids unique when one role is granted access to several repositories. */
  private get sidSuffix(): string {
    return this.node.id.replace(/[^A-Za-z0-9]/g, "");
  }
}

/**
 * The lifecycle rules. ECR applies each image's FIRST matching rule by priority ("an image that matches the tagging
 * requirements of a higher priority rule cannot be expired by a rule with a lower priority"), so:
 * 1. untagged images (leftovers of failed or retried builds) expire after a day;
 * 2. per environment, from the LAST in deployment order to the first, the newest `keep` images tagged
 *    `deployed_<env>_*` stay: an image prod runs was deployed to staging before, and prod's rule, evaluated first,
 *    decides for it, so staging's many deployments cannot push it out;
 * 3. of every other tagged image (built, not deployed, or deployed only where rule 2 let it go), the newest `keep`.
 * Rules are listed in ascending priority, the order ECR returns them in (no perpetual diff).
 */
export function lifecycleRules(keep: number, environments: readonly string[] = []): { rules: Record<string, unknown>[] } {
  const expire = { type: "expire" };
  const deployed = [...environments].reverse().map((environment, index) => ({
    rulePriority: 10 + index,
    description: `Keep the last ${keep} images deployed to ${environment} (what it runs and its rollback targets)`,
    selection: { tagStatus: "tagged", tagPatternList: [`${DEPLOYED_TAG_PREFIX}${environment}_*`], countType: "imageCountMoreThan", countNumber: keep },
    action: expire,
  }));
  return {
    rules: [
      {
        rulePriority: 1,
        description: "Expire untagged images after 1 day",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
        action: expire,
      },
      ...deployed,
      {
        rulePriority: 100,
        description: `Keep the last ${keep} tagged images (builds)`,
        selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keep },
        action: expire,
      },
    ],
  };
}

function validate(name: string, keepTaggedImages: number, exclusions: readonly string[]): void {
  if (!Number.isInteger(keepTaggedImages) || keepTaggedImages < 1 || keepTaggedImages > 1000) {
    throw new Error(`repository ${name}: keepTaggedImages must be an integer from 1 to 1000 (got ${keepTaggedImages})`);
  }
  if (exclusions.length > MAX_TAG_EXCLUSIONS) {
    throw new Error(
      `repository ${name}: mutableTagExclusions allows at most ${MAX_TAG_EXCLUSIONS} patterns (got ${exclusions.length})`,
    );
  }
  const bad = exclusions.find((tag) => !/^[A-Za-z0-9._*-]{1,128}$/.test(tag));
  if (bad !== undefined) {
    throw new Error(
      `repository ${name}: mutableTagExclusions entries must be 1-128 characters of letters, digits, ".", "_", "-" and "*" (got "${bad}")`,
    );
  }
}
