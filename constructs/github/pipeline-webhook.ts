import { RepositoryWebhook } from "@cdktf/provider-github/lib/repository-webhook";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { WebhookSecret } from "../delivery/sources/webhook-secret";

export interface PipelineWebhookProps {
  /** Repository name (without owner) whose pushes start the pipeline. */
  readonly repository: string;
  /** The `url` of the pipeline's `aws_codepipeline_webhook` (AWS stack; a cross-stack reference). */
  readonly url: string;
  /** The HMAC secret the AWS side verifies (the same `WebhookSecret` the AWS webhook uses). */
  readonly secret: WebhookSecret;
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * The repository webhook of the legacy `github.sourceMode: webhook` (GitHub version 1 source action,
 * which AWS deprecated in favour of connections): pushes are signed with the shared HMAC secret and
 * sent to CodePipeline's webhook URL over verified TLS.
 */
export class PipelineWebhook extends Construct {
  public readonly webhook: RepositoryWebhook;

  constructor(scope: Construct, id: string, props: PipelineWebhookProps) {
    super(scope, id);
    this.webhook = new RepositoryWebhook(this, "Webhook", {
      provider: props.provider,
      repository: props.repository,
      active: true,
      events: ["push"],
      configuration: {
        url: props.url,
        contentType: "json",
        secret: props.secret.value,
        insecureSsl: false,
      },
    });
  }
}
