import {
  apiJSON, apiRequest, el, setText, show, slugFromPath, isSlug, eventApi, eventPage, ticketPage,
  formatDateTime, formatRelative, stateLabel, local, ticketKey, setTitle,
} from './api.js';

const slug = slugFromPath();
const form = document.getElementById('register-form');
const nameInput = document.getElementById('name');
const emailInput = document.getElementById('email');
const submit = document.getElementById('register-submit');
const result = document.getElementById('result');
const formError = document.getElementById('form-error');

let current = null;

function links() {
  const live = `${eventPage(slug)}/live`;
  const archive = `${eventPage(slug)}/archive`;
  document.getElementById('live-link').href = live;
  document.getElementById('nav-live').href = live;
  document.getElementById('archive-link').href = archive;
  document.getElementById('nav-archive').href = archive;
}

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString() : '–';
}

function renderEvent(ev) {
  current = ev;
  setTitle(ev.title || slug);
  setText('event-title', ev.title || slug);
  const state = document.getElementById('event-state');
  state.textContent = stateLabel(ev.state);
  state.dataset.state = ev.state || '';
  const start = document.getElementById('event-start');
  start.textContent = formatDateTime(ev.startsAt);
  start.setAttribute('datetime', ev.startsAt || '');
  const rel = ev.state === 'scheduled' ? formatRelative(ev.startsAt) : '';
  setText('event-relative', rel ? ` (${rel})` : '');
  if (ev.endsAt) {
    const end = document.getElementById('event-end');
    end.textContent = formatDateTime(ev.endsAt);
    end.setAttribute('datetime', ev.endsAt);
    show('event-end-line');
  } else {
    show('event-end-line', false);
  }
  setText('event-description', ev.description || '');
  show('event-description', Boolean(ev.description));
  setText('seats-left', num(ev.seatsLeft));
  setText('waitlist-length', num(ev.waitlistLength));
  setText('capacity', num(ev.capacity));

  const open = ev.registrationOpen !== false;
  show(form, open);
  show('registration-closed', !open);
  if (!open) {
    setText('registration-closed', ev.state === 'ended'
      ? 'This event has ended; registration is closed.'
      : 'Registration for this event is closed.');
  }
  const full = open && typeof ev.seatsLeft === 'number' && ev.seatsLeft <= 0;
  show('full-note', full);
  submit.textContent = full ? 'Join the waiting list' : 'Register';

  const stored = local.get(ticketKey(slug));
  if (stored) {
    document.getElementById('existing-link').href = ticketPage(stored);
    show('existing-registration');
  } else {
    show('existing-registration', false);
  }
}

async function loadEvent({ quiet = false } = {}) {
  try {
    const ev = await apiJSON(eventApi(slug));
    renderEvent(ev);
    show('event');
    setText('page-status', '');
  } catch (err) {
    if (err.status === 404) {
      show('event', false);
      show('not-found');
      setText('page-status', '');
      setTitle('Event not found');
    } else if (!quiet || !current) {
      setText('page-status', `Could not load the event: ${err.message}`);
    }
  }
}

function showFieldError(input, message) {
  input.setAttribute('aria-invalid', 'true');
  formError.textContent = message;
  input.focus();
}

function clearErrors() {
  formError.textContent = '';
  nameInput.removeAttribute('aria-invalid');
  emailInput.removeAttribute('aria-invalid');
}

// A known email: the answer carries no code; the ticket link went to that mailbox.
function renderExisting(answer) {
  result.replaceChildren();
  result.classList.remove('is-ticket');
  const where = answer.status === 'waitlisted'
    ? `This email is on the waiting list (number ${Number(answer.position).toLocaleString()}).`
    : 'This email is already registered.';
  result.append(
    el('h2', null, 'You are already registered'),
    el('p', { 'data-testid': 'existing-status' }, where),
    el('p', { 'data-testid': 'link-sent' }, 'We sent a link to your ticket to that address: open it to see your ticket.'));
  result.focus();
}

function renderResult(reg, existing) {
  if (existing && !reg.code) {
    renderExisting(reg);
    return;
  }
  result.replaceChildren();
  result.classList.toggle('is-ticket', reg.status === 'ticketed');
  const link = el('a', { id: 'ticket-link', href: ticketPage(reg.code), 'data-testid': 'ticket-link' },
    'Open your ticket page');
  const keep = el('p', { class: 'help' },
    'Keep this link: it is how you check your place, join the live room on another device, or cancel.');
  if (reg.status === 'waitlisted') {
    result.append(
      el('h2', null, existing ? 'You were already on the waiting list' : 'You are on the waiting list'),
      el('p', { id: 'waitlist-position', 'data-testid': 'waitlist-position' },
        `You are number ${Number(reg.position).toLocaleString()} on the waiting list`),
      el('p', null, 'When a seat frees you get it automatically; your ticket page shows it.'),
      el('p', null, link), keep);
  } else if (reg.status === 'ticketed') {
    result.append(
      el('h2', null, existing ? 'You were already registered' : 'You have a ticket'),
      el('p', null, 'Your ticket code: ', el('code', { id: 'ticket-code', 'data-testid': 'ticket-code' }, reg.code)),
      el('p', null, link), keep,
      el('p', null, el('a', { href: `${eventPage(slug)}/live` }, 'Go to the live room')));
  } else {
    result.append(
      el('h2', null, 'Registration'),
      el('p', null, `Status: ${reg.status}`),
      el('p', null, link));
  }
  result.focus();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors();
  const name = nameInput.value.trim();
  const email = emailInput.value.trim();
  if (!name) {
    showFieldError(nameInput, 'Enter your name.');
    return;
  }
  if (!email || !emailInput.checkValidity() || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    showFieldError(emailInput, 'Enter a valid email address, like name@example.com.');
    return;
  }
  submit.disabled = true;
  const label = submit.textContent;
  submit.textContent = 'Registering…';
  try {
    const { status, data } = await apiRequest(`${eventApi(slug)}/registrations`, {
      method: 'POST',
      body: { name, email },
    });
    if (data && data.code) local.set(ticketKey(slug), data.code);
    renderResult(data || {}, status === 200);
    form.reset();
  } catch (err) {
    formError.textContent = err.message;
    if (err.code === 'registration_closed' || err.status === 409) loadEvent({ quiet: true });
  } finally {
    submit.disabled = false;
    submit.textContent = label;
  }
  loadEvent({ quiet: true });
});

const lostForm = document.getElementById('lost-form');
lostForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('lost-email');
  const email = input.value.trim();
  setText('lost-error', '');
  if (!email || !input.checkValidity() || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    setText('lost-error', 'Enter the email address you registered with.');
    input.focus();
    return;
  }
  const button = document.getElementById('lost-submit');
  button.disabled = true;
  try {
    const { data } = await apiRequest('/api/registrations/resend', { method: 'POST', body: { event: slug, email } });
    setText('lost-result', (data && data.message) || 'If this email is registered, a link is on its way.');
    show('lost-result');
    lostForm.reset();
  } catch (err) {
    setText('lost-error', err.message);
  } finally {
    button.disabled = false;
  }
});

if (!isSlug(slug)) {
  show('not-found');
  setText('page-status', '');
} else {
  links();
  loadEvent();
  // Keep the counts fresh while the page is open.
  setInterval(() => {
    if (!document.hidden) loadEvent({ quiet: true });
  }, 30000);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) loadEvent({ quiet: true });
  });
}
