// Loaded with `node --require` before decap-server (see generator/local_server.py): its server
// listens on the Unix socket HANDBOOK_DECAP_SOCKET names, in a folder only this user may open,
// instead of a TCP port that any web page could reach by DNS rebinding. The handbook answers
// the browser and forwards only local pages' requests.
"use strict";
const net = require("net");
const socket = process.env.HANDBOOK_DECAP_SOCKET;
if (!socket) {
  throw new Error("HANDBOOK_DECAP_SOCKET is not set: decap-server is started by `handbook cms-local`");
}
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const callback = args.find((arg) => typeof arg === "function");
  return listen.call(this, socket, callback);
};
