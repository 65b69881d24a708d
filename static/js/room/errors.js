// Live-room errors in plain words.
import { plural } from '../api.js';
import { MAX_COMMENT_CHARS } from '../comments.js';

function secondsFrom(msg) {
  for (const k of ['seconds', 'retryAfter', 'retryAfterSeconds', 'remainingSeconds', 'remaining']) {
    const v = Number(msg[k]);
    if (Number.isFinite(v) && v > 0) return Math.ceil(v);
  }
  if (typeof msg.until === 'string') {
    const t = Date.parse(msg.until);
    if (Number.isFinite(t)) {
      const s = Math.ceil((t - Date.now()) / 1000);
      if (s > 0) return s;
    }
  }
  const text = typeof msg.message === 'string' ? msg.message : '';
  const m = text.match(/(\d+)\s*(?:more\s+)?(?:s\b|sec|second)/i) || text.match(/(\d+)/);
  return m ? Number(m[1]) : 0;
}

export function errorText(msg) {
  const secs = secondsFrom(msg);
  switch (msg.code) {
    case 'muted':
      return secs
        ? `A host has muted you for ${plural(secs, 'second', 'seconds')}.`
        : 'A host has muted you for a while. Try again later.';
    case 'slow_mode':
      return secs
        ? `Slow mode is on: wait ${plural(secs, 'second', 'seconds')} before your next comment.`
        : 'Slow mode is on: wait a little before your next comment.';
    case 'rate_limited':
      return 'You are sending too fast. Wait a moment and try again.';
    case 'too_long':
      return `That comment is too long. Keep it to ${MAX_COMMENT_CHARS.toLocaleString()} characters.`;
    case 'empty':
      return 'Your comment is empty. Write something before sending.';
    case 'bad_ticket':
      return 'That ticket code is not valid for this event.';
    case 'not_ticketed':
      return 'Only ticket holders can comment or like. Your registration is on the waiting list, so you can watch.';
    case 'read_only':
      return 'You are watching as a viewer: you can read along, but not comment or like.';
    case 'not_joined':
      return 'Still joining the room. Try again in a moment.';
    case 'bad_message':
      return 'The server did not understand that message. Reload the page and try again.';
    default:
      return typeof msg.message === 'string' && msg.message ? msg.message : 'Something went wrong.';
  }
}
