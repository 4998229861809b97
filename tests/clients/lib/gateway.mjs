// Starts the emulator and the gateway binaries on loopback ports for a client suite.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Spawns `bin args` and resolves with {proc, port} once a stdout line says "listening on".
export function startProcess(bin, args, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => { proc.kill("SIGKILL"); reject(new Error(`${bin} did not start:\n${out}`)); }, 20000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/listening on http:\/\/[^:\s]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve({ proc, port: Number(m[1]), output: () => out }); }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", (d) => { out += d.toString(); });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${bin} exited ${code}:\n${out}`)); });
  });
}

export function stop(p) {
  if (!p) return Promise.resolve();
  return new Promise((resolve) => {
    if (p.proc.exitCode !== null) return resolve();
    p.proc.removeAllListeners("exit");
    p.proc.on("exit", () => resolve());
    p.proc.kill("SIGTERM");
    setTimeout(() => { p.proc.kill("SIGKILL"); resolve(); }, 10000).unref();
  });
}

// The config every client suite uses: Mistral models behind the gateway, pointing at the emulator.
export function gatewayConfig(emulatorPort, extra = "") {
  const base = `http://127.0.0.1:${emulatorPort}/v1`;
  const entry = (name, model) =>
    `  - model_name: ${name}\n    litellm_params:\n      model: ${model}\n      api_base: ${base}\n      api_key: os.environ/MISTRAL_API_KEY\n`;
  return "model_list:\n" +
    entry("mistral-small-latest", "mistral/mistral-small-latest") +
    entry("magistral-medium-2506", "mistral/magistral-medium-2506") +
    entry("mistral-embed", "mistral/mistral-embed") +
    "general_settings:\n  master_key: sk-test-1234\n" + extra;
}

export async function startStack() {
  const emulatorBin = process.env.EMULATOR_BIN;
  const gatewayBin = process.env.GATEWAY_BIN;
  if (!emulatorBin || !gatewayBin) throw new Error("EMULATOR_BIN and GATEWAY_BIN must be set");
  const emulator = await startProcess(emulatorBin, ["--port", "0"]);
  const dir = mkdtempSync(join(tmpdir(), "litellm-clients-"));
  const config = join(dir, "config.yaml");
  writeFileSync(config, gatewayConfig(emulator.port));
  let gateway;
  try {
    gateway = await startProcess(gatewayBin, ["--config", config, "--host", "127.0.0.1", "--port", "0", "--num_workers", "2"],
      { MISTRAL_API_KEY: "emulator-key" });
  } catch (e) {
    await stop(emulator);
    throw e;
  }
  return {
    emulator, gateway,
    baseURL: `http://127.0.0.1:${gateway.port}/v1`,
    apiKey: "sk-test-1234",
    async close() { await stop(gateway); await stop(emulator); },
  };
}
