import {
  apiJSON, setText, show, slugFromPath, isSlug, eventApi, eventPage, local, ticketKey, setTitle, stateLabel,
} from './api.js';
import { Room } from './room.js';

const slug = slugFromPath();
const input = document.getElementById('ticket-input');
const forgetBtn = document.getElementById('forget-ticket');

let ticket = local.get(ticketKey(slug)) || '';
let room = null;

/** The Stream and Questions tabs: one panel shows at a time; arrow keys move between the tabs. */
function wireTabs() {
  const tabs = [document.getElementById('tab-stream'), document.getElementById('tab-questions')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
  };
  tabs.forEach((tab, i) => {
    tab?.addEventListener('click', () => select(tab));
    tab?.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const next = tabs[(i + 1) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

function joinState(text) {
  setText('join-state', text);
}

/** Once joined with a ticket, the code field folds away so the conversation gets the room. */
function foldTicket(joined) {
  const card = document.getElementById('ticket-card');
  setText('join-heading', joined ? 'Your ticket: joined' : 'Your ticket');
  if (card) card.open = !joined;
}

function onWelcome(msg) {
  forgetBtn.hidden = !local.get(ticketKey(slug));
  if (!ticket) {
    joinState(msg.role === 'host' ? 'You joined as a host.' : 'You are watching without a ticket.');
    return;
  }
  input.removeAttribute('aria-invalid');
  if (msg.role === 'attendee' || msg.role === 'host') {
    local.set(ticketKey(slug), ticket);
    forgetBtn.hidden = false;
    joinState('You joined with your ticket: you can comment, reply and like.');
    foldTicket(true);
  } else {
    // A known code that may only watch (for example a waiting-list place).
    local.set(ticketKey(slug), ticket);
    forgetBtn.hidden = false;
    room.blockReason = 'not_ticketed';
    room.updateComposer();
    joinState('Your code is on the waiting list, so you can watch. Your ticket page shows when you get a seat.');
  }
}

function onRole(msg) {
  if (msg.role === 'attendee') joinState('You have a seat now: you can comment, reply and like.');
  else if (msg.reason === 'cancelled') joinState('Your ticket was cancelled: you can watch, but not comment or like.');
  else joinState('Your code is on the waiting list, so you can watch. Your ticket page shows when you get a seat.');
}

function onJoinError(msg) {
  if (msg.code === 'bad_ticket' && ticket) {
    if (local.get(ticketKey(slug)) === ticket) local.remove(ticketKey(slug));
    input.setAttribute('aria-invalid', 'true');
    foldTicket(false);
    room.notice('That ticket code is not valid for this event. You are watching as a viewer for now; check the code and try again.', {
      persist: true,
    });
    joinState('');
    ticket = '';
    forgetBtn.hidden = true;
    room.resetIdentity();
    room.restart();
    return true;
  }
  return false;
}

function onRefused(reason) {
  room.notice(ticket
    ? `The live room did not let this code join${reason ? ` (${reason})` : ''}.`
    : `This room cannot be watched without a ticket${reason ? ` (${reason})` : ''}. Enter your ticket code to join.`, {
    persist: true,
  });
}

async function loadEvent() {
  try {
    const ev = await apiJSON(eventApi(slug));
    setText('event-title', ev.title || slug);
    setTitle(`Live: ${ev.title || slug}`);
    const badge = document.getElementById('event-state');
    badge.textContent = stateLabel(ev.state);
    badge.dataset.state = ev.state || '';
    badge.hidden = !ev.state;
  } catch (err) {
    if (err.status === 404) {
      setText('event-title', 'This event does not exist');
      room.stop();
      room.notice('There is no event at this address.', { persist: true });
    }
  }
}

document.getElementById('ticket-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const code = input.value.trim();
  if (!code) {
    input.setAttribute('aria-invalid', 'true');
    room.notice('Enter your ticket code first. You find it on your ticket page.');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  if (code !== ticket) room.resetIdentity();
  ticket = code;
  room.notice('');
  joinState('Joining with this code…');
  room.restart();
});

forgetBtn.addEventListener('click', () => {
  local.remove(ticketKey(slug));
  ticket = '';
  input.value = '';
  forgetBtn.hidden = true;
  room.resetIdentity();
  foldTicket(false);
  joinState('The code is forgotten on this device. You are watching as a viewer.');
  room.restart();
});

if (!isSlug(slug)) {
  setText('event-title', 'This event does not exist');
  setText('connection-status', 'Not connected');
} else {
  document.getElementById('event-link').href = eventPage(slug);
  document.getElementById('archive-link').href = `${eventPage(slug)}/archive`;
  input.value = ticket;
  room = new Room({
    slug,
    mode: 'live',
    join: () => (ticket ? { ticket } : {}),
    onWelcome,
    onRole,
    onJoinError,
    onRefused,
    viewerHint: 'You are watching as a viewer, so commenting is off. Enter your ticket code in “Your ticket” to join the conversation.',
  });
  wireTabs();
  room.start();
  loadEvent();
  show('forget-ticket', Boolean(ticket));
}
