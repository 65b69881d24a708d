// The live room, shared by live.js and host.js: the Room ties the connection (room/socket.js) to the
// stream view (room/stream.js), the composer (room/composer.js) and the actions on comments
// (room/moderation.js). Plain ES modules, no build step.
import { local, setText, plural } from './api.js';
import { normalizeComment } from './comments.js';
import { LiveSocket } from './room/socket.js';
import { errorText } from './room/errors.js';
import { streamMethods } from './room/stream.js';
import { composerMethods } from './room/composer.js';
import { moderationMethods } from './room/moderation.js';
import { questionMethods } from './room/questions.js';

export { LiveSocket, errorText };

const ROLE_LABEL = { attendee: 'Attendee', host: 'Host', viewer: 'Viewer' };

/**
 * options:
 *   slug, mode: 'live' | 'host'
 *   join(): {ticket?} | {hostKey?}    extra join fields
 *   onWelcome(msg), onJoinError(msg) → true when handled, onModeration(type), onRefused(reason),
 *   onRole(msg) (the role changed without a new join), onState(state)
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
    this.questionList = document.getElementById('questions');
    this.askBox = document.getElementById('ask-question');
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
    this.known = new Map(); // id → comment, kept after a hide (the host's log names what was hidden)
    this.held = new Map(); // id → {c, li}
    this.questions = new Map(); // question id → {c, li} in the Questions list
    this.answeringId = null;
    this.pending = new Map(); // nonce → {text, replyTo, li, id, timer, nonce}
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
    this.questionList?.addEventListener('click', onListClick);
    this.pendingList?.addEventListener('click', (e) => this.onPendingClick(e));
    this.scroller?.addEventListener('scroll', () => {
      if (this.nearBottom()) this.clearUnseen();
    }, { passive: true });
    this.newBtn?.addEventListener('click', () => {
      this.scrollToBottom();
      this.clearUnseen();
    });
    this.retryBtn?.addEventListener('click', () => {
      if (this.retryBtn.dataset.mode === 'now') this.socket.retryNow();
      else this.restart();
    });
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
            ? `Connection lost. Reconnecting in ${Math.max(1, Math.round(info / 1000))} s…`
            : 'Reconnecting…';
          break;
        case 'refused': text = `Not connected: ${info || 'the server did not let this connection join.'}`; break;
        default: text = 'Disconnected';
      }
      s.textContent = text;
    }
    if (this.retryBtn) {
      // "Try now" during the backoff; "Try again" once the server refused the join.
      const waiting = state === 'reconnecting' && typeof info === 'number';
      this.retryBtn.hidden = !(waiting || state === 'refused');
      this.retryBtn.dataset.mode = waiting ? 'now' : 'again';
      this.retryBtn.textContent = waiting ? 'Try now' : 'Try again';
    }
    if (state === 'reconnecting' || state === 'refused' || state === 'stopped') this.markUnconfirmed();
    if (state === 'refused') this.opts.onRefused?.(info);
    this.opts.onState?.(state);
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

  // ------------------------------------------------------------ messages

  handle(msg) {
    switch (msg.type) {
      case 'welcome': return this.onWelcome(msg);
      case 'comment': return this.onComment(normalizeComment(msg));
      case 'ack': return this.onAck(msg);
      case 'likes': return this.onLikes(Number(msg.commentId), Number(msg.likes));
      case 'question': return this.onQuestionState(Number(msg.commentId), msg.state);
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
    this.applyQuestionSnapshot(msg);
    this.opts.onWelcome?.(msg);
    this.resendUnconfirmed();
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

Object.assign(Room.prototype, streamMethods, composerMethods, moderationMethods, questionMethods);
