/* iframe-worker 1.0.4 (MIT, see LICENSE), adapted: the worker scope inside the frame,
   set up from this file rather than from an inline script (see shim.js). */
"use strict";
(() => {
  const workerUrl = document.currentScript.dataset.worker;
  self.postMessage = (message, origin) => parent.postMessage(message, origin || "*");
  self.importScripts = (...urls) => urls.reduce((done, url) => done.then(() => new Promise(resolve => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    document.body.appendChild(script);
  })), Promise.resolve());
  addEventListener("error", ({ error }) => {
    parent.dispatchEvent(new ErrorEvent("error", { filename: workerUrl, error }));
  });
})();
