import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

const CELL_W = 40;
const CELL_H = 30;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A text panel's content, wrapped to the panel's width (about 5.5 px a character at 10 px) and cut to its height. */
function noteLines(p: any, widthPx: number, heightPx: number): string[] {
  const content: string | undefined = p.type === 'text' ? p.options?.content : undefined;
  if (!content) return [];
  const perLine = Math.floor(widthPx / 5.5);
  const lines: string[] = [];
  for (const word of content.split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= perLine) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  const fit = Math.max(0, Math.floor(heightPx / 13));
  return lines.length > fit ? [...lines.slice(0, Math.max(0, fit - 1)), `${lines[fit - 1] ?? ''}...`].slice(0, fit) : lines;
}

/**
 * An SVG layout of a dashboard drawn from its definition: each panel at its gridPos (24 columns),
 * with its title, type and the legends of its queries (a text panel: its text), so a reader sees the dashboard without a
 * cluster. Deterministic: the same definition always gives the same bytes (test/platform/dashboards.test.ts).
 */
export function dashboardPicture(d: Dashboard): string {
  const panels = (d.panels ?? []) as any[];
  const rows = Math.max(0, ...panels.map((p) => p.gridPos.y + p.gridPos.h));
  const width = 24 * CELL_W;
  const height = rows * CELL_H + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#111217"/>`,
    `<text x="8" y="26" font-size="18" fill="#d8d9da">${esc(d.title ?? '')}</text>`,
  ];
  for (const p of panels) {
    const { x, y, w, h } = p.gridPos;
    const px = x * CELL_W + 4;
    const py = y * CELL_H + 40;
    const legends = (p.targets ?? []).map((t: any) => t.legendFormat ?? t.expr).slice(0, 3);
    out.push(
      `<g><rect x="${px}" y="${py}" width="${w * CELL_W - 8}" height="${h * CELL_H - 8}" rx="4" fill="#181b1f" stroke="#2c3235"/>`,
      `<text x="${px + 8}" y="${py + 20}" font-size="14" fill="#d8d9da">${esc(p.title ?? '')}</text>`,
      `<text x="${px + 8}" y="${py + 38}" font-size="11" fill="#8e8e8e">${esc(p.type)}${p.fieldConfig?.defaults?.unit ? ` · ${esc(p.fieldConfig.defaults.unit)}` : ''}</text>`,
      ...noteLines(p, w * CELL_W - 16, h * CELL_H - 56).map(
        (l, i) => `<text x="${px + 8}" y="${py + 56 + i * 13}" font-size="10" fill="#b0b0b0">${esc(l)}</text>`,
      ),
      ...legends.map(
        (l: string, i: number) =>
          `<text x="${px + 8}" y="${py + 56 + i * 14}" font-size="10" fill="#6e9fff">${esc(l.length > 90 ? `${l.slice(0, 87)}...` : l)}</text>`,
      ),
      '</g>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
