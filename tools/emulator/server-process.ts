/**
 * Starts and stops tools/emulator/server.py (moto with the patches, and the CodeStar stand-in) on a free loopback
 * port. The server holds a pipe to this process on its standard input and stops when it closes, so it cannot
 * outlive the run, even when the run is killed.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";

export const SERVER_SCRIPT = join(__dirname, "server.py");
/** The Python that has moto: `EMULATOR_PYTHON`, else python3 on the PATH. */
export const PYTHON = process.env.EMULATOR_PYTHON || "python3";
/** What to say, in one line, when there is no moto to run. */
export const MOTO_MISSING =
  "the AWS emulator needs moto 5.2.1 with its server in the python3 on the PATH (install it with: python3 -m pip install 'moto[server]==5.2.1'; " +
  "or set EMULATOR_PYTHON to a Python that has it)";

/** Why the emulator cannot start here, or undefined. */
export function emulatorUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import moto, werkzeug, boto3; from importlib.metadata import version; print(version('moto'))"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return MOTO_MISSING;
  return undefined;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the server; `logFile` gets its request log and errors. `stock` serves moto without the patches. */
export function startEmulator(logFile: string, options: { stock?: boolean } = {}): Promise<EmulatorServer> {
  const log = createWriteStream(logFile, { flags: "a" });
  const child: ChildProcess = spawn(PYTHON, [SERVER_SCRIPT, "--port", "0", ...(options.stock ? ["--stock"] : [])], { stdio: ["pipe", "pipe", "pipe"] });
  child.stderr?.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) {
      child.stdin?.end();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    }
    log.end();
  };
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("error", (error) => reject(new Error(`${MOTO_MISSING} (${error.message})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (!out.includes("\n")) return;
      try {
        const { port } = JSON.parse(line) as { port: number };
        resolve({ url: `http://127.0.0.1:${port}`, port, stop });
      } catch {
        void stop().then(() => reject(new Error(`the emulator printed "${line}" instead of its port; its log: ${logFile}`)));
      }
    });
    void exit.then(() => reject(new Error(`the emulator exited before listening; its log: ${logFile}`)));
  });
}
