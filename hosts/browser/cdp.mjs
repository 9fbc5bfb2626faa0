// A client of the Chrome DevTools Protocol over Node's WebSocket: the few
// commands and events the browser host needs, with flattened sessions
// (one connection; a target's messages carry its `sessionId`).
//
// The driver used playwright-core for this.  Loading playwright-core cost
// every session about 0.4 s of CPU and 0.5 s of wall clock before it sent a
// byte (its bundles are parsed at every start), more than the rest of a
// session's start; the driver uses none of what it adds on top of CDP.
//
// Node 20 has a WebSocket client behind `--experimental-websocket` (the
// harness starts the driver with it); Node 22 has it by default.

/** A DevTools connection to a browser endpoint (`ws://.../devtools/browser/...`). */
export class Cdp {
  /**
   * Connects to `endpoint`.
   *
   * @param {string} endpoint
   * @returns {Promise<Cdp>}
   */
  static connect(endpoint) {
    if (typeof WebSocket !== 'function') {
      return Promise.reject(new Error('this node has no WebSocket client (Node 20 needs --experimental-websocket)'));
    }
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(endpoint);
      socket.onopen = () => resolve(new Cdp(socket));
      socket.onerror = () => reject(new Error(`cannot connect to DevTools at ${endpoint}`));
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.next_id = 1;
    /** Commands sent and not yet answered, by id. */
    this.pending = new Map();
    /** Event handlers, by `sessionId:method`. */
    this.handlers = new Map();
    this.closed = false;
    /** Called once when the connection goes, for whatever reason. */
    this.onclose = null;
    socket.onerror = () => {};
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => {
      this.closed = true;
      for (const { reject, method } of this.pending.values()) {
        reject(new Error(`${method}: the DevTools connection closed`));
      }
      this.pending.clear();
      if (this.onclose) this.onclose();
    };
  }

  /**
   * Sends a command; resolves to its result, or rejects with its error.
   *
   * @param {string} method
   * @param {object} [params]
   * @param {string} [session_id] the target's session, or the browser's if absent.
   */
  send(method, params = {}, session_id = undefined) {
    if (this.closed) return Promise.reject(new Error(`${method}: the DevTools connection closed`));
    const id = this.next_id++;
    const message = session_id === undefined ? { id, method, params } : { id, method, params, sessionId: session_id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify(message));
    });
  }

  /** Calls `handler(params)` on each `method` event of a session (or the browser's). */
  on(method, handler, session_id = undefined) {
    this.handlers.set(`${session_id ?? ''}:${method}`, handler);
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const command = this.pending.get(message.id);
      if (command === undefined) return;
      this.pending.delete(message.id);
      if (message.error) command.reject(new Error(`${command.method}: ${message.error.message}`));
      else command.resolve(message.result);
      return;
    }
    const handler = this.handlers.get(`${message.sessionId ?? ''}:${message.method}`);
    if (handler) handler(message.params);
  }

  /** Closes the connection; resolves when it is closed. */
  close() {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.onclose;
      this.onclose = () => {
        if (previous) previous();
        resolve();
      };
      this.socket.close();
    });
  }
}

/** A console message's argument as text, as the page would print it. */
export function describeRemote(object) {
  if (object.type === 'string') return object.value;
  if (object.unserializableValue !== undefined) return object.unserializableValue;
  if (object.value !== undefined) return JSON.stringify(object.value);
  return object.description ?? object.type;
}
