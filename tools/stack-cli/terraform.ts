/** Runs the Terraform CLI for the stack commands: the binary cdktf would run, in a stack's working directory. */
import { spawn } from "node:child_process";
import { StackCommandError } from "./manifest";

/** Runs `terraform <args>` in `dir`; resolves with its exit code. */
export type TerraformRunner = (dir: string, args: readonly string[]) => Promise<number>;

/** The binary cdktf runs: `TERRAFORM_BINARY_NAME` (cdktf's own variable), else `terraform` on the PATH. */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/** Terraform with the terminal attached: its output, colours and (for HCP Terraform stacks) its own prompts. */
export const interactiveTerraform: TerraformRunner = (dir, args) =>
  new Promise((resolvePromise, reject) => {
    const binary = terraformBinary();
    const child = spawn(binary, [...args], { cwd: dir, stdio: "inherit" });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new StackCommandError(
          error.code === "ENOENT" ? `terraform not found: "${binary}" is not on the PATH (install Terraform, or set TERRAFORM_BINARY_NAME)` : `terraform did not start: ${error.message}`,
        ),
      ),
    );
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
