// Access to the archive of an event without public viewing: the reader's ticket code (or the host
// key) goes in `Authorization: Bearer`, and downloads are fetched with it instead of plain links.
import { local, session, ticketKey, hostKeyKey, show, setText, downloadWithBearer } from './api.js';

/** The credential this browser already holds for the event: the host key of this tab, or a saved ticket. */
export function storedCredential(slug) {
  return session.get(hostKeyKey(slug)) || local.get(ticketKey(slug)) || '';
}

/** Whether an API error means "this archive needs a ticket" (none given, or one that does not open it). */
export function needsTicket(err) {
  return err && ['ticket_required', 'not_ticketed', 'forbidden'].includes(err.code);
}

/**
 * Shows the ticket form with the server's reason; `onCode(code)` runs with what the reader entered.
 * A ticket code is remembered on this device like the live room does; a host key only for the tab.
 */
export function askForTicket(slug, err, onCode) {
  const form = document.getElementById('ticket-gate');
  const input = document.getElementById('gate-input');
  setText('gate-message', err.code === 'ticket_required'
    ? 'The comments of this event are for ticket holders. Enter your ticket code (or the host key) to read them.'
    : err.message);
  show(form, true);
  form.onsubmit = (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) return;
    if (code.startsWith('bch_host_')) session.set(hostKeyKey(slug), code);
    else local.set(ticketKey(slug), code);
    onCode(code);
  };
  input.focus();
}

export function hideTicketForm() {
  show('ticket-gate', false);
}

/**
 * Makes a download link send the credential: a plain link cannot carry a header, so the file is
 * fetched and handed to the browser as a blob.
 */
export function downloadWith(link, credential) {
  link.onclick = async (event) => {
    const key = credential();
    if (!key) return; // a public archive: the plain link works
    event.preventDefault();
    try {
      await downloadWithBearer(link.getAttribute('href'), link.dataset.filename || '', key);
    } catch (err) {
      setText('archive-error', `The download failed: ${err.message}`);
    }
  };
}
