/**
 * The calculator engine's module worker: starts Pyodide with the calculators once, then
 * answers {type: "run", id, name, inputs} with {type: "result", id, response}. It reports
 * {type: "status", state: "ready" | "error", ...} once; engine-client.js shows it.
 *
 * It starts from the build's memory snapshot when there is one (about three times faster)
 * and falls back to installing the calculators wheel into a fresh Pyodide.
 */
const MANIFEST_URL = new URL("./manifest.json", import.meta.url);
const KEEP_READING = "The guidance on this page does not depend on the calculator.";
const JAVASCRIPT = {
  label: "JavaScript (text/javascript)",
  types: ["text/javascript", "application/javascript", "application/x-javascript"],
};
const WASM = { label: "WebAssembly (application/wasm)", types: ["application/wasm"] };
// The smallest valid WebAssembly module: magic number and version.
const EMPTY_WASM_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A start-up failure whose message is already written for the reader. */
class EngineStartError extends Error {}

const engine = start();

self.addEventListener("message", async ({ data }) => {
  if (data?.type !== "run") return;
  const run = await engine;
  self.postMessage({ type: "result", id: data.id, response: answer(run, data) });
});

function answer(run, { name, inputs }) {
  if (run === null) return failure("The calculator engine is not running.");
  try {
    return JSON.parse(run(name, JSON.stringify(inputs)));
  } catch (error) {
    return failure(`The calculator engine failed on these inputs (${error.message}).`);
  }
}

function failure(message) {
  return { ok: false, errors: [{ field: null, message }] };
}

async function start() {
  const started = performance.now();
  const downloads = new AbortController(); // stops the snapshot download if the start fails
  try {
    checkWebAssemblyAllowed();
    const manifest = await (await fetchOk(MANIFEST_URL, { cache: "no-cache" })).json();
    const indexURL = new URL(manifest.pyodide, MANIFEST_URL).href;
    // The large download starts now, while the server's answers are checked.
    const snapshot = manifest.snapshot
      ? fetchSnapshot(new URL(manifest.snapshot, MANIFEST_URL), downloads.signal)
      : null;
    snapshot?.catch(() => {}); // a failed download is handled where it is awaited
    await Promise.all([
      checkServedType(new URL("boot.mjs", MANIFEST_URL), JAVASCRIPT),
      checkServedType(new URL("pyodide.mjs", indexURL), JAVASCRIPT),
      checkServedType(new URL("pyodide.asm.mjs", indexURL), JAVASCRIPT),
      checkServedType(new URL("pyodide.asm.wasm", indexURL), WASM),
    ]);
    const { calculatorRunner, startFromSnapshot, startFromWheel } = await import("./boot.mjs");
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    let pyodide = null;
    let mode = "snapshot";
    if (snapshot) {
      pyodide = await startFromSnapshot(loadPyodide, {
        indexURL,
        snapshot,
        lockInfo: manifest.lock_info,
        emptyStdlibURL: new URL(manifest.empty_stdlib, MANIFEST_URL).href,
      }).catch((error) => {
        console.warn("Calculator engine: snapshot start failed, using the wheel instead.", error);
        return null;
      });
    }
    if (pyodide === null) {
      mode = "wheel";
      pyodide = await startFromWheel(loadPyodide, {
        indexURL,
        lockInfo: manifest.lock_info,
        wheel: fetchOk(new URL(manifest.wheel, MANIFEST_URL)).then((wheel) => wheel.arrayBuffer()),
      });
    }
    const startupMs = Math.round(performance.now() - started);
    self.postMessage({ type: "status", state: "ready", mode, startupMs });
    return calculatorRunner(pyodide);
  } catch (error) {
    downloads.abort();
    console.error("Calculator engine failed to start.", error);
    self.postMessage({ type: "status", state: "error", message: startFailureMessage(error) });
    return null;
  }
}

function startFailureMessage(error) {
  if (error instanceof EngineStartError) return `${error.message} ${KEEP_READING}`;
  return (
    `The calculator engine could not start (${error?.message ?? error}). Reload the page ` +
    `to try again; if it keeps failing, tell the site's administrator. ${KEEP_READING}`
  );
}

async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw missingFile(url, response.status);
  return response;
}

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
 */
async function checkServedType(url, expected) {
  let response;
  try {
    response = await fetch(url, { method: "HEAD" });
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
 * The snapshot is stored gzipped. A server may send it with `Content-Encoding: gzip`
 * (the browser then unpacks it) or as plain bytes (unpacked here).
 */
async function fetchSnapshot(url, signal) {
  const response = await fetchOk(url, { signal });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzipped) return bytes;
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}

function fileName(url) {
  return new URL(url).pathname.split("/").pop();
}
