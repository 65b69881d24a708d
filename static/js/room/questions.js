// Questions in the room (issue 16): the Questions list sorted by votes (ties by id), the question
// being answered highlighted on every screen, and the host's Answering / Answered / Dismiss buttons.
// Votes are likes; states arrive as `question` messages and, after a reconnect, in the welcome.
import { el } from '../api.js';
import { renderComment, setLikesOn, setQuestionStateOn, snippet, QUESTION_STATES } from '../comments.js';

export const questionMethods = {
  /** A question reached the stream: it also goes in the Questions list. */
  trackQuestion(c) {
    if (c.kind !== 'question' || !this.questionList || this.questions.has(c.id)) return;
    const li = renderComment(c, {
      compact: true,
      like: 'button',
      likeState: { disabled: !this.canWrite, liked: this.liked.has(c.id) },
      actions: this.questionActions(c),
    });
    this.questions.set(c.id, { c, li });
    this.sortQuestions();
    if (c.state === 'answering') this.showAnswering(c);
  },

  questionActions(c) {
    if (!this.isHost) return [];
    const button = (action, label) => el('button', {
      type: 'button', class: 'btn btn-small', 'data-action': action, 'data-testid': `question-${action}`,
      disabled: (action === 'answering' && c.state === 'answering') || (action === 'answered' && c.state === 'answered')
        || (action === 'dismiss' && c.state === 'dismissed'),
    }, label);
    return [button('answering', 'Answering'), button('answered', 'Answered'), button('dismiss', 'Dismiss')];
  },

  /** Most votes first, ties by id (the earlier question first); the answering one shows its state. */
  sortQuestions() {
    if (!this.questionList) return;
    const sorted = Array.from(this.questions.values())
      .sort((a, b) => (b.c.likes - a.c.likes) || (a.c.id - b.c.id));
    this.questionList.replaceChildren(...sorted.map((q) => q.li));
    const empty = document.getElementById('questions-empty');
    if (empty) empty.hidden = sorted.length > 0;
    const count = document.getElementById('question-count');
    if (count) count.textContent = sorted.length ? String(sorted.length) : '';
  },

  questionLikes(id, likes) {
    const q = this.questions.get(id);
    if (!q) return;
    q.c.likes = likes;
    setLikesOn(q.li, likes);
    this.sortQuestions();
  },

  /** A host set a question's state (`question` message, or the welcome after a reconnect). */
  onQuestionState(id, state) {
    if (!QUESTION_STATES[state]) return;
    const item = this.items.get(id);
    const q = this.questions.get(id);
    for (const c of [item?.c, q?.c]) if (c) c.state = state;
    if (item) setQuestionStateOn(item.li, item.c);
    if (q) {
      setQuestionStateOn(q.li, q.c);
      const actions = q.li.querySelector(':scope > article .comment-actions');
      actions?.replaceChildren(...this.questionActions(q.c));
    }
    const c = q?.c || item?.c;
    if (state === 'answering' && c) this.showAnswering(c);
    else if (this.answeringId === id) this.showAnswering(null);
  },

  /** The welcome after a resume: votes, question states and pins as they are now. */
  applyQuestionSnapshot(msg) {
    if (Array.isArray(msg.pinned)) {
      const pinned = new Set(msg.pinned.map(Number));
      for (const [id, item] of this.items) if (item.c.pinned !== pinned.has(id)) this.onPinned(id, pinned.has(id));
    }
    if (!Array.isArray(msg.questions)) return;
    for (const q of msg.questions) {
      const id = Number(q.commentId);
      if (!Number.isFinite(id)) continue;
      this.onLikes(id, Number(q.likes));
      this.onQuestionState(id, q.state);
    }
    if (msg.answering === null && this.answeringId !== null) this.showAnswering(null);
  },

  forgetQuestion(id) {
    const q = this.questions.get(id);
    if (q) {
      q.li.remove();
      this.questions.delete(id);
      this.sortQuestions();
    }
    if (this.answeringId === id) this.showAnswering(null);
  },

  /** The banner every screen shows while the host answers a question. */
  showAnswering(c) {
    this.answeringId = c ? c.id : null;
    const banner = document.getElementById('answering');
    if (!banner) return;
    banner.hidden = !c;
    if (c) setTextIn(banner.querySelector('[data-answering-text]'), `${c.author}: ${snippet(c.text, 160)}`);
  },
};

function setTextIn(node, text) {
  if (node) node.textContent = text;
}
