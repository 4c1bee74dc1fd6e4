/**
 * Fetching the engine's files, and the memory snapshot's bytes: downloaded and unpacked
 * as they arrive, or read from IndexedDB where an earlier visit kept them. The snapshot
 * is loaded on a thread of its own (download-worker.js) while the engine's worker sets
 * Pyodide up, or by the engine's worker itself where a worker cannot start another.
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
 * The snapshot's kept bytes (its non-zero pages, in order: generator/engine.py `sparse`),
 * from IndexedDB where an earlier visit kept them, else downloaded. They are stored
 * gzipped: a server may send them with `Content-Encoding: gzip` (the browser then unpacks
 * them) or as they are (unpacked here, as they arrive). `mark(what)` notes when they are
 * in. Resolves to {packed, downloaded}; rejects unless they fill the layout exactly.
 */
export async function loadSnapshot({ url, name, layout }, signal, mark) {
  const length = layout.ranges.reduce((total, [, bytes]) => total + bytes, 0);
  const kept = await keptSnapshot(name);
  if (kept?.length === length) {
    mark("snapshot read from IndexedDB");
    return { packed: kept, downloaded: false };
  }
  // Damaged or missing: download it (and keep the good copy).
  const packed = sparseSnapshotWriter({ size: length, ranges: [[0, length]] });
  const response = await fetchOk(url, { signal });
  for await (const chunk of unpacked(response.body)) packed.write(chunk);
  mark("snapshot downloaded and unpacked");
  return { packed: packed.finish(), downloaded: true };
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
export async function keepSnapshot(name, snapshot) {
  try {
    const { packed, downloaded } = await snapshot;
    if (!downloaded) return;
    const db = await openSnapshotDB();
    const store = db.transaction(SNAPSHOT_STORE, "readwrite").objectStore(SNAPSHOT_STORE);
    store.clear();
    store.put(new Blob([packed]), name);
    store.transaction.oncomplete = () => db.close();
  } catch {
    // not kept: the next visit downloads it again
  }
}
