"""Random layouts: a document composed of blocks, each placed, sized, styled and worded at
random, so that an extractor cannot fit the layouts and wordings of the fixed ones.

A kind's module draws its values into a Content (kinds/edf.py: draw(rng)): each field's
normalised and printed forms, which block holds it, the distractors beside it, the detail
table. compose() then draws the look (font, size, borders, shading, uppercase labels, bold
values), the wording of every label from a bank (wording_banks.py), how each value sits by its
label (right, with or without colon, dot leaders, below, in a titled box, in a grid cell, in a
table row), the order of the blocks and one or two columns. Every field is recorded (Doc.field)
when it is printed, from the same value, so the expected JSON is what the page shows; the
sample records every choice (never a wording's text, only its index in its bank), so a miss can
be traced."""

from page import FONTS, e, lines
from wording_banks import distractor_labels


# ---------------------------------------------------------------- what a kind draws
class Content:
    """A document's values and where they go; filled by a kind's draw(rng)."""

    def __init__(self, kind, accent, shade, fonts=None):
        self.kind = kind            # its wordings' kind in the banks
        self.claimed = True         # False: a look-alike no plugin may claim (the page's kind is null)
        self.accent, self.shade, self.fonts = accent, shade, fonts
        self.values = {}            # field key → (normalised, printed)
        self.issuer = ""            # the sender's name, in the header
        self.issuer_lines = []      # under it: address, website (text)
        self.header_lines = []      # more header text (may print a field: see header_fields)
        self.header_fields = []     # keys printed in the header without a label (caf, annee_revenus)
        self.logo = ""
        self.window_names = []      # printed at the top of the address window, without a label
        self.holder = None          # the field among them (titulaire, allocataire), if any
        self.window_lines = []
        self.refs = []              # keys of the references box
        self.situation = []         # keys of a second box of references (tax notice: RFR, parts)
        self.amounts = []           # keys of the amount box
        self.table = None           # Table
        self.period = None          # (debut key, fin key), introduced by the "periode" wording
        self.period_in_refs = False
        self.distract = {"refs": [], "amounts": [], "small": [], "contact": []}  # (distractor key, value)
        self.paragraphs = []        # plain sentences (a letter's text), HTML
        self.contact_title = ""
        self.contact_lines = []
        self.contact_field = None   # a field printed in the contact block under its label
        self.contact_text_fields = []  # fields the contact block's text prints whole, without a label (an office's address)
        self.small = []             # small print, HTML
        self.signature = ""

    def holder_value(self):
        return self.values[self.holder][1] if self.holder else None

    def value(self, key, normalised, printed):
        self.values[key] = (normalised, printed)
        return printed


class Table:
    """A detail table: amounts in the last column, at the far right. A row's label is text, a
    distractor (("d", key)) or a field (("f", key): the field's wording, its value as amount)."""

    def __init__(self, headers, rows, total=None, title_key="detail_title"):
        self.headers = headers      # column headers after the first (the first is a title)
        self.rows = rows            # [(label spec, [middle cells], amount text)]
        self.total = total          # field key of the last row, or None
        self.title_key = title_key


# ---------------------------------------------------------------- the look
class RStyle:
    """How one random-layout document looks. describe() feeds the sample."""

    def __init__(self, rng, accent, shade, fonts=None):
        self.font = rng.choice(fonts or FONTS)
        self.size_pt = round(rng.uniform(8.5, 12.0), 1)
        self.margin_mm = rng.randint(10, 18)
        self.accent, self.shade = accent, shade
        self.borders = rng.random() < 0.6
        self.shaded = rng.random() < 0.5
        self.upper = rng.random() < 0.3
        self.bold = rng.random() < 0.7
        self.colon = rng.random() < 0.6
        self.leaders = rng.random() < 0.3
        self.below = rng.random() < 0.3
        self.band = rng.random() < 0.5
        self.choices = {}

    def section(self, inner, name):
        cls = "rl" + (" up" if self.upper else "") + ("" if self.bold else " nb") + ("" if self.borders else " nob")
        return (f'<section class="page" id="{e(name)}" style="font-family: \'{self.font}\'; '
                f'font-size: {self.size_pt}pt; padding: {self.margin_mm}mm; '
                f'--margin: {self.margin_mm}mm; --accent: {self.accent}; --shade: {self.shade};">'
                f'<div class="{cls}">{inner}</div></section>')

    def describe(self):
        return {"font": self.font, "size_pt": self.size_pt, "borders": self.borders, "shaded": self.shaded,
                "uppercase_labels": self.upper, "bold_values": self.bold, "colon": self.colon,
                "header_band": self.band, **self.choices}


def pair(st, label, value, rel, cls=""):
    """A label and its value. rel: right (colon or not), leaders (dots up to the value), below,
    box (titled box, large value), cell (small label above the value, in a grid cell), row."""
    nw = " nw" if len(str(value)) <= 30 else ""
    if rel == "below":
        return f'<div class="kv below{nw} {cls}"><div class="l">{e(label)}</div><div class="v">{e(value)}</div></div>'
    if rel == "leaders":
        return (f'<div class="lead {cls}"><span class="l">{e(label)}</span><span class="dots"></span>'
                f'<span class="v">{e(value)}</span></div>')
    if rel == "box":
        return f'<div class="box tbox {cls}"><div class="l">{e(label)}</div><div class="v">{e(value)}</div></div>'
    if rel == "cell":
        return f'<span class="l">{e(label)}</span><span class="v{nw}">{e(value)}</span>'
    sep = "\u00a0:" if st.colon else ""
    return f'<div class="kv{nw} {cls}"><span class="l">{e(label)}{sep}</span> <span class="v">{e(value)}</span></div>'


def frame(st, inner, title="", shade=False):
    cls = "box" if st.borders else "box bare"
    if shade and st.shaded:
        cls += " shade"
    head = f'<h3 class="bt">{e(title)}</h3>' if title else ""
    return f'<div class="{cls}">{head}{inner}</div>'


# ---------------------------------------------------------------- composing
class Composer:
    def __init__(self, rng, content, bank, doc):
        self.rng, self.c, self.bank, self.doc = rng, content, bank, doc
        self.relations, self.wordings, self.fallback = {}, {}, []
        self.dlabels = distractor_labels()
        self._words = {}

    def label(self, key):
        """The wording of a field's label: drawn once per document from the bank."""
        if key not in self._words:
            i, text, fell_back = self.bank.draw(self.rng, self.c.kind, key)
            self.wordings[key] = i
            if fell_back:
                self.fallback.append(key)
            self._words[key] = text
        return self._words[key]

    def dlabel(self, dkey):
        return self.rng.choice(self.dlabels[dkey])

    def put(self, key):
        norm, printed = self.c.values[key]
        self.doc.field(key, norm, printed)
        return printed

    def relate(self, key, rel):
        self.relations[key] = rel if key not in self.relations else self.relations[key] + "+" + rel
        return rel

    def shown(self, key):
        """A field's value as shown beside its label: kWh or m³ after a consumption."""
        printed = self.put(key)
        unit = {"consommation_kwh": " kWh", "consommation_m3": " m³"}.get(key, "")
        return printed + unit

    def period_text(self, label=""):
        """The period as printed after its label: a label ending in "du" ("Période du") is
        followed by "X au Y", never by a second "du"."""
        deb, fin = self.put(self.c.period[0]), self.put(self.c.period[1])
        if self.rng.random() < 0.7:
            ends_du = label.split()[-1:] in (["du"], ["Du"], ["DU"])
            return f"{deb} au {fin}" if ends_du else f"du {deb} au {fin}"
        return f"{deb} – {fin}"

    # -- blocks
    def header(self, title):
        c, st = self.c, self.doc.style
        issuer = f'<div class="big iss">{e(c.issuer)}</div>' if c.issuer else ""
        sub = "".join(f'<div class="small">{e(t)}</div>' for t in c.issuer_lines)
        more = "".join(f'<div>{e(t)}</div>' for t in c.header_lines)
        for key in c.header_fields:
            self.put(key)
            self.relate(key, "header")
        h1 = f'<h1>{e(title)}</h1>'
        if st.band:
            return (f'<div class="band row" style="align-items: center"><div>{c.logo}</div>'
                    f'<div class="col">{issuer}{sub}</div></div>{more}{h1}')
        logo_right = self.rng.random() < 0.4
        logo = f'<div>{c.logo}</div>'
        return (f'<div class="row" style="align-items: center">{"" if logo_right else logo}'
                f'<div class="col">{issuer}{sub}{more}</div>{logo if logo_right else ""}</div>{h1}')

    def window(self):
        c = self.c
        names = []
        for n in c.window_names:
            if n == c.holder_value():
                self.put(c.holder)
                self.relate(c.holder, "window")
            names.append(n)
        return f'<div class="win">{lines(names + c.window_lines)}</div>'

    def refs_box(self, keys, distract, name, narrow=False):
        rng, st = self.rng, self.doc.style
        items = []   # (key or None, label, value)
        for key in keys:
            if key == "periode":
                label = self.label("periode")
                items.append(("periode", label, self.period_text(label)))
            else:
                items.append((key, self.label(key), self.shown(key)))
        for dkey, value in distract:
            items.insert(rng.randint(0, len(items)), (None, self.dlabel(dkey), value))
        form = rng.choice(["list", "list", "cells", "rows"])
        self.doc.style.choices[f"{name}_form"] = form
        if form == "cells":
            per_row = rng.choice([2, 3]) if len(items) > 3 and not narrow else 2
            cells = [f'<td>{pair(st, l, v, "cell")}</td>' for k, l, v in items]
            for k, l, v in items:
                if k:
                    self.relate(k, "cell")
            body = "".join("<tr>" + "".join(cells[i:i + per_row]) + "</tr>" for i in range(0, len(cells), per_row))
            inner = f'<table class="cells{" b" if st.borders else ""}">{body}</table>'
        elif form == "rows":
            for k, l, v in items:
                if k:
                    self.relate(k, "row")
            inner = ('<table class="plain">' + "".join(
                f'<tr><td class="l">{e(l)}</td><td class="n v">{e(v)}</td></tr>' for k, l, v in items) + '</table>')
        else:
            parts = []
            for k, l, v in items:
                rel = rng.choice(["below", "below", "right"] if st.below else
                                 (["right", "leaders"] if st.leaders else ["right", "right", "right", "below"]))
                if k:
                    self.relate(k, rel)
                parts.append(pair(st, l, v, rel))
            inner = "".join(parts)
        title = rng.choice(["", "Vos références", "Références", "Vos informations", "Votre dossier", "Informations"])
        return frame(st, inner, title)

    def amount_box(self):
        rng, st, c = self.rng, self.doc.style, self.c
        parts = []
        for i, key in enumerate(c.amounts):
            if key == "periode":
                self.relate("periode", "label")
                label = self.label("periode")
                parts.append(pair(st, label, self.period_text(label), "right"))
                continue
            big = i == 0
            rel = rng.choice(["box", "below", "right"]) if big else rng.choice(["right", "below"])
            self.relate(key, rel)
            parts.append(pair(st, self.label(key), self.shown(key), rel, "big" if big and rel != "box" else ""))
        for dkey, value in c.distract["amounts"]:
            parts.insert(rng.randint(1, len(parts)), pair(st, self.dlabel(dkey), value, rng.choice(["right", "below"])))
        return frame(st, "".join(parts), shade=True)

    def detail_table(self, period_header):
        rng, st, t = self.rng, self.doc.style, self.table_spec
        first = self.dlabel(t.title_key)
        if period_header:
            self.relate("periode", "table_header")
            label = self.label('periode')
            first = f"{label} {self.period_text(label)}"
        head = f'<tr><th>{e(first)}</th>' + "".join(f'<th class="n">{e(h)}</th>' for h in t.headers) + "</tr>"
        body = []

        def row(spec, middle, amount, total=False):
            if isinstance(spec, tuple) and spec[0] == "f":
                self.relate(spec[1], "table")
                label, amount = self.label(spec[1]), self.put(spec[1])
            elif isinstance(spec, tuple):
                label = self.dlabel(spec[1])
            else:
                label = spec
            cls = ' class="shade"' if total and st.shaded else ""
            b = (lambda x: f"<b>{e(x)}</b>") if total else e
            cells = "".join(f'<td class="n">{b(m)}</td>' for m in middle)
            return f'<tr{cls}><td>{b(label)}</td>{cells}<td class="n">{b(amount)}</td></tr>'

        for spec, middle, amount in t.rows:
            body.append(row(spec, middle, amount))
        if t.total:
            body.append(row(("f", t.total), [""] * (len(t.headers) - 1), "", total=True))
        return f'<table class="grid rlt">{head}{"".join(body)}</table>'

    def period_line(self):
        self.relate("periode", "line")
        label = self.label('periode')
        text = f"{label} {self.period_text(label)}"
        return f'<p class="pline"><b>{e(text)}</b></p>' if self.rng.random() < 0.5 else f'<p class="pline">{e(text)}</p>'

    def contact_block(self):
        st, c = self.doc.style, self.c
        inner = ""
        if c.contact_field:
            rel = self.rng.choice(["below", "right", "box"])
            self.relate(c.contact_field, rel)
            inner += pair(st, self.label(c.contact_field), self.put(c.contact_field), rel)
        inner += "".join(f'<div class="small">{e(t)}</div>' for t in c.contact_lines)
        for key in c.contact_text_fields:
            self.put(key)
            self.relate(key, "contact")
        for dkey, value in c.distract["contact"]:
            inner += pair(st, self.dlabel(dkey), value, "right", "small")
        if c.signature:
            inner += f'<p>{e(c.signature)}</p>'
        return frame(st, inner, c.contact_title)

    def small_print(self):
        parts = list(self.c.small)
        for dkey, value in self.c.distract["small"]:
            parts.insert(self.rng.randint(0, len(parts)), f"{e(self.dlabel(dkey))} {e(value)}")
        return f'<div class="tiny smallprint">{" – ".join(parts)}</div>'


def compose(rng, content, bank, name, doc_class):
    """The page of a Content on a random layout; returns the Doc (fields, printed, html)."""
    c = content
    st = RStyle(rng, c.accent, c.shade, c.fonts)
    doc = doc_class(c.kind, "aleatoire", st)
    k = Composer(rng, c, bank, doc)
    k.table_spec = c.table
    title = k.label("_title")

    blocks = {}
    # where the period goes: in the table's header, on a line of its own, or after a label
    period_rel = None
    if c.period and "periode" not in c.refs and "periode" not in c.amounts:
        period_rel = rng.choice((["table_header"] if c.table else []) + ["line", "line", "label"])
    refs = list(c.refs)
    rng.shuffle(refs)
    if period_rel == "label":
        refs.insert(rng.randint(0, len(refs)), "periode")
    # the holder, printed in the window without a label, sometimes also under a label
    if c.holder and rng.random() < 0.35:
        refs.insert(rng.randint(0, len(refs)), c.holder)
    window = k.window()
    refs_beside = rng.random() < 0.6
    blocks["references"] = k.refs_box(refs, c.distract["refs"], "references", narrow=refs_beside)
    if c.situation:
        sit = list(c.situation)
        rng.shuffle(sit)
        blocks["situation"] = k.refs_box(sit, [], "situation")
    if c.amounts:
        blocks["amount"] = k.amount_box()
    if c.table:
        blocks["table"] = k.detail_table(period_rel == "table_header")
    if period_rel == "line":
        blocks["period"] = k.period_line()
    if c.paragraphs:
        blocks["text"] = "".join(f"<p>{p}</p>" for p in c.paragraphs)
    blocks["contact"] = k.contact_block()
    small = k.small_print()

    # order: header first; the window top right, the references beside it or under it; the rest
    # shuffled (a table never squeezed in a column); the small print last
    middle = [b for b in blocks if b not in ("references",)] + ([] if refs_beside else ["references"])
    rng.shuffle(middle)
    two_cols = rng.random() < 0.4
    narrow = [b for b in middle if b not in ("table", "text")]
    order = ["header", "window"] + (["references"] if refs_beside else [])
    body = []
    pair_up = set(narrow[:2]) if two_cols and len(narrow) >= 2 else set()
    done = False
    for b in middle:
        if b in pair_up:
            if not done:
                a, bb = [x for x in middle if x in pair_up]
                body.append(f'<div class="row"><div class="col">{blocks[a]}</div><div class="col">{blocks[bb]}</div></div>')
                order += [f"{a}|{bb}"]
                done = True
            continue
        body.append(blocks[b])
        order.append(b)
    order.append("small")
    top_gap = rng.randint(0, 8)
    left = blocks["references"] if refs_beside else ""
    top = (f'<div class="row" style="margin-top: {top_gap}mm"><div style="width: 92mm; min-width: 0; overflow-wrap: anywhere">{left}</div>'
           f'<div style="margin-left: auto; width: 82mm; padding-top: {rng.randint(4, 16)}mm">{window}</div></div>')
    html = k.header(title) + top + "".join(body) + f'<div style="height: 3mm"></div>{small}'
    st.choices.update({"mode": "random", "wording_set": bank.which,
                       "blocks": order, "columns": 2 if pair_up else 1, "relations": dict(sorted(k.relations.items())),
                       "wordings": dict(sorted(k.wordings.items())),
                       "wordings_from_tuned": sorted(k.fallback)})
    doc.html = st.section(html, name)
    missing = set(c.values) - set(doc.fields)
    if missing:  # a bug of the kind's draw(): every value drawn must be placed
        raise AssertionError(f"{name}: valeurs non placées : {sorted(missing)}")
    if not c.claimed:  # printed like a bill's, expected of no kind
        doc.kind, doc.drawn, doc.fields, doc.printed = None, doc.printed, {}, {}
    return doc


def grouped(rng, s, options):
    """An identifier printed in groups, one of options (None: not grouped). Ten digits from a 0
    in pairs are what a French telephone number looks like, and no issuer prints a reference so:
    such a one is printed whole."""
    from values import group
    sizes = rng.choice(options)
    if sizes == [2, 2, 2, 2, 2] and s.startswith("0"):
        return s
    return group(s, sizes) if sizes else s

