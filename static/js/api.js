// Shared helpers for the Backchannel pages.
// Everything that puts text on the page goes through textContent (see `el`).

/** An error from the API (or the network), carrying the server's message. */
export class ApiError extends Error {
  constructor(message, status = 0, code = 'network_error', body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/**
 * Fetch JSON from the API. Returns `{status, data}`.
 * Non-2xx answers become thrown ApiErrors whose message is the server's `error.message`.
 */
export async function apiRequest(path, { method = 'GET', body, key, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const init = { method, headers: h, cache: 'no-store', credentials: 'same-origin' };
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (key) h.Authorization = `Bearer ${key}`;
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.');
  }
  let text = '';
  try {
    text = await res.text();
  } catch {
    text = '';
  }
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' && data.error ? data.error : null;
    const message = err && typeof err.message === 'string' && err.message
      ? err.message
      : defaultMessage(res.status);
    const code = err && typeof err.code === 'string' ? err.code : `http_${res.status}`;
    throw new ApiError(message, res.status, code, data);
  }
  return { status: res.status, data };
}

/** Like apiRequest but returns only the parsed body. */
export async function apiJSON(path, options) {
  const { data } = await apiRequest(path, options);
  return data;
}

function defaultMessage(status) {
  if (status === 401 || status === 403) return 'You are not allowed to do that. Check your key or code.';
  if (status === 404) return 'That was not found.';
  if (status === 409) return 'That is not possible in the current state. Reload and try again.';
  if (status === 413) return 'That is too large.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The server answered with status ${status}.`;
}

// ---------------------------------------------------------------- URLs

const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function isSlug(s) {
  return typeof s === 'string' && SLUG_RE.test(s);
}

function pathParts() {
  return location.pathname.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

/** The event slug from `/events/{slug}[/...]` (or `?slug=` as a fallback). */
export function slugFromPath() {
  const parts = pathParts();
  const i = parts.indexOf('events');
  if (i >= 0 && parts[i + 1] && !parts[i + 1].endsWith('.html')) return parts[i + 1];
  return new URLSearchParams(location.search).get('slug') || '';
}

/** The registration code from `/tickets/{code}` (or `?code=` as a fallback). */
export function codeFromPath() {
  const parts = pathParts();
  const i = parts.indexOf('tickets');
  if (i >= 0 && parts[i + 1] && !parts[i + 1].endsWith('.html')) return parts[i + 1];
  return new URLSearchParams(location.search).get('code') || '';
}

export const enc = encodeURIComponent;
export const eventApi = (slug) => `/api/events/${enc(slug)}`;
export const eventPage = (slug) => `/events/${enc(slug)}`;
export const ticketPage = (code) => `/tickets/${enc(code)}`;

// ---------------------------------------------------------------- DOM

function safeHref(v) {
  const s = String(v);
  if (/^(\/|#|\?|blob:|https?:|mailto:)/i.test(s) && !/^\/\//.test(s)) return s;
  return '#';
}

/**
 * Create an element. `attrs` keys: `class` (string or array), `text`, `dataset` (object),
 * `on{event}` (function), anything else becomes an attribute (true → empty, false/null → skipped).
 * Children: strings and numbers become text nodes; nodes are appended; arrays are flattened.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') {
        const cls = Array.isArray(v) ? v.filter(Boolean).join(' ') : String(v);
        if (cls) node.className = cls;
      } else if (k === 'text') {
        node.textContent = String(v);
      } else if (k === 'dataset') {
        for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) node.dataset[dk] = String(dv);
      } else if (k.startsWith('on') && typeof v === 'function') {
        node.addEventListener(k.slice(2), v);
      } else if (k === 'href' || k === 'src') {
        node.setAttribute(k, safeHref(v));
      } else if (v === true) {
        node.setAttribute(k, '');
      } else {
        node.setAttribute(k, String(v));
      }
    }
  }
  appendChildren(node, children);
  return node;
}

function appendChildren(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendChildren(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace all children of `node` (text only via text nodes). */
export function setChildren(node, ...children) {
  node.replaceChildren();
  appendChildren(node, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function setText(target, text) {
  const node = typeof target === 'string' ? document.getElementById(target) : target;
  if (node) node.textContent = text === null || text === undefined ? '' : String(text);
}

export function show(target, visible = true) {
  const node = typeof target === 'string' ? document.getElementById(target) : target;
  if (node) node.hidden = !visible;
}

// ---------------------------------------------------------------- time

function parseTime(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const mediumFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFmt = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** "Saturday, 28 November 2026 at 15:00" in the reader's locale and time zone. */
export function formatDateTime(iso) {
  const d = parseTime(iso);
  return d ? fullFmt.format(d) : (iso || '');
}

/** Short form for comments: just the time today, date and time otherwise. */
export function formatShort(iso) {
  const d = parseTime(iso);
  if (!d) return iso || '';
  const now = new Date();
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth()
    && d.getDate() === now.getDate();
  return sameDay ? timeFmt.format(d) : mediumFmt.format(d);
}

const rtf = typeof Intl.RelativeTimeFormat === 'function'
  ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
  : null;

/** "in 3 days", "2 hours ago" … or '' when not available. */
export function formatRelative(iso) {
  const d = parseTime(iso);
  if (!d || !rtf) return '';
  const diff = (d.getTime() - Date.now()) / 1000;
  const abs = Math.abs(diff);
  const units = [
    ['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400],
    ['hour', 3600], ['minute', 60],
  ];
  for (const [unit, secs] of units) {
    if (abs >= secs) return rtf.format(Math.round(diff / secs), unit);
  }
  return rtf.format(0, 'minute');
}

/** A <time> element with the machine-readable value and a full local tooltip. */
export function timeEl(iso, format = formatShort, attrs = {}) {
  const d = parseTime(iso);
  return el('time', { datetime: iso || null, title: d ? fullFmt.format(d) : null, ...attrs }, format(iso));
}

// ---------------------------------------------------------------- misc

export function stateLabel(state) {
  if (state === 'live') return 'Live now';
  if (state === 'ended') return 'Ended';
  if (state === 'scheduled') return 'Scheduled';
  return state ? String(state) : 'Unknown';
}

export function plural(n, one, many) {
  return `${Number(n).toLocaleString()} ${Number(n) === 1 ? one : many}`;
}

/** localStorage / sessionStorage that never throws (private modes, disabled storage). */
function safeStorage(kind) {
  return {
    get(key) {
      try {
        return window[kind].getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window[kind].setItem(key, value);
      } catch {
        /* storage unavailable: nothing to remember */
      }
    },
    remove(key) {
      try {
        window[kind].removeItem(key);
      } catch {
        /* ignore */
      }
    },
  };
}

export const local = safeStorage('localStorage');
export const session = safeStorage('sessionStorage');

export const ticketKey = (slug) => `backchannel.ticket.${slug}`;
/** Where a tab keeps the host key it was given (session storage: gone with the tab). */
export const hostKeyKey = (slug) => `backchannel.hostkey.${slug}`;

/**
 * Fetches a file that needs `Authorization: Bearer key` and hands it to the browser as a download
 * (a plain link cannot carry a header). Throws an ApiError with the server's message on failure.
 */
export async function downloadWithBearer(path, filename, key) {
  let res;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${key}` }, cache: 'no-store' });
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    let message = `The server answered with status ${res.status}.`;
    try {
      const body = await res.json();
      if (body?.error?.message) message = body.error.message;
    } catch {
      /* keep the generic message */
    }
    throw new ApiError(message, res.status);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** Makes the page's <h1> and <title> reflect what is shown. */
export function setTitle(text) {
  document.title = text ? `${text} — Backchannel` : 'Backchannel';
}

/** A random nonce; crypto.randomUUID where available (secure contexts). */
export function nonce() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
