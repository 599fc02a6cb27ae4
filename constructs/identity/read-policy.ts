import { projectNamePatterns } from "../../config/project-scope";
import { PolicyStatement } from "./iam";
import { NAME_SCOPED_SERVICES, PROJECT_TAG_KEY, projectResourceArns } from "./deploy-policy";
import { allReads, READS_WITHOUT_RESOURCE_TYPE } from "./refresh-reads";

/**
 * The read policy of the workflows' two roles, in place of AWS's ReadOnlyAccess: exactly the reads Terraform's refresh
 * makes for the resource types of the application stacks and the operations command's reads (refresh-reads.ts), each
 * on the project's resources where its ARN carries a name (the deploy role's name scopes), on resources with the project
 * tag where it carries only an id (KMS keys, connections, notification rules, the VPC), and on `*` only for the reads
 * the Service Authorization Reference lists without a resource type. No object, parameter, secret, table, log event,
 * function code or environment outside the project is readable, whichever backend holds the state.
 */

/** The role's read policies, by name suffix (`<project>-read-<part>`); two, so each fits IAM's 6,144 characters. */
export const READ_POLICY_PARTS = ["named", "other"] as const;
export type ReadPolicyPart = (typeof READ_POLICY_PARTS)[number];

/** Services whose reads on an id-only ARN are scoped by the project tag, and the ARN forms they read. */
const TAGGED_READ_RESOURCES = (region: string, account: string) => [
  `arn:aws:kms:${region}:${account}:key/*`,
  `arn:aws:codestar-connections:${region}:${account}:connection/*`,
  `arn:aws:codeconnections:${region}:${account}:connection/*`,
  `arn:aws:codestar-notifications:${region}:${account}:notificationrule/*`,
  `arn:aws:ec2:${region}:${account}:vpc/*`,
];

export interface ReadPolicyProps {
  readonly project: string;
  readonly region: string;
  /** Account id (a token is fine). */
  readonly account: string;
}

/** The read statements, in two parts: reads of the name-scoped services, and every other read. */
export function readPolicyStatements(props: ReadPolicyProps): Record<ReadPolicyPart, PolicyStatement[]> {
  const { project, region, account } = props;
  const reads = allReads();
  const resourceless = new Set<string>(READS_WITHOUT_RESOURCE_TYPE);
  const scoped = reads.filter((action) => !resourceless.has(action));
  const ofService = (...services: readonly string[]) => scoped.filter((action) => services.includes(action.split(":")[0]));
  const byName = projectResourceArns(project, region, account);
  // Connections are read through either prefix (the provider calls codestar-connections; new connections carry codeconnections ARNs).
  const tagged = [...ofService("kms", "codestar-connections", "codestar-notifications", "ec2")];
  tagged.push(...tagged.filter((action) => action.startsWith("codestar-connections:")).map((action) => action.replace("codestar-connections:", "codeconnections:")));
  const bucket = projectNamePatterns(project).prefixed;
  return {
    named: [
      {
        sid: "ReadProjectResources",
        actions: ofService(...NAME_SCOPED_SERVICES),
        resources: [
          // Only the ARN types a read takes (AWS's catalogue: ELB reads and DescribeTaskDefinition take none).
          ...NAME_SCOPED_SERVICES.filter((service) => ofService(service).length > 0).flatMap((service) =>
            service === "ecs" ? byName.ecs.filter((arn) => /:(cluster|service|service-deployment)\//.test(arn)) : byName[service],
          ),
          // The preset deployment configs the deployment groups name.
          `arn:aws:codedeploy:${region}:${account}:deploymentconfig:CodeDeployDefault.*`,
        ],
      },
    ],
    other: [
      { sid: "ReadWithoutResourceType", actions: [...READS_WITHOUT_RESOURCE_TYPE], resources: ["*"] },
      {
        sid: "ReadTaggedResources",
        actions: tagged,
        resources: TAGGED_READ_RESOURCES(region, account),
        conditions: [{ test: "StringEquals", variable: `aws:ResourceTag/${PROJECT_TAG_KEY}`, values: [project] }],
      },
      {
        // Bucket configuration only: no object is read here (the state's objects have their own grant).
        sid: "ReadProjectBuckets",
        actions: ofService("s3"),
        resources: [`arn:aws:s3:::${bucket}`],
        conditions: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [account] }],
      },
      { sid: "ReadProjectRoles", actions: ofService("iam"), resources: [`arn:aws:iam::${account}:role/${bucket}`] },
    ],
  };
}
