// What a reader does to a comment (like, reply) and what a host does (pin, hide, mute, approve held
// comments). The actions sit in a small toolbar that shows on hover or focus, not under every comment.
import { el, plural } from '../api.js';
import { renderComment, insertById } from '../comments.js';
import { errorText } from './errors.js';

export const moderationMethods = {
  /** The toolbar of one comment in the stream. */
  actionsFor(c) {
    const actions = [
      el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'reply', disabled: !this.canWrite }, 'Reply'),
    ];
    if (this.isHost) {
      actions.push(
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': c.pinned ? 'unpin' : 'pin' },
          c.pinned ? 'Unpin' : 'Pin'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'hide' }, 'Hide'),
      );
      if (!c.role) {
        actions.push(el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'mute', title: 'Mute this author' },
          'Mute'));
      }
    }
    return actions;
  },

  onListClick(e) {
    const btn = e.target.closest('button[data-action]');
    if (!btn || btn.disabled) return undefined;
    const li = btn.closest('li[data-id]');
    if (!li) return undefined;
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
  },

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
  },

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
  },

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
  },

  onHeld(c) {
    if (!c || !this.heldList || this.held.has(c.id) || this.seen.has(c.id)) return;
    const li = renderComment(c, {
      parent: c.replyTo !== null ? this.items.get(c.replyTo)?.c : undefined,
      like: 'count',
      compact: true,
      actions: [
        el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'approve' }, 'Approve'),
        el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'hide' }, 'Hide'),
      ],
    });
    li.classList.add('is-held');
    insertById(this.heldList, li, c.id);
    this.held.set(c.id, { c, li });
    this.updateEmpty();
  },

  removeHeld(id) {
    const h = this.held.get(id);
    if (!h) return;
    h.li.remove();
    this.held.delete(id);
    this.updateEmpty();
  },
};
