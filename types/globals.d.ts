// Globals the browser scripts use that TypeScript's DOM library does not declare. Types
// only: nothing here is published (tsconfig.json checks guidesite/assets against it).

/** Material for MkDocs' page-view stream (RxJS), emitted after each instant navigation. */
interface PageViews {
  subscribe(next: () => void): unknown;
}

interface Window {
  document$?: PageViews;
  // Storage helpers Material's bundle expects (assets/guidesite/setup.js defines them).
  __md_scope: URL;
  __md_hash(text: string): number;
  __md_get(key: string, storage?: Storage, scope?: URL): unknown;
  __md_set(key: string, value: unknown, storage?: Storage, scope?: URL): void;
}

declare var document$: PageViews | undefined;

/** Network Information and Device Memory APIs (Chromium only; absent elsewhere). */
interface Navigator {
  connection?: { saveData?: boolean; effectiveType?: string };
  deviceMemory?: number;
}
