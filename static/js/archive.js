import {
  apiJSON, el, setText, show, slugFromPath, isSlug, eventApi, eventPage, setTitle, plural,
} from './api.js';
import { normalizeComment, renderComment, insertById } from './comments.js';
import {
  storedCredential, needsTicket, askForTicket, hideTicketForm, downloadWith,
} from './archive-access.js';

const PAGE_SIZE = 100;
const slug = slugFromPath();
const root = document.getElementById('comments');
const moreBtn = document.getElementById('load-more');

const questionList = document.getElementById('questions');
const questions = []; // {c, li}: answered first, then by votes, ties by id
const nodes = new Map(); // id → {c, li, replies}
const orphans = new Map(); // parent id → [child ids] whose parent is not loaded
let next; // undefined before the first page, then an id or null
let maxLoaded = 0;
let loading = null;
let credential = isSlug(slug) ? storedCredential(slug) : '';

function repliesOf(node) {
  if (!node.replies) {
    node.replies = el('ol', { class: 'replies', 'aria-label': `Replies to ${node.c.author}` });
    node.li.append(node.replies);
  }
  return node.replies;
}

/** The order of the archive's Questions: answered, answering, open, dismissed; then votes, then id. */
const STATE_ORDER = { answered: 0, answering: 1, open: 2, dismissed: 3 };

function addQuestion(c) {
  questions.push({ c, li: renderComment(c, { compact: true, like: 'count' }) });
  questions.sort((a, b) => (STATE_ORDER[a.c.state] - STATE_ORDER[b.c.state]) || (b.c.likes - a.c.likes) || (a.c.id - b.c.id));
  questionList.replaceChildren(...questions.map((q) => q.li));
  show('questions-section', true);
}

function add(c) {
  if (nodes.has(c.id)) return;
  if (c.kind === 'question' && questionList) addQuestion(c);
  const parent = c.replyTo !== null ? nodes.get(c.replyTo) : undefined;
  // Nested replies need no "replying to" line; a reply without its parent shows "in reply to #N".
  const li = renderComment(c, { anchor: true, showReply: !parent, like: 'count' });
  const node = { c, li, replies: null };
  nodes.set(c.id, node);
  if (parent) {
    insertById(repliesOf(parent), li, c.id);
  } else {
    insertById(root, li, c.id);
    if (c.replyTo !== null) {
      if (!orphans.has(c.replyTo)) orphans.set(c.replyTo, []);
      orphans.get(c.replyTo).push(c.id);
    }
  }
  // Adopt replies that arrived before this comment.
  const waiting = orphans.get(c.id);
  if (waiting) {
    orphans.delete(c.id);
    for (const childId of waiting) {
      const child = nodes.get(childId);
      if (!child) continue;
      child.li.querySelector(':scope > article > .comment-reply')?.remove();
      insertById(repliesOf(node), child.li, childId);
    }
  }
  if (c.id > maxLoaded) maxLoaded = c.id;
}

function updateStatus() {
  const n = nodes.size;
  if (n === 0 && next === null) {
    setText('archive-status', 'No comments yet.');
  } else {
    setText('archive-status', next === null
      ? `Showing all ${plural(n, 'comment', 'comments')}.`
      : `Showing the first ${plural(n, 'comment', 'comments')}.`);
  }
  moreBtn.hidden = next === null || next === undefined;
}

function loadPage() {
  if (loading) return loading;
  if (next === null) return Promise.resolve(false);
  const params = new URLSearchParams();
  if (next !== undefined) params.set('after', String(next));
  params.set('limit', String(PAGE_SIZE));
  moreBtn.disabled = true;
  moreBtn.textContent = 'Loading…';
  setText('archive-error', '');
  loading = (async () => {
    try {
      const data = await apiJSON(`${eventApi(slug)}/comments?${params}`, { key: credential || undefined });
      hideTicketForm();
      const list = Array.isArray(data?.comments) ? data.comments : [];
      for (const raw of list) {
        const c = normalizeComment(raw);
        if (c) add(c);
      }
      const n = data?.next;
      next = n === null || n === undefined || list.length === 0 ? null : n;
      updateStatus();
      return true;
    } catch (err) {
      if (needsTicket(err) && nodes.size === 0) {
        setText('archive-status', '');
        moreBtn.hidden = true;
        askForTicket(slug, err, (code) => {
          credential = code;
          loadPage().then(() => revealTarget());
        });
      } else if (err.status === 404 && nodes.size === 0) {
        setText('event-title', 'This event does not exist');
        setText('archive-status', '');
        next = null;
        moreBtn.hidden = true;
      } else {
        setText('archive-error', `Could not load comments: ${err.message}`);
        setText('archive-status', '');
        if (next === undefined) moreBtn.hidden = false;
      }
      return false;
    } finally {
      moreBtn.disabled = false;
      moreBtn.textContent = 'Load more';
      loading = null;
    }
  })();
  return loading;
}

function targetId() {
  const m = location.hash.match(/^#c-(\d+)$/);
  return m ? Number(m[1]) : null;
}

let revealing = 0;
async function revealTarget() {
  const id = targetId();
  if (id === null) return;
  const run = ++revealing;
  if (!nodes.has(id) && next !== null) setText('archive-status', `Looking for comment #${id}…`);
  while (!nodes.has(id) && next !== null && (next === undefined || maxLoaded < id)) {
    const ok = await loadPage();
    if (!ok || run !== revealing) break;
  }
  if (run !== revealing) return;
  const node = nodes.get(id);
  for (const old of root.querySelectorAll('.is-highlighted')) old.classList.remove('is-highlighted');
  if (!node) {
    updateStatus();
    setText('archive-error', `Comment #${id} is not in the archive. It may have been hidden.`);
    return;
  }
  // Open any collapsed ancestors, then bring it into view.
  node.li.classList.add('is-highlighted');
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  node.li.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
  node.li.focus({ preventScroll: true });
  updateStatus();
}

moreBtn.addEventListener('click', async () => {
  const before = nodes.size;
  await loadPage();
  if (nodes.size > before) {
    // Move focus to the first newly shown top-level comment for keyboard users.
    const firstNew = Array.from(nodes.values())[before];
    firstNew?.li.focus({ preventScroll: true });
  }
});

window.addEventListener('hashchange', revealTarget);

async function loadEvent() {
  try {
    const ev = await apiJSON(eventApi(slug));
    setText('event-title', ev.title || slug);
    setTitle(`Archive: ${ev.title || slug}`);
  } catch (err) {
    if (err.status !== 404) setText('event-title', slug);
  }
}

if (!isSlug(slug)) {
  setText('event-title', 'This event does not exist');
  setText('archive-status', '');
  show('export-csv', false);
  show('export-json', false);
} else {
  document.getElementById('event-link').href = eventPage(slug);
  document.getElementById('live-link').href = `${eventPage(slug)}/live`;
  for (const format of ['csv', 'json']) {
    const link = document.getElementById(`export-${format}`);
    link.href = `${eventApi(slug)}/comments?format=${format}`;
    link.dataset.filename = `${slug}-comments.${format}`;
    downloadWith(link, () => credential);
  }
  loadEvent();
  loadPage().then(() => revealTarget());
}
