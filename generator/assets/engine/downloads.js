/**
 * The engine's two large files: Pyodide's WebAssembly, compiled as it downloads, and the
 * memory snapshot, unpacked into place as it downloads (or read from IndexedDB, where an
 * earlier visit kept it). Used on a thread of their own (download-worker.js) so that the
 * engine's worker meanwhile loads Pyodide's JavaScript; or by the engine's worker itself
 * where a worker cannot start another.
 */
import { sparseSnapshotWriter } from "./boot.mjs";

// Unpacked snapshots kept for the next visit (IndexedDB: the Cache API is missing on
// plain-http intranet pages, and unpacking is most of a second visit's wait).
const SNAPSHOT_DB = "back-pain-pathways-engine";
const SNAPSHOT_STORE = "snapshots";

/** A start-up failure whose message is already written for the reader. */
export class EngineStartError extends Error {}

export async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw missingFile(url, response.status);
  return response;
}

export function missingFile(url, status) {
  return new EngineStartError(
    `The calculator engine cannot start: the web server has no ${fileName(url)} ` +
      `(HTTP ${status}). Ask the site's administrator to publish the complete site.`,
  );
}

export function fileName(url) {
  return new URL(url).pathname.split("/").pop();
}

/**
 * The snapshot is stored sparse (its zero pages left out) and gzipped. A server may send
 * it with `Content-Encoding: gzip` (the browser then unpacks it) or as plain bytes
 * (unpacked here); either way each piece goes into place as it arrives. A snapshot kept
 * from an earlier visit comes from IndexedDB instead, with nothing to download or unpack.
 * `mark(what)` notes when it is done. Resolves to {memory, downloaded}.
 */
export async function loadSnapshot({ url, name, layout }, signal, mark) {
  const kept = await keptSnapshot(name);
  if (kept) {
    try {
      const writer = sparseSnapshotWriter(layout);
      writer.write(kept);
      const memory = writer.finish();
      mark("snapshot read from IndexedDB");
      return { memory, downloaded: false };
    } catch {
      // damaged: download it again (and keep the good copy)
    }
  }
  const writer = sparseSnapshotWriter(layout);
  const response = await fetchOk(url, { signal });
  for await (const chunk of unpacked(response.body)) writer.write(chunk);
  const memory = writer.finish();
  mark("snapshot downloaded and unpacked");
  return { memory, downloaded: true };
}

/** The stream's bytes, gunzipped unless the server already did that. */
async function* unpacked(body) {
  const reader = body.getReader();
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

function openSnapshotDB() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(SNAPSHOT_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(SNAPSHOT_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The snapshot's kept bytes from an earlier visit, or null (none, or no IndexedDB). */
async function keptSnapshot(name) {
  try {
    const db = await openSnapshotDB();
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

/** After a start from a downloaded snapshot: keep its bytes, and only this release's. */
export async function keepSnapshot(name, layout, snapshot) {
  try {
    const { memory, downloaded } = await snapshot;
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
