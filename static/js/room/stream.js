// The stream view: comments in id order, the pinned strip at the top, "N new comments" when the
// reader has scrolled up, likes, hides and pins as they arrive.
import { el, plural, setText } from '../api.js';
import { renderComment, setLikesOn, setPinnedOn, setOwnOn, insertById } from '../comments.js';

/** Within this many pixels of the bottom, new comments keep the view at the bottom. */
const NEAR_BOTTOM_PX = 80;

export const streamMethods = {
  updateEmpty() {
    const empty = document.getElementById('comments-empty');
    if (empty) empty.hidden = this.items.size > 0 || (this.pendingList && this.pendingList.children.length > 0);
    const pinEmpty = document.getElementById('pinned-empty');
    if (pinEmpty && this.pinnedList) pinEmpty.hidden = this.pinnedList.children.length > 0;
    const pinSection = document.getElementById('pinned-section');
    if (pinSection?.dataset.collapse === 'empty') pinSection.hidden = !this.pinnedList?.children.length;
    if (this.heldList) {
      const heldEmpty = document.getElementById('held-empty');
      if (heldEmpty) heldEmpty.hidden = this.held.size > 0;
      setText('held-count', String(this.held.size));
    }
    // The heading says "Comments"; its count is a number beside it, not the word again.
    setText('comment-count', this.items.size.toLocaleString());
  },

  nearBottom() {
    const s = this.scroller;
    if (!s) return true;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  },

  scrollToBottom() {
    if (this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
  },

  clearUnseen() {
    this.unseen = 0;
    if (this.newBtn) {
      this.newBtn.hidden = true;
      this.newBtn.textContent = '';
    }
  },

  bumpUnseen() {
    this.unseen += 1;
    if (this.newBtn) {
      this.newBtn.hidden = false;
      this.newBtn.textContent = `${plural(this.unseen, 'new comment', 'new comments')} ↓`;
    }
  },

  setViewers(n) {
    if (typeof n === 'number' && Number.isFinite(n)) setText('viewer-count', n.toLocaleString());
  },

  onComment(c) {
    if (!c) return;
    if (this.held.has(c.id)) this.removeHeld(c.id);
    if (this.seen.has(c.id)) return;
    this.seen.add(c.id);
    this.known.set(c.id, c);
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
    this.trackQuestion(c);
    if (own || wasNear) this.scrollToBottom();
    else this.bumpUnseen();
    this.updateEmpty();
  },

  render(c, own) {
    const parent = c.replyTo !== null ? this.items.get(c.replyTo)?.c : undefined;
    return renderComment(c, {
      anchor: true,
      compact: true,
      parent,
      own,
      like: 'button',
      likeState: { disabled: !this.canWrite, liked: this.liked.has(c.id) },
      actions: this.actionsFor(c),
    });
  },

  addPinned(item) {
    if (!this.pinnedList || item.pinLi) return;
    const actions = this.isHost
      ? [el('button', { type: 'button', class: 'btn btn-small', 'data-action': 'unpin' }, 'Unpin')]
      : [el('a', { class: 'btn btn-small btn-link', href: `#c-${item.c.id}` }, 'Show in list')];
    const parent = item.c.replyTo !== null ? this.items.get(item.c.replyTo)?.c : undefined;
    item.pinLi = renderComment({ ...item.c, pinned: true }, { parent, actions, like: 'count', compact: true });
    insertById(this.pinnedList, item.pinLi, item.c.id);
    this.updateEmpty();
  },

  removePinned(item) {
    if (item.pinLi) {
      item.pinLi.remove();
      item.pinLi = null;
      this.updateEmpty();
    }
  },

  onLikes(id, likes) {
    const item = this.items.get(id);
    if (!item || !Number.isFinite(likes)) return;
    item.c.likes = likes;
    setLikesOn(item.li, likes);
    setLikesOn(item.pinLi, likes);
    this.questionLikes(id, likes);
  },

  onHidden(id) {
    this.removeHeld(id);
    const item = this.items.get(id);
    if (item) {
      item.li.remove();
      this.removePinned(item);
      this.items.delete(id);
    }
    this.forgetQuestion(id);
    this.seen.add(id); // never show it again, even if a replay sends it
    if (this.replyTo && this.replyTo.id === id) {
      this.cancelReply();
      this.notice('The comment you were replying to was hidden by a host.');
    }
    this.updateEmpty();
    this.opts.onModeration?.('hidden');
  },

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
  },

  /** Any comment this page has seen, also one hidden since (for the host's moderation log). */
  commentById(id) {
    return this.known.get(id) || this.held.get(id)?.c;
  },

  learnAuthor(authorId) {
    if (!authorId || this.myAuthorIds.has(authorId)) return;
    this.myAuthorIds.add(authorId);
    for (const item of this.items.values()) {
      if (item.c.authorId === authorId) setOwnOn(item.li, true);
    }
  },
};
