"""DGFiP, the income tax notice (impots.avis_ir): the layouts drawn after real notices."""

import datetime as dt

import twoddoc
import values as V
from page import Style, e, fake_matrix, grid, kv, lines, logo_bars, rows

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick


# ---------------------------------------------------------------- the centre's address
def centre_address(name, address_lines):
    """The centre's whole block as the plugin writes it (docs/formats.md: an address's lines
    joined with ", "): its name, then its street and town as printed under it. Its printed form
    (Doc.printed) is the postcode and town's line, the one that makes the address whole."""
    return ", ".join([name] + address_lines)


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
    centre_lines = V.address(rng, town)[0]
    doc.field("adresse_centre", centre_address(cfp, centre_lines), centre_lines[-1])
    contact = (f'<div class="box"><h3>Vos contacts</h3><div class="small">Centre des finances publiques</div>'
               f'<b>{e(p_cfp)}</b><div class="small">{lines(centre_lines)}<br>impots.gouv.fr – 0 809 401 401</div></div>')
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



# ---------------------------------------------------------------- random layout (blocks.py)
def draw(rng):
    c = Content("impots.avis_ir", accent=_pick(rng, "#1d3f8f", "#24477e", "#333366", "#000091"),
                shade=_pick(rng, "#eceff6", "#f2f2f2", "#e8edf7"),
                fonts=["DejaVu Sans", "Liberation Sans", "Liberation Sans Narrow", "DejaVu Sans Condensed",
                       "Liberation Serif", "DejaVu Serif"])
    ds, am = V.date_style(rng), V.amount_style(rng)
    cur = _pick(rng, "€", "€", "€", "EUR")
    a = lambda x: V.french_amount(x, am, cur)
    d = lambda x: V.french_date(x, ds)
    year = rng.randint(2015, 2025)
    town = rng.choice(V.TOWNS)
    etab = V.date_between(rng, dt.date(year + 1, 7, 20), dt.date(year + 1, 8, 20))
    recouv = etab + dt.timedelta(days=rng.randint(2, 4))
    limite = dt.date(year + 1, 9, 15)
    declarants = [V.person(rng)]
    second = rng.random() < 0.45
    if second:
        declarants.append(V.person(rng))
    nf_groups = [None, [2, 2, 3, 3, 3], [4, 3, 3, 3], [2, 2, 3, 3, 3]]
    nf_style = rng.choice(nf_groups)
    nf1 = V.numero_fiscal(rng)
    c.value("numero_fiscal", nf1, V.group(nf1, nf_style) if nf_style else nf1)
    if second:
        nf2 = V.numero_fiscal(rng)
        c.value("numero_fiscal_2", nf2, V.group(nf2, nf_style) if nf_style else nf2)
    ref = V.reference_avis(rng, year + 1)
    c.value("reference_avis", ref, grouped(rng, ref, [None, [2, 2, 3, 3, 3], [2, 2, 9]]))
    c.value("annee_revenus", str(year), str(year))
    rfr = rng.randint(9000, 68000)
    rfr_txt = V.french_amount(rfr * 100, am, cur if rng.random() < 0.5 else "")
    c.value("revenu_fiscal_reference", f"{rfr}.00", rfr_txt.replace(",00", "") if rng.random() < 0.6 else rfr_txt)
    halves = rng.choice([2, 3, 4, 5, 6, 7]) if not second else rng.choice([4, 5, 6, 7, 8])
    c.value("nombre_parts", V.parts_norm(halves), V.parts_printed(halves, rng))
    net = V.cents(rng, 90, 4800)
    withheld = int(net * rng.uniform(0.0, 0.85))
    rest = net - withheld
    brut = net + V.cents(rng, 0, 600)
    c.value("impot_net", V.amount_norm(net), a(net))
    c.value("reste_a_payer", V.amount_norm(rest), a(rest))
    c.value("date_etablissement", V.iso(etab), d(etab))
    c.value("date_mise_en_recouvrement", V.iso(recouv), d(recouv))
    c.value("date_limite_paiement", V.iso(limite), d(limite))
    cfp = _pick(rng, f"SIP de {town[0]}", f"SIP {town[0].upper()}", f"Service des impôts des particuliers de {town[0]}",
                f"Centre des finances publiques de {town[0]}")
    c.value("centre_finances_publiques", cfp, cfp)

    c.issuer = _pick(rng, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "Direction générale des Finances publiques",
                     "FINANCES PUBLIQUES", "impots.gouv.fr")
    c.issuer_lines = [_pick(rng, "RÉPUBLIQUE FRANÇAISE", "Liberté Égalité Fraternité", "")]
    c.header_lines = [_pick(rng, f"Impôt sur le revenu de {year}", f"Impôt {year + 1} sur les revenus {year}",
                            f"Revenus de l'année {year}", f"Déclaration des revenus {year}")]
    c.header_fields = ["annee_revenus"]
    c.logo = logo_bars(rng.randint(12, 18), rng.randint(8, 12)) + (fake_matrix(rng, 18) if rng.random() < 0.5 else "")
    c.window_names = declarants
    c.window_lines = V.address(rng, town)[0]
    c.refs = ["numero_fiscal", "reference_avis", "date_etablissement", "date_mise_en_recouvrement"] + (
        ["numero_fiscal_2"] if second else [])
    c.situation = ["revenu_fiscal_reference", "nombre_parts"]
    c.amounts = ["date_limite_paiement"]
    if rng.random() < 0.6:
        c.amounts.insert(0, "reste_a_payer")
    rows = [(("d", "revenu_brut"), [], a(rfr * 100 + V.cents(rng, 0, 3000))),
            (("d", "impot_brut"), [], a(brut)),
            (("f", "impot_net"), [], ""),
            (("d", "prelevement_source"), [], a(withheld))]
    c.table = Table(["Montant"], rows, total="reste_a_payer")
    c.distract["refs"] = rng.sample([("numero_fip", V.digits(rng, 6)), ("numero_role", V.digits(rng, 3)),
                                     ("identifiant_service", V.digits(rng, 7))], rng.randint(1, 3))
    c.contact_field = "centre_finances_publiques"
    c.contact_title = _pick(rng, "Vos contacts", "Pour nous joindre", "")
    centre_lines = V.address(rng, town)[0]
    c.contact_lines = centre_lines + ["impots.gouv.fr – 0 809 401 401"]
    # printed under the centre's name: its whole block is the address letters go to
    c.value("adresse_centre", centre_address(cfp, centre_lines), centre_lines[-1])
    c.contact_text_fields = ["adresse_centre"]
    c.small = [_pick(rng, "Payez en ligne sur impots.gouv.fr", "Ce document est à conserver.",
                     f"Adresse d'imposition au 01/01/{year + 1}")]
    c.distract["small"] = [("numero_role", V.digits(rng, 3))] if rng.random() < 0.5 else []
    return c


# ---------------------------------------------------------------- DGFiP, avis de situation déclarative
# What a real ASD prints: its title ("Avis de situation déclarative à l'impôt sur le revenu"),
# the year of the income, the declarants' numbers, a reference, the RFR and the parts, the date
# it was made; and no tax, no sum to pay, no due date, no "mise en recouvrement".
def _situation_values(rng, set_value, fmt):
    """The ASD's values (one declarant): year, household, numbers, RFR, parts, date."""
    ds, am = V.date_style(rng), V.amount_style(rng)
    year = rng.randint(2018, 2025)
    etab = V.date_between(rng, dt.date(year + 1, 5, 2), dt.date(year + 1, 12, 20))
    nf = V.numero_fiscal(rng)
    nf_style = rng.choice([None, [2, 2, 3, 3, 3], [4, 3, 3, 3]])
    set_value("numero_fiscal", nf, V.group(nf, nf_style) if nf_style else nf)
    ref = V.reference_avis(rng, year + 1)
    set_value("reference_avis", ref, fmt(ref))
    set_value("annee_revenus", str(year), str(year))
    rfr = rng.randint(0, 52000)
    rfr_txt = V.french_amount(rfr * 100, am, "€" if rng.random() < 0.5 else "")
    set_value("revenu_fiscal_reference", f"{rfr}.00", rfr_txt.replace(",00", "") if rng.random() < 0.6 else rfr_txt)
    halves = rng.choice([2, 2, 3, 4, 5, 6])
    set_value("nombre_parts", V.parts_norm(halves), V.parts_printed(halves, rng))
    set_value("date_etablissement", V.iso(etab), V.french_date(etab, ds))
    return year, rfr, am


def impots_situation(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#1d3f8f", "#000091", "#333366"), shade="#eceff6",
                  fonts=["DejaVu Sans", "Liberation Sans", "Liberation Sans Narrow", "Liberation Serif"])
    layout = layout or rng.choice(["situation", "attestation"])
    doc = Doc("impots.situation_declarative", layout, style)
    year, rfr, am = _situation_values(rng, doc.field, lambda r: V.group(r, [2, 2, 3, 3, 3]) if rng.random() < 0.6 else r)
    p = doc.printed
    town = rng.choice(V.TOWNS)
    person = V.person(rng)
    window = f'<div class="window">{e(person)}<br>{lines(V.address(rng, town)[0])}</div>'
    header = (f'<div class="row"><div>{logo_bars(16, 11)}</div><div class="col">'
              f'<div style="font-weight: bold">DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES</div>'
              f'<div class="big">Avis de situation déclarative à l\'impôt sur le revenu</div>'
              f'<div>Revenus de l\'année {e(p["annee_revenus"])}</div></div></div>')
    refs = (kv(style, "Numéro fiscal", p["numero_fiscal"]) + kv(style, "Référence de l'avis", p["reference_avis"])
            + kv(style, "Date d'établissement", p["date_etablissement"]))
    situation = grid(["Votre situation", ""], [
        ["Situation de famille", _pick(rng, "Célibataire", "Marié(e)", "Pacsé(e)", "Divorcé(e)", "Veuf(ve)")],
        ["Nombre de parts", p["nombre_parts"]],
        ["Revenu brut global", V.french_amount(rfr * 100 + V.cents(rng, 0, 2000), am)],
        ["Revenu fiscal de référence", p["revenu_fiscal_reference"]]])
    note = ('<p class="small">Ce document n\'est pas un avis d\'impôt : il atteste des revenus que vous avez déclarés. '
            'Il peut être présenté aux organismes qui le demandent.</p>')
    if layout == "situation":
        html = (header + window + '<div style="height: 34mm"></div>'
                + f'<div class="box" style="width: 96mm"><h3>Vos références</h3>{refs}</div>' + situation + note
                + f'<div class="footer tiny">impots.gouv.fr – Centre des finances publiques de {e(town[0])}</div>')
    else:
        html = (header + window + '<div style="height: 30mm"></div>'
                + rows([("Numéro fiscal", p["numero_fiscal"]), ("Référence de l'avis", p["reference_avis"]),
                        ("Revenu fiscal de référence", p["revenu_fiscal_reference"]), ("Nombre de parts", p["nombre_parts"]),
                        ("Établi le", p["date_etablissement"])])
                + note + f'<div class="footer tiny">Document à conserver – impots.gouv.fr</div>')
    doc.html = style.section(html, name)
    return doc


def draw_situation(rng):
    c = Content("impots.situation_declarative", accent=_pick(rng, "#1d3f8f", "#24477e", "#000091", "#333366"),
                shade=_pick(rng, "#eceff6", "#f2f2f2", "#e8edf7"),
                fonts=["DejaVu Sans", "Liberation Sans", "Liberation Sans Narrow", "DejaVu Sans Condensed",
                       "Liberation Serif", "DejaVu Serif"])
    year, rfr, am = _situation_values(rng, c.value, lambda r: grouped(rng, r, [None, [2, 2, 3, 3, 3], [2, 2, 9]]))
    town = rng.choice(V.TOWNS)
    c.issuer = _pick(rng, "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "Direction générale des Finances publiques",
                     "FINANCES PUBLIQUES", "impots.gouv.fr")
    c.issuer_lines = [_pick(rng, "RÉPUBLIQUE FRANÇAISE", "Liberté Égalité Fraternité", "")]
    c.header_lines = [_pick(rng, f"Revenus de l'année {year}", f"Impôt {year + 1} sur les revenus {year}",
                            f"Déclaration des revenus {year}", f"Revenus {year}")]
    c.header_fields = ["annee_revenus"]
    c.logo = logo_bars(rng.randint(12, 18), rng.randint(8, 12)) + (fake_matrix(rng, 18) if rng.random() < 0.4 else "")
    c.window_names = [V.person(rng)]
    c.window_lines = V.address(rng, town)[0]
    c.refs = ["numero_fiscal", "reference_avis", "date_etablissement"]
    c.situation = ["revenu_fiscal_reference", "nombre_parts"]
    c.distract["refs"] = rng.sample([("numero_fip", V.digits(rng, 6)), ("identifiant_service", V.digits(rng, 7))],
                                    rng.randint(0, 2))
    c.paragraphs = [_pick(rng, "Ce document n'est pas un avis d'impôt : il atteste des revenus que vous avez déclarés.",
                          "Cet avis récapitule votre situation déclarative. Il peut être présenté aux organismes qui le demandent.",
                          "Votre déclaration a bien été enregistrée. Vous recevrez votre avis d'impôt ultérieurement.")]
    c.contact_title = _pick(rng, "Vos contacts", "Pour nous joindre", "")
    centre, centre_lines = f"Centre des finances publiques de {town[0]}", V.address(rng, town)[0]
    c.contact_lines = [centre] + centre_lines + ["impots.gouv.fr – 0 809 401 401"]
    c.value("adresse_centre", centre_address(centre, centre_lines), centre_lines[-1])
    c.contact_text_fields = ["adresse_centre"]
    c.small = [_pick(rng, "Document à conserver.", "impots.gouv.fr", f"Adresse au 01/01/{year + 1}")]
    return c
