// The live room: a reconnecting WebSocket plus the comment list, shared by live.js and host.js.
import { el, enc, nonce as makeNonce, local, setText, plural } from './api.js';
import {
  MAX_COMMENT_CHARS, charCount, normalizeComment, renderComment, setLikesOn, setPinnedOn, setOwnOn,
  insertById, snippet,
} from './comments.js';

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 5000;

// ---------------------------------------------------------------- errors in plain words

function secondsFrom(msg) {
  for (const k of ['seconds', 'retryAfter', 'retryAfterSeconds', 'remainingSeconds', 'remaining']) {
    const v = Number(msg[k]);
    if (Number.isFinite(v) && v > 0) return Math.ceil(v);
  }
  if (typeof msg.until === 'string') {
    const t = Date.parse(msg.until);
    if (Number.isFinite(t)) {
      const s = Math.ceil((t - Date.now()) / 1000);
      if (s > 0) return s;
    }
  }
  const text = typeof msg.message === 'string' ? msg.message : '';
  const m = text.match(/(\d+)\s*(?:more\s+)?(?:s\b|sec|second)/i) || text.match(/(\d+)/);
  return m ? Number(m[1]) : 0;
}

export function errorText(msg) {
  const secs = secondsFrom(msg);
  switch (msg.code) {
    case 'muted':
      return secs
        ? `A host has muted you for ${plural(secs, 'second', 'seconds')}.`
        : 'A host has muted you for a while. Try again later.';
    case 'slow_mode':
      return secs
        ? `Slow mode is on: wait ${plural(secs, 'second', 'seconds')} before your next comment.`
        : 'Slow mode is on: wait a little before your next comment.';
    case 'rate_limited':
      return 'You are sending too fast. Wait a moment and try again.';
    case 'too_long':
      return `That comment is too long. Keep it to ${MAX_COMMENT_CHARS.toLocaleString()} characters.`;
    case 'empty':
      return 'Your comment is empty. Write something before sending.';
    case 'bad_ticket':
      return 'That ticket code is not valid for this event.';
    case 'not_ticketed':
      return 'Only ticket holders can comment or like. Your registration is on the waiting list, so you can watch.';
    case 'read_only':
      return 'You are watching as a viewer: you can read along, but not comment or like.';
    case 'not_joined':
      return 'Still joining the room. Try again in a moment.';
    case 'bad_message':
      return 'The server did not understand that message. Reload the page and try again.';
    default:
      return typeof msg.message === 'string' && msg.message ? msg.message : 'Something went wrong.';
  }
}

// ---------------------------------------------------------------- socket

/** A WebSocket that sends `join` on open and reconnects with backoff (0.5 s doubling to 5 s). */
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

// ---------------------------------------------------------------- room

const ROLE_LABEL = { attendee: 'Attendee', host: 'Host', viewer: 'Viewer' };

/**
 * options:
 *   slug, mode: 'live' | 'host'
 *   join(): {ticket?} | {hostKey?}    extra join fields
 *   onWelcome(msg), onJoinError(msg) → true when handled, onModeration(type), onRefused(reason),
 *   onRole(msg) (the role changed without a new join)
 *   viewerHint: text for the composer when watching without a ticket
 */
export class Room {
  constructor(options) {
    this.opts = options;
    this.slug = options.slug;
    this.mode = options.mode || 'live';
    this.isHost = this.mode === 'host';

    this.list = document.getElementById('comments');
    this.pinnedList = document.getElementById('pinned');
    this.pendingList = document.getElementById('pending');
    this.heldList = document.getElementById('held');
    this.scroller = document.getElementById('comments-scroller');
    this.form = document.getElementById('comment-form');
    this.textarea = document.getElementById('comment-text');
    this.sendBtn = document.getElementById('send');
    this.counter = document.getElementById('char-count');
    this.counterSr = document.getElementById('char-warning');
    this.hint = document.getElementById('composer-hint');
    this.chip = document.getElementById('reply-chip');
    this.newBtn = document.getElementById('new-comments');
    this.statusEl = document.getElementById('connection-status');
    this.retryBtn = document.getElementById('retry');
    this.noticeEl = document.getElementById('notice');

    this.items = new Map(); // id → {c, li, pinLi}
    this.seen = new Set(); // every id that reached the list (also hidden ones): no duplicates
    this.held = new Map(); // id → {c, li}
    this.pending = new Map(); // nonce → {text, replyTo, li, id, timer}
    this.ackedIds = new Map(); // id → nonce
    this.ownIds = new Set();
    this.myAuthorIds = new Set();
    this.lastSeen = 0;
    this.role = null;
    this.blockReason = null;
    this.connected = false;
    this.replyTo = null;
    this.unseen = 0;
    this.noticeTimer = 0;
    this.likedKey = `backchannel.likes.${this.slug}`;
    this.liked = this.loadLiked();

    this.socket = new LiveSocket(this.slug, {
      join: () => this.joinMessage(),
      onMessage: (m) => this.handle(m),
      onState: (s, info) => this.setState(s, info),
    });

    this.wire();
    this.updateCounter();
    this.updateComposer();
    this.updateEmpty();
  }

  // ------------------------------------------------------------ lifecycle

  start() {
    this.socket.connect();
  }

  restart() {
    this.role = null;
    this.blockReason = null;
    this.setRole(null);
    this.socket.restart();
  }

  stop() {
    this.socket.stop();
    this.setState('stopped');
  }

  send(obj) {
    return this.socket.send(obj);
  }

  joinMessage() {
    const extra = this.opts.join ? this.opts.join() : {};
    return { type: 'join', ...extra, since: this.lastSeen };
  }

  // ------------------------------------------------------------ wiring

  wire() {
    this.form?.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendComment();
    });
    this.textarea?.addEventListener('input', () => this.updateCounter());
    this.textarea?.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey) {
        e.preventDefault();
        this.sendComment();
      } else if (e.key === 'Escape' && this.replyTo) {
        e.preventDefault();
        this.cancelReply();
      }
    });
    document.getElementById('reply-cancel')?.addEventListener('click', () => {
      this.cancelReply();
      this.textarea?.focus();
    });
    const onListClick = (e) => this.onListClick(e);
    this.list?.addEventListener('click', onListClick);
    this.pinnedList?.addEventListener('click', onListClick);
    this.heldList?.addEventListener('click', onListClick);
    this.pendingList?.addEventListener('click', (e) => this.onPendingClick(e));
    this.scroller?.addEventListener('scroll', () => {
      if (this.nearBottom()) this.clearUnseen();
    }, { passive: true });
    this.newBtn?.addEventListener('click', () => {
      this.scrollToBottom();
      this.clearUnseen();
    });
    this.retryBtn?.addEventListener('click', () => this.restart());
  }

  // ------------------------------------------------------------ status

  setState(state, info) {
    this.connected = state === 'connected';
    const s = this.statusEl;
    if (s) {
      s.dataset.state = state;
      let text;
      switch (state) {
        case 'connecting': text = 'Connecting…'; break;
        case 'connected': text = 'Connected'; break;
        case 'reconnecting':
          text = typeof info === 'number'
            ? `Reconnecting… (next try in ${Math.max(1, Math.round(info / 1000))} s)`
            : 'Reconnecting…';
          break;
        case 'refused': text = `Not connected: ${info || 'the server did not let this connection join.'}`; break;
        default: text = 'Disconnected';
      }
      s.textContent = text;
    }
    if (this.retryBtn) this.retryBtn.hidden = state !== 'refused';
    if (state === 'reconnecting' || state === 'refused' || state === 'stopped') this.markUnconfirmed();
    if (state === 'refused') this.opts.onRefused?.(info);
    this.updateComposer();
  }

  setRole(role) {
    this.role = role;
    setText('role', role ? (ROLE_LABEL[role] || role) : '…');
    const r = document.getElementById('role');
    if (r) r.dataset.role = role || '';
    this.updateComposer();
  }

  notice(text, { persist = false } = {}) {
    if (!this.noticeEl) return;
    clearTimeout(this.noticeTimer);
    this.noticeEl.textContent = text || '';
    if (text && !persist) {
      this.noticeTimer = setTimeout(() => {
        if (this.noticeEl.textContent === text) this.noticeEl.textContent = '';
      }, 15000);
    }
  }

  get canWrite() {
    return (this.role === 'attendee' || this.role === 'host') && !this.blockReason;
  }

  updateComposer() {
    const canWrite = this.canWrite;
    if (this.textarea) this.textarea.disabled = !canWrite;
    if (this.sendBtn) this.sendBtn.disabled = !(canWrite && this.connected);
    if (this.hint) {
      let hint;
      if (!this.role) {
        hint = this.connected ? 'Joining…' : 'Connecting to the live room…';
      } else if (this.blockReason === 'not_ticketed') {
        hint = 'Your registration is on the waiting list, so you can watch but not comment. When you get a seat, commenting opens here.';
      } else if (this.blockReason === 'read_only') {
        hint = 'This room is read-only for you right now: you can watch, but not comment or like.';
      } else if (this.role === 'viewer') {
        hint = this.opts.viewerHint
          || 'You are watching as a viewer, so commenting is off. Enter a ticket code to join the conversation.';
      } else if (!this.connected) {
        hint = 'Reconnecting… you can keep typing; send when the connection is back.';
      } else {
        hint = 'Enter sends, Shift+Enter starts a new line.';
      }
      this.hint.textContent = hint;
    }
    const disabled = !canWrite;
    for (const list of [this.list, this.pinnedList]) {
      if (!list) continue;
      for (const b of list.querySelectorAll('button[data-action="like"]')) {
        const id = Number(b.closest('li[data-id]')?.dataset.id);
        b.disabled = disabled || this.liked.has(id);
      }
      for (const b of list.querySelectorAll('button[data-action="reply"]')) b.disabled = disabled;
    }
  }

  updateCounter() {
    if (!this.textarea || !this.counter) return;
    const n = charCount(this.textarea.value);
    const over = n > MAX_COMMENT_CHARS;
    this.counter.textContent = `${n.toLocaleString()} / ${MAX_COMMENT_CHARS.toLocaleString()}`;
    this.counter.classList.toggle('is-over', over);
    if (over) this.textarea.setAttribute('aria-invalid', 'true');
    else this.textarea.removeAttribute('aria-invalid');
    if (this.counterSr) {
      let warn = '';
      if (over) warn = `Too long by ${(n - MAX_COMMENT_CHARS).toLocaleString()} characters.`;
      else if (n > MAX_COMMENT_CHARS - 100) warn = `${(MAX_COMMENT_CHARS - n).toLocaleString()} characters left.`;
      if (this.counterSr.textContent !== warn) this.counterSr.textContent = warn;
    }
  }

  updateEmpty() {
    const empty = document.getElementById('comments-empty');
    if (empty) empty.hidden = this.items.size > 0 || (this.pendingList && this.pendingList.children.length > 0);
    const pinEmpty = document.getElementById('pinned-empty');
    if (pinEmpty && this.pinnedList) pinEmpty.hidden = this.pinnedList.children.length > 0;
    if (this.heldList) {
      const heldEmpty = document.getElementById('held-empty');
      if (heldEmpty) heldEmpty.hidden = this.held.size > 0;
      setText('held-count', String(this.held.size));
    }
    setText('comment-count', plural(this.items.size, 'comment', 'comments'));
  }

  // ------------------------------------------------------------ scrolling

  nearBottom() {
    const s = this.scroller;
    if (!s) return true;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToBottom() {
    if (this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  clearUnseen() {
    this.unseen = 0;
    if (this.newBtn) {
      this.newBtn.hidden = true;
      this.newBtn.textContent = '';
    }
  }

  bumpUnseen() {
    this.unseen += 1;
    if (this.newBtn) {
      this.newBtn.hidden = false;
      this.newBtn.textContent = `${plural(this.unseen, 'new comment', 'new comments')} below — show`;
    }
  }

  // ------------------------------------------------------------ messages

  handle(msg) {
    switch (msg.type) {
      case 'welcome': return this.onWelcome(msg);
      case 'comment': return this.onComment(normalizeComment(msg));
      case 'ack': return this.onAck(msg);
      case 'likes': return this.onLikes(Number(msg.commentId), Number(msg.likes));
      case 'hidden': return this.onHidden(Number(msg.commentId));
      case 'pinned': return this.onPinned(Number(msg.commentId), true);
      case 'unpinned': return this.onPinned(Number(msg.commentId), false);
      case 'held': return this.onHeld(normalizeComment(msg.comment));
      case 'presence': return this.setViewers(msg.viewers);
      case 'slowmode': return this.onSlowMode(Number(msg.seconds));
      case 'role': return this.onRole(msg);
      case 'error': return this.onError(msg);
      default: return undefined;
    }
  }

  onWelcome(msg) {
    this.blockReason = null;
    this.setRole(msg.role || 'viewer');
    this.setViewers(msg.viewers);
    this.resendUnconfirmedHint();
    this.opts.onWelcome?.(msg);
  }

  /** The role changed on this connection: a cancelled ticket watches, a promoted person comments. */
  onRole(msg) {
    if (!ROLE_LABEL[msg.role]) return;
    if (msg.role === 'viewer') {
      this.blockReason = msg.reason === 'waitlisted' ? 'not_ticketed' : 'read_only';
      this.notice(msg.reason === 'cancelled'
        ? 'Your ticket was cancelled: you can keep watching, but no longer comment or like.'
        : 'You are on the waiting list now: you can watch, but not comment or like.', { persist: true });
    } else {
      this.blockReason = null;
      this.notice('You have a seat now: you can comment, reply and like.');
    }
    this.setRole(msg.role);
    this.opts.onRole?.(msg);
  }

  onSlowMode(seconds) {
    if (!Number.isFinite(seconds)) return;
    this.notice(seconds > 0
      ? `Slow mode is on: one comment per person every ${plural(seconds, 'second', 'seconds')}.`
      : 'Slow mode is off.');
  }

  setViewers(n) {
    if (typeof n === 'number' && Number.isFinite(n)) setText('viewer-count', n.toLocaleString());
  }

  onComment(c) {
    if (!c) return;
    if (this.held.has(c.id)) this.removeHeld(c.id);
    if (this.seen.has(c.id)) return;
    this.seen.add(c.id);
    if (c.id > this.lastSeen) this.lastSeen = c.id;

    const nonce = this.ackedIds.get(c.id) ?? this.heldPendingFor(c);
    if (nonce !== undefined) {
      this.ackedIds.delete(c.id);
      this.dropPending(nonce);
      this.ownIds.add(c.id);
      this.learnAuthor(c.authorId);
    }
    const own = this.ownIds.has(c.id) || (c.authorId && this.myAuthorIds.has(c.authorId));

    const wasNear = this.nearBottom();
    const li = this.render(c, own);
    insertById(this.list, li, c.id);
    const item = { c, li, pinLi: null };
    this.items.set(c.id, item);
    if (c.pinned) this.addPinned(item);
    if (own || wasNear) this.scrollToBottom();
    else this.bumpUnseen();
    this.updateEmpty();
  }

  render(c, own) {
    const parent = c.replyTo !== null ? this.items.get(c.replyTo)?.c : undefined;
    const canWrite = this.canWrite;
    const actions = [
      el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'reply', disabled: !canWrite }, 'Reply'),
    ];
    if (this.isHost) {
      actions.push(
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': c.pinned ? 'unpin' : 'pin' },
          c.pinned ? 'Unpin' : 'Pin'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'hide' }, 'Hide'),
      );
      if (!c.role) {
        actions.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'mute', title: 'Mute this author' },
          'Mute author'));
      }
    }
    return renderComment(c, {
      anchor: true,
      parent,
      own,
      like: 'button',
      likeState: { disabled: !canWrite, liked: this.liked.has(c.id) },
      actions,
    });
  }

  addPinned(item) {
    if (!this.pinnedList || item.pinLi) return;
    const actions = this.isHost
      ? [el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'unpin' }, 'Unpin')]
      : [el('a', { class: 'btn btn-small btn-link', href: `#c-${item.c.id}` }, 'Show in list')];
    const parent = item.c.replyTo !== null ? this.items.get(item.c.replyTo)?.c : undefined;
    item.pinLi = renderComment({ ...item.c, pinned: true }, { parent, actions, like: 'count' });
    insertById(this.pinnedList, item.pinLi, item.c.id);
    this.updateEmpty();
  }

  removePinned(item) {
    if (item.pinLi) {
      item.pinLi.remove();
      item.pinLi = null;
      this.updateEmpty();
    }
  }

  onLikes(id, likes) {
    const item = this.items.get(id);
    if (!item || !Number.isFinite(likes)) return;
    item.c.likes = likes;
    setLikesOn(item.li, likes);
    setLikesOn(item.pinLi, likes);
  }

  onHidden(id) {
    this.removeHeld(id);
    const item = this.items.get(id);
    if (item) {
      item.li.remove();
      this.removePinned(item);
      this.items.delete(id);
    }
    this.seen.add(id); // never show it again, even if a replay sends it
    if (this.replyTo && this.replyTo.id === id) {
      this.cancelReply();
      this.notice('The comment you were replying to was hidden by a host.');
    }
    this.updateEmpty();
    this.opts.onModeration?.('hidden');
  }

  onPinned(id, pinned) {
    const item = this.items.get(id);
    if (!item) return;
    item.c.pinned = pinned;
    setPinnedOn(item.li, pinned);
    const btn = item.li.querySelector('button[data-action="pin"], button[data-action="unpin"]');
    if (btn) {
      btn.dataset.action = pinned ? 'unpin' : 'pin';
      btn.textContent = pinned ? 'Unpin' : 'Pin';
      btn.disabled = false;
    }
    if (pinned) this.addPinned(item);
    else this.removePinned(item);
    this.opts.onModeration?.(pinned ? 'pinned' : 'unpinned');
  }

  onHeld(c) {
    if (!c || !this.heldList || this.held.has(c.id) || this.seen.has(c.id)) return;
    const li = renderComment(c, {
      parent: c.replyTo !== null ? this.items.get(c.replyTo)?.c : undefined,
      like: 'count',
      actions: [
        el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'approve' }, 'Approve'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'hide' }, 'Hide'),
      ],
    });
    insertById(this.heldList, li, c.id);
    this.held.set(c.id, { c, li });
    this.updateEmpty();
  }

  removeHeld(id) {
    const h = this.held.get(id);
    if (!h) return;
    h.li.remove();
    this.held.delete(id);
    this.updateEmpty();
  }

  onAck(msg) {
    const p = this.pending.get(msg.nonce);
    const id = Number(msg.id);
    if (!p || !Number.isFinite(id)) return;
    p.id = id;
    this.ownIds.add(id);
    const item = this.items.get(id);
    if (this.seen.has(id)) {
      // The broadcast came first.
      this.dropPending(msg.nonce);
      if (item) {
        setOwnOn(item.li, true);
        this.learnAuthor(item.c.authorId);
      }
      return;
    }
    this.ackedIds.set(id, msg.nonce);
    clearTimeout(p.timer);
    if (msg.held) {
      // Approval publishes it under a new id, so it is matched by text when it comes (see onComment).
      p.held = true;
      this.setPendingState(p, 'Sent. A host reviews comments first; it appears here once approved.', { dismiss: true });
      return;
    }
    this.setPendingState(p, 'Sent.');
    p.timer = setTimeout(() => {
      if (this.pending.get(msg.nonce) === p) {
        this.setPendingState(p, 'Sent. It appears here once it is published (a host may review comments first).', {
          dismiss: true,
        });
      }
    }, 4000);
  }

  /** The nonce of our own held comment that `c` (approved, with a new id) publishes, if any. */
  heldPendingFor(c) {
    if (c.authorId && this.myAuthorIds.size > 0 && !this.myAuthorIds.has(c.authorId)) return undefined;
    for (const [nonce, p] of this.pending) {
      if (p.held && p.text === c.text && (p.replyTo ? p.replyTo.id : null) === c.replyTo) return nonce;
    }
    return undefined;
  }

  learnAuthor(authorId) {
    if (!authorId || this.myAuthorIds.has(authorId)) return;
    this.myAuthorIds.add(authorId);
    for (const item of this.items.values()) {
      if (item.c.authorId === authorId) setOwnOn(item.li, true);
    }
  }

  onError(msg) {
    if (msg.nonce && this.pending.has(msg.nonce)) {
      const p = this.pending.get(msg.nonce);
      this.dropPending(msg.nonce);
      if (this.textarea && !this.textarea.value.trim()) {
        this.textarea.value = p.text;
        if (p.replyTo && this.items.has(p.replyTo.id)) this.startReply(p.replyTo.id, { focus: false });
        this.updateCounter();
      }
    }
    if (msg.code === 'not_ticketed' || msg.code === 'read_only') {
      this.blockReason = msg.code;
      this.updateComposer();
    }
    if (!this.socket.welcomed && this.opts.onJoinError && this.opts.onJoinError(msg)) return;
    const persist = msg.code === 'bad_ticket' || msg.code === 'not_ticketed' || msg.code === 'read_only';
    this.notice(errorText(msg), { persist });
  }

  // ------------------------------------------------------------ user actions

  onListClick(e) {
    const btn = e.target.closest('button[data-action]');
    if (!btn || btn.disabled) return;
    const li = btn.closest('li[data-id]');
    if (!li) return;
    const id = Number(li.dataset.id);
    const action = btn.dataset.action;
    switch (action) {
      case 'like': return this.like(id, btn);
      case 'reply': return this.startReply(id);
      case 'hide':
      case 'pin':
      case 'unpin':
      case 'approve':
        return this.moderate(action, id, btn);
      case 'mute':
        return this.mute(li.dataset.authorId, this.items.get(id)?.c.author || 'this author');
      default: return undefined;
    }
  }

  like(id, btn) {
    if (!this.canWrite) {
      this.notice(this.role === 'viewer' ? errorText({ code: 'read_only' }) : 'You cannot like comments right now.');
      return;
    }
    if (!this.socket.send({ type: 'like', commentId: id })) {
      this.notice('Not connected right now. Try again when the connection is back.');
      return;
    }
    this.liked.add(id);
    this.saveLiked();
    btn.setAttribute('aria-pressed', 'true');
    btn.disabled = true;
    btn.title = 'You like this';
  }

  moderate(type, id, btn) {
    if (!this.socket.send({ type, commentId: id })) {
      this.notice('Not connected right now. Try again when the connection is back.');
      return;
    }
    if (btn) {
      btn.disabled = true;
      // Re-enable if nothing came back (for example an error answered it).
      setTimeout(() => {
        if (btn.isConnected) btn.disabled = false;
      }, 5000);
    }
    if (type === 'approve' || (type === 'hide' && this.held.has(id))) {
      // The held copy goes away now; an approved one comes back as a normal comment.
      this.removeHeld(id);
    }
    this.opts.onModeration?.(type);
  }

  mute(authorId, author) {
    if (!authorId) {
      this.notice('This comment has no author id, so its author cannot be muted.');
      return;
    }
    const select = document.getElementById('mute-seconds');
    const seconds = Number(select ? select.value : 300) || 300;
    if (!this.socket.send({ type: 'mute', authorId, seconds })) {
      this.notice('Not connected right now. Try again when the connection is back.');
      return;
    }
    this.notice(`Muted ${author} for ${plural(seconds, 'second', 'seconds')}.`);
    this.opts.onModeration?.('mute');
  }

  startReply(id, { focus = true } = {}) {
    const item = this.items.get(id);
    if (!item) return;
    this.replyTo = { id, author: item.c.author };
    setText('reply-to-name', item.c.author);
    setText('reply-to-snippet', snippet(item.c.text, 60));
    if (this.chip) this.chip.hidden = false;
    if (focus) this.textarea?.focus();
  }

  cancelReply() {
    this.replyTo = null;
    if (this.chip) this.chip.hidden = true;
  }

  sendComment() {
    if (!this.textarea) return;
    const text = this.textarea.value.trim();
    if (!this.canWrite) {
      this.notice(this.blockReason ? errorText({ code: this.blockReason }) : errorText({ code: 'read_only' }));
      return;
    }
    if (!text) {
      this.notice(errorText({ code: 'empty' }));
      this.textarea.focus();
      return;
    }
    if (charCount(text) > MAX_COMMENT_CHARS) {
      this.notice(errorText({ code: 'too_long' }));
      this.textarea.focus();
      return;
    }
    const nonce = makeNonce();
    const msg = { type: 'comment', text, nonce };
    if (this.replyTo) msg.replyTo = this.replyTo.id;
    if (!this.socket.send(msg)) {
      this.notice('Not connected right now, so nothing was sent. Your text stays in the box; send it when the connection is back.');
      return;
    }
    const p = { text, replyTo: this.replyTo, id: null, li: null, timer: 0, nonce };
    p.li = el('li', { class: 'comment is-pending', 'data-nonce': nonce, 'data-testid': 'pending-comment' },
      el('article', { class: 'comment-body' },
        el('p', { class: 'comment-state' }, 'Sending…'),
        p.replyTo ? el('p', { class: 'comment-reply' }, `Replying to ${p.replyTo.author}`) : null,
        el('p', { class: 'comment-text' }, text),
        el('div', { class: 'comment-actions' })));
    this.pending.set(nonce, p);
    this.pendingList?.append(p.li);
    this.textarea.value = '';
    this.cancelReply();
    this.updateCounter();
    this.notice('');
    this.updateEmpty();
    this.scrollToBottom();
    this.textarea.focus();
  }

  setPendingState(p, text, { failed = false, resend = false, dismiss = false } = {}) {
    if (!p.li) return;
    p.li.classList.toggle('is-failed', failed);
    const state = p.li.querySelector('.comment-state');
    if (state) state.textContent = text;
    const actions = p.li.querySelector('.comment-actions');
    if (actions) {
      const buttons = [];
      if (resend) buttons.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'resend' }, 'Send again'));
      if (dismiss) buttons.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'dismiss' }, 'Dismiss'));
      actions.replaceChildren(...buttons);
    }
  }

  dropPending(nonce) {
    const p = this.pending.get(nonce);
    if (!p) return;
    clearTimeout(p.timer);
    p.li?.remove();
    this.pending.delete(nonce);
    if (p.id !== null) this.ackedIds.delete(p.id);
    this.updateEmpty();
  }

  /** On a lost connection, comments without an ack may or may not have been stored. */
  markUnconfirmed() {
    for (const p of this.pending.values()) {
      if (p.id === null && !p.li.classList.contains('is-failed')) {
        this.setPendingState(p,
          'Not confirmed: the connection dropped. It may still appear once reconnected; if not, send it again.',
          { failed: true, resend: true, dismiss: true });
      }
    }
  }

  resendUnconfirmedHint() {
    // Nothing to do automatically: resending could duplicate. The buttons stay for the reader to decide.
  }

  onPendingClick(e) {
    const btn = e.target.closest('button[data-action]');
    if (!btn) return;
    const li = btn.closest('li[data-nonce]');
    const nonce = li?.dataset.nonce;
    const p = nonce ? this.pending.get(nonce) : null;
    if (!p) return;
    if (btn.dataset.action === 'dismiss') {
      this.dropPending(nonce);
    } else if (btn.dataset.action === 'resend') {
      const msg = { type: 'comment', text: p.text, nonce };
      if (p.replyTo) msg.replyTo = p.replyTo.id;
      if (!this.canWrite || !this.socket.send(msg)) {
        this.notice('Still not connected. Try again when the connection is back.');
        return;
      }
      this.setPendingState(p, 'Sending…');
    }
  }

  // ------------------------------------------------------------ likes memory

  loadLiked() {
    try {
      const arr = JSON.parse(local.get(this.likedKey) || '[]');
      return new Set(Array.isArray(arr) ? arr.map(Number).filter(Number.isFinite) : []);
    } catch {
      return new Set();
    }
  }

  saveLiked() {
    const arr = Array.from(this.liked).slice(-1000);
    local.set(this.likedKey, JSON.stringify(arr));
  }

  /** Forget per-person state (likes) when the identity changes. */
  resetIdentity() {
    this.liked = new Set();
    local.remove(this.likedKey);
    this.myAuthorIds.clear();
  }
}
