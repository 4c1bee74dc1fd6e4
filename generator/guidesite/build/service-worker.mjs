/**
 * Build step, run by Node.js from guidesite/site/offline.py after MkDocs has written the site:
 * writes `<site>/sw.js`, the service worker that keeps a visited site working offline.
 *
 *   node service-worker.mjs <site dir> <node_modules dir> <cache dir>
 *
 * Workbox (`workbox-build`, pinned in package-lock.json) lists every published file with
 * a hash of its content (the precache manifest) and bundles its own runtime into a local
 * `workbox-<hash>.js` beside sw.js, so nothing is fetched from another host.
 *
 * Each entry also carries the file's SHA-256 as Subresource Integrity, which Workbox puts on
 * the request: the browser then refuses any file whose bytes are not this release's. A
 * release switch on the server while a reader's worker is installing (copying the files)
 * thus fails that install as a whole, instead of storing the new release's files under the
 * old release's names; the browser keeps the copy it had, and the next update check
 * (guidesite/offline.js retries at once) installs the new release whole. Prints one
 * line of JSON: how many files the worker precaches, their total size in bytes, and
 * whether the worker came from the cache.
 *
 * Bundling (rollup, Babel, terser) takes about 2.5 s, so its output is kept in the cache
 * dir, keyed by everything it is made from: the installed versions of workbox-build and of
 * every package it loads, the options below and the precache manifest. The manifest is in
 * the key because terser names sw.js's variables after the characters of the whole file,
 * file names and hashes included: only an unchanged site gives byte-identical files.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";

const [siteDir, nodeModules, cacheDir] = process.argv.slice(2);
const WORKBOX_BUILD = "workbox-build";
const { generateSW, getManifest } = createRequire(join(resolve(nodeModules), "/"))(WORKBOX_BUILD);
const CACHE_DIR = join(cacheDir, "workbox");
// Bundles kept: one per site state recently built (tests build several), 35 kB each.
const KEPT_BUNDLES = 8;

// How many files the integrity hashes read at a time: enough to keep the disk busy.
const FILES_READ_AT_ONCE = 8;

// A content hash in a file or folder name (the same rule as the shipped server configs):
// such a file never changes, so the precache may take it from the browser's HTTP cache,
// where the calculator engine usually already put it, instead of downloading it again.
const HASHED_NAME = /[./-][0-9a-f]{8,}[./]/;

// What to precache (getManifest and generateSW take these alike).
const MANIFEST_OPTIONS = {
  globPatterns: ["**/*"],
  globIgnores: [
    "sw.js",
    "workbox-*.js",
    // Ready-made .gz copies of text and WebAssembly are for servers (nginx gzip_static);
    // the engine's snapshot (.bin.gz), stored gzipped, is the one .gz file pages load.
    "**/*.{html,xml,js,mjs,css,json,wasm}.gz",
    "**/*.map",
  ],
  dontCacheBustURLsMatching: HASHED_NAME,
  // The engine's WebAssembly (9.6 MB) and snapshot are the largest files.
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  manifestTransforms: [withIntegrity],
};

const WORKER_OPTIONS = {
  directoryIndex: "index.html",
  // A new release waits until the reader chooses to reload (guidesite/offline.js asks),
  // so a page never mixes files of two releases.
  skipWaiting: false,
  // Only the first install takes over open pages at once (there is no older release then):
  // later ones activate only on the reader's reload.
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  // Takes a release marked urgent on the server (`guidesite deploy --urgent`) at once.
  importScripts: ["assets/guidesite/urgent-release.js"],
  inlineWorkboxRuntime: false,
  mode: "production",
  sourcemap: false,
};

const manifest = await getManifest({ globDirectory: siteDir, ...MANIFEST_OPTIONS });
for (const warning of manifest.warnings) console.error(warning);
const key = sha256(
  JSON.stringify(
    {
      packages: installedPackages(WORKBOX_BUILD, resolve(nodeModules, "..")),
      options: { ...MANIFEST_OPTIONS, ...WORKER_OPTIONS },
      manifest: manifest.manifestEntries,
    },
    (_, value) => (value instanceof RegExp ? String(value) : value),
  ),
);
const kept = join(CACHE_DIR, key);
const cached = existsSync(kept);
if (cached) {
  for (const name of await readdir(kept)) await copyFile(join(kept, name), join(siteDir, name));
  const now = new Date();
  await utimes(kept, now, now); // recently used: kept longest
} else {
  const { filePaths } = await generateSW({
    globDirectory: siteDir,
    swDest: join(siteDir, "sw.js"),
    ...MANIFEST_OPTIONS,
    ...WORKER_OPTIONS,
  });
  await keep(filePaths);
}
console.log(JSON.stringify({ count: manifest.count, size: manifest.size, cached }));

/**
 * Workbox manifest transform: each entry with the SHA-256 of its file as `integrity`.
 * A few files are read at a time: reading them all at once held the whole site in memory
 * (120 MB at 1 000 pages, the build's largest process).
 */
async function withIntegrity(entries) {
  const manifest = new Array(entries.length);
  let next = 0;
  async function hashNext() {
    while (next < entries.length) {
      const at = next++;
      const digest = createHash("sha256")
        .update(await readFile(join(siteDir, entries[at].url)))
        .digest("base64");
      manifest[at] = { ...entries[at], integrity: `sha256-${digest}` };
    }
  }
  await Promise.all(Array.from({ length: FILES_READ_AT_ONCE }, hashNext));
  return { manifest, warnings: [] };
}

/** Copy the written files into the cache as one entry, then drop the least recently used. */
async function keep(filePaths) {
  const unfinished = `${kept}.${process.pid}.tmp`;
  await mkdir(unfinished, { recursive: true });
  for (const path of filePaths) await copyFile(path, join(unfinished, basename(path)));
  try {
    await rename(unfinished, kept);
  } catch {
    // Another build of the same site kept the same files first.
    await rm(unfinished, { recursive: true, force: true });
  }
  const entries = [];
  for (const name of await readdir(CACHE_DIR)) {
    if (name.endsWith(".tmp")) continue;
    entries.push({ name, used: (await stat(join(CACHE_DIR, name))).mtimeMs });
  }
  entries.sort((a, b) => b.used - a.used);
  for (const { name } of entries.slice(KEPT_BUNDLES)) {
    await rm(join(CACHE_DIR, name), { recursive: true, force: true });
  }
}

/** "name@version" of a package and of every package it depends on, as installed. */
function installedPackages(name, fromDir, found = new Map()) {
  const dir = packageDir(name, fromDir);
  if (dir === null || found.has(dir)) return [...found.values()].sort();
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  found.set(dir, `${manifest.name}@${manifest.version}`);
  const dependencies = { ...manifest.dependencies, ...manifest.optionalDependencies };
  for (const dependency of Object.keys(dependencies)) installedPackages(dependency, dir, found);
  return [...found.values()].sort();
}

/** Where Node.js finds package `name` from `fromDir` (null: an optional one not installed). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}
