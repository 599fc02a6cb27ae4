/**
 * Entry point: choose and load the config, build the stacks, synthesize. Nothing else lives here.
 * Output is synthesized into a staging folder and moved into cdktf.out only when every stack
 * (and every policy rule) passed, so a failed synth never leaves a half-written cdktf.out.
 */
import { chooseConfig, ConfigError, configWarnings, describeConfigChoice, loadConfig, repositoryConfigPath } from "./config";
import { synthesizeApp } from "./stacks/synthesize";

function main(): void {
  try {
    // First line of every synth: which file, and why that one (a team must never build the demo unknowingly).
    const choice = chooseConfig();
    console.log(describeConfigChoice(choice));
    const config = loadConfig(choice.path);
    for (const warning of configWarnings(config)) console.log(warning);
    const stacks = synthesizeApp(config, undefined, {
      embeddedDemo: choice.origin === "embedded demo",
      deployConfigPath: repositoryConfigPath(choice),
      configPath: choice.path,
    });
    for (const line of stacks.report()) console.log(line);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Invalid config ${error.message}`);
    } else {
      // Known failure kinds carry a readable report; anything else is a bug worth its stack trace.
      const report = (error as { report?: string }).report;
      if (!report) throw error;
      console.error(report);
    }
    process.exitCode = 1;
  }
}

main();
