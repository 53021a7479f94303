import { cpuAccounting, renderCpuAccounting } from './cpu-accounting';
import type { BenchResults, DesignName, DesignResult, ImportFigures } from './results';

const DESIGNS: DesignName[] = ['aviso', 'ceiling', 'naive'];
const COLORS: Record<DesignName, string> = { aviso: '#1f77b4', ceiling: '#2ca02c', naive: '#d62728' };

const int = (n: number) => Math.round(n).toLocaleString('en');
const fixed = (n: number, digits = 1) => n.toFixed(digits);

type Row = [string, (d: DesignResult) => number | null, (n: number) => string, 'higher' | 'lower' | null];

const ROWS: Row[] = [
  ['recipients sent', (d) => d.recipients.total, int, null],
  ['  by push / by SMS', () => null, () => '', null],
  ['time to last delivery (s)', (d) => d.seconds, (n) => fixed(n, 2), 'lower'],
  ['recipients/s (all)', (d) => d.recipientsPerSecond.total, int, 'higher'],
  ['push recipients/s', (d) => d.recipientsPerSecond.push, int, 'higher'],
  ['SMS recipients/s', (d) => d.recipientsPerSecond.sms, int, 'higher'],
  ['provider messages', (d) => d.messages.push + d.messages.sms, int, null],
  ['duplicate messages (vs ceiling)', (d) => d.duplicateMessages ?? null, int, 'lower'],
  ['first send after start (ms)', (d) => d.firstSendMs, int, 'lower'],
  ['peak RSS, largest process (MB)', (d) => maxRss(d), (n) => fixed(n), 'lower'],
  ['Redis used_memory peak (MB)', (d) => d.redisPeakMb, (n) => fixed(n, 2), 'lower'],
  ['CPU s: design processes', (d) => designCpu(d), (n) => fixed(n), 'lower'],
  ['CPU s: provider simulators', (d) => d.cpu.processes.simulators ?? 0, (n) => fixed(n), 'lower'],
  ['CPU s: PostgreSQL + Redis', (d) => d.cpu.postgres + d.cpu.redis, (n) => fixed(n), 'lower'],
  ['CPU ms per recipient (all above)', (d) => cpuPerRecipient(d), (n) => fixed(n, 3), 'lower'],
  ['CPU s outside the benchmark', (d) => d.cpu.outside, (n) => fixed(n), null],
];

/** CPU of the design's own processes (Aviso: API and workers; naive: producer and worker). */
function designCpu(d: DesignResult): number {
  return Object.entries(d.cpu.processes).reduce(
    (sum, [name, s]) => (name === 'simulators' ? sum : sum + s),
    0,
  );
}

function cpuPerRecipient(d: DesignResult): number | null {
  const all = designCpu(d) + (d.cpu.processes.simulators ?? 0) + d.cpu.postgres + d.cpu.redis;
  return d.recipients.total ? (all * 1000) / d.recipients.total : null;
}

function maxRss(d: DesignResult): number | null {
  const values = Object.values(d.peakRssMb).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

function pad(text: string, width: number, left = false): string {
  return left ? text.padEnd(width) : text.padStart(width);
}

/** The one table the benchmark prints: each figure per design and Aviso's ratio to the ceiling and to naive. */
export function renderTable(results: BenchResults): string {
  const designs = results.designs;
  const header = ['', 'Aviso', 'ceiling', 'naive', 'Aviso/ceiling', 'Aviso/naive'];
  const lines: string[][] = [header];
  for (const [label, value, format] of ROWS) {
    if (label.startsWith('  by push')) {
      lines.push([
        label,
        ...DESIGNS.map((n) =>
          designs[n] ? `${int(designs[n].recipients.push)} / ${int(designs[n].recipients.sms)}` : '-',
        ),
        '',
        '',
      ]);
      continue;
    }
    const values = DESIGNS.map((n) => (designs[n] ? value(designs[n] as DesignResult) : null));
    // A ratio to a figure that rounds to zero (the ceiling's Redis memory) says nothing.
    const ratio = (other: number | null) =>
      values[0] !== null && other !== null && format(other) !== format(0)
        ? `${fixed(values[0] / other, 2)}×`
        : '-';
    lines.push([
      label,
      ...values.map((v) => (v === null ? '-' : format(v))),
      ratio(values[1]),
      ratio(values[2]),
    ]);
  }
  const aviso = designs.aviso;
  if (aviso) {
    const d = aviso.detail as Record<string, number>;
    lines.push(['Aviso: planned recipients/s', int(d.plannedPerSecond), '', '', '', '']);
    lines.push(['Aviso: ledger rows written', int(d.ledgerRows), '', '', '', '']);
    lines.push([
      `Aviso: peak RSS ${Object.keys(aviso.peakRssMb).join(' / ')} (MB)`,
      Object.values(aviso.peakRssMb).join(' / '),
      '',
      '',
      '',
      '',
    ]);
  }
  const naive = designs.naive;
  if (naive) {
    const d = naive.detail as Record<string, number>;
    lines.push([
      'naive: enqueue time (s), jobs/s',
      '',
      '',
      `${fixed(d.enqueueSeconds, 1)}, ${int(d.enqueuedPerSecond)}`,
      '',
      '',
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const out = lines.map((l) => l.map((cell, i) => pad(cell, widths[i], i === 0)).join('  '));
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const preview = results.preview;
  const evidence = results.evidence;
  const imported = results.import;
  const head = [
    renderImport(imported),
    `preview: median ${int(preview.medianMs)} ms over ${preview.runsMs.length} runs (audience ${int(preview.total)}: push ${int(preview.push)}, SMS only ${int(preview.smsOnly)})`,
    `evidence export: ${int(evidence.lines)} lines (${int(evidence.megabytes)} MB) in ${fixed(evidence.seconds, 1)} s = ${int(evidence.linesPerSecond)} lines/s, API peak RSS ${evidence.apiPeakRssMb} MB, SHA-256 ${evidence.verified ? 'verified' : 'MISMATCH'}`,
    '',
  ];
  const targets = results.targets.map(
    (t) =>
      `  ${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} (target ${t.target})`,
  );
  const accounting =
    designs.aviso && designs.ceiling
      ? ['', ...renderCpuAccounting(cpuAccounting(designs.aviso, designs.ceiling))]
      : [];
  return [...head, ...out, ...accounting, '', 'targets:', ...targets].join('\n');
}

/** A small line chart of messages accepted by the simulators over time, one line per design. */
export function renderChart(results: BenchResults, title: string): string {
  const width = 720;
  const height = 360;
  const m = { left: 70, right: 20, top: 40, bottom: 50 };
  const plotted = DESIGNS.flatMap((n) => (results.designs[n] ? [results.designs[n] as DesignResult] : []));
  const lastX = Math.max(1, ...plotted.flatMap((d) => d.series.map(([t]) => t)));
  const lastY = Math.max(1, ...plotted.flatMap((d) => d.series.map(([, v]) => v)));
  const stepX = niceStep(lastX);
  const stepY = niceStep(lastY);
  const maxX = stepX * Math.ceil(lastX / stepX);
  const maxY = stepY * Math.ceil(lastY / stepY);
  const x = (t: number) => m.left + (t / maxX) * (width - m.left - m.right);
  const y = (v: number) => height - m.bottom - (v / maxY) * (height - m.top - m.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  ];
  for (let tx = 0; tx <= maxX + 1e-9; tx += stepX) {
    parts.push(
      `<line x1="${x(tx)}" y1="${y(0)}" x2="${x(tx)}" y2="${y(maxY)}" stroke="#eee"/>`,
      `<text x="${x(tx)}" y="${y(0) + 16}" text-anchor="middle">${fixed(tx, stepX < 1 ? 1 : 0)}</text>`,
    );
  }
  for (let ty = 0; ty <= maxY + 1e-9; ty += stepY) {
    parts.push(
      `<line x1="${x(0)}" y1="${y(ty)}" x2="${x(maxX)}" y2="${y(ty)}" stroke="#eee"/>`,
      `<text x="${x(0) - 6}" y="${y(ty) + 4}" text-anchor="end">${int(ty)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxY)}" stroke="#333"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 12}" text-anchor="middle">seconds from start</text>`,
    `<text transform="translate(16 ${height / 2}) rotate(-90)" text-anchor="middle">messages sent</text>`,
  );
  plotted.forEach((d, i) => {
    const points = [[0, 0], ...d.series].map(([t, v]) => `${fixed(x(t), 1)},${fixed(y(v), 1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLORS[d.design]}" stroke-width="2" points="${points}"/>`);
    const ly = m.top + 6 + i * 18;
    parts.push(
      `<line x1="${m.left + 12}" y1="${ly}" x2="${m.left + 36}" y2="${ly}" stroke="${COLORS[d.design]}" stroke-width="3"/>`,
      `<text x="${m.left + 42}" y="${ly + 4}">${d.design} — ${int(d.recipientsPerSecond.total)} recipients/s</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A round tick step (1, 2 or 5 × a power of ten) giving about five ticks up to `max`. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? 10 * power;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderImport(imported: ImportFigures | null): string {
  if (!imported) return 'import: skipped (the database already held the directory; no earlier figures)';
  const measured = imported.reused
    ? ' (when this database was seeded; reused now)'
    : `, API peak RSS ${imported.apiPeakRssMb} MB${imported.cpu ? `, CPU s: API ${imported.cpu.processes.api}, PostgreSQL ${imported.cpu.postgres}` : ''}`;
  return `import: ${int(imported.customers)} customers in ${fixed(imported.seconds, 1)} s = ${int(imported.customersPerSecond)} customers/s${measured}`;
}
