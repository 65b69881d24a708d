// The ticket page's helpers: copy the code or link, the QR code of the link (drawn here, no network:
// the vendored qrcode-generator computes the modules, this draws them as one SVG path), and the
// calendar download.
import { enc } from './api.js';

/** Copies `text`; the Clipboard API where allowed, else a selected hidden field. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'sr-only';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** Draws the QR code of `text` into the <svg> `svg`; false when the encoder is missing. */
export function drawQR(svg, text) {
  const make = window.qrcode;
  if (typeof make !== 'function') return false;
  const qr = make(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 2;
  let d = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      if (qr.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
    }
  }
  const size = n + quiet * 2;
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.replaceChildren(path);
  svg.dataset.modules = String(n);
  return true;
}

export const calendarPath = (code) => `/api/registrations/${enc(code)}/calendar.ics`;
