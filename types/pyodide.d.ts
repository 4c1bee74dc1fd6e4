// The part of Pyodide's API (the `pyodide` npm package, pinned in package.json) that the
// engine's boot.mjs and worker.js call, written from what they use. Types only: nothing
// here is published.

/** The `info` block of Pyodide's lock file, passed through as the build read it. */
type PyodideLockInfo = Record<string, unknown>;

/** The options of `loadPyodide` the engine passes. */
interface PyodideLoadOptions {
  /** Where Pyodide's own files are (a URL, or a directory under Node.js), ending in "/". */
  indexURL: string;
  /** The lock file itself, instead of downloading it. */
  lockFileContents: { info: PyodideLockInfo; packages: Record<string, never> };
  /** Where the standard library archive is. */
  stdLibURL?: string;
  /** Start from this memory snapshot (undocumented in Pyodide). */
  _loadSnapshot?: Uint8Array | ArrayBuffer | PromiseLike<Uint8Array | ArrayBuffer>;
  /** Start so that `makeMemorySnapshot` can be called (undocumented in Pyodide). */
  _makeSnapshot?: boolean;
  /** Awaited while Pyodide sets up its file system, before Python or a snapshot starts. */
  fsInit?: (fs: unknown, info: { sitePackages: string }) => Promise<void>;
}

/** `loadPyodide`, exported by Pyodide's pyodide.mjs. */
type LoadPyodide = (options: PyodideLoadOptions) => Promise<Pyodide>;

/** The Pyodide object `loadPyodide` resolves to (the members the engine uses). */
interface Pyodide {
  /** Runs Python code; its last expression's value, converted to JavaScript. */
  runPython(code: string): unknown;
  /** A Python module, as a proxy whose attributes are the module's. */
  pyimport(name: string): unknown;
  /** Unpacks an archive (format "wheel", "zip", "tar", ...) into Pyodide's file system. */
  unpackArchive(
    buffer: ArrayBuffer | Uint8Array,
    format: string,
    options?: { extractDir?: string },
  ): void;
  /** The whole heap, for `_loadSnapshot` (needs `_makeSnapshot`; undocumented in Pyodide). */
  makeMemorySnapshot(): Uint8Array;
  /** Pyodide's Emscripten module (undocumented in Pyodide). */
  _module: EmscriptenHeap;
}

/** The Emscripten module's heap and the allocator functions (dlmalloc) it exports. */
interface EmscriptenHeap {
  HEAPU8: Uint8Array;
  /** A block of `size` bytes: its address, or 0 when there is no room. */
  _malloc(size: number): number;
  _free(address: number): void;
  /** Bytes the allocator has taken from the system so far. */
  _malloc_footprint(): number;
  /** Caps the footprint (-1: no cap); returns the cap in force. */
  _malloc_set_footprint_limit(bytes: number): number;
}
