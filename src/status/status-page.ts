import escapeHtml from 'escape-html';
import { languageName, StatusPageTexts, statusPageTexts } from './status-page-texts';
import { PublicIncident, StatusSnapshot } from './status-snapshot';

/** Where the pages are served, by the API and by any static host the folder is synced to. */
export const STATUS_PATH = '/status';

/** The URL path of a locale's page; the default locale's is also the root page. */
export function statusPagePath(locale: string): string {
  return `${STATUS_PATH}/${encodeURIComponent(locale)}/`;
}

type Text = Record<string, string>;

/**
 * The static page of one locale: plain HTML and inline CSS, no script, readable on a phone. Every text is escaped;
 * texts missing in the locale fall back to the default locale's.
 */
export function renderStatusPage(snapshot: StatusSnapshot, locale: string, timeZone: string): string {
  const t = statusPageTexts(locale, snapshot.defaultLocale);
  const pick = (text: Text | null) => (text ? (text[locale] ?? text[snapshot.defaultLocale] ?? '') : '');
  const format = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  const time = (iso: string) => `<time datetime="${iso}">${escapeHtml(format.format(new Date(iso)))}</time>`;
  const incidents = snapshot.incidents.map((incident) => renderIncident(incident, t, pick, time));
  const languages = snapshot.locales
    .map((l) => {
      const current = l === locale ? ' aria-current="page"' : '';
      const tag = escapeHtml(l);
      return `<li><a href="${statusPagePath(l)}" hreflang="${tag}" lang="${tag}"${current}>${escapeHtml(languageName(l))}</a></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.pageTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(t.pageTitle)}</h1>
<nav aria-label="${escapeHtml(t.languages)}"><ul class="languages">${languages}</ul></nav>
<p class="generated">${escapeHtml(t.updatedAt)}: ${time(snapshot.generatedAt)}</p>
</header>
<main>
${incidents.length ? incidents.join('\n') : `<p class="all-clear">${escapeHtml(t.allClear)}</p>`}
</main>
<footer><p>${escapeHtml(t.footer)}</p></footer>
</body>
</html>
`;
}

function renderIncident(
  incident: PublicIncident,
  t: StatusPageTexts,
  pick: (text: Text | null) => string,
  time: (iso: string) => string,
): string {
  const latest = incident.updates[incident.updates.length - 1];
  const heading = pick(latest?.title ?? null) || t.updateType[latest?.type ?? 'opened'];
  const channels = incident.channels
    .map(
      (c) =>
        `<li><span class="channel">${escapeHtml(pick(c.name) || c.id)}</span> <span class="state ${c.status}">${escapeHtml(t.channelStatus[c.status])}</span></li>`,
    )
    .join('');
  const updates = incident.updates
    .map(
      (u) => `<li>
<p class="when"><strong>${escapeHtml(t.updateType[u.type])}</strong> · ${time(u.at)}</p>
${u.message ? `<p>${escapeHtml(pick(u.message))}</p>` : ''}${u.advice ? `\n<p class="advice">${escapeHtml(pick(u.advice))}</p>` : ''}${u.assurances.map((a) => `\n<p class="assurance">${escapeHtml(pick(a))}</p>`).join('')}
</li>`,
    )
    .join('\n');
  const times = [
    `<dt>${escapeHtml(t.since)}</dt><dd>${time(incident.openedAt)}</dd>`,
    incident.resolvedAt ? `<dt>${escapeHtml(t.resolvedAt)}</dt><dd>${time(incident.resolvedAt)}</dd>` : '',
    incident.nextUpdateAt
      ? `<dt>${escapeHtml(t.nextUpdate)}</dt><dd>${time(incident.nextUpdateAt)}</dd>`
      : '',
    `<dt>${escapeHtml(t.reference)}</dt><dd>${escapeHtml(incident.ref)}</dd>`,
  ].join('');
  return `<article class="incident ${incident.status}">
<h2>${escapeHtml(heading)} <span class="badge">${escapeHtml(t.incidentStatus[incident.status])}</span></h2>
<dl>${times}</dl>
<h3>${escapeHtml(t.affectedServices)}</h3>
<ul class="channels">${channels}</ul>
<h3>${escapeHtml(t.updates)}</h3>
<ol class="updates">
${updates}
</ol>
</article>`;
}

// Colours keep a contrast of at least 4.5:1 on their backgrounds; every state is also written out in words.
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
header,main,footer{max-width:40rem;margin:0 auto;padding:1rem}
header{padding-bottom:0}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
a{color:#0b4f9c}
.languages{list-style:none;display:flex;gap:1rem;padding:0;margin:0}
.languages a[aria-current]{font-weight:bold;text-decoration:none;color:#1a1a1a}
.generated,footer{color:#4a4a4a;font-size:.9rem}
.all-clear{background:#fff;border-left:.4rem solid #1e6b34;padding:1rem;border-radius:.25rem}
.incident{background:#fff;border-left:.4rem solid #a4262c;padding:1rem;border-radius:.25rem;margin-bottom:1rem}
.incident.resolved{border-left-color:#1e6b34}
.badge{display:inline-block;font-size:.85rem;padding:0 .5rem;border-radius:1rem;background:#a4262c;color:#fff;vertical-align:middle}
.resolved .badge{background:#1e6b34}
dl{margin:0}
dt{font-weight:bold}
dd{margin:0 0 .35rem;overflow-wrap:anywhere}
.channels{list-style:none;padding:0;margin:0}
.channels li{display:flex;justify-content:space-between;gap:1rem;padding:.25rem 0;border-bottom:1px solid #e3e5e8}
.state{font-weight:bold;white-space:nowrap}
.state.down{color:#a4262c}
.state.degraded{color:#8a4600}
.state.restored{color:#1e6b34}
.updates{padding-left:1.25rem;margin:0}
.updates li{margin-bottom:.75rem}
.updates p{margin:0;overflow-wrap:anywhere}
.advice{font-style:italic}
.assurance{font-weight:bold}
`;
