import { Rule } from "../../types";
import { violation } from "../../values";
import { listeners } from "./load-balancers";

/** Policies whose minimum protocol is TLS 1.2 (TLS13-1-2/1-3, TLS-1-2, FS-1-2 families, FIPS and PQ variants included). */
const MODERN_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

export const albTlsPolicy: Rule = {
  id: "BG-ALB-002",
  area: "alb",
  title: "HTTPS listeners use a TLS 1.2+ security policy",
  check: "Every HTTPS/TLS listener sets ssl_policy to a policy whose minimum protocol is TLS 1.2 or 1.3.",
  rationale: "The API default (ELBSecurityPolicy-2016-08) still accepts TLS 1.0 and 1.1.",
  source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
  fix: "Set ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\" (or another TLS13-1-2/TLS13-1-3 policy).",
  evaluate: (ctx) =>
    listeners(ctx)
      .filter((l) => l.body.protocol === "HTTPS" || l.body.protocol === "TLS")
      .filter((l) => typeof l.body.ssl_policy !== "string" || !MODERN_POLICY.test(l.body.ssl_policy))
      .map((l) => violation(l, `ssl_policy is ${String(l.body.ssl_policy ?? "unset (AWS default allows TLS 1.0)")}`)),
};
