/**
 * `bluegreen rollback`: goes back to the previous successful task-definition revision, then follows the deployment
 * that does it like `wait`. How is the environment's strategy's: CodeDeploy redeploys that revision with the
 * pipeline's appspec (and refuses while a deployment is in flight); ECS stops the deployment in flight with
 * rollback, or else updates the service to the previous successful service revision's task definition.
 */
import { ExitCode, OpsError } from "../errors";
import { confirmChange, environments, Session } from "../session";
import { strategyFor } from "../strategies/select";
import { follow, WaitOptions } from "./wait";

export interface RollbackOptions extends WaitOptions {
  readonly yes?: boolean;
}

export async function rollbackCommand(session: Session, options: RollbackOptions): Promise<ExitCode> {
  const envs = environments(session, options.env);
  if (envs.length !== 1) throw new OpsError(ExitCode.Usage, `rollback needs --env (one of ${envs.map((e) => e.name).join(", ")})`);
  const [env] = envs;
  const strategy = strategyFor(session, env);
  const plan = await strategy.planRollback();
  await confirmChange(session, plan.description, options.yes);
  return follow(session, env, strategy, await plan.apply(), options);
}
