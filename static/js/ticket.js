import {
  apiJSON, apiRequest, setText, show, codeFromPath, isSlug, enc, eventApi, eventPage, formatDateTime,
  local, ticketKey, setTitle, ticketPage,
} from './api.js';
import { copyText, drawQR, calendarPath } from './ticket-extras.js';
import { showOffer, wireOffer } from './ticket-offer.js';

// `/tickets/recover#<token>` is a mailed recovery link: it is exchanged for a new code first.
let code = codeFromPath();
const POLL_MS = 5000;
/** How often a ticket holder's page checks whether the room has opened. */
const ROOM_POLL_MS = 30000;

const statusEl = document.getElementById('status');
const cancelBtn = document.getElementById('cancel');
const confirmBox = document.getElementById('cancel-confirm');
const yesBtn = document.getElementById('cancel-yes');
const noBtn = document.getElementById('cancel-no');

let reg = null;
let slug = '';
let eventLoaded = false;
let pollTimer = 0;
let roomTimer = 0;
let qrDrawn = false;

function statusText(r) {
  if (r.status === 'ticketed') return 'Ticketed';
  if (r.status === 'waitlisted') {
    return r.position ? `Waiting list, place ${Number(r.position).toLocaleString()}` : 'Waiting list';
  }
  if (r.status === 'offered') return 'Seat offered';
  if (r.status === 'cancelled') return 'Cancelled';
  return String(r.status || 'Unknown');
}

function eventSlugOf(r) {
  if (!r) return '';
  if (typeof r.event === 'string') return r.event;
  if (r.event && typeof r.event === 'object' && typeof r.event.slug === 'string') return r.event.slug;
  if (typeof r.slug === 'string') return r.slug;
  return '';
}

/** The big "Join the live room" button, once the room is open (the event is live). */
function showRoomState(ev) {
  const live = ev.state === 'live' && (!reg || reg.status !== 'cancelled');
  show('join-live', Boolean(live));
  clearTimeout(roomTimer);
  if (ev.state === 'scheduled' && isSlug(slug)) {
    roomTimer = setTimeout(async () => {
      try {
        showRoomState(await apiJSON(eventApi(slug)));
      } catch {
        /* the next load tries again */
      }
    }, ROOM_POLL_MS);
  }
}

function showEvent(ev) {
  showRoomState(ev);
  setText('event-title', ev.title || ev.slug || slug);
  setTitle(ev.title ? `Your ticket — ${ev.title}` : 'Your ticket');
  if (ev.startsAt) {
    const t = document.getElementById('event-start');
    t.textContent = formatDateTime(ev.startsAt);
    t.setAttribute('datetime', ev.startsAt);
    show('event-when');
  }
}

async function loadEvent(r) {
  if (eventLoaded) return;
  slug = eventSlugOf(r);
  if (!isSlug(slug)) {
    setText('event-title', 'your event');
    return;
  }
  document.getElementById('event-link').href = eventPage(slug);
  document.getElementById('live-link').href = `${eventPage(slug)}/live`;
  document.getElementById('join-live-link').href = `${eventPage(slug)}/live`;
  document.getElementById('archive-link').href = `${eventPage(slug)}/archive`;
  if (r.event && typeof r.event === 'object' && r.event.title) {
    showEvent(r.event);
    eventLoaded = true;
    return;
  }
  setText('event-title', slug);
  try {
    showEvent(await apiJSON(eventApi(slug)));
    eventLoaded = true;
  } catch {
    /* the title stays the slug; not worth an error */
  }
}

function render(r, previous) {
  reg = r;
  const article = document.getElementById('ticket');
  article.dataset.status = r.status || '';
  statusEl.textContent = statusText(r);
  statusEl.dataset.status = r.status || '';
  setText('holder-name', r.name || '');
  setText('ticket-code', r.code || code);
  if (!qrDrawn) qrDrawn = drawQR(document.getElementById('ticket-qr'), ticketLink());
  show('qr-figure', qrDrawn);
  const calendar = document.getElementById('calendar-link');
  calendar.href = calendarPath(r.code || code);
  calendar.hidden = r.status !== 'ticketed';

  showOffer(r);
  const waiting = r.status === 'waitlisted';
  setText('position', waiting && r.position ? String(r.position) : '');
  show('position', waiting);
  show('position-label', waiting);

  const cancelled = r.status === 'cancelled';
  show('cancel-area', !cancelled);
  show('live-item', !cancelled);
  if (cancelled) show('join-live', false);
  if (cancelled) closeConfirm(false);

  let note = '';
  if (waiting) {
    note = 'This page checks every few seconds and shows it by itself when you get a seat. You can watch the live room meanwhile.';
  } else if (r.status === 'offered') {
    note = 'A seat freed up: claim it before the deadline, or decline it so the next person gets it now.';
  } else if (r.status === 'ticketed') {
    if (previous === 'waitlisted') note = 'Good news: a seat freed up and it is yours now.';
    else if (previous === 'offered') note = 'You claimed the seat: it is yours now.';
    else note = 'You have a seat. In the live room you can comment and like.';
  } else if (cancelled) {
    note = 'This registration is cancelled. You can register again on the event page.';
  }
  setText('status-note', note);

  if (slug && !cancelled && r.code) local.set(ticketKey(slug), r.code);
  if (slug && cancelled && local.get(ticketKey(slug)) === (r.code || code)) local.remove(ticketKey(slug));
}

function ticketLink() {
  return `${location.origin}${ticketPage(code)}`;
}

async function copy(text, what) {
  const ok = await copyText(text);
  setText('copy-status', ok ? `${what} copied.` : `Could not copy; select the ${what.toLowerCase()} and copy it yourself.`);
}

document.getElementById('copy-code').addEventListener('click', () => copy(reg?.code || code, 'Code'));
document.getElementById('copy-link').addEventListener('click', () => copy(ticketLink(), 'Link'));

function schedulePoll() {
  clearTimeout(pollTimer);
  if (reg && (reg.status === 'waitlisted' || reg.status === 'offered')) pollTimer = setTimeout(load, POLL_MS);
}

async function load() {
  const previous = reg ? reg.status : null;
  try {
    const r = await apiJSON(`/api/registrations/${enc(code)}`);
    await loadEvent(r);
    render(r, previous);
    show('ticket');
    show('not-found', false);
    setText('page-status', '');
  } catch (err) {
    if (err.status === 404) {
      reg = null;
      show('ticket', false);
      show('not-found');
      setText('page-status', '');
      setTitle('Unknown ticket');
      return;
    }
    setText('page-status', reg
      ? `Could not refresh your registration (${err.message}). Trying again shortly.`
      : `Could not load your registration: ${err.message}`);
    if (!reg) {
      pollTimer = setTimeout(load, POLL_MS);
      return;
    }
  }
  schedulePoll();
}

function openConfirm() {
  show(confirmBox);
  cancelBtn.setAttribute('aria-expanded', 'true');
  setText('cancel-error', '');
  noBtn.focus();
}

function closeConfirm(focus = true) {
  show(confirmBox, false);
  cancelBtn.setAttribute('aria-expanded', 'false');
  if (focus) cancelBtn.focus();
}

cancelBtn.addEventListener('click', () => {
  if (confirmBox.hidden) openConfirm();
  else closeConfirm();
});
noBtn.addEventListener('click', () => closeConfirm());
wireOffer(() => code, (r) => {
  const previous = reg ? reg.status : null;
  render({ ...(reg || {}), ...r }, previous);
  setText('page-status', r.status === 'ticketed' ? 'The seat is yours.' : 'You declined the seat; it went to the next person.');
  schedulePoll();
});
confirmBox.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeConfirm();
});

yesBtn.addEventListener('click', async () => {
  yesBtn.disabled = true;
  noBtn.disabled = true;
  setText('cancel-error', '');
  try {
    const r = await apiJSON(`/api/registrations/${enc(code)}`, { method: 'DELETE' });
    clearTimeout(pollTimer);
    const previous = reg ? reg.status : null;
    render({ ...(reg || {}), ...(r || {}), status: 'cancelled', position: null }, previous);
    setText('page-status', 'Your registration is cancelled.');
  } catch (err) {
    setText('cancel-error', err.message);
  } finally {
    yesBtn.disabled = false;
    noBtn.disabled = false;
  }
});

// Follows a recovery link: the token (in the fragment, so no server log or Referer sees it) becomes
// a new ticket code, and the address becomes the ticket's own.
async function recover() {
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  setText('page-status', 'Opening your ticket…');
  try {
    const { data } = await apiRequest('/api/registrations/recover', { method: 'POST', body: { token } });
    code = data.code;
    history.replaceState(null, '', ticketPage(code));
    setText('ticket-code', code);
    load();
  } catch (err) {
    setText('recover-error', err.message);
    show('recover-failed');
    setText('page-status', '');
    setTitle('Ticket link not valid');
  }
}

if (code === 'recover') {
  recover();
} else if (!code) {
  show('not-found');
  setText('page-status', '');
} else {
  load();
}
