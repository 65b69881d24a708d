import {
  apiJSON, el, setText, show, isSlug, eventPage, formatDateTime, formatRelative, stateLabel, plural,
} from './api.js';

const list = document.getElementById('events');
const status = document.getElementById('events-status');

function eventItem(ev) {
  const meta = [];
  if (ev.startsAt) meta.push(formatDateTime(ev.startsAt));
  const rel = ev.state === 'scheduled' ? formatRelative(ev.startsAt) : '';
  if (rel) meta.push(rel);
  const seats = typeof ev.seatsLeft === 'number'
    ? (ev.seatsLeft > 0 ? plural(ev.seatsLeft, 'seat left', 'seats left') : 'Full — waiting list open')
    : '';
  return el('li', { 'data-slug': ev.slug },
    el('div', { class: 'actions' },
      el('a', { class: 'event-name', href: eventPage(ev.slug) }, ev.title || ev.slug),
      ev.state ? el('span', { class: 'badge', 'data-state': ev.state }, stateLabel(ev.state)) : null),
    el('p', { class: 'meta' }, meta.join(' · ')),
    seats && ev.registrationOpen !== false && ev.state !== 'ended' ? el('p', { class: 'meta' }, seats) : null);
}

async function loadEvents() {
  try {
    const data = await apiJSON('/api/events');
    const events = Array.isArray(data?.events) ? data.events.filter((e) => e && isSlug(e.slug)) : [];
    list.replaceChildren(...events.map(eventItem));
    if (events.length === 0) {
      setText(status, 'There are no events to show yet.');
      show('open-event');
    } else {
      setText(status, `${plural(events.length, 'event', 'events')}.`);
    }
  } catch (err) {
    list.replaceChildren();
    show('open-event');
    if (err.status === 404) show('events-section', false);
    else setText(status, `Could not load the list of events: ${err.message}`);
  }
}

document.getElementById('open-event-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('slug-input');
  const slug = input.value.trim().toLowerCase();
  if (!isSlug(slug)) {
    input.setAttribute('aria-invalid', 'true');
    setText('slug-error', 'That is not a valid event slug. Use lowercase letters, digits and dashes, starting with a letter or digit.');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  setText('slug-error', '');
  location.assign(eventPage(slug));
});

loadEvents();
