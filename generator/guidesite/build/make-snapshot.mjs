/**
 * Build step, run by Node.js from guidesite/engine/bundle.py: makes the calculator engine's memory
 * snapshot (Pyodide with the calculators imported and warmed up).
 *
 *   node make-snapshot.mjs <Pyodide dir> <calculators wheel> <output file> <package> <site name>
 *
 * It starts Pyodide through the same boot module the browser's worker uses, so the
 * snapshot holds exactly the state the browser would reach by itself.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { makeSnapshot } from "../assets/engine/boot.mjs";

const [pyodideDir, wheelPath, outPath] = process.argv.slice(2, 5).map((path) => resolve(path));
const [pkg, site] = process.argv.slice(5);
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const lockFile = JSON.parse(readFileSync(`${pyodideDir}/pyodide-lock.json`, "utf8"));
try {
  const snapshot = await makeSnapshot(loadPyodide, {
    indexURL: `${pyodideDir}/`,
    lockInfo: lockFile.info,
    wheel: new Uint8Array(readFileSync(wheelPath)), // Pyodide takes no Node.js Buffer
    calculators: { package: pkg, site },
  });
  writeFileSync(outPath, snapshot);
} catch (error) {
  // The message alone: Node's own report starts with a minified line of Pyodide's source
  // (megabytes, cut off in the pipe); a PythonError's message is the Python traceback.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
