/**
 * The engine worker's helper thread (started by worker.js): compiles Pyodide's
 * WebAssembly and unpacks the memory snapshot while the engine's own thread loads and
 * runs Pyodide's JavaScript, so the two halves of a start share the device's cores.
 *
 * Receives {wasmURL, snapshot: {url, name, layout} | null}; answers with
 * {type: "wasm", module} and {type: "snapshot", memory, downloaded} (the memory's buffer
 * is handed over, not copied), or the same types with `error` (a message) instead. Each
 * answer carries `timeline`: [what, epoch ms] of what this thread did, and `received`:
 * [URL, epoch ms] of its downloads, for the engine's timeline.
 */

self.addEventListener("message", async ({ data: { wasmURL, snapshot } }) => {
  // First, and without waiting for any import: the WebAssembly takes longest.
  WebAssembly.compileStreaming(fetch(wasmURL)).then(
    (module) => answer({ type: "wasm", module }, "WebAssembly compiled"),
    (error) => answer({ type: "wasm", error: String(error?.message ?? error) }),
  );
  if (!snapshot) return;
  const steps = [];
  try {
    const { loadSnapshot } = await import("./downloads.js");
    const { memory, downloaded } = await loadSnapshot(snapshot, undefined, (what) =>
      steps.push(what),
    );
    answer({ type: "snapshot", memory, downloaded }, steps.at(-1), [memory.buffer]);
  } catch (error) {
    answer({ type: "snapshot", error: String(error?.message ?? error) });
  }
});

const reported = new Set(); // downloads already in an answer

function answer(message, step, transfer = []) {
  const now = performance.timeOrigin + performance.now();
  const received = performance
    .getEntriesByType("resource")
    .filter((entry) => !reported.has(entry.name) && reported.add(entry.name))
    .map((entry) => [entry.name, performance.timeOrigin + entry.responseEnd]);
  self.postMessage({ ...message, timeline: step ? [[step, now]] : [], received }, transfer);
}
