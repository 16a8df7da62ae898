/* A stand-in for Web Workers on file://, where browsers refuse them.
 *
 * Material's search box starts its search in a worker. Opened from file://,
 * this replaces `Worker` with an object that loads the worker's script as an
 * ordinary page script (same folder, no inline code, no other host) and talks
 * to it through HandbookSearchConnect, which generator/assets/search/worker.js
 * defines when it finds itself outside a worker. Online nothing changes.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function FileWorker(url) {
    var target = new EventTarget(), worker = this;
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);
    this.ready = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = function () {
        resolve(window.HandbookSearchConnect(function (data) {
          var event = new MessageEvent("message", { data: data });
          worker.dispatchEvent(event);
          if (worker.onmessage) worker.onmessage(event);
        }));
      };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }
  FileWorker.prototype.postMessage = function (data) {
    var copy = structuredClone(data);
    this.ready.then(function (receive) { receive(copy); });
  };
  FileWorker.prototype.terminate = function () {};
  window.Worker = FileWorker;
})();
