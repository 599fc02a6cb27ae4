/**
 * `bluegreen release`: starts the pipeline (a new release of the watched branch's head, or in ecr mode of the
 * watched tag). Used after the connection handshake and after an infrastructure change to the task definition,
 * which the pipeline must deploy (Terraform leaves the live task definition to CodeDeploy).
 */
import { StartPipelineExecutionCommand } from "@aws-sdk/client-codepipeline";
import { ExitCode } from "../errors";
import { Session } from "../session";

export async function releaseCommand(session: Session): Promise<ExitCode> {
  const { pipelineName, environments } = session.service;
  const out = session.runtime.stdout;
  out.write(`starting pipeline ${pipelineName}: build and deploy to ${environments.map((e) => e.name).join(", then ")}\n`);
  const started = await session.clients.codepipeline.send(new StartPipelineExecutionCommand({ name: pipelineName }));
  const service = session.service.service ? ` --service ${session.service.service}` : "";
  out.write(`started execution ${started.pipelineExecutionId ?? "?"}; follow it with: npx bluegreen status${service}, npx bluegreen wait${service} --env ${environments[0]?.name ?? ""}\n`);
  return ExitCode.Ok;
}
