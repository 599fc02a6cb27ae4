/**
 * `bluegreen stop`: stops the deployment in flight, rolling back by default (traffic returns to the original
 * task set, which still runs). `--no-rollback` leaves traffic where it is.
 */
import { StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { ExitCode } from "../errors";
import { confirmChange, Session } from "../session";
import { deploymentToFollow } from "./wait";

export interface StopOptions {
  readonly env?: string;
  readonly rollback: boolean;
  readonly yes?: boolean;
}

export async function stopCommand(session: Session, options: StopOptions): Promise<ExitCode> {
  const { env, id } = await deploymentToFollow(session, { env: options.env });
  const how = options.rollback ? "and roll back (production traffic returns to the original task set)" : "without rollback (traffic stays where it is now)";
  await confirmChange(session, `will stop deployment ${id} in ${env.name} (${env.deploymentGroupName}) ${how}`, options.yes);
  const out = await session.clients.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: options.rollback }));
  session.runtime.stdout.write(`stop requested: ${out.status ?? "Pending"}${out.statusMessage ? ` (${out.statusMessage})` : ""}; npx bluegreen wait --env ${env.name} --deployment ${id} follows it\n`);
  return ExitCode.Ok;
}
