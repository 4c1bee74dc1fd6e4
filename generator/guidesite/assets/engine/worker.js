/**
 * The calculator engine's module worker: starts Pyodide with the calculators once, then
 * answers {type: "run" | "view", id, name, inputs} with {type: "result", id, response}:
 * `calculators.run`'s answer, or its presentation view (guidesite/kit/browser.py). It reports
 * {type: "status", state: "ready" | "error", ...} once; engine-client.js shows it.
 *
 * It starts from the build's memory snapshot when there is one (about three times faster)
 * and falls back to installing the calculators wheel into a fresh Pyodide.
 *
 * (TypeScript checks this file with the page's DOM types, so `self` is typed as a Window;
 * the members used here exist on both.)
 *
 * @typedef {import("./boot.mjs").SnapshotLayout} SnapshotLayout
 * @typedef {import("./boot.mjs").CalculatorRunner} CalculatorRunner
 * @typedef {import("./boot.mjs").SiteCalculators} SiteCalculators
 * @typedef {{type: "run" | "view", id: number, name: string, inputs: unknown}} EngineRequest
 *   what the page asks (`inputs`: whatever the form read; Python checks it)
 * @typedef {[what: string, epochMs: number][]} Timeline  in order of time
 * @typedef {{type: "status", state: "ready", mode: "snapshot" | "wheel", startupMs: number,
 *   timeline: Timeline}} ReadyStatus
 * @typedef {{type: "status", state: "error", message: string}} ErrorStatus
 * @typedef {{type: "result", id: number, response: unknown}} ResultMessage
 *   `response`: the parsed JSON of `run_json` or `view_json` (guidesite/kit/browser.py), or
 *   the error envelope
 * @typedef {ReadyStatus | ErrorStatus | ResultMessage} WorkerMessage  what this worker posts
 * @typedef {{pyodide: string, wheel: string, empty_stdlib: string, lock_info: PyodideLockInfo,
 *   calculators: SiteCalculators} & ({snapshot: string, snapshot_layout: SnapshotLayout}
 *     | {snapshot: null, snapshot_layout: null})} Manifest
 *   manifest.json (guidesite/engine/bundle.py); no snapshot when the build could not make one
 * @typedef {{memory: Uint8Array<ArrayBuffer>, filled: Promise<{downloaded: boolean}>}}
 *   LoadingSnapshot  the snapshot's buffer, and when its bytes are all in (and from where)
 */
import { engineError } from "./contracts.js";

const MANIFEST_URL = new URL("./manifest.json", import.meta.url);
const KEEP_READING = "The guidance on this page does not depend on the calculator.";
const JAVASCRIPT = {
  label: "JavaScript (text/javascript)",
  types: ["text/javascript", "application/javascript", "application/x-javascript"],
};
const WASM = { label: "WebAssembly (application/wasm)", types: ["application/wasm"] };
// The smallest valid WebAssembly module: magic number and version.
const EMPTY_WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

// Pyodide's function wrappers are about 40 bytes (see shareTinyModules).
const TINY_MODULE_BYTES = 256;
// Unpacked snapshots kept for the next visit (IndexedDB: the Cache API is missing on
// plain-http intranet pages, and unpacking is most of a second visit's wait). Shared by the
// sites of one host: a snapshot is stored under its content-hashed name.
const SNAPSHOT_DB = "guidesite-engine";
const SNAPSHOT_STORE = "snapshots";
// What the start spent its time on, as [what, epoch ms]; sent with the "ready" status
// (bench/ prints it as a timeline).
/** @type {Timeline} */
const timeline = [["worker started", performance.timeOrigin]];

/** A start-up failure whose message is already written for the reader. */
class EngineStartError extends Error {}

const engine = start();

self.addEventListener("message", async (/** @type {MessageEvent<EngineRequest>} */ { data }) => {
  if (data?.type !== "run" && data?.type !== "view") return;
  const runner = await engine;
  self.postMessage(
    /** @satisfies {ResultMessage} */ ({
      type: "result",
      id: data.id,
      response: answer(runner, data),
    }),
  );
});

/**
 * @param {CalculatorRunner | null} runner
 * @param {EngineRequest} request
 * @returns {unknown}
 */
function answer(runner, { type, name, inputs }) {
  if (runner === null) return engineError("The calculator engine is not running.");
  try {
    return JSON.parse(runner[type](name, JSON.stringify(inputs)));
  } catch (error) {
    // Pyodide throws a PythonError, JSON.parse a SyntaxError: both Errors.
    return engineError(
      `The calculator engine failed on these inputs (${/** @type {Error} */ (error).message}).`,
    );
  }
}

/** @returns {Promise<CalculatorRunner | null>} the runner, or null if the start failed */
async function start() {
  const started = performance.now();
  const downloads = new AbortController(); // stops the snapshot download if the start fails
  // The server's answers about Pyodide's files (see checkServedType), once asked.
  /** @type {Promise<unknown>} */
  let served = Promise.resolve();
  try {
    checkWebAssemblyAllowed();
    const booting = import("./boot.mjs");
    booting.catch(() => {}); // awaited below
    /** @type {Manifest} */
    const manifest = await (await fetchOk(MANIFEST_URL, { cache: "no-cache" })).json();
    mark("manifest read");
    const indexURL = new URL(manifest.pyodide, MANIFEST_URL).href;
    const wasmURL = new URL("pyodide.asm.wasm", indexURL).href;
    // Everything starts now and runs side by side: the large downloads, the WebAssembly
    // compiling while the snapshot arrives, and Pyodide's scripts loading.
    const compiled = WebAssembly.compileStreaming(fetch(wasmURL, { signal: downloads.signal }));
    compiled.then(() => mark("WebAssembly compiled")).catch(() => {});
    const snapshot = manifest.snapshot
      ? loadSnapshot(manifest.snapshot, manifest.snapshot_layout, booting, downloads.signal)
      : null;
    snapshot?.filled.catch(() => {}); // a failed download is handled where it is awaited
    /** @type {Promise<{loadPyodide: LoadPyodide}>} */
    const pyodideLoader = import(new URL("pyodide.mjs", indexURL).href);
    pyodideLoader.catch(() => {}); // awaited below
    // A server sending a file with the wrong type makes Pyodide wait forever: these
    // checks turn that into a clear message, without holding the start up meanwhile.
    served = Promise.all([
      checkServedType(new URL("boot.mjs", MANIFEST_URL), JAVASCRIPT),
      checkServedType(new URL("pyodide.mjs", indexURL), JAVASCRIPT),
      checkServedType(new URL("pyodide.asm.mjs", indexURL), JAVASCRIPT),
      checkServedType(new URL("pyodide.asm.wasm", indexURL), WASM),
    ]);
    const refused = served.then(() => new Promise(() => {})); // rejects only on a bad answer
    /** @type {<T>(step: Promise<T>) => Promise<T>} */
    const unlessRefused = (step) => Promise.race([step, refused]);
    const restoreWasm = handOverCompiledWasm(wasmURL, compiled);
    const restoreModule = shareTinyModules();
    const { calculatorRunner, startFromSnapshot, startFromWheel } = await unlessRefused(booting);
    const { loadPyodide } = await unlessRefused(pyodideLoader);
    /** @type {Pyodide | null} */
    let pyodide = null;
    /** @type {ReadyStatus["mode"]} */
    let mode = "snapshot";
    if (snapshot) {
      pyodide = await unlessRefused(startFromSnapshot(loadPyodide, {
        indexURL,
        snapshot: snapshot.memory,
        filled: snapshot.filled,
        lockInfo: manifest.lock_info,
        emptyStdlibURL: new URL(manifest.empty_stdlib, MANIFEST_URL).href,
      }).catch((error) => {
        console.warn("Calculator engine: snapshot start failed, using the wheel instead.", error);
        return null;
      }));
    }
    if (pyodide === null) {
      mode = "wheel";
      pyodide = await unlessRefused(startFromWheel(loadPyodide, {
        indexURL,
        lockInfo: manifest.lock_info,
        wheel: fetchOk(new URL(manifest.wheel, MANIFEST_URL)).then((wheel) => wheel.arrayBuffer()),
      }));
    }
    restoreWasm();
    restoreModule();
    const runner = calculatorRunner(pyodide, manifest.calculators);
    mark("loadPyodide resolved");
    const startupMs = Math.round(performance.now() - started);
    self.postMessage(
      /** @satisfies {ReadyStatus} */ ({
        type: "status",
        state: "ready",
        mode,
        startupMs,
        timeline: marks(),
      }),
    );
    // The mode is "snapshot" only when the manifest named one, and `snapshot` loads it.
    if (mode === "snapshot") {
      keepSnapshot(
        /** @type {string} */ (manifest.snapshot),
        /** @type {SnapshotLayout} */ (manifest.snapshot_layout),
        /** @type {LoadingSnapshot} */ (snapshot),
      );
    }
    return runner;
  } catch (failure) {
    downloads.abort();
    // A file refused for its type fails its load too, often before the server's answer
    // about it is in: that answer says what to fix.
    const error = await served.then(
      () => failure,
      (refusal) => refusal,
    );
    console.error("Calculator engine failed to start.", error);
    self.postMessage(
      /** @satisfies {ErrorStatus} */ ({
        type: "status",
        state: "error",
        message: startFailureMessage(/** @type {Partial<Error> | null | undefined} */ (error)),
      }),
    );
    return null;
  }
}

/**
 * @param {Partial<Error> | null | undefined} error  what the start threw: usually an Error,
 *   but a promise may reject with anything (`?.` and `??` below cover that)
 */
function startFailureMessage(error) {
  if (error instanceof EngineStartError) return `${error.message} ${KEEP_READING}`;
  return (
    `The calculator engine could not start (${error?.message ?? error}). Reload the page ` +
    `to try again; if it keeps failing, tell the site's administrator. ${KEEP_READING}`
  );
}

/**
 * @param {URL} url
 * @param {RequestInit} [init]
 */
async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw missingFile(url, response.status);
  return response;
}

/**
 * @param {URL} url
 * @param {number} status
 */
function missingFile(url, status) {
  return new EngineStartError(
    `The calculator engine cannot start: the web server has no ${fileName(url)} ` +
      `(HTTP ${status}). Ask the site's administrator to publish the complete site.`,
  );
}

/** Pyodide also waits forever when a Content-Security-Policy forbids compiling WebAssembly. */
function checkWebAssemblyAllowed() {
  if (typeof WebAssembly === "undefined") {
    throw new EngineStartError("The calculator engine needs a browser with WebAssembly.");
  }
  try {
    new WebAssembly.Module(EMPTY_WASM_MODULE);
  } catch {
    throw new EngineStartError(
      "The calculator engine cannot start: this site's Content-Security-Policy forbids " +
        "WebAssembly. Ask the site's administrator to add 'wasm-unsafe-eval' to its " +
        "script-src directive.",
    );
  }
}

/**
 * Browsers refuse a module or WebAssembly file sent with the wrong Content-Type, and
 * Pyodide then waits forever; asking the server first turns that into a clear message.
 *
 * @param {URL} url
 * @param {{label: string, types: string[]}} expected
 */
async function checkServedType(url, expected) {
  let response;
  try {
    // Past the HTTP cache: a HEAD there waits for the GET of the same file still
    // downloading (the WebAssembly), and everything after the checks waited with it.
    response = await fetch(url, { method: "HEAD", cache: "no-store" });
  } catch {
    // Offline, with the files in the service worker's cache (which answers GET only).
    return;
  }
  if (response.status === 404 || response.status === 410) throw missingFile(url, response.status);
  // Some servers refuse HEAD (405, 501, 403): no verdict then; the load itself will tell.
  if (!response.ok) return;
  const header = response.headers.get("content-type") ?? "";
  const type = header.split(";")[0].trim().toLowerCase();
  if (expected.types.includes(type)) return;
  throw new EngineStartError(
    `The calculator engine cannot start: the web server sends ${fileName(url)} as ` +
      `"${type || "no type"}", but browsers only run it when it is sent as ${expected.label}. ` +
      "Ask the site's administrator to serve .wasm files as application/wasm and .mjs " +
      "files as text/javascript.",
  );
}

/**
 * The snapshot is stored sparse (its zero pages left out) and gzipped. A server may send
 * it with `Content-Encoding: gzip` (the browser then unpacks it) or as plain bytes
 * (unpacked here); either way each piece goes into place as it arrives. A snapshot kept
 * from an earlier visit comes from IndexedDB instead, with nothing to download or unpack.
 * The buffer is there at once (Pyodide sets itself up meanwhile); `filled` says when
 * its bytes are.
 *
 * @param {string} name
 * @param {SnapshotLayout} layout
 * @param {Promise<typeof import("./boot.mjs")>} booting
 * @param {AbortSignal} signal
 * @returns {LoadingSnapshot}
 */
function loadSnapshot(name, layout, booting, signal) {
  const memory = new Uint8Array(layout.size); // zeroed: the left-out pages
  return { memory, filled: fillSnapshot(memory, name, layout, booting, signal) };
}

/**
 * @param {Uint8Array<ArrayBuffer>} memory
 * @param {string} name
 * @param {SnapshotLayout} layout
 * @param {Promise<typeof import("./boot.mjs")>} booting
 * @param {AbortSignal} signal
 */
async function fillSnapshot(memory, name, layout, booting, signal) {
  const { sparseSnapshotWriter } = await booting;
  const kept = await keptSnapshot(name);
  if (kept) {
    try {
      const writer = sparseSnapshotWriter(layout, memory);
      writer.write(kept);
      writer.finish();
      mark("snapshot read from IndexedDB");
      return { downloaded: false };
    } catch {
      // damaged: download it again (every kept run is written anew)
    }
  }
  const writer = sparseSnapshotWriter(layout, memory);
  const response = await fetchOk(new URL(name, MANIFEST_URL), { signal });
  for await (const chunk of unpacked(response.body)) writer.write(chunk);
  writer.finish();
  mark("snapshot downloaded and unpacked");
  return { downloaded: true };
}

/**
 * The stream's bytes, gunzipped unless the server already did that.
 * @param {ReadableStream<Uint8Array> | null} body  a response's body
 * @returns {AsyncGenerator<Uint8Array>}
 */
async function* unpacked(body) {
  // A successful GET has a body (null only for HEAD, 204 and the like).
  const reader = /** @type {ReadableStream<Uint8Array>} */ (body).getReader();
  const first = await reader.read();
  if (first.done) return;
  const gzipped = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const rest = new ReadableStream({
    start(controller) {
      controller.enqueue(first.value);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  const stream = gzipped ? rest.pipeThrough(new DecompressionStream("gzip")) : rest;
  const chunks = stream.getReader();
  for (;;) {
    const { done, value } = await chunks.read();
    if (done) return;
    yield value;
  }
}

/**
 * Pyodide takes no compiled module: while it starts, its downloads of `wasmURL` are
 * answered with a stand-in and its `WebAssembly.instantiateStreaming` calls on those with
 * instances of the module compiled meanwhile (any Pyodide started before the undo, the
 * wheel's after a failed snapshot start included). If that compile failed, Pyodide gets
 * the real download. Returns the undo.
 *
 * @param {string} wasmURL
 * @param {Promise<WebAssembly.Module>} compiled
 */
function handOverCompiledWasm(wasmURL, compiled) {
  const ownFetch = self.fetch;
  const ownInstantiate = WebAssembly.instantiateStreaming;
  /** @type {WeakSet<Response>} */
  const standIns = new WeakSet();
  self.fetch = (resource, init) => {
    if (String(resource) !== wasmURL || (init?.method ?? "GET") !== "GET") {
      return ownFetch(resource, init);
    }
    const standIn = new Response(null, { headers: { "Content-Type": "application/wasm" } });
    standIns.add(standIn);
    return Promise.resolve(standIn);
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!standIns.has(response)) return ownInstantiate(response, imports);
    try {
      const module = await compiled;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch {
      return ownInstantiate(ownFetch(wasmURL), imports);
    }
  };
  return () => {
    self.fetch = ownFetch;
    WebAssembly.instantiateStreaming = ownInstantiate;
  };
}

/**
 * Pyodide's start wraps each of about 260 JavaScript functions in a tiny WebAssembly
 * module of its own (browsers cannot put a JavaScript function in a function table), and
 * compiles each one, although there are only about 30 different ones (one per signature).
 * While it starts, identical tiny modules are compiled once. Returns the undo.
 */
function shareTinyModules() {
  const OwnModule = WebAssembly.Module;
  /** @type {Map<string, WebAssembly.Module>} */
  const compiled = new Map();
  WebAssembly.Module = new Proxy(OwnModule, {
    /**
     * @param {typeof WebAssembly.Module} target
     * @param {ConstructorParameters<typeof WebAssembly.Module>} args
     */
    construct(target, [bytes, ...rest]) {
      if (!(bytes instanceof Uint8Array) || bytes.length > TINY_MODULE_BYTES) {
        return new target(bytes, ...rest);
      }
      const key = bytes.join();
      if (!compiled.has(key)) compiled.set(key, new target(bytes, ...rest));
      return /** @type {WebAssembly.Module} */ (compiled.get(key)); // set just above
    },
  });
  return () => {
    WebAssembly.Module = OwnModule;
  };
}

/** @returns {Promise<IDBDatabase>} */
function openSnapshotDB() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(SNAPSHOT_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(SNAPSHOT_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * The snapshot's kept bytes from an earlier visit, or null (none, or no IndexedDB).
 * @param {string} name
 */
async function keptSnapshot(name) {
  try {
    const db = await openSnapshotDB();
    /** @type {Blob | undefined} */
    const blob = await new Promise((resolve, reject) => {
      const request = db.transaction(SNAPSHOT_STORE).objectStore(SNAPSHOT_STORE).get(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  } catch {
    return null; // private windows and full disks may refuse: download as usual
  }
}

/**
 * After a start from a downloaded snapshot: keep its bytes, and only this release's.
 * @param {string} name
 * @param {SnapshotLayout} layout
 * @param {LoadingSnapshot} snapshot
 */
async function keepSnapshot(name, layout, { memory, filled }) {
  try {
    const { downloaded } = await filled;
    if (!downloaded || memory.byteLength === 0) return;
    const parts = layout.ranges.map(([offset, length]) => memory.subarray(offset, offset + length));
    const db = await openSnapshotDB();
    const store = db.transaction(SNAPSHOT_STORE, "readwrite").objectStore(SNAPSHOT_STORE);
    store.clear();
    store.put(new Blob(parts), name);
    store.transaction.oncomplete = () => db.close();
  } catch {
    // not kept: the next visit downloads it again
  }
}

/** @param {string} what */
function mark(what) {
  timeline.push([what, performance.timeOrigin + performance.now()]);
}

/**
 * The marks, and when each engine file finished downloading.
 * @returns {Timeline}
 */
function marks() {
  /** @type {Timeline} */
  const files = /** @type {PerformanceResourceTiming[]} */ (
    performance.getEntriesByType("resource") // entries of this type are resource timings
  )
    .map((entry) => [`${fileName(entry.name)} received`, performance.timeOrigin + entry.responseEnd]);
  return [...timeline, ...files].sort((a, b) => a[1] - b[1]);
}

/** @param {string | URL} url */
function fileName(url) {
  return new URL(url).pathname.split("/").pop();
}
