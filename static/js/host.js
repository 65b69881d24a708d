import {
  apiJSON, apiRequest, el, setText, show, slugFromPath, isSlug, eventApi, eventPage, session,
  setTitle, stateLabel, formatShort, formatDateTime, timeEl, plural, hostKeyKey, downloadWithBearer,
} from './api.js';
import { Room, errorText } from './room.js';
import { snippet } from './comments.js';
import { loadMail } from './host-mail.js';
import { startDashboard } from './host-dashboard.js';

const slug = slugFromPath();
const KEY_STORE = hostKeyKey(slug);

const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('host-key');
const keySubmit = document.getElementById('key-submit');

let hostKey = '';
let room = null;
let logTimer = 0;
let refreshTimer = 0;

// ---------------------------------------------------------------- key handling

/** A key in the fragment (`#key=…`) is taken and then removed from the address bar. */
function keyFromFragment() {
  const h = location.hash.replace(/^#/, '');
  if (!h.startsWith('key=') && !h.includes('&key=')) return '';
  const key = new URLSearchParams(h).get('key') || '';
  history.replaceState(null, '', location.pathname + location.search);
  return key.trim();
}

function showKeyPanel(message = '') {
  show('console', false);
  show('key-panel');
  setText('key-error', message);
  if (message) keyInput.setAttribute('aria-invalid', 'true');
  else keyInput.removeAttribute('aria-invalid');
  keySubmit.disabled = false;
}

function rejectKey(message) {
  session.remove(KEY_STORE);
  hostKey = '';
  if (room) room.stop();
  clearInterval(refreshTimer);
  showKeyPanel(message);
  keyInput.focus();
}

async function openConsole(key) {
  setText('key-error', '');
  keySubmit.disabled = true;
  keySubmit.textContent = 'Checking…';
  let regs = null;
  try {
    regs = await apiJSON(`${eventApi(slug)}/registrations`, { key });
  } catch (err) {
    keySubmit.textContent = 'Open console';
    if (err.status === 401 || err.status === 403) {
      rejectKey(`That host key was not accepted for this event. ${err.message}`);
      return;
    }
    if (err.status === 404 && err.code !== 'http_404') {
      rejectKey(err.message);
      return;
    }
    // Anything else (network, server trouble): go on, the live socket will tell.
  }
  keySubmit.textContent = 'Open console';
  keySubmit.disabled = false;
  hostKey = key;
  session.set(KEY_STORE, key);
  keyInput.value = '';
  show('key-panel', false);
  show('console');
  if (regs) renderRegistrations(regs);

  if (!room) {
    room = new Room({
      slug,
      mode: 'host',
      join: () => ({ hostKey }),
      onWelcome,
      onJoinError,
      onModeration: scheduleLogRefresh,
      onRefused: (reason) => rejectKey(`The live room refused this host key${reason ? ` (${reason})` : ''}.`),
    });
  }
  room.restart();
  loadEvent({ fill: true });
  loadLog();
  if (!regs) loadRegistrations();
  loadMail(eventApi(slug), hostKey);
  startDashboard(eventApi(slug), () => hostKey);
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => {
    if (document.hidden || !hostKey) return;
    loadEvent({ fill: false });
    loadLog();
    loadMail(eventApi(slug), hostKey);
  }, 30000);
}

function onWelcome(msg) {
  if (msg.role !== 'host') {
    rejectKey('The live room did not accept this host key, so the console cannot moderate.');
  }
}

function onJoinError(msg) {
  rejectKey(`The live room did not accept this host key: ${errorText(msg)}`);
  return true;
}

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const key = keyInput.value.trim();
  if (!key) {
    showKeyPanel('Enter the host key first.');
    keyInput.focus();
    return;
  }
  openConsole(key);
});

document.getElementById('forget-key').addEventListener('click', () => {
  rejectKey('');
  if (room) room.stop();
  setText('key-error', 'The key is forgotten in this tab.');
});

// ---------------------------------------------------------------- event & settings

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString() : '–';
}

function renderEvent(ev, fill) {
  setText('event-title', ev.title || slug);
  setTitle(`Host: ${ev.title || slug}`);
  const badge = document.getElementById('event-state');
  badge.textContent = stateLabel(ev.state);
  badge.dataset.state = ev.state || '';
  badge.hidden = !ev.state;
  setText('tickets-issued', num(ev.ticketsIssued));
  setText('seats-left', num(ev.seatsLeft));
  setText('waitlist-length', num(ev.waitlistLength));
  setText('offers-open', num(ev.offersOpen));
  setText('claim-window-help', typeof ev.claimWindowMinutes !== 'number' ? ''
    : ev.claimWindowMinutes === 0 ? 'A freed seat goes to the next person waiting at once.'
      : `A freed seat is offered to the next person waiting for ${plural(ev.claimWindowMinutes, 'minute', 'minutes')} `
        + '(never past 15 minutes before the start); unclaimed, it passes on.');
  document.getElementById('registration-open').checked = ev.registrationOpen !== false;
  if (typeof ev.publicViewing === 'boolean') document.getElementById('public-viewing').checked = ev.publicViewing;
  if (!fill) return;
  if (typeof ev.capacity === 'number') document.getElementById('capacity-input').value = String(ev.capacity);
  if (ev.moderation === 'open' || ev.moderation === 'review') document.getElementById('moderation').value = ev.moderation;
  if (typeof ev.slowModeSeconds === 'number') document.getElementById('slowmode-seconds').value = String(ev.slowModeSeconds);
  if (Array.isArray(ev.blockedWords)) document.getElementById('blocked-words').value = ev.blockedWords.join('\n');
  if (typeof ev.publicViewing !== 'boolean') document.getElementById('public-viewing').checked = true;
}

async function loadEvent({ fill }) {
  try {
    renderEvent(await apiJSON(eventApi(slug), { key: hostKey }), fill);
  } catch (err) {
    if (err.status === 404) {
      setText('event-title', 'This event does not exist');
      if (room) room.stop();
    }
  }
}

function settingsMessage(ok, error = '') {
  setText('settings-status', ok);
  setText('settings-error', error);
  if (ok) {
    const shown = ok;
    setTimeout(() => {
      if (document.getElementById('settings-status').textContent === shown) setText('settings-status', '');
    }, 8000);
  }
}

async function patchEvent(body, okMessage) {
  settingsMessage('', '');
  try {
    const ev = await apiJSON(eventApi(slug), { method: 'PATCH', body, key: hostKey });
    if (ev && typeof ev === 'object') renderEvent(ev, true);
    settingsMessage(okMessage);
    scheduleLogRefresh();
    return true;
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      rejectKey(`The host key was not accepted: ${err.message}`);
      return false;
    }
    settingsMessage('', err.message);
    return false;
  }
}

const regOpen = document.getElementById('registration-open');
regOpen.addEventListener('change', async () => {
  const want = regOpen.checked;
  regOpen.disabled = true;
  const ok = await patchEvent({ registrationOpen: want }, want ? 'Registration is open.' : 'Registration is closed.');
  if (!ok) regOpen.checked = !want;
  regOpen.disabled = false;
  loadRegistrations();
});

const publicViewing = document.getElementById('public-viewing');
publicViewing.addEventListener('change', async () => {
  const want = publicViewing.checked;
  publicViewing.disabled = true;
  const ok = await patchEvent({ publicViewing: want },
    want ? 'Anyone may now watch without a ticket.' : 'Only registered people may watch now.');
  if (!ok) publicViewing.checked = !want;
  publicViewing.disabled = false;
});

document.getElementById('capacity-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('capacity-input');
  const value = Number(input.value);
  if (!input.value.trim() || !Number.isInteger(value) || value < 0) {
    input.setAttribute('aria-invalid', 'true');
    settingsMessage('', 'Capacity must be a whole number, 0 or more.');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const btn = document.getElementById('save-capacity');
  btn.disabled = true;
  await patchEvent({ capacity: value }, `Capacity set to ${plural(value, 'seat', 'seats')}.`);
  btn.disabled = false;
  loadRegistrations();
});

document.getElementById('moderation-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const moderation = document.getElementById('moderation').value;
  const seen = new Set();
  const blockedWords = document.getElementById('blocked-words').value
    .split('\n').map((w) => w.trim()).filter((w) => {
      const k = w.toLowerCase();
      if (!w || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  const btn = document.getElementById('save-moderation');
  btn.disabled = true;
  await patchEvent({ moderation, blockedWords },
    `Moderation saved: ${moderation === 'review' ? 'review mode' : 'open mode'}, ${plural(blockedWords.length, 'blocked word', 'blocked words')}.`);
  btn.disabled = false;
});

document.getElementById('slowmode-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('slowmode-seconds');
  const seconds = Number(input.value || 0);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    input.setAttribute('aria-invalid', 'true');
    settingsMessage('', 'Slow mode takes a whole number of seconds from 0 to 3600.');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  if (!room || !room.send({ type: 'slowmode', seconds })) {
    settingsMessage('', 'Not connected to the live room; slow mode was not changed. Try again when connected.');
    return;
  }
  settingsMessage(seconds > 0
    ? `Slow mode on: one comment per person every ${plural(seconds, 'second', 'seconds')}.`
    : 'Slow mode is off.');
  scheduleLogRefresh();
});

// ---------------------------------------------------------------- registrations

function renderRegistrations(data) {
  const regs = Array.isArray(data?.registrations) ? data.registrations : [];
  const count = (s) => regs.filter((r) => r.status === s).length;
  setText('registrations-summary',
    `${plural(count('ticketed'), 'ticket', 'tickets')}, ${plural(count('offered'), 'open offer', 'open offers')}, `
    + `${count('waitlisted').toLocaleString()} waiting, ${count('cancelled').toLocaleString()} cancelled.`);
  const offers = regs.filter((r) => r.status === 'offered');
  show('offers', offers.length > 0);
  document.getElementById('offers-list').replaceChildren(...offers.map((r) => el('li', null,
    `${r.name || ''} (${r.email || ''}) until `, r.offerExpiresAt ? timeEl(r.offerExpiresAt, formatDateTime) : '')));
  const tbody = document.querySelector('#registrations-table tbody');
  tbody.replaceChildren(...regs.map((r) => el('tr', null,
    el('td', null, r.name || ''),
    el('td', null, r.email || ''),
    el('td', null, r.status === 'waitlisted' && r.position ? `waiting (${r.position})` : String(r.status || '')),
    el('td', null, r.createdAt ? timeEl(r.createdAt) : ''))));
}

async function loadRegistrations() {
  if (!hostKey) return;
  try {
    renderRegistrations(await apiJSON(`${eventApi(slug)}/registrations`, { key: hostKey }));
  } catch (err) {
    setText('registrations-summary', `Could not load registrations: ${err.message}`);
  }
}

document.getElementById('refresh-registrations').addEventListener('click', loadRegistrations);
document.getElementById('refresh-mail').addEventListener('click', () => loadMail(eventApi(slug), hostKey));

// ---------------------------------------------------------------- exports

async function downloadWithKey(path, filename) {
  setText('export-status', 'Preparing the download…');
  try {
    await downloadWithBearer(path, filename, hostKey);
    setText('export-status', `Downloaded ${filename}.`);
  } catch (err) {
    setText('export-status', `Export failed: ${err.message}`);
  }
}

document.getElementById('export-registrations').addEventListener('click', () => {
  downloadWithKey(`${eventApi(slug)}/registrations?format=csv`, `${slug}-registrations.csv`);
});

// ---------------------------------------------------------------- moderation log

const VERBS = {
  hide: 'hid', unhide: 'showed again', pin: 'pinned', unpin: 'unpinned', approve: 'approved', mute: 'muted',
  slowmode: 'set slow mode', blocked_words: 'changed the blocked words',
};
const ON_COMMENTS = new Set(['hide', 'unhide', 'pin', 'unpin', 'approve']);

/** "hid #4 by Bob Chen: “text…”", "muted Bob Chen for 300 s": what and whom, from what the room saw. */
function describe(e) {
  const verb = VERBS[e.action] || String(e.action || 'action');
  const target = e.target === undefined || e.target === null ? '' : String(e.target);
  if (ON_COMMENTS.has(e.action)) {
    const c = room?.commentById(Number(target));
    const what = c ? `#${target} by ${c.author}: “${snippet(c.text, 60)}”` : `#${target}`;
    return `${verb} ${what}${e.detail ? ` (${e.detail})` : ''}`;
  }
  if (e.action === 'mute') {
    const c = room && Array.from(room.known.values()).find((k) => k.authorId === target);
    return `${verb} ${c ? c.author : `author ${target}`}${e.detail ? ` for ${e.detail}` : ''}`;
  }
  if (e.action === 'slowmode') return `${verb}: ${e.detail || 'changed'}`;
  return [verb, target, e.detail].filter(Boolean).join(' ');
}

function logEntry(e) {
  return el('li', null,
    e.createdAt ? timeEl(e.createdAt, formatShort) : null,
    ' ',
    el('span', { class: 'log-actor' }, e.actor === 'admin' ? 'Admin' : 'Host'),
    ' ',
    el('span', { class: 'log-action', 'data-action': e.action || '' }, describe(e)));
}

async function loadLog() {
  if (!hostKey) return;
  try {
    const data = await apiJSON(`${eventApi(slug)}/moderation-log`, { key: hostKey });
    const entries = Array.isArray(data?.entries) ? data.entries.slice().reverse() : [];
    document.getElementById('moderation-log').replaceChildren(...entries.map(logEntry));
    setText('log-status', entries.length ? '' : 'No moderation actions yet.');
  } catch (err) {
    setText('log-status', err.status === 404 && err.code === 'http_404'
      ? 'This server does not provide a moderation log.'
      : `Could not load the moderation log: ${err.message}`);
  }
}

function scheduleLogRefresh() {
  clearTimeout(logTimer);
  logTimer = setTimeout(loadLog, 1200);
}

document.getElementById('refresh-log').addEventListener('click', loadLog);

// ---------------------------------------------------------------- start

if (!isSlug(slug)) {
  setText('event-title', 'This event does not exist');
  show('key-panel', false);
} else {
  document.getElementById('event-link').href = eventPage(slug);
  document.getElementById('live-link').href = `${eventPage(slug)}/live`;
  document.getElementById('archive-link').href = `${eventPage(slug)}/archive`;
  document.getElementById('export-comments-csv').href = `${eventApi(slug)}/comments?format=csv`;
  document.getElementById('export-comments-json').href = `${eventApi(slug)}/comments?format=json`;
  const key = keyFromFragment() || session.get(KEY_STORE) || '';
  if (key) openConsole(key);
  else keyInput.focus();
  loadEventTitleOnly();
}

async function loadEventTitleOnly() {
  try {
    const ev = await apiJSON(eventApi(slug));
    if (!hostKey) renderEvent(ev, false);
  } catch (err) {
    if (err.status === 404) setText('key-error', 'There is no event at this address.');
  }
}
