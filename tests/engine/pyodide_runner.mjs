/**
 * Parity runner: compute calculators.run() in Pyodide under Node.js from a built site.
 *
 *   node pyodide_runner.mjs <site>/assets/engine wheel|snapshot cases.jsonl > results.jsonl
 *
 * Reads the site's engine manifest and starts the engine the way the browser worker does
 * (same boot module, same files). Each input line is {"name", "inputs_json"}, the inputs
 * as JSON text, so Python parses exactly the text CPython parsed; each case gives two
 * output lines, json.dumps(run(name, inputs), sort_keys=True) and the same for its
 * presentation view (guidesite/kit/browser.py), as computed in Pyodide. The start-up
 * time goes to stderr as {"startup_ms": ...}.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const [engineDirArg, mode, casesPath] = process.argv.slice(2);
const engineDir = resolve(engineDirArg);
const manifest = JSON.parse(readFileSync(`${engineDir}/manifest.json`, "utf8"));
const indexURL = `${engineDir}/${manifest.pyodide}`;
const boot = await import(pathToFileURL(`${engineDir}/boot.mjs`).href);
const { loadPyodide } = await import(pathToFileURL(`${indexURL}pyodide.mjs`).href);

const started = performance.now();
let pyodide;
if (mode === "snapshot") {
  if (!manifest.snapshot) throw new Error("the site was built without a snapshot");
  const snapshot = boot.sparseSnapshotWriter(manifest.snapshot_layout);
  snapshot.write(gunzipSync(readFileSync(`${engineDir}/${manifest.snapshot}`)));
  pyodide = await boot.startFromSnapshot(loadPyodide, {
    indexURL,
    snapshot: snapshot.finish(),
    lockInfo: manifest.lock_info,
    emptyStdlibURL: `${engineDir}/${manifest.empty_stdlib}`,
  });
} else if (mode === "wheel") {
  pyodide = await boot.startFromWheel(loadPyodide, {
    indexURL,
    lockInfo: manifest.lock_info,
    wheel: new Uint8Array(readFileSync(`${engineDir}/${manifest.wheel}`)),
  });
} else {
  throw new Error(`mode must be "wheel" or "snapshot", not ${mode}`);
}
process.stderr.write(`${JSON.stringify({ startup_ms: performance.now() - started })}\n`);

const runner = boot.calculatorRunner(pyodide, manifest.calculators, { sortKeys: true });
const lines = readFileSync(casesPath, "utf8").split("\n").filter((line) => line.trim());
const results = lines.map((line) => {
  const { name, inputs_json: inputsJson } = JSON.parse(line);
  return `${runner.run(name, inputsJson)}\n${runner.view(name, inputsJson)}`;
});
process.stdout.write(results.map((text) => `${text}\n`).join(""));
