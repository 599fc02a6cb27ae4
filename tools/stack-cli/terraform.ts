/** Runs the Terraform CLI for the stack commands: the binary cdktf would run, in a stack's working directory. */
import { spawn } from "node:child_process";
import { StackCommandError } from "./manifest";

/** Runs `terraform <args>` in `dir`; resolves with its exit code. */
export type TerraformRunner = (dir: string, args: readonly string[]) => Promise<number>;

/** The binary cdktf runs: `TERRAFORM_BINARY_NAME` (cdktf's own variable), else `terraform` on the PATH. */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/**
 * Terraform's environment here: no checkpoint call (Terraform's version check, which only fails offline), and no
 * colour codes when the output is not a terminal (a CI log, a pipe).
 */
export function terraformEnvironment(env: NodeJS.ProcessEnv, terminal: boolean): NodeJS.ProcessEnv {
  const args = env.TF_CLI_ARGS ?? "";
  return {
    ...env,
    CHECKPOINT_DISABLE: env.CHECKPOINT_DISABLE ?? "1",
    ...(terminal || args.includes("-no-color") ? {} : { TF_CLI_ARGS: `${args} -no-color`.trim() }),
  };
}

/** Terraform with the terminal attached: its output, colours and (for HCP Terraform stacks) its own prompts. */
export const interactiveTerraform: TerraformRunner = (dir, args) =>
  new Promise((resolvePromise, reject) => {
    const binary = terraformBinary();
    const env = terraformEnvironment(process.env, Boolean(process.stdout.isTTY && process.stderr.isTTY));
    const child = spawn(binary, [...args], { cwd: dir, stdio: "inherit", env });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new StackCommandError(
          error.code === "ENOENT" ? `terraform not found: "${binary}" is not on the PATH (install Terraform, or set TERRAFORM_BINARY_NAME)` : `terraform did not start: ${error.message}`,
        ),
      ),
    );
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });

/** `terraform output -json` in `dir`, captured; rejects when Terraform fails or prints something else. */
export function terraformOutputs(dir: string): Promise<Record<string, { value?: unknown; sensitive?: boolean }>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(terraformBinary(), ["output", "-json"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"], env: terraformEnvironment(process.env, false) });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        if (code !== 0) throw new Error(`terraform output exited ${code}`);
        resolvePromise(JSON.parse(text) as Record<string, { value?: unknown; sensitive?: boolean }>);
      } catch (error) {
        reject(error);
      }
    });
  });
}
