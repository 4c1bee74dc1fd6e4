/**
 * Build step, run by Node.js from generator/site/offline.py after MkDocs has written the site:
 * writes `<site>/sw.js`, the service worker that keeps a visited site working offline.
 *
 *   node service-worker.mjs <site dir> <node_modules dir>
 *
 * Workbox (`workbox-build`, pinned in package-lock.json) lists every published file with
 * a hash of its content (the precache manifest) and bundles its own runtime into a local
 * `workbox-<hash>.js` beside sw.js, so nothing is fetched from another host. Prints one
 * line of JSON: how many files the worker precaches and their total size in bytes.
 */
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [siteDir, nodeModules] = process.argv.slice(2);
const { generateSW } = createRequire(join(resolve(nodeModules), "/"))("workbox-build");

// A content hash in a file or folder name (the same rule as the shipped server configs):
// such a file never changes, so the precache may take it from the browser's HTTP cache,
// where the calculator engine usually already put it, instead of downloading it again.
const HASHED_NAME = /[./-][0-9a-f]{8,}[./]/;

const { count, size, warnings } = await generateSW({
  globDirectory: siteDir,
  globPatterns: ["**/*"],
  globIgnores: [
    "sw.js",
    "workbox-*.js",
    // Ready-made .gz copies of text and WebAssembly are for servers (nginx gzip_static);
    // the engine's snapshot (.bin.gz), stored gzipped, is the one .gz file pages load.
    "**/*.{html,xml,js,mjs,css,json,wasm}.gz",
    "**/*.map",
  ],
  swDest: join(siteDir, "sw.js"),
  dontCacheBustURLsMatching: HASHED_NAME,
  // The engine's WebAssembly (9.6 MB) and snapshot are the largest files.
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  directoryIndex: "index.html",
  // A new release waits until the reader chooses to reload (guidesite/offline.js asks),
  // so a page never mixes files of two releases.
  skipWaiting: false,
  // Only the first install takes over open pages at once (there is no older release then):
  // later ones activate only on the reader's reload.
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  inlineWorkboxRuntime: false,
  mode: "production",
  sourcemap: false,
});
for (const warning of warnings) console.error(warning);
console.log(JSON.stringify({ count, size }));
