/**
 * `bluegreen stop`: stops the deployment in flight, rolling back by default (production traffic returns to the
 * original revision, which still runs). `--no-rollback` leaves traffic where it is, where the strategy allows it
 * (CodeDeploy; ECS stops a service deployment only by rolling it back).
 */
import { ExitCode } from "../errors";
import { confirmChange, Session } from "../session";
import { deploymentToFollow } from "./wait";

export interface StopOptions {
  readonly env?: string;
  readonly rollback: boolean;
  readonly yes?: boolean;
}

export async function stopCommand(session: Session, options: StopOptions): Promise<ExitCode> {
  const { env, strategy, id } = await deploymentToFollow(session, { env: options.env });
  const plan = strategy.planStop(id, options.rollback);
  await confirmChange(session, plan.description, options.yes);
  const said = await plan.apply();
  session.runtime.stdout.write(`${said}; npx bluegreen wait --env ${env.name} --deployment ${id} follows it\n`);
  return ExitCode.Ok;
}
