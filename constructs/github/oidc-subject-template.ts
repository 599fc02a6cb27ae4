import { ActionsRepositoryOidcSubjectClaimCustomizationTemplate } from "@cdktf/provider-github/lib/actions-repository-oidc-subject-claim-customization-template";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { OIDC_SUBJECT_CLAIM_KEYS } from "../identity/oidc-subjects";

export interface OidcSubjectTemplateProps {
  /** Repository name (without owner; the provider's owner applies): the infrastructure repository. */
  readonly repository: string;
  /** @default - the stack's default GitHub provider */
  readonly provider?: TerraformProvider;
}

/**
 * The infrastructure repository's OIDC subject template: every token's `sub` names the repository, the context
 * (environment), the event and the workflow file, in the order of OIDC_SUBJECT_CLAIM_KEYS, which is what the
 * access stack's roles trust. It applies to every workflow of the repository; a token minted before it exists
 * (or after someone resets it) has the default subject, which neither role trusts: the roles fail closed.
 */
export class OidcSubjectTemplate extends Construct {
  public readonly template: ActionsRepositoryOidcSubjectClaimCustomizationTemplate;

  constructor(scope: Construct, id: string, props: OidcSubjectTemplateProps) {
    super(scope, id);
    this.template = new ActionsRepositoryOidcSubjectClaimCustomizationTemplate(this, "Template", {
      provider: props.provider,
      repository: props.repository,
      useDefault: false,
      includeClaimKeys: [...OIDC_SUBJECT_CLAIM_KEYS],
    });
  }
}
