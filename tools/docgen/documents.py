"""The synthetic documents: one function per kind, several layouts each, laid out like the
real documents DOMAIN.md describes. Each returns a Doc: the expected JSON (kind, normalised
fields), the printed form of every field (what the page shows), and the page's HTML."""

import datetime as dt

import twoddoc
import values as V
from page import (Style, e, fake_matrix, grid, kv, lines, logo_bars, logo_sun, logo_square,
                  rows)


class Doc:
    def __init__(self, kind, layout, style):
        self.kind = kind            # None for an unrelated document
        self.layout = layout
        self.style = style
        self.fields = {}            # canonical key → normalised value
        self.printed = {}           # canonical key → the text printed on the page
        self.html = ""
        self.code = None            # twoddoc.Code when the page carries a 2D-Doc
        self.code_fallback = ""     # drawn in its place when no key signs it

    def field(self, key, value, printed):
        self.fields[key] = value
        self.printed[key] = printed
        return printed


def _pick(rng, *options):
    return rng.choice(options)


# ---------------------------------------------------------------- EDF, electricity bill
def edf_facture(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#0a4a9c", "#ff5a00", "#10367a"), shade="#e8eef8")
    layout = layout or rng.choice(["classique", "grille", "compte"])
    doc = Doc("edf.facture", layout, style)
    ds, am = V.date_style(rng), V.amount_style(rng)

    date_facture = V.date_between(rng, dt.date(2020, 1, 5), dt.date(2026, 10, 28))
    fin = date_facture - dt.timedelta(days=rng.randint(2, 12))
    debut = fin - dt.timedelta(days=rng.choice([30, 31, 59, 61, 364]))
    limite = date_facture + dt.timedelta(days=rng.randint(14, 21))
    kwh = rng.randint(80, 4200)
    abo, conso = V.cents(rng, 9, 40), int(kwh * rng.uniform(14.5, 25.9))
    taxes = int(conso * rng.uniform(0.18, 0.32))
    ht = abo + conso + taxes
    tva = round(ht * rng.choice([0.2, 0.2, 0.055 + 0.1]))
    ttc = ht + tva
    numero = V.digits(rng, rng.choice([10, 11]))
    ref = V.digits(rng, rng.choice([10, 11, 12]), first_nonzero=False)
    pdl = V.digits(rng, 14, first_nonzero=False)
    town = rng.choice(V.TOWNS)
    holder = V.person(rng)
    addr_lines, addr = V.address(rng, town)

    d = lambda x: V.french_date(x, ds)
    p_num = doc.field("numero_facture", numero, numero)
    p_ref = doc.field("reference_client", ref, V.group(ref, {10: [2, 2, 2, 2, 2], 11: [2, 3, 3, 3], 12: [3, 3, 3, 3]}[len(ref)]) if rng.random() < 0.6 else ref)
    p_pdl = doc.field("pdl", pdl, V.group(pdl, [2, 3, 3, 3]) if rng.random() < 0.5 else pdl)
    p_date = doc.field("date_facture", V.iso(date_facture), d(date_facture))
    p_lim = doc.field("date_limite_paiement", V.iso(limite), d(limite))
    p_ttc = doc.field("montant_ttc", V.amount_norm(ttc), V.french_amount(ttc, am))
    p_deb = doc.field("periode_debut", V.iso(debut), d(debut))
    p_fin = doc.field("periode_fin", V.iso(fin), d(fin))
    kwh_txt = V.group(str(kwh), [len(str(kwh)) - 3, 3]) if kwh >= 1000 and rng.random() < 0.5 else str(kwh)
    p_kwh = doc.field("consommation_kwh", str(kwh), kwh_txt)
    p_holder = doc.field("titulaire", holder, holder)
    p_addr = doc.field("adresse_consommation", addr, addr)

    ref_label = _pick(rng, "Référence client", "Votre référence client", "N° client", "Compte client")
    pdl_label = _pick(rng, "Point de livraison", "Référence acheminement", "PDL", "N° PRM", "Point de référence et mesure (PRM)")
    lim_label = _pick(rng, "à payer avant le", "Date limite de paiement", "À régler avant le")
    ttc_label = _pick(rng, "Montant à payer (TTC)", "Facture TTC", "Total à payer TTC", "à payer (TTC)")
    index_start = rng.randint(1000, 90000)
    prochaine = date_facture + dt.timedelta(days=rng.choice([30, 61]))
    contrat = V.digits(rng, 10)
    a = lambda c: V.french_amount(c, am)
    detail = grid(["Détail de votre facture", "Quantité", "Montant HT"], [
        ["Abonnement", f"{(fin - debut).days} jours", a(abo)],
        ["Consommation", f"{kwh_txt} kWh", a(conso)],
        ["Taxes et contributions", "", a(taxes)],
        ["Montant hors TVA", "", a(ht)],
        ["TVA", "", a(tva)],
    ], total=["Facture TTC" if ttc_label != "Facture TTC" else "Total", "", p_ttc])
    conso_block = (
        f'<p>Période de consommation du <b>{e(p_deb)}</b> au <b>{e(p_fin)}</b></p>'
        + kv(style, "Consommation", f"{kwh_txt} kWh")
        + f'<div class="small">Index de début : {index_start} – Index de fin : {index_start + kwh}'
        f' ({_pick(rng, "relevé", "estimé", "auto-relevé")})</div>'
        + kv(style, "Puissance souscrite", f"{rng.choice([3, 6, 9, 12])} kVA", below=False)
        + f'<div class="small">Tarif Bleu – option {_pick(rng, "Base", "Heures Creuses")}</div>')
    doc.code = twoddoc.bill(date_facture, numero, ref, V.amount_norm(ttc))
    window = f'<div class="window">{e(holder)}<br>{lines(addr_lines)}</div>'
    # The code in the bottom right corner, above the footer, on white; the flow keeps clear of it.
    code_corner = (f'<div style="height: 26mm"></div><div style="position: absolute; right: 12mm; bottom: 15mm; '
                   f'background: white; padding: 2mm">{twoddoc.SLOT}</div>')
    footer = (f'<div class="footer tiny">EDF SA au capital de 2 084 365 041 € – 552 081 317 R.C.S. Paris – '
              f'Prochaine facture vers le {e(V.french_date(prochaine, "num"))} – '
              f'Service client 09 69 00 00 00 (appel non surtaxé) – Contrat n° {contrat}</div>')
    if rng.random() < 0.3:
        pay = (f'<div>Paiement par prélèvement automatique sur votre compte à partir du '
               f'<b>{e(p_lim)}</b></div>')
    else:
        pay = kv(style, lim_label, p_lim)

    if layout == "classique":
        html = (
            f'<div class="row"><div>{logo_sun(22, style.accent, "#1a7fd4")}</div>'
            f'<div class="col"><div class="big">EDF</div><div class="small">Électricité de France<br>'
            f'Service Clients – TSA 21941 – 62978 Arras Cedex 9</div></div></div>'
            f'<h1>Facture du {e(p_date)} <span class="small">n°</span> {e(p_num)}</h1>'
            f'{window}'
            f'<div style="width: 92mm; margin-top: 4mm" class="box"><h3>Vos références</h3>'
            + kv(style, ref_label, p_ref) + kv(style, pdl_label, p_pdl)
            + kv(style, "Titulaire du contrat", p_holder)
            + kv(style, "Lieu de consommation", p_addr) + '</div>'
            f'<div class="box shade" style="margin-top: 12mm">'
            + kv(style, ttc_label, p_ttc, cls="big") + pay + '</div>'
            f'<div class="section-title" style="margin-top: 4mm">Votre consommation</div>{conso_block}'
            f'{detail}{footer}')
    elif layout == "grille":
        cell = lambda l, v: f'<td style="padding: 1.5mm 2mm; border: 0.25mm solid #bbb; width: 33%"><div class="small">{e(l)}</div><b>{e(v)}</b></td>'
        html = (
            f'<div class="band row" style="align-items: center"><div>{logo_sun(14, "#ffffff", "#ffd200")}</div>'
            f'<div class="col"><div class="big">Votre facture d\'électricité</div></div><div class="small">edf.fr</div></div>'
            f'<div style="height: 42mm"></div>{window}'
            f'<table style="border-collapse: collapse; width: 100%; margin-top: 3mm"><tr>'
            + cell("Date de facture", p_date) + cell("N° de facture", p_num) + cell(ref_label, p_ref)
            + '</tr><tr>' + cell(pdl_label, p_pdl) + cell("Période", f"du {p_deb} au {p_fin}")
            + cell("Consommation", f"{kwh_txt} kWh") + '</tr></table>'
            + kv(style, "Titulaire", p_holder, below=False)
            + kv(style, "Adresse du site", p_addr, below=False)
            + f'<div class="row"><div class="col box"><div class="small">{e(ttc_label)}</div>'
            f'<div class="huge">{e(p_ttc)}</div></div><div class="col box">{pay}'
            f'<div class="small">Montant hors TVA : {e(a(ht))}<br>TVA : {e(a(tva))}</div></div></div>'
            f'<p class="small">Période de consommation du {e(p_deb)} au {e(p_fin)}</p>'
            f'{detail}{footer}')
        # the period appears twice: in the grid and in the sentence, both the same dates
    elif layout == "volet":
        # Drawn after the plugins were written, to measure them on wording and placement they
        # were not tuned for: a shaded side panel of references, "Réf." abbreviations, dates
        # of issue and due date named otherwise, the amount in a badge.
        side = "".join(
            f'<div style="margin-bottom: 3mm"><div class="tiny" style="text-transform: uppercase">{e(l)}</div><b>{e(v)}</b></div>'
            for l, v in [("Réf. client", p_ref), ("N° de point de livraison", p_pdl), ("Facture n°", p_num),
                         ("Date d'émission", p_date), ("Titulaire", p_holder)])
        html = (
            f'<div class="row"><div style="width: 52mm" class="shade">'
            f'<div style="padding: 3mm">{logo_sun(14, style.accent, "#f5a300")}<div class="big">EDF</div>'
            f'<div style="height: 6mm"></div>{side}</div></div>'
            f'<div class="col">{window}<div style="height: 62mm"></div>'
            f'<h2>Votre facture d\'électricité</h2>'
            f'<div class="row" style="align-items: center"><div style="border-radius: 50%; border: 0.6mm solid var(--accent); '
            f'width: 44mm; height: 44mm; display: flex; flex-direction: column; align-items: center; justify-content: center">'
            f'<div class="small">Montant total TTC</div><div class="big">{e(p_ttc)}</div></div>'
            f'<div class="col"><div>Date d\'échéance : <b>{e(p_lim)}</b></div>'
            f'<div class="small">Adresse de consommation : {e(p_addr)}</div></div></div>'
            f'<p>Consommation facturée du {e(p_deb)} au {e(p_fin)} : <b>{e(kwh_txt)} kWh</b></p>'
            f'{detail}</div></div>{footer}')
    else:  # compte: business-style, labels in a column, values aligned
        html = (
            f'<div class="row"><div class="col"><div class="big" style="color: var(--accent)">EDF Entreprises</div>'
            f'<div class="small">Service Clients – TSA 40025 – 44911 Nantes Cedex 9</div></div>'
            f'<div>{logo_sun(16, style.accent, "#7fb2e5")}</div></div>'
            f'{window}<div style="height: 40mm"></div>'
            + rows([("Facture n°", p_num), ("Date de facture", p_date),
                    ("Compte de facturation" if rng.random() < 0.5 else ref_label, p_ref),
                    ("Référence acheminement" if pdl_label.startswith("Point") else pdl_label, p_pdl),
                    ("Titulaire", p_holder), ("Lieu de consommation", p_addr)])
            + f'<h2>Votre consommation du {e(p_deb)} au {e(p_fin)}</h2>'
            + kv(style, "Consommation totale", f"{kwh_txt} kWh", below=False)
            + detail
            + '<div class="box">' + kv(style, ttc_label, p_ttc, below=False, cls="big") + pay + '</div>'
            + footer)
    doc.html = style.section(html + code_corner, name)
    return doc


# ---------------------------------------------------------------- CAF
def _caf_name(rng, town):
    dept, article = town[2], town[3]
    of = f"d'{dept}" if article == "d'" else f"{article} {dept}"
    return dept, rng.choice([f"Caisse d'allocations familiales {of}", f"Caf {of}"])


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


# ---------------------------------------------------------------- DGFiP, income tax notice
def impots_avis(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#1d3f8f", "#24477e", "#333366"), shade="#eceff6",
                  fonts=["DejaVu Sans", "Liberation Sans", "Liberation Sans Narrow", "DejaVu Sans Condensed", "Liberation Serif"])
    layout = layout or rng.choice(["moderne", "ancien"])
    doc = Doc("impots.avis_ir", layout, style)
    ds, am = V.date_style(rng), V.amount_style(rng)
    year = rng.randint(2019, 2025)
    town = rng.choice(V.TOWNS)
    etab = V.date_between(rng, dt.date(year + 1, 7, 20), dt.date(year + 1, 8, 20))
    recouv = etab + dt.timedelta(days=rng.randint(2, 4))
    limite = dt.date(year + 1, 9, 15)
    declarants = [V.person(rng)]
    second = rng.random() < 0.45
    if second:
        declarants.append(V.person(rng))
    nf1 = V.numero_fiscal(rng)
    nf_style = rng.choice([[2, 2, 3, 3, 3], [13]])
    p_nf1 = doc.field("numero_fiscal", nf1, V.group(nf1, nf_style))
    p_nf2 = None
    if second:
        nf2 = V.numero_fiscal(rng)
        p_nf2 = doc.field("numero_fiscal_2", nf2, V.group(nf2, nf_style))
    ref = V.reference_avis(rng, year + 1)
    p_ref = doc.field("reference_avis", ref, V.group(ref, [2, 2, 3, 3, 3]) if rng.random() < 0.6 else ref)
    p_year = doc.field("annee_revenus", str(year), str(year))
    rfr = rng.randint(9000, 68000)
    p_rfr = doc.field("revenu_fiscal_reference", f"{rfr}.00", V.french_amount(rfr * 100, am).replace(",00", ""))
    halves = rng.choice([2, 3, 4, 5, 6, 7]) if second is False else rng.choice([4, 5, 6, 7, 8])
    p_parts = doc.field("nombre_parts", V.parts_norm(halves), V.parts_printed(halves, rng))
    net = V.cents(rng, 90, 4800)
    withheld = int(net * rng.uniform(0.0, 0.85))
    rest = net - withheld
    p_net = doc.field("impot_net", V.amount_norm(net), V.french_amount(net, am))
    p_rest = doc.field("reste_a_payer", V.amount_norm(rest), V.french_amount(rest, am))
    d = lambda x: V.french_date(x, ds)
    p_etab = doc.field("date_etablissement", V.iso(etab), d(etab))
    p_recouv = doc.field("date_mise_en_recouvrement", V.iso(recouv), d(recouv))
    p_lim = doc.field("date_limite_paiement", V.iso(limite), d(limite))
    cfp = _pick(rng, f"SIP de {town[0]}", f"SIP {town[0].upper()}", f"Service des impôts des particuliers de {town[0]}")
    p_cfp = doc.field("centre_finances_publiques", cfp, cfp)
    addr_lines, _ = V.address(rng, town)
    window = f'<div class="window">{lines(declarants)}<br>{lines(addr_lines)}</div>'
    fip, role, service = V.digits(rng, 6), V.digits(rng, 3), V.digits(rng, 7)
    rest_label = _pick(rng, "Somme qu'il vous reste à payer", "Reste à payer", "Montant restant à payer")
    brut = net + V.cents(rng, 0, 600)
    header = (f'<div class="row"><div>{logo_bars(16, 11)}</div><div class="col">'
              f'<div style="font-weight: bold">DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES</div>'
              f'<div class="big">Impôt sur le revenu de {e(p_year)}</div>'
              f'<div>Avis d\'impôt établi en {year + 1}</div></div>'
              f'<div>{twoddoc.SLOT}</div></div>')
    doc.code_fallback = fake_matrix(rng, 20)
    doc.code = twoddoc.tax_notice(etab, V.parts_norm(halves), ref, str(year), declarants[0], recouv, str(rfr), nf1,
                                  nf2 if second else None, V.amount_norm(net), V.amount_norm(rest))
    refs = (kv(style, "Numéro fiscal" + (" – Déclarant 1" if second else ""), p_nf1)
            + (kv(style, "Déclarant 2", p_nf2) if second else "")
            + kv(style, "Référence de l'avis", p_ref)
            + kv(style, "Numéro FIP", fip, below=False)
            + kv(style, "Numéro de rôle", role, below=False)
            + kv(style, "Date d'établissement", p_etab)
            + kv(style, "Date de mise en recouvrement", p_recouv)
            + kv(style, "Identifiant service", service, below=False))
    detail = grid(["Détail du calcul", "Montant"], [
        ["Revenu brut global", V.french_amount(rfr * 100 + V.cents(rng, 0, 3000), am)],
        ["Impôt brut", V.french_amount(brut, am)],
        ["Impôt sur le revenu net", p_net],
        ["Prélèvement à la source déjà effectué", V.french_amount(withheld, am)],
    ], total=[rest_label, p_rest])
    contact = (f'<div class="box"><h3>Vos contacts</h3><div class="small">Centre des finances publiques</div>'
               f'<b>{e(p_cfp)}</b><div class="small">{lines(V.address(rng, town)[0])}<br>impots.gouv.fr – 0 809 401 401</div></div>')
    if layout == "tableau":
        # Drawn after the plugins were written (see edf "volet"): references in a two-column
        # table with abbreviated labels, the amount due named otherwise.
        table_rows = [("N° fiscal", p_nf1)] + ([("N° fiscal (2)", p_nf2)] if second else []) + [
            ("Réf. de l'avis", p_ref), ("Établi le", p_etab), ("Mis en recouvrement le", p_recouv),
            ("Revenu fiscal de référence", p_rfr), ("Nombre de parts", p_parts)]
        html = (header + window + '<div style="height: 34mm"></div>'
                + f'<table class="grid" style="width: 110mm">'
                + "".join(f'<tr><td>{e(l)}</td><td><b>{e(v)}</b></td></tr>' for l, v in table_rows) + '</table>'
                + f'<div class="box shade"><div>Impôt net à payer</div><div class="huge">{e(p_rest)}</div>'
                + f'<div>Date limite : {e(p_lim)}</div></div>' + detail + contact
                + '<div class="footer tiny">Payez en ligne sur impots.gouv.fr</div>')
    elif layout == "moderne":
        html = (header + window + '<div style="height: 4mm"></div>'
                + f'<div class="box" style="width: 86mm"><h3>Vos références</h3>{refs}</div>'
                + f'<div class="row"><div class="col box shade"><div>{e(rest_label)}</div><div class="huge">{e(p_rest)}</div>'
                + kv(style, "Date limite de paiement", p_lim, below=False) + '</div>'
                + f'<div class="col box">{kv(style, "Revenu fiscal de référence", p_rfr)}{kv(style, "Nombre de parts", p_parts)}</div></div>'
                + detail + contact
                + f'<div class="footer tiny">Adresse d\'imposition au 01/01/{year + 1} – Payez en ligne sur impots.gouv.fr</div>')
    else:
        html = (header + window + '<div style="height: 30mm"></div>'
                + f'<div class="row"><div class="col box"><h3>Vos références</h3>{refs}</div>'
                + f'<div class="col">{contact}<div class="box shade">{kv(style, "Montant de votre impôt", p_net, below=True)}'
                + kv(style, rest_label, p_rest, below=True) + kv(style, "à payer avant le", p_lim, below=False) + '</div></div></div>'
                + f'<div class="box">{kv(style, "Revenu fiscal de référence", p_rfr, below=False)}'
                + f'{kv(style, "Nombre de parts", p_parts, below=False)}</div>' + detail
                + '<div class="footer tiny">Ce document est à conserver. Il vous sera demandé pour toute démarche.</div>')
    doc.html = style.section(html, name)
    return doc


# ---------------------------------------------------------------- unrelated documents
def autre_ticket(rng, name):
    style = Style(rng, accent="#000000", shade="#ffffff", fonts=["DejaVu Sans Mono", "Liberation Mono"])
    doc = Doc(None, "ticket", style)
    items = [(_pick(rng, "PAIN DE MIE", "LAIT 1L", "POMMES 1KG", "CAFE MOULU", "RIZ 1KG", "YAOURTS X8",
                    "HUILE TOURNESOL", "PATES 500G", "SAVON", "LESSIVE"), V.cents(rng, 0.5, 9)) for _ in range(rng.randint(4, 12))]
    total = sum(c for _, c in items)
    when = V.date_between(rng, dt.date(2021, 1, 1), dt.date(2026, 10, 30))
    body = "".join(f'<tr><td>{e(n)}</td><td class="n">{e(V.french_amount(c, "plain", ""))}</td></tr>' for n, c in items)
    html = (f'<div style="width: 76mm; margin: 10mm auto; padding: 4mm; border: 0.2mm dashed #bbb">'
            f'<div class="center"><b>SUPERMARCHÉ {e(rng.choice(V.TOWNS)[0].upper())}</b><br>'
            f'SIRET {V.digits(rng, 14)}<br>TVA FR{V.digits(rng, 11)}</div><hr>'
            f'<table class="plain" style="width: 100%">{body}</table><hr>'
            f'<div><b>TOTAL {e(V.french_amount(total, "plain", "EUR"))}</b></div>'
            f'<div>CB {e(V.french_amount(total, "plain", "EUR"))}</div>'
            f'<div class="small">{e(V.french_date(when, "num"))} {rng.randint(8, 20)}:{rng.randint(0, 59):02d}'
            f' – Ticket {V.digits(rng, 6)}</div><div class="center small">Merci de votre visite</div></div>')
    doc.html = style.section(html, name)
    return doc


def autre_lettre(rng, name):
    style = Style(rng, accent="#2b5d34", shade="#eef5ef")
    doc = Doc(None, "lettre", style)
    town = rng.choice(V.TOWNS)
    when = V.date_between(rng, dt.date(2021, 1, 1), dt.date(2026, 10, 30))
    person = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    fee = V.french_amount(V.cents(rng, 20, 120))
    html = (f'<div class="big" style="color: var(--accent)">Association sportive de {e(town[0])}</div>'
            f'<div class="small">Maison des associations – {e(town[1])} {e(town[0])}</div>'
            f'<div class="window">{e(person)}<br>{lines(addr_lines)}</div><div style="height: 62mm"></div>'
            f'<p class="right">{e(town[0])}, le {e(V.french_date(when, "long"))}</p>'
            f'<p><b>Objet : renouvellement de votre adhésion</b></p><p>Madame, Monsieur,</p>'
            f'<p>La saison reprend le {e(V.french_date(when + dt.timedelta(days=20), "long"))}. La cotisation annuelle '
            f'est de {e(fee)}. Votre référence adhérent : {V.digits(rng, 6)}.</p>'
            f'<p>Vous pouvez régler par chèque ou en espèces lors de la permanence du mercredi.</p>'
            f'<p>Avec nos salutations sportives,</p><p>Le bureau</p>')
    doc.html = style.section(html, name)
    return doc


def autre_eau(rng, name):
    """A water bill: an invoice like EDF's (client number, amount, due date) from another
    partner — the hardest unrelated document for the electricity plugin."""
    style = Style(rng, accent="#0094b3", shade="#e0f4f8")
    doc = Doc(None, "eau", style)
    town = rng.choice(V.TOWNS)
    when = V.date_between(rng, dt.date(2021, 1, 1), dt.date(2026, 10, 30))
    am = V.amount_style(rng)
    m3 = rng.randint(8, 140)
    ttc = V.cents(rng, 40, 600)
    person = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    html = (f'<div class="band"><span class="big">Eau de {e(town[0])}</span> – service public de l\'eau</div>'
            f'<div class="window">{e(person)}<br>{lines(addr_lines)}</div><div style="height: 64mm"></div>'
            f'<h1>Facture d\'eau du {e(V.french_date(when, "num"))}</h1>'
            + kv(style, "Référence client", V.digits(rng, 9)) + kv(style, "N° de compteur", V.digits(rng, 8))
            + kv(style, "Consommation", f"{m3} m³")
            + grid(["Détail", "Montant"], [["Abonnement", V.french_amount(V.cents(rng, 10, 40), am)],
                                          ["Consommation d'eau", V.french_amount(V.cents(rng, 20, 300), am)],
                                          ["Assainissement", V.french_amount(V.cents(rng, 10, 200), am)]],
                   total=["Total TTC", V.french_amount(ttc, am)])
            + kv(style, "à payer avant le", V.french_date(when + dt.timedelta(days=15), "num")))
    doc.html = style.section(html, name)
    return doc


def autre_blanc(rng, name):
    style = Style(rng, accent="#000000", shade="#ffffff")
    doc = Doc(None, "blanc", style)
    doc.html = style.section("", name)
    return doc


KINDS = {
    "edf.facture": edf_facture,
    "caf.attestation_paiement": caf_attestation,
    "caf.indu": caf_indu,
    "impots.avis_ir": impots_avis,
    "autre.ticket": autre_ticket,
    "autre.lettre": autre_lettre,
    "autre.eau": autre_eau,
    "autre.blanc": autre_blanc,
}
