/** The one place that picks an environment's strategy implementation, by the kind its descriptor names. */
import { EnvironmentTarget } from "../project";
import { Session } from "../session";
import { CodeDeployStrategy } from "./codedeploy";
import { EcsStrategy } from "./ecs";
import { EnvironmentStrategy } from "./strategy";

export function strategyFor(session: Session, env: EnvironmentTarget): EnvironmentStrategy {
  const strategy = env.strategy;
  switch (strategy.kind) {
    case "codedeploy":
      return new CodeDeployStrategy(session, env, strategy);
    case "ecs":
      return new EcsStrategy(session, env, strategy);
  }
}
