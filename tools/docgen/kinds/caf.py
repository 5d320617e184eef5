"""The Caf: the payment certificate (caf.attestation_paiement) and the overpayment notice
(caf.indu), the layouts drawn after real letters."""

import datetime as dt

import values as V
from page import Style, e, grid, kv, lines, logo_square

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick


# ---------------------------------------------------------------- CAF
def _caf_name(rng, town):
    dept, article = town[2], town[3]
    of = f"d'{dept}" if article == "d'" else f"{article} {dept}"
    return dept, rng.choice([f"Caisse d'allocations familiales {of}", f"Caf {of}"])


def caf_address(title, town):
    """The Caf's address as the plugin writes it (docs/formats.md: lines joined with ", "): its
    name and the postcode and town printed under it (no street: a Caf's letters print none)."""
    return f"{title}, {town[1]} {town[0]}"


def _record_address(doc, town):
    """Record adresse_caf: the page prints the header with the postcode and town under the name."""
    doc.field("adresse_caf", caf_address(doc.printed["caf"], town), f"{town[1]} {town[0]}")


def _caf_common(rng, doc, style):
    town = rng.choice(V.TOWNS)
    ds = V.date_style(rng)
    date_doc = V.date_between(rng, dt.date(2020, 2, 1), dt.date(2026, 10, 30))
    numero = V.digits(rng, 7)
    person = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    p_date = doc.field("date_document", V.iso(date_doc), V.french_date(date_doc, ds))
    dept, title = _caf_name(rng, town)
    doc.fields["caf"] = dept
    doc.printed["caf"] = title
    p_num = doc.field("numero_allocataire", numero, numero if rng.random() < 0.7 else V.group(numero, [3, 4]))
    p_person = doc.field("allocataire", person, person)
    window = f'<div class="window">{e(person)}<br>{lines(addr_lines)}</div>'
    logo = logo_square(18, style.accent)
    header = (f'<div class="row" style="align-items: center"><div>{logo}</div><div class="col">'
              f'<div class="big" style="color: var(--accent)">{e(title)}</div>'
              f'<div class="small">{e(town[1])} {e(town[0])} – caf.fr – 32 30 (service gratuit + prix appel)</div>'
              f'</div></div>')
    num_label = _pick(rng, "N° allocataire", "Numéro d'allocataire", "Votre numéro allocataire", "N° d'allocataire")
    dated = _pick(rng, f"{town[0]}, le {p_date}", f"Le {p_date}", None)
    date_html = f'<p class="right">{e(dated)}</p>' if dated else kv(style, "Date", p_date)
    refs = (kv(style, num_label, p_num) + kv(style, "Dossier suivi par", _pick(rng, "Service prestations", "Votre conseiller"), below=False))
    return date_doc, town, window, header, refs, date_html, ds


def caf_attestation(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#0067a5", "#00558c", "#2a7ab0"), shade="#e3f0f8")
    layout = layout or rng.choice(["tableau", "colonnes"])
    doc = Doc("caf.attestation_paiement", layout, style)
    date_doc, town, window, header, refs, date_html, ds = _caf_common(rng, doc, style)
    am = V.amount_style(rng)
    benefits = rng.sample(["APL", "AF", "RSA", "PPA", "AAH", "ALS"], rng.randint(1, 3))
    months = []
    m = dt.date(date_doc.year, date_doc.month, 1)
    for _ in range(rng.randint(3, 6)):
        m = (m - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, m)
    monthly = {b: V.cents(rng, 40, 700) for b in benefits}
    table_lines, total = [], 0
    for mo in months:
        for b in benefits:
            c = monthly[b] + (rng.choice([0, 0, 0, rng.randint(-2000, 2000)]))
            total += c
            label = V.BENEFITS[b][0] if rng.random() < 0.6 else b
            table_lines.append([f"{V.MONTHS[mo.month - 1]} {mo.year}", label, V.french_amount(c, am)])
    p_total = doc.field("montant_total", V.amount_norm(total), V.french_amount(total, am))
    total_label = _pick(rng, "Total", "Total versé", "Montant total")
    intro = (f'<p>Nous certifions que {e(doc.printed["allocataire"])} a perçu les prestations suivantes '
             f'du {e(V.french_date(months[0], ds))} au {e(V.french_date(_month_end(months[-1]), ds))} :</p>')
    if layout in ("tableau", "releve"):
        _record_address(doc, town)  # the header, with the postcode and town under the name
    if layout == "tableau":
        table = grid(["Mois", "Prestation", "Montant versé"], table_lines, numeric_from=2,
                     total=[total_label, "", p_total])
        html = (header + window + f'<div style="width: 90mm; margin-top: 6mm">{refs}</div>'
                + '<div style="height: 26mm"></div>' + date_html
                + '<h1>Attestation de paiement</h1>' + intro + table
                + '<p class="small">Cette attestation est établie pour servir et valoir ce que de droit.</p>'
                + '<p>Le directeur</p>')
    elif layout == "releve":
        # Drawn after the CAF plugin was written (see edf "volet"): a statement with its own
        # wording ("Référence allocataire", "Édité le", "Total des sommes versées"), the
        # references in a side panel, one line per payment.
        panel = (kv(style, "Référence allocataire", doc.printed["numero_allocataire"], below=True)
                 + kv(style, "Édité le", doc.printed["date_document"], below=True))
        table = grid(["Date de paiement", "Nature", "Somme"],
                     [[f"05 {mo_txt}", label, amount] for mo_txt, label, amount in table_lines], numeric_from=2)
        html = (header + window + f'<div class="box" style="width: 70mm; margin-top: 6mm">{panel}</div>'
                + '<div style="height: 20mm"></div><h1>Relevé des paiements</h1>'
                + f'<p>Bénéficiaire : {e(doc.printed["allocataire"])}</p>' + table
                + f'<div class="box shade">{kv(style, "Total des sommes versées", p_total, below=False)}</div>'
                + '<p class="small">Ce relevé vaut attestation de paiement.</p>')
    else:
        by_month = {}
        for mo_txt, label, amount in table_lines:
            by_month.setdefault(mo_txt, []).append(f"{label} : {amount}")
        table = grid(["Période", "Prestations versées"], [[k, " · ".join(v)] for k, v in by_month.items()], numeric_from=9)
        html = (f'<div class="band">{e(doc.printed["caf"])}</div>' + window
                + f'<div style="margin-top: 4mm; width: 92mm">{refs}{date_html}</div>'
                + '<div style="height: 30mm"></div><h1>Attestation de paiement</h1>' + intro + table
                + f'<div class="box">{kv(style, total_label + " sur la période", p_total, below=False)}</div>'
                + '<p class="small">Document à conserver. Les montants sont indiqués après prélèvement de la CRDS.</p>')
    html += ('<div class="footer tiny">Caisse d\'allocations familiales – organisme de Sécurité sociale – '
             'Vos données sont traitées conformément au règlement général sur la protection des données.</div>')
    doc.html = style.section(html, name)
    return doc


def _month_end(first):
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def caf_indu(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#0067a5", "#005a8c", "#3b6fb6"), shade="#e6eff7")
    layout = layout or rng.choice(["lettre", "tableau"])
    doc = Doc("caf.indu", layout, style)
    date_doc, town, window, header, refs, date_html, ds = _caf_common(rng, doc, style)
    am = V.amount_style(rng)
    code = rng.choice(list(V.BENEFITS))
    benefit = rng.choice(V.BENEFITS[code])
    doc.field("prestation", code, benefit)
    end_month = (date_doc.replace(day=1) - dt.timedelta(days=rng.randint(20, 120))).replace(day=1)
    n_months = rng.randint(1, 6)
    start = end_month
    for _ in range(n_months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    fin = _month_end(end_month)
    p_deb = doc.field("periode_debut", V.iso(start), V.french_date(start, ds))
    p_fin = doc.field("periode_fin", V.iso(fin), V.french_date(fin, ds))
    per_month = [V.cents(rng, 15, 400) for _ in range(n_months)]
    total = sum(per_month)
    p_total = doc.field("montant_indu", V.amount_norm(total), V.french_amount(total, am))
    retenue = V.french_amount(V.cents(rng, 20, 80), am)
    amount_label = _pick(rng, "Montant du trop-perçu", "Montant de l'indu", "Somme à rembourser", "Montant total du trop-perçu")
    appeal = ('<p class="small">Si vous contestez cette décision, vous pouvez saisir la Commission de recours amiable '
              'dans un délai de deux mois à compter de la réception de ce courrier, par écrit, en joignant une copie '
              'de cette notification. Vous pouvez aussi demander une remise de dette si votre situation le justifie.</p>')
    repay = (f'<p>Sans réponse de votre part, ce montant sera récupéré par retenue de {e(retenue)} par mois '
             f'sur vos prestations, ou vous pouvez le rembourser en une seule fois.</p>')
    _record_address(doc, town)  # every layout prints the header
    if layout == "lettre":
        html = (header + window + f'<div style="width: 92mm; margin-top: 6mm">{refs}</div>'
                + '<div style="height: 22mm"></div>' + date_html
                + '<p><b>Objet : notification de trop-perçu</b></p>'
                + f'<p>{e(_pick(rng, "Madame, Monsieur,", "Madame, Monsieur"))}</p>'
                + f'<p>Après réexamen de votre dossier, votre droit à <b>{e(benefit)}</b> a été recalculé pour la '
                f'période du <b>{e(p_deb)}</b> au <b>{e(p_fin)}</b>. Des sommes vous ont été versées à tort.</p>'
                + f'<div class="box shade">{kv(style, amount_label, p_total, cls="big")}'
                + kv(style, "Prestation concernée", benefit, below=False)
                + f'<div>Période : du {e(p_deb)} au {e(p_fin)}</div></div>'
                + repay + appeal + '<p>Veuillez agréer, Madame, Monsieur, nos salutations distinguées.</p>')
    elif layout == "encadre":
        # Drawn after the CAF plugin was written: the debt in a framed summary with its own
        # wording ("Vous devez rembourser", "Nature de la prestation", "Période concernée",
        # "Notifié le", "Dossier n°").
        summary = (kv(style, "Vous devez rembourser", p_total, below=False, cls="big")
                   + kv(style, "Nature de la prestation", benefit, below=False)
                   + f'<div>Période concernée : {e(p_deb)} – {e(p_fin)}</div>')
        html = (header + window
                + f'<div style="width: 92mm; margin-top: 6mm">{kv(style, "Dossier n°", doc.printed["numero_allocataire"], below=False)}'
                + f'{kv(style, "Notifié le", doc.printed["date_document"], below=False)}</div>'
                + '<div style="height: 24mm"></div><h1>Vous avez perçu des sommes en trop</h1>'
                + f'<div class="box shade">{summary}</div>' + repay + appeal)
    else:
        lines_ = []
        mo = start
        for c in per_month:
            due = V.cents(rng, 50, 600)
            lines_.append([f"{V.MONTHS[mo.month - 1]} {mo.year}", V.french_amount(due + c, am), V.french_amount(due, am), V.french_amount(c, am)])
            mo = _month_end(mo) + dt.timedelta(days=1)
        html = (header + window + f'<div style="width: 92mm; margin-top: 4mm">{refs}{date_html}</div>'
                + '<div style="height: 24mm"></div><h1>Notification de dette</h1>'
                + f'<p>Prestation : <b>{e(benefit)}</b> – période du {e(p_deb)} au {e(p_fin)}</p>'
                + grid(["Mois", "Montant versé", "Montant dû", "Trop-perçu"], lines_,
                       total=[amount_label, "", "", p_total])
                + repay + appeal)
    html += '<div class="footer tiny">Caisse d\'allocations familiales – caf.fr – application « Caf – Mon Compte »</div>'
    doc.html = style.section(html, name)
    return doc


# ---------------------------------------------------------------- random layout (blocks.py)
def _draw_common(rng, kind):
    c = Content(kind, accent=_pick(rng, "#0067a5", "#00558c", "#2a7ab0", "#005a8c", "#3b6fb6"),
                shade=_pick(rng, "#e3f0f8", "#e6eff7", "#f2f2f2"))
    town = rng.choice(V.TOWNS)
    ds, am = V.date_style(rng), V.amount_style(rng)
    cur = _pick(rng, "€", "€", "€", "EUR")
    date_doc = V.date_between(rng, dt.date(2020, 2, 1), dt.date(2026, 10, 30))
    numero = V.digits(rng, 7)
    person = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    dept, title = _caf_name(rng, town)
    c.value("date_document", V.iso(date_doc), V.french_date(date_doc, ds))
    c.value("caf", dept, title)
    c.value("numero_allocataire", numero, grouped(rng, numero, [None, None, [3, 4], [2, 2, 3]]))
    c.value("allocataire", person, person)
    c.issuer = title
    c.header_fields = ["caf"]
    c.issuer_lines = [f"{town[1]} {town[0]} – caf.fr", _pick(rng, "32 30 (service gratuit + prix appel)", "Mon Compte sur caf.fr")]
    c.value("adresse_caf", caf_address(title, town), f"{town[1]} {town[0]}")  # under its name, in the header
    c.header_fields.append("adresse_caf")
    c.logo = logo_square(rng.randint(12, 20), c.accent if rng.random() < 0.5 else "#ffffff",
                         "#ffffff" if rng.random() < 0.5 else c.accent)
    c.holder = "allocataire"
    c.window_names = [person]
    c.window_lines = addr_lines
    c.refs = ["numero_allocataire", "date_document"]
    c.distract["refs"] = [("dossier", _pick(rng, "Service prestations", "Votre conseiller", "Accueil"))]
    c.distract["contact"] = [("telephone", "32 30")]
    c.contact_title = _pick(rng, "Nous contacter", "Vos contacts", "")
    c.contact_lines = ["caf.fr – application « Caf – Mon Compte »", f"{town[1]} {town[0]}"]
    c.signature = _pick(rng, "Le directeur", "Le directeur de la Caf", "Pour le directeur, par délégation", "")
    c.small = ["Caisse d'allocations familiales – organisme de Sécurité sociale",
               _pick(rng, "Document à conserver.", "Vos données sont traitées conformément au RGPD.")]
    return c, date_doc, ds, am, cur


def draw_attestation(rng):
    c, date_doc, ds, am, cur = _draw_common(rng, "caf.attestation_paiement")
    a = lambda x: V.french_amount(x, am, cur)
    benefits = rng.sample(["APL", "AF", "RSA", "PPA", "AAH", "ALS"], rng.randint(1, 2))
    months = []
    m = dt.date(date_doc.year, date_doc.month, 1)
    for _ in range(rng.randint(3, 6)):
        m = (m - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, m)
    monthly = {b: V.cents(rng, 40, 700) for b in benefits}
    rows, total = [], 0
    for mo in months:
        for b in benefits:
            x = monthly[b] + (rng.choice([0, 0, 0, rng.randint(-2000, 2000)]))
            total += x
            label = V.BENEFITS[b][0] if rng.random() < 0.6 else b
            rows.append((f"{V.MONTHS[mo.month - 1]} {mo.year}", [label], a(x)))
    c.value("montant_total", V.amount_norm(total), a(total))
    c.table = Table(["Prestation", "Montant"], rows, total="montant_total" if rng.random() < 0.7 else None,
                    title_key="caf_month")
    if not c.table.total or rng.random() < 0.4:
        c.amounts = ["montant_total"]
    c.paragraphs = [e(f"Nous certifions que les prestations ci-dessous ont été versées du "
                      f"{V.french_date(months[0], ds)} au {V.french_date(_month_end(months[-1]), ds)}.")]
    return c


def draw_indu(rng):
    c, date_doc, ds, am, cur = _draw_common(rng, "caf.indu")
    a = lambda x: V.french_amount(x, am, cur)
    code = rng.choice(list(V.BENEFITS))
    benefit = rng.choice(V.BENEFITS[code])
    c.value("prestation", code, benefit)
    end_month = (date_doc.replace(day=1) - dt.timedelta(days=rng.randint(20, 120))).replace(day=1)
    n_months = rng.randint(1, 6)
    start = end_month
    for _ in range(n_months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    fin = _month_end(end_month)
    c.value("periode_debut", V.iso(start), V.french_date(start, ds))
    c.value("periode_fin", V.iso(fin), V.french_date(fin, ds))
    per_month = [V.cents(rng, 15, 400) for _ in range(n_months)]
    total = sum(per_month)
    c.value("montant_indu", V.amount_norm(total), a(total))
    c.period = ("periode_debut", "periode_fin")
    (c.refs if rng.random() < 0.5 else c.amounts).append("prestation")
    rows, mo = [], start
    for x in per_month:
        due = V.cents(rng, 50, 600)
        rows.append((f"{V.MONTHS[mo.month - 1]} {mo.year}", [a(due + x), a(due)], a(x)))
        mo = _month_end(mo) + dt.timedelta(days=1)
    use_table = rng.random() < 0.6
    if use_table:
        c.table = Table(["Versé", "Dû", "Trop-perçu"], rows, total="montant_indu" if rng.random() < 0.6 else None,
                        title_key="caf_month")
    if not (c.table and c.table.total) or rng.random() < 0.4:
        c.amounts.insert(0, "montant_indu")
    retenue = a(V.cents(rng, 20, 80))
    c.distract["amounts"] = [("retenue", retenue)] if rng.random() < 0.6 else []
    c.paragraphs = [e(_pick(rng, "Après réexamen de votre dossier, des sommes vous ont été versées à tort.",
                            "Votre droit a été recalculé : vous avez reçu plus que ce à quoi vous aviez droit.",
                            "Suite à un changement de situation, vos droits ont été revus.")),
                    e(f"Sans réponse de votre part, ce montant sera récupéré par retenue de {retenue} par mois "
                      "sur vos prestations.") if rng.random() < 0.5 else
                    e("Vous pouvez contester cette décision devant la Commission de recours amiable dans un délai de deux mois.")]
    return c
