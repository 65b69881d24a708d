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
        return this.askHide(li, id);
      case 'pin':
      case 'unpin':
      case 'approve':
      case 'answering':
      case 'answered':
      case 'dismiss':
        return this.moderate(action, id, btn);
      case 'mute':
        return this.askMute(li, li.dataset.authorId, this.items.get(id)?.c.author || 'this author');
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

  /** Hide asks why first (optional, kept in the moderation log), in a small form under the comment. */
  askHide(li, id) {
    const input = el('input', {
      type: 'text', id: `hide-reason-${id}`, maxlength: '200', autocomplete: 'off', 'data-testid': 'hide-reason',
      placeholder: 'For example: advertising',
    });
    this.openAsk(li, 'hide', [
      el('label', { for: input.id }, 'Why hide it? (optional, for the moderation log)'), input,
    ], 'Hide comment', () => this.moderate('hide', id, null, input.value.trim()));
    input.focus();
  },

  /** Mute asks for how long, next to the action (the last length chosen is offered first). */
  askMute(li, authorId, author) {
    if (!authorId) {
      this.notice('This comment has no author id, so its author cannot be muted.');
      return;
    }
    const lengths = [[30, '30 seconds'], [60, '1 minute'], [300, '5 minutes'], [900, '15 minutes'], [3600, '1 hour'],
      [86400, '1 day']];
    const chosen = this.muteSeconds || 300;
    const select = el('select', { id: `mute-length-${li.dataset.id}`, 'data-testid': 'mute-length' },
      ...lengths.map(([s, label]) => el('option', { value: String(s), selected: s === chosen }, label)));
    this.openAsk(li, 'mute', [el('label', { for: select.id }, `Mute ${author} for`), select], 'Mute', () => {
      this.muteSeconds = Number(select.value) || 300;
      this.mute(authorId, author, this.muteSeconds);
    });
    select.focus();
  },

  /** One small form at a time under a comment: the fields, a confirm button and Cancel (or Escape). */
  openAsk(li, kind, fields, confirmLabel, confirm) {
    this.closeAsk();
    const cancel = el('button', { type: 'button', class: 'btn btn-small' }, 'Cancel');
    const form = el('form', { class: 'mod-ask', 'data-ask': kind },
      ...fields,
      el('span', { class: 'mod-ask-buttons' },
        el('button', { type: 'submit', class: 'btn btn-small btn-danger' }, confirmLabel), cancel));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.closeAsk();
      confirm();
    });
    cancel.addEventListener('click', () => this.closeAsk());
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closeAsk();
    });
    li.append(form);
    this.openForm = form;
  },

  closeAsk() {
    this.openForm?.remove();
    this.openForm = null;
  },

  moderate(type, id, btn, reason) {
    const message = reason ? { type, commentId: id, reason } : { type, commentId: id };
    if (!this.socket.send(message)) {
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

  mute(authorId, author, seconds) {
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
