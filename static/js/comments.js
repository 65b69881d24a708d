// Rendering of comments. All text goes in through textContent (via `el`).
import { el, timeEl } from './api.js';

export const MAX_COMMENT_CHARS = 2000;

/** Characters as people count them (code points, not UTF-16 units). */
export function charCount(text) {
  let n = 0;
  for (const _ of text) n += 1; // eslint-disable-line no-unused-vars
  return n;
}

export function snippet(text, max = 80) {
  const s = String(text || '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** Normalises a Comment from the server (tolerates missing fields). */
export function normalizeComment(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const id = Number(raw.id);
  if (!Number.isFinite(id)) return null;
  return {
    id,
    authorId: raw.authorId === undefined || raw.authorId === null ? '' : String(raw.authorId),
    author: typeof raw.author === 'string' && raw.author ? raw.author : 'Anonymous',
    text: typeof raw.text === 'string' ? raw.text : '',
    replyTo: raw.replyTo === undefined || raw.replyTo === null ? null : Number(raw.replyTo),
    likes: Number(raw.likes) || 0,
    pinned: Boolean(raw.pinned),
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : '',
    role: ROLE_NAMES[raw.role] ? raw.role : null,
    kind: raw.kind === 'question' ? 'question' : 'comment',
    state: QUESTION_STATES[raw.state] ? raw.state : (raw.kind === 'question' ? 'open' : null),
  };
}

/** A question's states (contract: Questions) and how pages name them. */
export const QUESTION_STATES = { open: 'Open', answering: 'Answering now', answered: 'Answered', dismissed: 'Dismissed' };

/** The "Question" tag and its state, shown in the comment's meta line. */
export function questionTag(c) {
  if (c.kind !== 'question') return null;
  const label = c.state && c.state !== 'open' ? `Question · ${QUESTION_STATES[c.state]}` : 'Question';
  return el('span', { class: `tag tag-question is-${c.state || 'open'}`, 'data-question-tag': '' }, label);
}

/** Who wrote a comment on the event's side (`role` in the Comment object) and the badge it gets. */
const ROLE_NAMES = { host: 'Host', admin: 'Admin', moderator: 'Moderator' };

/** The badge next to the author of a host's, an admin's or a moderator's comment; null for attendees. */
export function roleBadge(role) {
  if (!ROLE_NAMES[role]) return null;
  return el('span', { class: `tag tag-role tag-role-${role}`, 'data-role': role, title: `Posted by the event's ${role}` },
    ROLE_NAMES[role]);
}

/** "in reply to #N" or "Replying to Name: “snippet”". */
export function replyContext(parentId, parent) {
  if (parent) {
    return el('p', { class: 'comment-reply', 'data-reply-to': parentId },
      el('span', { 'aria-hidden': 'true' }, '↪ '),
      'Replying to ',
      el('a', { href: `#c-${parentId}` }, parent.author),
      ': ',
      el('q', null, snippet(parent.text, 90)));
  }
  return el('p', { class: 'comment-reply', 'data-reply-to': parentId },
    el('span', { 'aria-hidden': 'true' }, '↪ '),
    el('a', { href: `#c-${parentId}` }, 'in reply to an earlier comment'));
}

export function likeButton(c, { disabled = false, liked = false } = {}) {
  return el('button', {
    type: 'button',
    class: 'btn btn-small btn-like',
    'data-action': 'like',
    'aria-pressed': liked ? 'true' : 'false',
    disabled: disabled || liked,
    title: liked ? 'You like this' : 'Like',
  },
  el('span', { 'aria-hidden': 'true', class: 'heart' }, '♥'),
  el('span', { class: 'sr-only' }, 'Like, '),
  ' ',
  el('span', { 'data-likes': '' }, String(c.likes)));
}

export function likeCount(c) {
  return el('span', { class: 'likes' },
    el('span', { 'aria-hidden': 'true', class: 'heart' }, '♥'),
    ' ',
    el('span', { 'data-likes': '' }, String(c.likes)),
    el('span', { class: 'sr-only' }, c.likes === 1 ? ' like' : ' likes'));
}

/**
 * Renders one comment as an <li>.
 * opts:
 *   anchor      – give the element the permalink id `c-{id}`
 *   parent      – the parent Comment (for reply context) or undefined
 *   showReply   – show the reply-context line (default true)
 *   own         – mark as written by the reader
 *   actions     – array of extra nodes for the action row (e.g. buttons)
 *   like        – 'button' | 'count' (default 'count')
 *   likeState   – {disabled, liked} for the like button
 *   compact     – the chat row of the live room: name, time and text on as few lines as the text
 *                 needs, the like count beside the name, the actions in a toolbar shown on hover or
 *                 focus, no `#id` numbers
 */
export function renderComment(c, opts = {}) {
  const li = el('li', {
    class: ['comment', opts.compact && 'is-compact', c.pinned && 'is-pinned', opts.own && 'is-own', c.role && 'is-role',
      c.state === 'answering' && 'is-answering'],
    'data-id': c.id,
    'data-kind': c.kind === 'question' ? 'question' : null,
    'data-state': c.state || null,
    'data-author-id': c.authorId,
    id: opts.anchor ? `c-${c.id}` : null,
    tabindex: opts.anchor ? '-1' : null,
  });
  const label = opts.compact ? `Comment by ${c.author}` : `Comment ${c.id} by ${c.author}`;
  const article = el('article', { class: 'comment-body', 'aria-label': label });
  const meta = el('div', { class: 'comment-meta' },
    el('span', { class: 'comment-author' }, c.author),
    roleBadge(c.role),
    questionTag(c),
    el('span', { class: 'tag tag-you', hidden: !opts.own }, 'you'),
    el('span', { class: 'tag tag-pin', 'data-pinned-tag': '', hidden: !c.pinned }, 'Pinned'),
    timeEl(c.createdAt, undefined, { class: 'comment-time' }),
    opts.compact
      ? (opts.like === 'button' ? likeButton(c, opts.likeState) : likeCount(c))
      : el('a', { class: 'comment-permalink', href: `#c-${c.id}`, title: 'Link to this comment' },
        el('span', { class: 'sr-only' }, 'Link to comment '), `#${c.id}`));
  article.append(meta);
  if (c.replyTo !== null && opts.showReply !== false) article.append(replyContext(c.replyTo, opts.parent));
  article.append(el('p', { class: 'comment-text' }, c.text));
  const actions = el('div', { class: 'comment-actions', role: opts.compact ? 'group' : null,
    'aria-label': opts.compact ? `Actions for the comment by ${c.author}` : null },
  opts.compact ? null : (opts.like === 'button' ? likeButton(c, opts.likeState) : likeCount(c)),
  opts.actions || []);
  if (actions.childElementCount > 0) article.append(actions);
  li.append(article);
  return li;
}

export function setLikesOn(li, likes) {
  if (!li) return;
  for (const n of li.querySelectorAll(':scope > article [data-likes]')) n.textContent = String(likes);
}

export function setQuestionStateOn(li, c) {
  if (!li) return;
  li.classList.toggle('is-answering', c.state === 'answering');
  li.dataset.state = c.state || '';
  const tag = li.querySelector(':scope > article [data-question-tag]');
  if (tag) tag.replaceWith(questionTag(c));
}

export function setPinnedOn(li, pinned) {
  if (!li) return;
  li.classList.toggle('is-pinned', pinned);
  const tag = li.querySelector(':scope > article [data-pinned-tag]');
  if (tag) tag.hidden = !pinned;
}

export function setOwnOn(li, own) {
  if (!li) return;
  li.classList.toggle('is-own', own);
  const tag = li.querySelector(':scope > article .tag-you');
  if (tag) tag.hidden = !own;
}

/** Inserts `li` (with data-id) into `list` keeping ascending id order. */
export function insertById(list, li, id) {
  let after = list.lastElementChild;
  while (after && Number(after.dataset.id) > id) after = after.previousElementSibling;
  if (after) after.after(li);
  else list.prepend(li);
}
