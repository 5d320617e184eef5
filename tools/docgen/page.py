"""HTML building blocks shared by the document layouts: one A4 <section> per document, its
own font, size, margins and colour; label/value pairs placed right of or below the label."""

from html import escape

FONTS = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif",
         "Liberation Sans Narrow", "DejaVu Sans Condensed"]

CSS = """
@page { size: A4; margin: 0 }
html, body { margin: 0; padding: 0; background: white; }
section.page { width: 210mm; height: 297mm; overflow: hidden; position: relative;
  box-sizing: border-box; page-break-after: always; break-after: page; color: #1f1f1f;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; line-height: 1.25; }
section.page * { box-sizing: border-box; }
.row { display: flex; gap: 6mm; align-items: flex-start; }
.col { flex: 1; }
.kv { margin: 0.8mm 0; }
.kv .v { font-weight: bold; }
.kv.nw .v { white-space: nowrap; }
.kv.below { margin: 1.2mm 0 1.6mm 0; }
.kv.below .l { font-size: 0.82em; color: #4a4a4a; }
.box { border: 0.35mm solid var(--accent); border-radius: 2mm; padding: 2.5mm 3.5mm; margin: 2mm 0; }
.box h3, .section-title { margin: 0 0 1.5mm 0; font-size: 1.05em; color: var(--accent); }
.band { background: var(--accent); color: white; padding: 2.5mm 4mm; }
.band .l, .band .v { color: white; }
.shade { background: var(--shade); }
table.grid { border-collapse: collapse; width: 100%; margin: 2mm 0; }
table.grid th { background: var(--shade); text-align: left; font-weight: bold; }
table.grid th, table.grid td { border: 0.25mm solid #9a9a9a; padding: 1mm 2mm; }
table.grid td.n, table.grid th.n { text-align: right; white-space: nowrap; }
table.plain { border-collapse: collapse; }
table.plain td { padding: 0.6mm 3mm 0.6mm 0; vertical-align: top; }
.small { font-size: 0.74em; color: #444; }
.tiny { font-size: 0.62em; color: #555; }
.big { font-size: 1.7em; font-weight: bold; }
.huge { font-size: 2.2em; font-weight: bold; }
.right { text-align: right; }
.center { text-align: center; }
.window { position: absolute; left: 112mm; top: 48mm; width: 88mm; line-height: 1.3; }
.footer { position: absolute; left: var(--margin); right: var(--margin); bottom: 9mm; }
h1 { font-size: 1.45em; margin: 2mm 0; }
h2 { font-size: 1.2em; margin: 2mm 0; }
p { margin: 1.6mm 0; }
.rl .nob, .rl .box.bare { border: none; padding-left: 0; padding-right: 0; }
.rl.up .l, .rl.up th, .rl.up .bt { text-transform: uppercase; letter-spacing: 0.02em; }
.rl.nb .kv .v, .rl.nb .v { font-weight: normal; }
.rl .lead { display: flex; align-items: baseline; margin: 0.8mm 0; }
.rl .lead .dots { flex: 1; border-bottom: 0.3mm dotted #777; margin: 0 1.5mm; min-width: 6mm; }
.rl .lead .v { font-weight: bold; white-space: nowrap; }
.rl .cells { border-collapse: collapse; width: 100%; table-layout: fixed; }
.rl .cells td { padding: 1.2mm 2mm; vertical-align: top; }
.rl .cells.b td { border: 0.25mm solid #aaa; }
.rl .cells .l { font-size: 0.78em; color: #444; display: block; }
.rl .cells .v { font-weight: bold; display: block; }
.rl .cells .v.nw { white-space: nowrap; }
.rl .tbox .l { font-size: 0.9em; }
.rl .tbox .v { font-size: 1.6em; font-weight: bold; white-space: nowrap; }
.rl .win { line-height: 1.3; }
.rl table.plain td.v { font-weight: bold; }
.rl.nb table.plain td.v { font-weight: normal; }
.rl .band .small { color: white; }
"""

OVERFLOW_PROBE = """
<script>
for (const s of document.querySelectorAll('section.page')) {
  let over = s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1;
  const box = s.getBoundingClientRect();
  for (const e of s.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.bottom > box.bottom + 1 || r.right > box.right + 1)) over = true;
  }
  s.setAttribute('data-overflow', over ? 'yes' : 'no');
}
</script>
"""


def e(text):
    return escape(str(text), quote=True)


class Style:
    """How one document looks: drawn once from the document's random generator."""

    def __init__(self, rng, accent, shade, fonts=None):
        self.font = rng.choice(fonts or FONTS)
        self.size_pt = round(rng.uniform(9.0, 11.5), 1)
        self.margin_mm = rng.randint(12, 20)
        self.accent = accent
        self.shade = shade
        self.below = rng.random() < 0.4        # values below their labels, or right of them
        self.colon = rng.random() < 0.7        # "Label :" or "Label"

    def section(self, inner, name):
        return (f'<section class="page" id="{e(name)}" style="font-family: \'{self.font}\'; '
                f'font-size: {self.size_pt}pt; padding: {self.margin_mm}mm; '
                f'--margin: {self.margin_mm}mm; --accent: {self.accent}; --shade: {self.shade};">'
                f'{inner}</section>')

    def describe(self):
        return {"font": self.font, "size_pt": self.size_pt,
                "placement": "below" if self.below else "right"}


def kv(style, label, value, below=None, cls=""):
    """A label and its value: on one line ("Label : value") or the value under the label."""
    below = style.below if below is None else below
    # A short value (a date, an amount, a number) is never broken across lines, as on real forms.
    if len(str(value)) <= 30:
        cls = (cls + " nw").strip()
    if below:
        return (f'<div class="kv below {cls}"><div class="l">{e(label)}</div>'
                f'<div class="v">{e(value)}</div></div>')
    sep = "\u00a0:" if style.colon else ""
    return f'<div class="kv {cls}"><span class="l">{e(label)}{sep}</span> <span class="v">{e(value)}</span></div>'


def rows(pairs, cls="plain"):
    """A two-column table of labels and values (values aligned in their own column)."""
    body = "".join(f'<tr><td>{e(l)}</td><td class="n"><b>{e(v)}</b></td></tr>' for l, v in pairs)
    return f'<table class="{cls}">{body}</table>'


def grid(headers, lines, numeric_from=1, total=None):
    """A bordered table; columns from numeric_from on are right-aligned."""
    def cell(tag, i, text):
        cls = ' class="n"' if i >= numeric_from else ""
        return f"<{tag}{cls}>{e(text)}</{tag}>"
    head = "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(headers)) + "</tr>"
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(line)) + "</tr>" for line in lines)
    if total:
        body += '<tr class="shade">' + "".join(
            f'<td{" class=n" if i >= numeric_from else ""}><b>{e(c)}</b></td>' for i, c in enumerate(total)) + "</tr>"
    return f'<table class="grid">{head}{body}</table>'


def lines(items):
    return "<br>".join(e(i) for i in items)


def document_html(sections):
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>docgen</title>'
            f"<style>{CSS}</style></head><body>" + "".join(sections) + OVERFLOW_PROBE + "</body></html>")


# Logos are plain shapes, never a real mark.
def logo_sun(size_mm, c1, c2):
    rays = "".join(
        f'<rect x="47" y="4" width="6" height="18" rx="3" fill="{c2}" transform="rotate({a} 50 50)"/>'
        for a in range(0, 360, 45))
    return (f'<svg width="{size_mm}mm" height="{size_mm}mm" viewBox="0 0 100 100">{rays}'
            f'<circle cx="50" cy="50" r="24" fill="{c1}"/></svg>')


def logo_square(size_mm, color, mark="#ffffff"):
    return (f'<svg width="{size_mm}mm" height="{size_mm}mm" viewBox="0 0 100 100">'
            f'<rect x="2" y="2" width="96" height="96" rx="18" fill="{color}"/>'
            f'<circle cx="50" cy="34" r="12" fill="{mark}"/>'
            f'<path d="M22 84 Q50 40 78 84 Z" fill="{mark}"/></svg>')


def logo_bars(w_mm, h_mm):
    return (f'<svg width="{w_mm}mm" height="{h_mm}mm" viewBox="0 0 90 60">'
            '<rect x="0" y="0" width="30" height="60" fill="#1d3f8f"/>'
            '<rect x="30" y="0" width="30" height="60" fill="#f2f2f2"/>'
            '<rect x="60" y="0" width="30" height="60" fill="#d2283a"/></svg>')


def fake_matrix(rng, size_mm, cells=22):
    """A square of random modules where a 2D-Doc sits on real notices: a distractor, not a code."""
    m = [f'<rect x="0" y="{i}" width="1" height="1"/>' for i in range(cells)]
    m += [f'<rect x="{i}" y="{cells - 1}" width="1" height="1"/>' for i in range(cells)]
    for y in range(cells - 1):
        for x in range(1, cells):
            if (y == 0 and x % 2 == 0) or (x == cells - 1 and y % 2 == 1) or (0 < y and x < cells - 1 and rng.random() < 0.45):
                m.append(f'<rect x="{x}" y="{y}" width="1" height="1"/>')
    return (f'<svg width="{size_mm}mm" height="{size_mm}mm" viewBox="0 0 {cells} {cells}" '
            f'shape-rendering="crispEdges" fill="#000">{"".join(m)}</svg>')
