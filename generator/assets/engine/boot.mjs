/**
 * Starting Pyodide with the calculators, shared by the browser worker, the build's snapshot
 * step and the parity tests' Node runner, so the tests exercise the code the browser runs.
 * (`.mjs` so that Node.js also reads it as a module.)
 */

// The Python the browser calls: calculators/browser.py, a module of the calculators wheel.
const BROWSER_MODULE = "calculators.browser";

// Only Pyodide's core and our wheel are loaded: no package from the lock file is needed,
// so its `info` stands in for the whole file (one download fewer).
function leanLockFile(lockInfo) {
  return { info: lockInfo, packages: {} };
}

/**
 * Start the ordinary way: Pyodide and its standard library, then unpack the calculators
 * wheel (bytes, or a promise of them) into site-packages. Unpacking, unlike
 * `loadPackage()`, leaves no JavaScript state behind that a memory snapshot would refuse.
 */
export async function startFromWheel(loadPyodide, { indexURL, lockInfo, wheel, ...options }) {
  const pyodide = await loadPyodide({
    indexURL,
    lockFileContents: leanLockFile(lockInfo),
    ...options,
  });
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  return pyodide;
}

/**
 * Start from a memory snapshot made by `makeSnapshot`. The snapshot already holds every
 * module the calculators use, so the lock file's packages and the standard library archive
 * are skipped (an empty archive stands in for the latter).
 */
export async function startFromSnapshot(
  loadPyodide,
  { indexURL, snapshot, lockInfo, emptyStdlibURL },
) {
  return loadPyodide({
    indexURL,
    _loadSnapshot: snapshot,
    lockFileContents: leanLockFile(lockInfo),
    stdLibURL: emptyStdlibURL,
  });
}

/**
 * A memory snapshot of Pyodide with the calculators imported and warmed up, for
 * `startFromSnapshot`. Made at build time under Node.js (about 2 s; 9 s in a browser).
 */
export async function makeSnapshot(loadPyodide, { indexURL, lockInfo, wheel }) {
  const pyodide = await startFromWheel(loadPyodide, {
    indexURL,
    lockInfo,
    wheel,
    _makeSnapshot: true,
  });
  pyodide.pyimport(BROWSER_MODULE).warm_up();
  return pyodide.makeMemorySnapshot();
}

/**
 * `{run, view}`: functions `(name, inputsJson) -> JSON text` calling `calculators.run` and
 * the presentation view of its answer (calculators/browser.py). With `sortKeys`, the JSON
 * is written with sorted keys (for parity tests).
 */
export function calculatorRunner(pyodide, { sortKeys = false } = {}) {
  const browser = pyodide.pyimport(BROWSER_MODULE);
  const [runJson, viewJson] = [browser.run_json, browser.view_json];
  return {
    run: (name, inputsJson) => runJson(name, inputsJson, sortKeys),
    view: (name, inputsJson) => viewJson(name, inputsJson, sortKeys),
  };
}
