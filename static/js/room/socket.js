// The connection and resume: a WebSocket that joins, reconnects with backoff and resumes by id.
import { enc } from '../api.js';

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 5000;
/** After this long without any message from the server, ask with an application-level ping. */
const PING_AFTER_MS = 10000;
/** A ping or a comment not answered within this long means the connection is silently dead. */
const ANSWER_WITHIN_MS = 5000;

/**
 * A WebSocket that sends `join` on open and reconnects with backoff (0.5 s doubling to 5 s). A
 * connection that goes quiet is asked with `ping`; when neither a pong nor anything else arrives
 * within a few seconds of a ping or a comment, it is treated as lost (a dead network often closes
 * nothing) and replaced.
 */
export class LiveSocket {
  constructor(slug, { join, onMessage, onState }) {
    this.url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events/${enc(slug)}/live`;
    this.join = join;
    this.onMessage = onMessage;
    this.onState = onState;
    this.ws = null;
    this.attempt = 0;
    this.timer = 0;
    this.stopped = true;
    this.welcomed = false;
    this.everWelcomed = false;
    this.idleTimer = 0;
    this.answerTimer = 0;
    window.addEventListener('online', () => {
      if (!this.stopped && !this.ws) this.connect();
    });
  }

  connect() {
    this.stopped = false;
    clearTimeout(this.timer);
    this.welcomed = false;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.onState(this.everWelcomed ? 'reconnecting' : 'connecting');
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      ws.send(JSON.stringify(this.join()));
    });
    ws.addEventListener('message', (e) => {
      if (ws !== this.ws || typeof e.data !== 'string') return;
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      this.heardFromServer();
      if (msg.type === 'pong') return;
      if (msg.type === 'welcome') {
        this.welcomed = true;
        this.everWelcomed = true;
        this.attempt = 0;
        this.onState('connected');
      }
      this.onMessage(msg);
    });
    ws.addEventListener('close', (e) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.clearLiveness();
      const wasWelcomed = this.welcomed;
      this.welcomed = false;
      if (this.stopped) return;
      if (!wasWelcomed && (e.code === 1008 || e.code === 4001 || e.code === 4003 || e.code === 4004)) {
        // The server refused this join (policy); retrying the same join would fail again.
        this.stopped = true;
        this.onState('refused', e.reason || '');
        return;
      }
      if (e.code === 1008 && /^ticket_(required|cancelled):/.test(e.reason || '')) {
        // Access ended while connected (a cancelled ticket, the event turned private): rejoining cannot help.
        this.stopped = true;
        this.onState('refused', e.reason.replace(/^ticket_\w+:\s*/, ''));
        return;
      }
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close'; nothing to do here.
    ws.addEventListener('error', () => {});
  }

  /** Any message proves the connection alive: stop waiting for an answer, ping again when quiet. */
  heardFromServer() {
    clearTimeout(this.answerTimer);
    this.answerTimer = 0;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.send({ type: 'ping' })) this.expectAnswer();
    }, PING_AFTER_MS);
  }

  /** Something was sent that the server answers (a ping, a comment): no answer in time, no connection. */
  expectAnswer() {
    if (this.answerTimer) return;
    const ws = this.ws;
    this.answerTimer = setTimeout(() => {
      this.answerTimer = 0;
      if (ws === this.ws) this.abandon();
    }, ANSWER_WITHIN_MS);
  }

  clearLiveness() {
    clearTimeout(this.idleTimer);
    clearTimeout(this.answerTimer);
    this.idleTimer = 0;
    this.answerTimer = 0;
  }

  /** Gives up a connection that stopped answering without waiting for its close (which may never come). */
  abandon() {
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    this.clearLiveness();
    try {
      ws?.close(4000, 'no answer');
    } catch {
      /* already closing */
    }
    if (!this.stopped) this.scheduleReconnect();
  }

  /** "Try now" during the backoff: connect at once. */
  retryNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.timer);
    this.connect();
  }

  scheduleReconnect() {
    const delay = Math.min(BACKOFF_START_MS * 2 ** this.attempt, BACKOFF_MAX_MS);
    this.attempt += 1;
    this.onState('reconnecting', delay);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delay);
  }

  get ready() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN && this.welcomed);
  }

  send(obj) {
    if (!this.ready) return false;
    try {
      this.ws.send(JSON.stringify(obj));
      if (obj.type === 'comment') this.expectAnswer();
      return true;
    } catch {
      return false;
    }
  }

  /** Close and open again at once (new join parameters). */
  restart() {
    this.stop();
    this.attempt = 0;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.clearLiveness();
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (ws) {
      try {
        ws.close(1000, 'bye');
      } catch {
        /* already closing */
      }
    }
  }
}
