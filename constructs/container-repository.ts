import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { ServiceRole } from "./iam";

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

/** ECR allows at most five tag mutability exclusion filters. */
const MAX_TAG_EXCLUSIONS = 5;

export interface ContainerRepositoryProps {
  /** Repository name, e.g. `demo`. */
  readonly name: string;
  /**
   * How many tagged images to keep; older ones expire. Every kept image is a version you can roll back to.
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
 * lifecycle policy that expires untagged layers quickly but keeps enough tagged images to roll back.
 */
export class ContainerRepository extends Construct {
  public readonly repository: EcrRepository;
  public readonly kmsKey: KmsKey;
  public readonly arn: string;
  public readonly url: string;
  public readonly repositoryName: string;
  public readonly keepTaggedImages: number;

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
      // Not an IAM policy: a static document without tokens, so a plain JSON string keeps the plan readable.
      policy: JSON.stringify(lifecycleRules(keepTaggedImages)),
    });

    this.arn = this.repository.arn;
    this.url = this.repository.repositoryUrl;
    this.repositoryName = this.repository.name;
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

/** Untagged images (leftovers of failed or retried builds) go after a day; tagged ones by count, newest kept. */
export function lifecycleRules(keepTaggedImages: number): object {
  return {
    rules: [
      {
        rulePriority: 1,
        description: "Expire untagged images after 1 day",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepTaggedImages} tagged images (rollback targets)`,
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["*"],
          countType: "imageCountMoreThan",
          countNumber: keepTaggedImages,
        },
        action: { type: "expire" },
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
