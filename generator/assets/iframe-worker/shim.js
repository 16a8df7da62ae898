/* iframe-worker 1.0.4 (MIT, see LICENSE), adapted for a Content-Security-Policy without
   inline scripts: the worker's scope is set up by frame.js, an external file beside this
   one, instead of an inline <script> written into the frame. Replaces Worker on file://
   only, where browsers refuse real workers. */
"use strict";
(() => {
  const FRAME_SCRIPT = new URL("frame.js", document.currentScript.src).href;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      this.m = event => {
        if (event.source === this.w) {
          this.dispatchEvent(new MessageEvent("message", { data: event.data }));
          if (this.onmessage) this.onmessage(event);
        }
      };
      this.e = (message, filename, lineno, colno, error) => {
        if (filename === `${this.url}`) {
          const event = new ErrorEvent("error", { message, filename, lineno, colno, error });
          this.dispatchEvent(event);
          if (this.onerror) this.onerror(event);
        }
      };
      const frame = document.createElement("iframe");
      frame.hidden = true;
      document.body.appendChild(this.iframe = frame);
      const doc = this.w.document;
      doc.open();
      doc.write("<html><body></body></html>");
      doc.close();
      const setup = doc.createElement("script");
      setup.src = FRAME_SCRIPT;
      setup.dataset.worker = `${url}`;
      this.r = new Promise((resolve, reject) => {
        setup.onload = () => {
          const worker = doc.createElement("script");
          worker.src = `${url}?${+Date.now()}`;
          worker.onload = resolve;
          worker.onerror = reject;
          doc.body.prepend(worker);   // first: Material finds its own address as the frame's first script
        };
        setup.onerror = reject;
      });
      doc.body.appendChild(setup);
      onmessage = this.m;
      onerror = this.e;
    }

    terminate() {
      this.iframe.remove();
      onmessage = onerror = null;
    }

    postMessage(data) {
      this.r.catch().then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }

    get w() {
      return this.iframe.contentWindow;
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
