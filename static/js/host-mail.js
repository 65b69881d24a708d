// The host console's mail section: what was sent to whom, what waits, what failed and why.
import { apiJSON, el, setText, timeEl, plural } from './api.js';

const KIND_LABELS = {
  confirmed: 'Ticket',
  waitlisted: 'Waiting list',
  promoted: 'Seat freed',
  cancelled: 'Cancelled',
  waitlist_left: 'Left waiting list',
  rescheduled: 'New time',
  reminder: 'Reminder',
};

function statusCell(m) {
  if (m.status === 'sent') return el('td', { class: 'mail-sent' }, 'sent');
  if (m.status === 'failed') return el('td', { class: 'mail-failed' }, 'failed');
  const when = m.attempts > 0 && m.nextAttemptAt ? ['retrying at ', timeEl(m.nextAttemptAt)] : ['waiting'];
  return el('td', { class: 'mail-pending' }, ...when);
}

function row(m) {
  return el('tr', { 'data-status': m.status },
    el('td', null, m.createdAt ? timeEl(m.createdAt) : ''),
    el('td', null, KIND_LABELS[m.kind] || String(m.kind || '')),
    el('td', null, `${m.name || ''} <${m.email || ''}>`),
    statusCell(m),
    el('td', { class: 'mail-reply' }, m.reply || ''));
}

/** Loads `/api/events/{slug}/mail` with the host key and shows it; failures first in the summary. */
export async function loadMail(eventApiPath, hostKey) {
  if (!hostKey) return;
  try {
    const data = await apiJSON(`${eventApiPath}/mail`, { key: hostKey });
    const messages = Array.isArray(data?.messages) ? data.messages : [];
    const count = (s) => messages.filter((m) => m.status === s).length;
    const failed = count('failed');
    setText('mail-summary',
      `${plural(count('sent'), 'message sent', 'messages sent')}, ${count('pending').toLocaleString()} waiting, `
      + `${failed.toLocaleString()} failed.`
      + (failed ? ' A failed message shows the mail server\'s answer; fix the cause, then run: backchannel mail retry.' : ''));
    const tbody = document.querySelector('#mail-table tbody');
    tbody.replaceChildren(...messages.slice().reverse().map(row));
  } catch (err) {
    setText('mail-summary', err.status === 404 && err.code === 'http_404'
      ? 'This server does not send mail.'
      : `Could not load the mail: ${err.message}`);
  }
}
