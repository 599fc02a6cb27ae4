/**
 * The first deploy, written once: from an empty AWS account and an empty GitHub organization to the first release.
 * `npm run docs` renders it into README.md, docs/operations.md and help (./render.ts); __tests__/first-deploy.test.ts
 * checks the copies are current and that every command, file, output, config key and secret a step names exists,
 * and the offline Terraform suite walks the commands in order for both repository layouts.
 *
 * Placeholders: `<project>` is the config's `project`, `<env>` an environment name, `<owner>/<repo>` a repository.
 */

/** What a step names that must exist; the test checks each against the code. */
export interface StepReferences {
  /** Files of this repository. */
  readonly files?: readonly string[];
  /** Outputs of the synthesized AWS stack (`<env>` stands for each environment's name, PascalCase). */
  readonly outputs?: readonly string[];
  /** Config keys, as the config reference spells them. */
  readonly keys?: readonly string[];
  /** Secrets the workflows read. */
  readonly secrets?: readonly string[];
}

export interface FirstDeployStep {
  /** A few words: the step's name in every copy. */
  readonly title: string;
  /** Who does it, with which rights. */
  readonly who: string;
  /** What to do and why, as sentences (Markdown inline code allowed). */
  readonly what: string;
  /** Shell commands, in order; `npm run`, `npx bluegreen` and `git` lines are walked by the tests. */
  readonly commands: readonly string[];
  /** Where to look when the step fails. */
  readonly whenItFails: string;
  readonly references: StepReferences;
}

/** The two supported repository layouts, side by side: what each holds and the config keys that say so. */
export const REPOSITORY_LAYOUTS = {
  columns: ["", "one repository", "two repositories"],
  rows: [
    ["holds", "this project, and the application in a folder (`app/`)", "the application (its Dockerfile at the root) / this project"],
    ["`github.repository`", "this repository", "the application repository"],
    ["`github.infrastructureRepository`", "unset", "`<owner>/<infra repo>`"],
    ["`pipeline.buildContext`", "`app` (the root is refused: the trigger could not leave out this project's files)", "the Dockerfile's folder: `.` (the default) or, like the example, `app`"],
    ["a push releases when", "it changes `app/`", "it reaches the application repository's branch"],
    ["example", "`config/examples/single-env-https.yaml`", "`config/examples/default.yaml`"],
  ],
  /** The example configs of the two layouts, in column order (the offline suite walks the steps with each). */
  examples: ["single-env-https.yaml", "default.yaml"],
} as const;

export const FIRST_DEPLOY_STEPS: readonly FirstDeployStep[] = [
  {
    title: "Accounts and rights",
    who: "you",
    what:
      "An AWS account and credentials that may create IAM roles (an administrator, for the first three stacks); a GitHub " +
      "organization (or account) where an owner can install the AWS Connector for GitHub app (a repository admin may " +
      "where the organization allows it; anyone else can only request it for an owner to approve); a fine-grained GitHub " +
      "token that administers the repositories (docs/security.md lists its permissions); an email address for the " +
      "pipeline's notifications. Tools: Node 22 or 24, Terraform 1.11, git.",
    commands: [],
    whenItFails: "`aws sts get-caller-identity` says which identity the commands below will use.",
    references: { files: ["docs/security.md"] },
  },
  {
    title: "Config",
    who: "you",
    what:
      "Copy the example of your layout to `deploy-config.yaml` at the repository root, edit it, commit it. Synth validates it " +
      "and names the file on its first line; the embedded demo's stacks refuse to deploy.",
    commands: ["cp config/examples/default.yaml deploy-config.yaml   # two repositories; one: single-env-https.yaml", "npm ci", "npm run synth"],
    whenItFails: "Synth prints every config problem at once, each naming its key; `npm run schema` gives editors the JSON Schema.",
    references: { files: ["config/examples/default.yaml", "config/examples/single-env-https.yaml"], keys: ["project", "region", "pipeline.notificationEmail"] },
  },
  {
    title: "Repositories",
    who: "a GitHub organization member who can create repositories",
    what:
      "Choose a layout (table above), create the empty repository or repositories on GitHub, and push this project with " +
      "your config and the application now: once the GitHub stack protects the deploy branch (administrators " +
      "included, reviews required), nobody pushes to it directly. For two repositories, push the application (with its " +
      "Dockerfile: README, Application repository contract) to its own repository the same way.",
    commands: ["git remote add origin git@github.com:<owner>/<repo>.git", "git push -u origin main"],
    whenItFails: "`git remote -v`; a push refused by an existing branch protection: README, Adopting existing repositories.",
    references: { keys: ["github.owner", "github.repository", "github.infrastructureRepository", "github.branch", "pipeline.buildContext"] },
  },
  {
    title: "Bootstrap",
    who: "an AWS administrator",
    what:
      "S3 state only (HCP Terraform: skip). The state bucket and its key, on a local state file `terraform.bootstrap.tfstate`: " +
      "keep it, or move it into the bucket (`state.bootstrapStateInBucket: true`, then the same command with " +
      "`--migrate-state`). Put the printed `StateKmsKeyArn` into `state.kmsKeyArn` and your administrator role into " +
      "`state.adminRoleArns`.",
    commands: ["npm run deploy -- bootstrap"],
    whenItFails: "Terraform's message above the one-line summary; `BucketAlreadyExists`: `state.bucket` is taken in another account, pick another name.",
    references: { keys: ["state.bucket", "state.bootstrapStateInBucket", "state.kmsKeyArn", "state.adminRoleArns"] },
  },
  {
    title: "Access stack",
    who: "an AWS administrator, now and for every later change of it",
    what:
      "The GitHub OIDC provider (or `github.oidcProviderArn`), the plan and deploy roles (sessions of " +
      "`github.roleSessionMinutes`, long enough for every workflow) and the permissions boundary. The deploy workflow " +
      "never applies it.",
    commands: ["npm run deploy -- <project>-access"],
    whenItFails: "`EntityAlreadyExists` for the OIDC provider: the account has one; set `github.oidcProviderArn` to it.",
    references: { keys: ["github.oidcProviderArn", "github.roleSessionMinutes"] },
  },
  {
    title: "AWS stack",
    who: "an AWS administrator",
    what:
      "Everything that runs: network, load balancers, ECS on a public bootstrap image (so this converges before any build), " +
      "CodeDeploy, the pipeline, the connection. It ends with each environment's URL (`<env>Url`); with a certificate, " +
      "point a DNS record for your domain at that load balancer (a CNAME, or a Route 53 alias). In a fresh account ECS and " +
      "Elastic Load Balancing create their service-linked roles on first use.",
    commands: ["npm run deploy -- <project>"],
    whenItFails:
      "`Unable to assume the service linked role`: run `aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com` once, then deploy again.",
    references: { outputs: ["<env>Url", "ConnectionArn", "ConnectionConsoleUrl", "StartPipelineCommand"], keys: ["environments[].certificateArn"] },
  },
  {
    title: "Connection handshake",
    who: "a GitHub organization owner, in the AWS console",
    what:
      "A new connection is `PENDING` and every pipeline run fails at Source until then. Open the output " +
      "`ConnectionConsoleUrl`, choose the connection, *Update pending connection*, and install and authorize the AWS " +
      "Connector for GitHub app for the application repository (or set `github.connectionArn` to an available connection " +
      "instead).",
    commands: [],
    whenItFails: "The console shows the connection's status; `Install a new app` without an owner sends the owner a request.",
    references: { outputs: ["ConnectionConsoleUrl"], keys: ["github.connectionArn"] },
  },
  {
    title: "GitHub stack",
    who: "a repository administrator, with the admin token",
    what:
      "Branch protection (administrators included), the protected deployment environment `github.deployEnvironment.name` " +
      "(required reviewers, no self-review, the deploy branch only; no reviewers only with `soloEvaluation: true`), the " +
      "repository's OIDC subject template (the subject the plan and deploy roles trust: until it exists neither role can be " +
      "assumed from a workflow, so this first GitHub deploy runs from your machine), the Actions variables the workflows read. In `imageSource: ecr` mode it opens the pull request with " +
      "`deploy/taskdef-<env>.json` and `deploy/appspec-<env>.yaml`: review and merge it.",
    commands: ["GITHUB_TOKEN=<admin token> npm run deploy -- <project>-github"],
    whenItFails: "`Name already protected` or `409 Conflict`: README, Adopting existing repositories; `403 Upgrade to GitHub Pro`: protecting a private repository needs a paid plan.",
    references: { keys: ["github.deployEnvironment.name", "github.deployEnvironment.reviewers", "github.deployEnvironment.soloEvaluation", "github.importExisting", "pipeline.imageSource"] },
  },
  {
    title: "Secrets",
    who: "a repository administrator, in the repository's settings",
    what:
      "`INFRA_GITHUB_ADMIN_TOKEN` (and `TF_API_TOKEN` for HCP Terraform) as secrets of the deployment environment; the " +
      "read-only `INFRA_GITHUB_PLAN_TOKEN` (and `TF_PLAN_TOKEN`) as repository secrets. Credentials never go through the " +
      "stacks.",
    commands: [],
    whenItFails: "A workflow without its token skips the GitHub stack and says so in the job summary.",
    references: { secrets: ["INFRA_GITHUB_ADMIN_TOKEN", "TF_API_TOKEN", "INFRA_GITHUB_PLAN_TOKEN", "TF_PLAN_TOKEN"] },
  },
  {
    title: "First release",
    who: "anyone with the deploy role, or the `release` workflow",
    what:
      "The pipeline's automatic first run failed at Source before the handshake: start it again and follow the first " +
      "environment. (`imageSource: ecr`: push the image tagged `pipeline.ecrImageTag` instead, after the deploy-files pull " +
      "request is merged.) Later pushes to the watched branch release by themselves.",
    commands: ["npx bluegreen release", "npx bluegreen wait --env <env>", "npx bluegreen status"],
    whenItFails: "`npx bluegreen status` shows the failed stage; the pipeline's console page has the build log; `npx bluegreen verify` checks what a deployment needs.",
    references: { keys: ["pipeline.ecrImageTag"], outputs: ["StartPipelineCommand"] },
  },
  {
    title: "Notifications",
    who: "the owner of `pipeline.notificationEmail`",
    what: "SNS sent a confirmation email when the AWS stack subscribed the address: open its link, or no failure, success or approval message ever arrives.",
    commands: [],
    whenItFails: "Until then the subscription's ARN reads `PendingConfirmation` (SNS console, or `aws sns list-subscriptions-by-topic`); check the spam folder.",
    references: { keys: ["pipeline.notificationEmail"] },
  },
];
