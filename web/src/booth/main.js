// Entry point of /static/booth.js (docs/booth.md). Runs once the document
// is parsed, whether the script is loaded with defer, at the end of <body>
// or in <head>.
import { startBooth } from './dom.js';

function run() {
  const booth = startBooth({
    document,
    getStorage: () => window.sessionStorage,
    // Two steps so that the disabled button and busy message are painted
    // before the main thread is taken by the cryptography.
    schedule: (fn) => window.requestAnimationFrame(() => window.setTimeout(fn, 0)),
  });
  // Back to a cast page kept in the back-forward cache: make it usable.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) booth.resetCast();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
