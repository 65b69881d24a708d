// The composer: the text box, its counter and reply chip, and the reader's own comments on their way
// (sending, sent, not confirmed). A comment keeps its nonce until it is confirmed, so sending it again,
// by hand or after a reconnect, never makes a second one: the server answers a repeated nonce with
// the first ack.
import { el, nonce as makeNonce, setText } from '../api.js';
import { MAX_COMMENT_CHARS, charCount, setOwnOn, snippet } from '../comments.js';
import { errorText } from './errors.js';

export const composerMethods = {
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
  },

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
  },

  startReply(id, { focus = true } = {}) {
    const item = this.items.get(id);
    if (!item) return;
    this.replyTo = { id, author: item.c.author };
    setText('reply-to-name', item.c.author);
    setText('reply-to-snippet', snippet(item.c.text, 60));
    if (this.chip) this.chip.hidden = false;
    if (focus) this.textarea?.focus();
  },

  cancelReply() {
    this.replyTo = null;
    if (this.chip) this.chip.hidden = true;
  },

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
    const p = { text, replyTo: this.replyTo, id: null, li: null, timer: 0, nonce,
      kind: this.askBox?.checked ? 'question' : 'comment' };
    if (!this.socket.send(this.commentMessage(p))) {
      this.notice('Not connected right now, so nothing was sent. Your text stays in the box; send it when the connection is back.');
      return;
    }
    p.li = el('li', { class: 'comment is-pending is-compact', 'data-nonce': nonce, 'data-testid': 'pending-comment' },
      el('article', { class: 'comment-body' },
        el('p', { class: 'comment-state' }, 'Sending…'),
        p.replyTo ? el('p', { class: 'comment-reply' }, `Replying to ${p.replyTo.author}`) : null,
        el('p', { class: 'comment-text' }, text),
        el('div', { class: 'comment-pending-actions' })));
    this.pending.set(nonce, p);
    this.pendingList?.append(p.li);
    this.textarea.value = '';
    if (this.askBox) this.askBox.checked = false;
    this.cancelReply();
    this.updateCounter();
    this.notice('');
    this.updateEmpty();
    this.scrollToBottom();
    this.textarea.focus();
  },

  commentMessage(p) {
    const msg = { type: 'comment', text: p.text, nonce: p.nonce };
    if (p.replyTo) msg.replyTo = p.replyTo.id;
    if (p.kind === 'question') msg.kind = 'question';
    return msg;
  },

  onAck(msg) {
    const p = this.pending.get(msg.nonce);
    const id = Number(msg.id);
    if (!p || !Number.isFinite(id)) return;
    p.id = id;
    this.ownIds.add(id);
    const item = this.items.get(id);
    if (this.seen.has(id)) {
      // The comment came first (the broadcast, or the catch-up after a reconnect): this is it.
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
  },

  /** The nonce of our own held comment that `c` (approved, with a new id) publishes, if any. */
  heldPendingFor(c) {
    if (c.authorId && this.myAuthorIds.size > 0 && !this.myAuthorIds.has(c.authorId)) return undefined;
    for (const [nonce, p] of this.pending) {
      if (p.held && p.text === c.text && (p.replyTo ? p.replyTo.id : null) === c.replyTo) return nonce;
    }
    return undefined;
  },

  setPendingState(p, text, { failed = false, resend = false, dismiss = false } = {}) {
    if (!p.li) return;
    p.li.classList.toggle('is-failed', failed);
    const state = p.li.querySelector('.comment-state');
    if (state) state.textContent = text;
    const actions = p.li.querySelector('.comment-pending-actions');
    if (actions) {
      const buttons = [];
      if (resend) buttons.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'resend' }, 'Send again'));
      if (dismiss) buttons.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'dismiss' }, 'Dismiss'));
      actions.replaceChildren(...buttons);
    }
  },

  dropPending(nonce) {
    const p = this.pending.get(nonce);
    if (!p) return;
    clearTimeout(p.timer);
    p.li?.remove();
    this.pending.delete(nonce);
    if (p.id !== null) this.ackedIds.delete(p.id);
    this.updateEmpty();
  },

  /** On a lost connection, comments without an ack may or may not have been stored. */
  markUnconfirmed() {
    for (const p of this.pending.values()) {
      if (p.id === null && !p.li.classList.contains('is-failed')) {
        this.setPendingState(p, 'Not confirmed yet: the connection dropped. It is sent again once reconnected.',
          { failed: true, resend: true, dismiss: true });
      }
    }
  },

  /**
   * After a (re)join: every comment still without an ack goes again with its own nonce. One that was
   * stored before the drop is answered with its first ack (and was already caught up by id), so it
   * never appears twice.
   */
  resendUnconfirmed() {
    if (!this.canWrite) return;
    for (const p of this.pending.values()) {
      if (p.id !== null) continue;
      if (this.socket.send(this.commentMessage(p))) this.setPendingState(p, 'Sending again…');
    }
  },

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
      if (!this.canWrite || !this.socket.send(this.commentMessage(p))) {
        this.notice('Still not connected. It is sent again by itself once the connection is back.');
        return;
      }
      this.setPendingState(p, 'Sending…');
    }
  },
};
