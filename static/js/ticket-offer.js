// The offered seat on the ticket page: its deadline counting down, and Claim / Decline.
import { apiJSON, enc, setText, show, formatDateTime } from './api.js';

let countdown = 0;

/** "3 d 4 h left", "2 h 05 min 09 s left", "4 min 09 s left", or null once the deadline has passed. */
export function timeLeft(deadline, now = Date.now()) {
  const seconds = Math.floor((deadline - now) / 1000);
  if (!(seconds > 0)) return null;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s left`;
  return `${m} min ${pad(s)} s left`;
}

function tick(deadline) {
  const left = timeLeft(deadline);
  setText('offer-countdown', left || 'the deadline has passed');
  document.getElementById('claim').disabled = !left;
  document.getElementById('decline').disabled = !left;
  if (!left) clearInterval(countdown);
}

/** Shows the offer of `r` (status `offered`), or hides the box for any other status. */
export function showOffer(r) {
  clearInterval(countdown);
  const offered = r.status === 'offered' && Boolean(r.offerExpiresAt);
  show('offer', offered);
  if (!offered) return;
  const deadline = Date.parse(r.offerExpiresAt);
  const time = document.getElementById('offer-deadline');
  time.textContent = formatDateTime(r.offerExpiresAt);
  time.setAttribute('datetime', r.offerExpiresAt);
  tick(deadline);
  countdown = setInterval(() => tick(deadline), 1000);
}

/** Wires the buttons: `code()` is the ticket code, `done(registration)` renders the answer. */
export function wireOffer(code, done) {
  for (const action of ['claim', 'decline']) {
    const button = document.getElementById(action);
    button.addEventListener('click', async () => {
      button.disabled = true;
      setText('offer-error', '');
      try {
        done(await apiJSON(`/api/registrations/${enc(code())}/${action}`, { method: 'POST' }));
      } catch (err) {
        setText('offer-error', err.message);
        button.disabled = false;
      }
    });
  }
}
