// The host console's dashboard: registrations over time (tickets and waiting list, with cancellations
// and promotions), then comments and viewers per minute, live. Drawn with the vendored Chart.js
// (static/vendor/chart.js, a classic script that defines window.Chart) from GET {event}/stats.
import { apiJSON, plural, setText } from './api.js';

const REFRESH_MS = 15000;
/** Viewers are sampled while this page is open (the server keeps no history of them). */
const viewerSamples = new Map(); // minute label → most viewers seen in it

let timer = 0;
const charts = {};

function label(iso) {
  const d = new Date(iso);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function colors() {
  const css = getComputedStyle(document.documentElement);
  const pick = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    accent: pick('--accent', '#2f5bd3'), danger: pick('--danger', '#b42318'),
    muted: pick('--muted', '#666'), text: pick('--text', '#111'), pin: '#d79b00', ok: '#2e9d57',
  };
}

/**
 * Running totals per minute: tickets held, and people waiting (on the list or holding an offer) after
 * that minute. An offer moves nobody out of that line; a seat given or claimed (`promoted`) and a place
 * left, declined or lapsed (`waitlistLeft`) do.
 */
export function series(perMinute) {
  let tickets = 0;
  let waiting = 0;
  const out = { labels: [], tickets: [], waiting: [], cancelled: [], promoted: [], comments: [] };
  for (const m of perMinute) {
    tickets += m.tickets + m.promoted - m.cancelled;
    waiting += m.waitlisted - m.promoted - m.waitlistLeft;
    out.labels.push(label(m.minute));
    out.tickets.push(tickets);
    out.waiting.push(Math.max(0, waiting));
    out.cancelled.push(m.cancelled);
    out.promoted.push(m.promoted);
    out.comments.push(m.comments);
  }
  return out;
}

function draw(id, config) {
  const Chart = window.Chart;
  const canvas = document.getElementById(id);
  if (typeof Chart !== 'function' || !canvas) return;
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].update('none');
    return;
  }
  charts[id] = new Chart(canvas, {
    ...config,
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      ...config.options,
    },
  });
}

function render(stats) {
  const c = colors();
  const s = series(Array.isArray(stats.perMinute) ? stats.perMinute : []);
  draw('chart-registrations', {
    type: 'bar',
    data: {
      labels: s.labels,
      datasets: [
        { type: 'line', label: 'Tickets', data: s.tickets, borderColor: c.accent, backgroundColor: c.accent, stepped: true },
        { type: 'line', label: 'Waiting (list and open offers)', data: s.waiting, borderColor: c.pin, backgroundColor: c.pin, stepped: true },
        { label: 'Cancellations', data: s.cancelled, backgroundColor: c.danger },
        { label: 'Promotions', data: s.promoted, backgroundColor: c.ok },
      ],
    },
  });
  const minute = label(stats.generatedAt || new Date().toISOString());
  viewerSamples.set(minute, Math.max(viewerSamples.get(minute) || 0, Number(stats.viewers) || 0));
  const liveLabels = Array.from(new Set([...s.labels.slice(-60), ...viewerSamples.keys()])).sort();
  const commentsAt = new Map(s.labels.map((l, i) => [l, s.comments[i]]));
  draw('chart-live', {
    type: 'bar',
    data: {
      labels: liveLabels,
      datasets: [
        { label: 'Comments per minute', data: liveLabels.map((l) => commentsAt.get(l) || 0), backgroundColor: c.accent },
        {
          type: 'line', label: 'Viewers (since this page opened)', data: liveLabels.map((l) => viewerSamples.get(l) ?? null),
          borderColor: c.ok, backgroundColor: c.ok, spanGaps: true,
        },
      ],
    },
  });
  const total = (key) => (stats.perMinute || []).reduce((n, m) => n + (Number(m[key]) || 0), 0);
  const summary = `${plural(Number(stats.ticketsIssued) || 0, 'ticket', 'tickets')} issued, `
    + `${(Number(stats.waitlistLength) || 0).toLocaleString()} on the waiting list, `
    + (Number(stats.offersOpen) > 0 ? `${plural(Number(stats.offersOpen), 'open offer', 'open offers')}, ` : '')
    + `${plural(total('cancelled'), 'cancellation', 'cancellations')}, ${plural(total('promoted'), 'promotion', 'promotions')}; `
    + `${plural(total('comments'), 'comment', 'comments')}, ${(Number(stats.viewers) || 0).toLocaleString()} watching now.`;
  setText('dash-summary', summary);
  document.getElementById('chart-registrations')?.setAttribute('aria-label', `Registrations over time: ${summary}`);
  document.getElementById('chart-live')?.setAttribute('aria-label',
    `Comments per minute and viewers: ${plural(total('comments'), 'comment', 'comments')} in all, `
    + `${(Number(stats.viewers) || 0).toLocaleString()} watching now.`);
}

async function refresh(eventApiPath, key) {
  try {
    render(await apiJSON(`${eventApiPath}/stats`, { key }));
  } catch (err) {
    setText('dash-summary', `Could not load the numbers: ${err.message}`);
  }
}

/** Loads the stats now and every 15 s while the page is visible; `key()` gives the host key. */
export function startDashboard(eventApiPath, key) {
  clearInterval(timer);
  if (!key()) return;
  refresh(eventApiPath, key());
  timer = setInterval(() => {
    if (!document.hidden && key()) refresh(eventApiPath, key());
  }, REFRESH_MS);
}
