"""EDF, the electricity bill (edf.facture): the layouts drawn after real bills."""

import datetime as dt

import twoddoc
import values as V
from page import Style, e, grid, kv, lines, logo_sun, rows

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick


# ---------------------------------------------------------------- EDF's customer-service address
ARRAS = "Service Clients – TSA 21941 – 62978 Arras Cedex 9"
NANTES = "Service Clients – TSA 40025 – 44911 Nantes Cedex 9"


def service_address(line):
    """The address a letter to EDF goes to, as the plugin writes it (docs/formats.md: its lines
    joined with ", "), from the header line that prints it; None for a line that is no address."""
    if not line.startswith("Service Clients – "):
        return None
    return "EDF " + ", ".join(line.split(" – "))


def record_service_address(set_value, line):
    """Record adresse_service_client when `line` (printed in the header) is EDF's address."""
    value = service_address(line)
    if value:
        set_value("adresse_service_client", value, line)
    return value


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
        record_service_address(doc.field, ARRAS)
        html = (
            f'<div class="row"><div>{logo_sun(22, style.accent, "#1a7fd4")}</div>'
            f'<div class="col"><div class="big">EDF</div><div class="small">Électricité de France<br>'
            f'{ARRAS}</div></div></div>'
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
        record_service_address(doc.field, NANTES)
        html = (
            f'<div class="row"><div class="col"><div class="big" style="color: var(--accent)">EDF Entreprises</div>'
            f'<div class="small">{NANTES}</div></div>'
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



# ---------------------------------------------------------------- random layout (blocks.py)
PDL_GROUPS = [None, None, [2, 3, 3, 3, 3], [2, 2, 2, 2, 2, 2, 2], [3, 3, 3, 3, 2], [4, 4, 4, 2]]


def draw(rng):
    """The values of a bill, its distractors and where each goes, for blocks.compose()."""
    c = Content("edf.facture", accent=_pick(rng, "#0a4a9c", "#ff5a00", "#10367a", "#1b5e20", "#333333"),
                shade=_pick(rng, "#e8eef8", "#f3f3f3", "#fff1e6"))
    ds, am = V.date_style(rng), V.amount_style(rng)
    cur = _pick(rng, "€", "€", "€", "EUR")
    a = lambda x: V.french_amount(x, am, cur)
    d = lambda x: V.french_date(x, ds)
    date_facture = V.date_between(rng, dt.date(2020, 1, 5), dt.date(2026, 10, 28))
    fin = date_facture - dt.timedelta(days=rng.randint(2, 12))
    debut = fin - dt.timedelta(days=rng.choice([30, 31, 59, 61, 364]))
    limite = date_facture + dt.timedelta(days=rng.randint(14, 21))
    kwh = rng.randint(80, 4200)
    abo, conso = V.cents(rng, 9, 40), int(kwh * rng.uniform(14.5, 25.9))
    taxes = int(conso * rng.uniform(0.18, 0.32))
    ht = abo + conso + taxes
    tva = round(ht * rng.choice([0.2, 0.2, 0.155]))
    ttc = ht + tva
    numero = V.digits(rng, rng.choice([10, 11]))
    ref = V.digits(rng, rng.choice([10, 11, 12]), first_nonzero=False)
    pdl = V.digits(rng, 14, first_nonzero=False)
    town = rng.choice(V.TOWNS)
    holder = V.person(rng)
    addr_lines, addr = V.address(rng, town)

    c.value("numero_facture", numero, grouped(rng, numero, [None, None, [2, 3, 3, 3], [3, 3, 3, 3]]))
    c.value("reference_client", ref, grouped(rng, ref, [None, [2, 2, 2, 2, 2], [3, 3, 3, 3], [4, 3, 3]]))
    c.value("pdl", pdl, grouped(rng, pdl, PDL_GROUPS))
    c.value("date_facture", V.iso(date_facture), d(date_facture))
    c.value("date_limite_paiement", V.iso(limite), d(limite))
    c.value("montant_ttc", V.amount_norm(ttc), a(ttc))
    c.value("periode_debut", V.iso(debut), d(debut))
    c.value("periode_fin", V.iso(fin), d(fin))
    kwh_txt = V.group(str(kwh), [len(str(kwh)) - 3, 3]) if kwh >= 1000 and rng.random() < 0.5 else str(kwh)
    c.value("consommation_kwh", str(kwh), kwh_txt)
    c.value("titulaire", holder, holder)
    c.value("adresse_consommation", addr, addr)

    c.issuer = _pick(rng, "EDF", "EDF", "edf", "EDF – Électricité de France")
    c.issuer_lines = [_pick(rng, ARRAS, NANTES, "edf.fr – Espace Client", "Électricité de France – Direction Commerce")]
    if record_service_address(c.value, c.issuer_lines[0]):
        c.header_fields.append("adresse_service_client")
    c.logo = logo_sun(rng.randint(12, 22), "#ffffff" if rng.random() < 0.5 else c.accent, _pick(rng, "#ffd200", "#1a7fd4", "#f5a300"))
    c.holder = "titulaire"
    # the window holds the holder and a postal address (often the consumption address itself)
    post_lines = addr_lines if rng.random() < 0.6 else V.address(rng, town)[0]
    c.window_names = [holder]
    c.window_lines = post_lines
    c.refs = ["numero_facture", "reference_client", "pdl", "adresse_consommation"]
    c.amounts = ["montant_ttc", "date_limite_paiement"]
    if rng.random() < 0.5:
        c.refs.append("date_facture")
    else:
        c.amounts.insert(1, "date_facture")
    if rng.random() < 0.5:
        c.refs.append("consommation_kwh")
    else:
        c.amounts.append("consommation_kwh")
    c.period = ("periode_debut", "periode_fin")
    index_start = rng.randint(1000, 90000)
    rows = [(("d", "abonnement"), [f"{(fin - debut).days} jours"], a(abo)),
            (("d", "energie"), [f"{kwh_txt} kWh"], a(conso)),
            (("d", "taxes"), [""], a(taxes)),
            (("d", "montant_ht"), [""], a(ht)),
            (("d", "tva"), [""], a(tva))]
    c.table = Table(["Quantité", "Montant"], rows, total="montant_ttc" if rng.random() < 0.6 else None)
    if c.table.total and rng.random() < 0.4:
        c.amounts.remove("montant_ttc")
    if not c.table.total:
        c.table.rows.append((("d", "total"), [""], a(ttc)))
    prochaine = date_facture + dt.timedelta(days=rng.choice([30, 61]))
    c.distract["refs"] = rng.sample([("numero_contrat", V.digits(rng, 12)),
                                     ("index", f"{index_start} kWh"),
                                     ("prochaine_facture", V.french_date(prochaine, ds))], rng.randint(1, 3))
    c.distract["amounts"] = rng.sample([("mensualite", a(V.cents(rng, 30, 180))),
                                        ("solde_precedent", a(V.cents(rng, 0, 90))),
                                        ("acompte", a(V.cents(rng, 20, 300)))], rng.randint(0, 2))
    c.distract["small"] = [("siret", V.digits(rng, 14)), ("prochaine_facture", V.french_date(prochaine, "num"))]
    c.distract["contact"] = [("telephone", _pick(rng, "09 69 32 15 15", "09 69 39 33 05", "3004"))]
    c.contact_title = _pick(rng, "Nous contacter", "Vos contacts", "Une question ?", "")
    c.contact_lines = [_pick(rng, "Du lundi au samedi de 8 h à 20 h", "Appel non surtaxé", "Sur edf.fr, 24 h/24"),
                       f"Puissance souscrite : {rng.choice([3, 6, 9, 12])} kVA – option {_pick(rng, 'Base', 'Heures Creuses')}"]
    c.small = [_pick(rng, "EDF SA au capital de 2 084 365 041 €", "Électricité de France, société anonyme"),
               "552 081 317 R.C.S. Paris", f"Index de fin : {index_start + kwh}"]
    return c


# ---------------------------------------------------------------- EDF, attestation de titulaire de contrat
# What a real one prints: "Attestation de titulaire de contrat" (or "de contrat d'électricité"),
# EDF certifies that the holder has a contract for the home at an address, with its delivery
# point and customer reference, the date it was made; no amount, no due date.
def _attestation_values(rng, set_value):
    ds = V.date_style(rng)
    when = V.date_between(rng, dt.date(2020, 1, 5), dt.date(2026, 10, 28))
    since = when - dt.timedelta(days=rng.randint(40, 3000))
    ref = V.digits(rng, rng.choice([10, 11, 12]), first_nonzero=False)
    pdl = V.digits(rng, 14, first_nonzero=False)
    town = rng.choice(V.TOWNS)
    holder = V.person(rng)
    addr_lines, addr = V.address(rng, town)
    set_value("pdl", pdl, grouped(rng, pdl, PDL_GROUPS))
    set_value("reference_client", ref, grouped(rng, ref, [None, [2, 2, 2, 2, 2], [3, 3, 3, 3], [4, 3, 3]]))
    set_value("titulaire", holder, holder)
    set_value("adresse_consommation", addr, addr)
    set_value("date_attestation", V.iso(when), V.french_date(when, ds))
    return town, holder, addr_lines, V.french_date(since, ds)


def edf_attestation(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#0a4a9c", "#ff5a00", "#10367a"), shade="#e8eef8")
    layout = layout or rng.choice(["lettre", "encadre"])
    doc = Doc("edf.attestation", layout, style)
    town, holder, addr_lines, since = _attestation_values(rng, doc.field)
    p = doc.printed
    window = f'<div class="window">{e(holder)}<br>{lines(addr_lines)}</div>'
    head = (f'<div class="row"><div>{logo_sun(18, style.accent, "#1a7fd4")}</div>'
            f'<div class="col"><div class="big">EDF</div><div class="small">Électricité de France<br>'
            f'{ARRAS}</div></div></div>')
    record_service_address(doc.field, ARRAS)
    title = _pick(rng, "Attestation de titulaire de contrat", "Attestation de contrat d'électricité")
    sentence = (f'<p>EDF atteste que {e(holder)} est titulaire d\'un contrat de fourniture d\'électricité depuis le '
                f'{e(since)} pour le logement situé à l\'adresse ci-dessous.</p>')
    footer = ('<div class="footer tiny">EDF SA au capital de 2 084 365 041 € – 552 081 317 R.C.S. Paris – '
              'Cette attestation est établie pour servir et valoir ce que de droit.</div>')
    if layout == "lettre":
        html = (head + window + '<div style="height: 56mm"></div>' + f'<h1>{e(title)}</h1>' + sentence
                + kv(style, "Adresse de consommation", p["adresse_consommation"])
                + kv(style, "Point de livraison (PDL)", p["pdl"]) + kv(style, "Référence client", p["reference_client"])
                + kv(style, "Fait le", p["date_attestation"], below=False) + footer)
    else:
        html = (head + f'<h1>{e(title)}</h1>' + window + '<div style="height: 40mm"></div>'
                + f'<div class="box"><h3>Votre contrat</h3>'
                + rows([("Titulaire du contrat", p["titulaire"]), ("Lieu de consommation", p["adresse_consommation"]),
                        ("N° PRM", p["pdl"]), ("N° client", p["reference_client"]),
                        ("Date de souscription", since)]) + '</div>'
                + kv(style, "Date de l'attestation", p["date_attestation"], below=False) + footer)
    doc.html = style.section(html, name)
    return doc


def draw_attestation(rng):
    c = Content("edf.attestation", accent=_pick(rng, "#0a4a9c", "#ff5a00", "#10367a", "#1b5e20", "#333333"),
                shade=_pick(rng, "#e8eef8", "#f3f3f3", "#fff1e6"))
    town, holder, addr_lines, since = _attestation_values(rng, c.value)
    c.issuer = _pick(rng, "EDF", "EDF", "edf", "EDF – Électricité de France")
    c.issuer_lines = [_pick(rng, ARRAS, "edf.fr – Espace Client", "Électricité de France – Direction Commerce")]
    if record_service_address(c.value, c.issuer_lines[0]):
        c.header_fields.append("adresse_service_client")
    c.logo = logo_sun(rng.randint(12, 22), "#ffffff" if rng.random() < 0.5 else c.accent, _pick(rng, "#ffd200", "#1a7fd4"))
    c.holder = "titulaire"
    c.window_names = [holder]
    c.window_lines = addr_lines if rng.random() < 0.6 else V.address(rng, town)[0]
    c.refs = ["pdl", "reference_client", "adresse_consommation"]
    c.amounts = []
    c.situation = ["date_attestation"]
    c.distract["refs"] = rng.sample([("numero_contrat", V.digits(rng, 12))], rng.randint(0, 1))
    c.paragraphs = [_pick(rng, f"EDF atteste que le titulaire désigné ci-dessous dispose d'un contrat de fourniture "
                               f"d'électricité en cours depuis le {e(since)}.",
                          "Nous certifions que la personne désignée est titulaire d'un contrat d'électricité pour le logement indiqué.",
                          "Cette attestation est délivrée à la demande du titulaire, pour servir et valoir ce que de droit.")]
    c.contact_title = _pick(rng, "Nous contacter", "Une question ?", "")
    c.contact_lines = [_pick(rng, "Du lundi au samedi de 8 h à 20 h", "Sur edf.fr, 24 h/24")]
    c.small = [_pick(rng, "EDF SA au capital de 2 084 365 041 €", "Électricité de France, société anonyme"),
               "552 081 317 R.C.S. Paris"]
    return c
