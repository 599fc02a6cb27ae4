/**
 * `bluegreen approve` / `bluegreen reject --comment`: answers the manual approval before an environment's deploy
 * stage, with the approver's comment (CodePipeline records it with the caller's identity).
 */
import { GetPipelineStateCommand, PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { ExitCode, OpsError } from "../errors";
import { environments, Session } from "../session";

export interface ApprovalOptions {
  readonly env?: string;
  readonly comment?: string;
}

interface Pending {
  readonly env: string;
  readonly stage: string;
  readonly action: string;
  readonly token: string;
}

async function pendingApprovals(session: Session, envName: string | undefined): Promise<Pending[]> {
  const envs = environments(session, envName).filter((e) => e.approval);
  if (envName && envs.length === 0) throw new OpsError(ExitCode.Usage, `--env ${envName} has no approval stage (requireApproval is off for it)`);
  const state = await session.clients.codepipeline.send(new GetPipelineStateCommand({ name: session.service.pipelineName }));
  const pending: Pending[] = [];
  for (const env of envs) {
    const stage = state.stageStates?.find((s) => s.stageName === env.approval?.stage);
    const action = stage?.actionStates?.find((a) => a.actionName === env.approval?.action);
    const token = action?.latestExecution?.status === "InProgress" ? action.latestExecution.token : undefined;
    if (token && env.approval) pending.push({ env: env.name, stage: env.approval.stage, action: env.approval.action, token });
  }
  return pending;
}

export async function approvalCommand(session: Session, decision: "Approved" | "Rejected", options: ApprovalOptions): Promise<ExitCode> {
  if (decision === "Rejected" && !options.comment?.trim()) throw new OpsError(ExitCode.Usage, "reject needs --comment \"why\" (it is recorded with the rejection)");
  const pending = await pendingApprovals(session, options.env);
  if (pending.length === 0) {
    throw new OpsError(ExitCode.NothingInFlight, `no approval is waiting${options.env ? ` for ${options.env}` : ""} in pipeline ${session.service.pipelineName}`);
  }
  if (pending.length > 1) throw new OpsError(ExitCode.Usage, `approvals are waiting for ${pending.map((p) => p.env).join(" and ")}; pick one with --env`);
  const [target] = pending;
  const summary = options.comment?.trim() || `${decision.toLowerCase()} with bluegreen by ${session.caller}`;
  const verb = decision === "Approved" ? "approving" : "rejecting";
  session.runtime.stdout.write(`${verb} ${target.stage} of pipeline ${session.service.pipelineName}: "${summary}"\n`);
  await session.clients.codepipeline.send(
    new PutApprovalResultCommand({
      pipelineName: session.service.pipelineName,
      stageName: target.stage,
      actionName: target.action,
      token: target.token,
      result: { status: decision, summary },
    }),
  );
  session.runtime.stdout.write(decision === "Approved" ? `approved: ${target.env} deploys next\n` : `rejected: the execution stops before ${target.env}\n`);
  return ExitCode.Ok;
}
