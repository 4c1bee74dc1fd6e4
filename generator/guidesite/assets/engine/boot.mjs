/**
 * Starting Pyodide with the calculators, shared by the browser worker, the build's snapshot
 * step and the parity tests' Node runner, so the tests exercise the code the browser runs.
 * (`.mjs` so that Node.js also reads it as a module.) Pyodide's types: types/pyodide.d.ts.
 *
 * @typedef {{size: number, ranges: [number, number][]}} SnapshotLayout
 *   a sparse snapshot's layout (guidesite/engine/bundle.py `sparse`): its whole size, and
 *   the [offset, length] of each run of kept bytes, in order
 * @typedef {{run: RunJson, view: RunJson}} CalculatorRunner  what `calculatorRunner` returns
 * @typedef {(name: string, inputsJson: string) => string} RunJson
 * @typedef {{package: string, site: string}} SiteCalculators  the site's calculators package
 *   and the site's name (manifest.json's `calculators`, from the site's mkdocs.yml)
 * @typedef {Object} BrowserModule  guidesite/kit/browser.py, as Pyodide's proxy of it
 * @property {(pkg: string, site: string) => void} load
 * @property {(pkg: string, site: string) => void} warm_up
 * @property {(name: string, inputsJson: string, sortKeys: boolean) => string} run_json
 * @property {(name: string, inputsJson: string, sortKeys: boolean) => string} view_json
 */

// The Python the browser calls: guidesite/kit/browser.py, the kit's module in the wheel.
const BROWSER_MODULE = "guidesite.kit.browser";

// Only Pyodide's core and our wheel are loaded: no package from the lock file is needed,
// so its `info` stands in for the whole file (one download fewer).
/** @param {PyodideLockInfo} lockInfo */
function leanLockFile(lockInfo) {
  return { info: lockInfo, packages: {} };
}

/**
 * Start the ordinary way: Pyodide and its standard library, then unpack the calculators
 * wheel (bytes, or a promise of them) into site-packages. Unpacking, unlike
 * `loadPackage()`, leaves no JavaScript state behind that a memory snapshot would refuse.
 *
 * @param {LoadPyodide} loadPyodide
 * @param {{
 *   indexURL: string,
 *   lockInfo: PyodideLockInfo,
 *   wheel: Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>,
 *   _makeSnapshot?: boolean,
 * }} options  `wheel`: the calculators wheel's bytes; the rest goes to `loadPyodide`
 * @returns {Promise<Pyodide>}
 */
export async function startFromWheel(loadPyodide, { indexURL, lockInfo, wheel, ...options }) {
  const pyodide = await loadPyodide({
    indexURL,
    lockFileContents: leanLockFile(lockInfo),
    ...options,
  });
  // A Python str comes back as a JavaScript string.
  const sitePackages = /** @type {string} */ (
    pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')")
  );
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  return pyodide;
}

/**
 * Start from a memory snapshot made by `makeSnapshot`. The snapshot already holds every
 * module the calculators use, so the lock file's packages and the standard library archive
 * are skipped (an empty archive stands in for the latter).
 *
 * With `filled`, `snapshot` is the snapshot's whole buffer while its bytes are still
 * arriving: Pyodide instantiates its WebAssembly and sets itself up meanwhile (Pyodide only
 * needs the size for that), and copies the snapshot in once `filled` resolves. If it
 * rejects, so does the start, and that Pyodide never runs a half-written snapshot.
 *
 * @param {LoadPyodide} loadPyodide
 * @param {{
 *   indexURL: string,
 *   snapshot: Uint8Array,
 *   filled?: Promise<unknown>,
 *   lockInfo: PyodideLockInfo,
 *   emptyStdlibURL: string,
 * }} options  `snapshot`: the whole snapshot (see `sparseSnapshotWriter`)
 * @returns {Promise<Pyodide>}
 */
export async function startFromSnapshot(
  loadPyodide,
  { indexURL, snapshot, filled, lockInfo, emptyStdlibURL },
) {
  const starting = loadPyodide({
    indexURL,
    _loadSnapshot: snapshot,
    lockFileContents: leanLockFile(lockInfo),
    stdLibURL: emptyStdlibURL,
    // Pyodide restores the snapshot after its file system hooks have finished.
    ...(filled && { fsInit: () => filled.then(() => {}, () => new Promise(() => {})) }),
  });
  const [pyodide] = await Promise.all([starting, filled]);
  return pyodide;
}

/**
 * Unpacks a sparse snapshot (guidesite/engine/bundle.py `sparse`): the build keeps only its
 * non-zero pages, and `layout` says where each run of them goes. `write` takes the kept
 * bytes in order, in chunks of any size (as a download streams in); `finish` returns
 * the whole snapshot, or throws if the bytes do not fill the layout exactly.
 *
 * @param {SnapshotLayout} layout
 * @param {Uint8Array<ArrayBuffer>} [memory]  where to unpack: `layout.size` bytes, zero
 *   outside the kept runs (a new buffer by default)
 * @returns {{write(chunk: Uint8Array): void, finish(): Uint8Array<ArrayBuffer>}}
 */
export function sparseSnapshotWriter({ size, ranges }, memory = new Uint8Array(size)) {
  const expected = ranges.reduce((total, [, length]) => total + length, 0);
  let range = 0;
  let filled = 0; // bytes of ranges[range] written so far
  let written = 0;
  return {
    write(chunk) {
      for (let at = 0; at < chunk.length; ) {
        if (range === ranges.length) throw new Error("snapshot longer than its layout");
        const [offset, length] = ranges[range];
        const count = Math.min(length - filled, chunk.length - at);
        memory.set(chunk.subarray(at, at + count), offset + filled);
        at += count;
        filled += count;
        if (filled === length) {
          range += 1;
          filled = 0;
        }
      }
      written += chunk.length;
    },
    finish() {
      if (written !== expected) {
        throw new Error(`snapshot truncated: ${written} of ${expected} bytes`);
      }
      return memory;
    },
  };
}

/**
 * A memory snapshot of Pyodide with the site's calculators imported and warmed up, for
 * `startFromSnapshot`. Made at build time under Node.js (about 2 s; 9 s in a browser).
 *
 * @param {LoadPyodide} loadPyodide
 * @param {{
 *   indexURL: string,
 *   lockInfo: PyodideLockInfo,
 *   wheel: Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>,
 *   calculators: SiteCalculators,
 * }} options
 * @returns {Promise<Uint8Array>}
 */
export async function makeSnapshot(loadPyodide, { indexURL, lockInfo, wheel, calculators }) {
  const pyodide = await startFromWheel(loadPyodide, {
    indexURL,
    lockInfo,
    wheel,
    _makeSnapshot: true,
  });
  // Python modules are proxies: their shape is browser.py's, which TypeScript cannot read.
  /** @type {BrowserModule} */ (pyodide.pyimport(BROWSER_MODULE)).warm_up(
    calculators.package,
    calculators.site,
  );
  zeroFreeMemory(pyodide);
  return pyodide.makeMemorySnapshot();
}

/**
 * Zeroes the heap's free memory, so that the sparse snapshot leaves it out (stale data:
 * 13.6 instead of 15.3 MB to unpack, 5.4 instead of 6.2 MB gzipped). Every
 * free block the allocator can hand out without growing the heap is taken, zeroed and
 * given back.
 *
 * @param {Pyodide} pyodide
 */
function zeroFreeMemory(pyodide) {
  pyodide.runPython("import gc; gc.collect()");
  const wasm = pyodide._module;
  const heapBytes = wasm.HEAPU8.length;
  wasm._malloc_set_footprint_limit(wasm._malloc_footprint());
  /** @type {number[]} */
  const blocks = [];
  for (let size = 1 << 24; size >= 32; size /= 2) {
    for (let block = wasm._malloc(size); block !== 0; block = wasm._malloc(size)) {
      wasm.HEAPU8.fill(0, block, block + size);
      blocks.push(block);
    }
  }
  for (const block of blocks) wasm._free(block);
  wasm._malloc_set_footprint_limit(-1); // no limit again
  if (wasm.HEAPU8.length !== heapBytes) throw new Error("zeroing free memory grew the heap");
}

/**
 * `{run, view}`: functions `(name, inputsJson) -> JSON text` calling the site's calculators
 * (`run`) and the presentation view of the answer (guidesite/kit/browser.py). With
 * `sortKeys`, the JSON is written with sorted keys (for parity tests).
 *
 * @param {Pyodide} pyodide
 * @param {SiteCalculators} calculators
 * @param {{sortKeys?: boolean}} [options]
 * @returns {CalculatorRunner}
 */
export function calculatorRunner(pyodide, calculators, { sortKeys = false } = {}) {
  const browser = /** @type {BrowserModule} */ (pyodide.pyimport(BROWSER_MODULE)); // as above
  browser.load(calculators.package, calculators.site);
  const [runJson, viewJson] = [browser.run_json, browser.view_json];
  return {
    run: (name, inputsJson) => runJson(name, inputsJson, sortKeys),
    view: (name, inputsJson) => viewJson(name, inputsJson, sortKeys),
  };
}
