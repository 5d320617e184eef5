"""A social landlord's rent notice (bailleur.avis_echeance, the `bailleur` partner definition):
the layouts drawn after real avis d'échéance — Paris Habitat, ICF Habitat, Immobilière 3F, CDC
Habitat, a town's office public de l'habitat — and the random layout.

What a real one prints: the landlord, the tenant's reference (and the dwelling's), the month
billed, a table of the rent, the service charges (provisions pour charges, sometimes detailed:
cold water, heating, lift), the housing benefit (APL or allocation logement) paid to the landlord
and deducted — on some notices only —, the amount to pay (rent + charges − benefit), the date it
is due or taken by direct debit, the account's previous balance and payments received, the next
instalment's date, and how to reach the recovery service."""

import datetime as dt

import values as V
from page import Style, e, grid, kv, lines, logo_square, logo_sun, rows

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick

LANDLORDS = [
    ("Paris Habitat", "21 bis rue Claude Bernard – 75005 Paris", "Paris Habitat – OPH, office public de l'habitat de Paris"),
    ("ICF Habitat", "Groupe SNCF – icfhabitat.fr", "ICF Habitat – société anonyme d'HLM"),
    ("ICF Habitat Atlantique", "icfhabitat.fr – Espace locataire", "ICF Habitat Atlantique – SA d'HLM"),
    ("Immobilière 3F", "3f-immobiliere.fr – Espace locataire", "Immobilière 3F – SA d'HLM, groupe Action Logement"),
    ("3F", "Votre espace locataire sur 3f-immobiliere.fr", "Immobilière 3F – SA d'HLM"),
    ("CDC Habitat social", "cdc-habitat.fr – Mon espace locataire", "CDC Habitat social – SA d'HLM"),
    ("Vilogia", "vilogia.fr – Espace client", "Vilogia SA d'HLM"),
    ("Batigère", "batigere.fr", "Batigère – SA d'HLM"),
]
OPH = ["{town} Habitat", "Office public de l'habitat de {town}", "OPH de {town}", "{town} Métropole Habitat"]
RECOVERY = ["Service recouvrement", "Service recouvrement et contentieux", "Pôle recouvrement",
            "Service contentieux locatif", "Votre chargé(e) de recouvrement"]


def _landlord(rng, town):
    if rng.random() < 0.35:
        name = rng.choice(OPH).format(town=town[0])
        return name, f"{rng.randint(1, 60)} {rng.choice(V.STREET_KINDS)} {rng.choice(V.STREET_NAMES)} – {town[1]} {town[0]}", \
            f"{name} – office public de l'habitat"
    return rng.choice(LANDLORDS)


def _month_end(d):
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _values(rng, set_value):
    """The notice's values, recorded with set_value(key, normalised, printed); returns the
    amounts and what the layouts print beside them."""
    town = rng.choice(V.TOWNS)
    ds, am = V.date_style(rng), V.amount_style(rng)
    cur = _pick(rng, "€", "€", "€", "EUR")
    a = lambda x: V.french_amount(x, am, cur)
    d = lambda x: V.french_date(x, ds)
    debut = V.date_between(rng, dt.date(2020, 1, 1), dt.date(2026, 11, 1)).replace(day=1)
    fin = _month_end(debut)
    echu = rng.random() < 0.6   # "terme échu": the month's notice is due early the next month
    limite = fin + dt.timedelta(days=rng.randint(1, 10)) if echu else debut + dt.timedelta(days=rng.randint(4, 9))
    emission = (fin - dt.timedelta(days=rng.randint(0, 8))) if echu else (debut - dt.timedelta(days=rng.randint(5, 12)))
    loyer = V.cents(rng, 230, 780)
    charges = V.cents(rng, 35, 230)
    aide = 0
    if rng.random() < 0.55:
        aide = min(V.cents(rng, 60, 480), loyer + charges - V.cents(rng, 20, 120))
    total = loyer + charges - aide
    ref = V.digits(rng, rng.choice([6, 7, 8, 10]), first_nonzero=False)
    benefit = _pick(rng, "APL", "APL", "AL", "ALS", "ALF")
    aide_printed = a(aide)
    if rng.random() < 0.4:
        aide_printed = "-" + aide_printed

    set_value("reference_locataire", ref, grouped(rng, ref, [None, None, [3, 4], [2, 2, 2, 2, 2], [4, 4]]))
    set_value("periode_debut", V.iso(debut), d(debut))
    set_value("periode_fin", V.iso(fin), d(fin))
    set_value("loyer", V.amount_norm(loyer), a(loyer))
    set_value("charges", V.amount_norm(charges), a(charges))
    if aide:
        set_value("aide_logement", V.amount_norm(aide), aide_printed)
    set_value("montant_a_payer", V.amount_norm(total), a(total))
    set_value("date_limite_paiement", V.iso(limite), d(limite))
    water = V.cents(rng, 5, min(30, charges // 200 + 6))
    heating = V.cents(rng, 0, max(1, (charges - water) / 200))
    x = {"town": town, "ds": ds, "a": a, "d": d, "emission": emission, "benefit": benefit,
         "month": f"{V.MONTHS[debut.month - 1]} {debut.year}", "next": _month_end(fin + dt.timedelta(days=1)),
         "solde": V.cents(rng, 0, 400) if rng.random() < 0.4 else 0, "water": water, "heating": heating,
         "logement": f"{rng.randint(1, 99):03d}{rng.choice(['', '-', '/'])}{rng.randint(1, 400):04d}",
         "residence": f"Résidence {rng.choice(['les Tilleuls', 'le Parc', 'les Glycines', 'Jean Moulin', 'les Hauts de ' + town[0], 'du Stade'])}",
         "debit": rng.random() < 0.3}
    return {"loyer": loyer, "charges": charges, "aide": aide, "total": total}, x


def bailleur_avis(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#c8102e", "#00629b", "#6d2077", "#00843d", "#e35205", "#1d4e89"), shade="#f1f1f1")
    layout = layout or rng.choice(["avis", "compte", "tableau"])
    doc = Doc("bailleur.avis_echeance", layout, style)
    amounts, x = _values(rng, doc.field)
    p = doc.printed
    a, d, town = x["a"], x["d"], x["town"]
    landlord, sub, small = _landlord(rng, town)
    tenant = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    window = f'<div class="window">{e(tenant)}<br>{lines(addr_lines)}</div>'
    ref_label = _pick(rng, "Référence locataire", "N° de locataire", "Votre référence", "N° de compte locataire", "Réf. locataire")
    loyer_label = _pick(rng, "Loyer", "Loyer principal", "Loyer du logement", "Loyer net")
    charges_label = _pick(rng, "Provisions pour charges", "Charges locatives", "Charges", "Provision sur charges")
    aide_label = _pick(rng, f"{x['benefit']} versée par la CAF", "Aide au logement", f"Déduction {x['benefit']}",
                       "Allocation logement", "APL (tiers payant)")
    total_label = _pick(rng, "Montant à payer", "Net à payer", "Total à payer", "Reste à votre charge", "Montant de l'échéance")
    lim_label = _pick(rng, "À payer avant le", "Date limite de paiement", "Date d'exigibilité", "À régler au plus tard le")
    table_rows = [[loyer_label, p["loyer"]], [charges_label, p["charges"]]]
    if "aide_logement" in p:
        table_rows.append([aide_label, p["aide_logement"]])
    detail = grid([_pick(rng, "Détail de l'échéance", "Libellé", "Décompte du mois"), "Montant"], table_rows,
                  total=[total_label, p["montant_a_payer"]])
    charges_detail = (f'<div class="small">dont eau froide {e(a(x["water"]))}, chauffage collectif {e(a(x["heating"]))}, '
                      f'entretien des parties communes et ascenseur</div>')
    if x["debit"]:
        pay = f'<div>Prélèvement automatique le <b>{e(p["date_limite_paiement"])}</b></div>'
    else:
        pay = kv(style, lim_label, p["date_limite_paiement"])
    period_line = _pick(rng, f'Période du {p["periode_debut"]} au {p["periode_fin"]}',
                        f'Échéance du {p["periode_debut"]} au {p["periode_fin"]}',
                        f'Loyer du mois : {p["periode_debut"]} – {p["periode_fin"]}')
    situation = (f'<div class="small">Situation de votre compte : solde antérieur {e(a(x["solde"]))}, '
                 f'règlements reçus {e(a(x["solde"]))}. Prochaine échéance le {e(V.french_date(x["next"], "num"))}.</div>')
    recovery = (f'<div class="box"><h3>{e(_pick(rng, *RECOVERY))}</h3><div class="small">En cas de difficulté de paiement, '
                f'contactez-nous sans attendre : un plan d\'apurement peut vous être proposé.<br>{e(sub)}</div></div>')
    footer = f'<div class="footer tiny">{e(small)} – Avis émis le {e(V.french_date(x["emission"], "num"))}</div>'
    logo = logo_sun(16, style.accent, "#bbbbbb") if rng.random() < 0.3 else logo_square(16, style.accent)
    if layout == "avis":
        html = (f'<div class="row"><div>{logo}</div><div class="col"><div class="big">{e(landlord)}</div>'
                f'<div class="small">{e(sub)}</div></div></div>'
                + f'<h1>Avis d\'échéance – {e(x["month"])}</h1>' + window + '<div style="height: 42mm"></div>'
                + f'<div class="box" style="width: 92mm">{kv(style, ref_label, p["reference_locataire"])}'
                + kv(style, "Logement", f'{x["logement"]} – {x["residence"]}') + '</div>'
                + f'<p><b>{e(period_line)}</b></p>' + detail + charges_detail
                + f'<div class="box shade">{kv(style, total_label, p["montant_a_payer"], cls="big")}{pay}</div>'
                + situation + recovery + footer)
    elif layout == "compte":
        # a statement of account: the month's lines among the previous balance and payments
        lines_ = [["Solde antérieur", "", a(x["solde"]) if x["solde"] else a(0)],
                  [f'{loyer_label} {x["month"]}', p["loyer"], ""], [charges_label, p["charges"], ""]]
        if "aide_logement" in p:
            lines_.append([aide_label, "", p["aide_logement"]])
        if x["solde"]:
            lines_.append(["Règlement reçu", "", a(x["solde"])])
        statement = grid(["Opération", "Débit", "Crédit"], lines_, total=[total_label, p["montant_a_payer"], ""])
        html = (f'<div class="band row" style="align-items: center"><div>{logo_square(12, "#ffffff", style.accent)}</div>'
                f'<div class="col"><div class="big">{e(landlord)}</div><div class="small" style="color: white">{e(sub)}</div>'
                f'</div></div><div style="height: 34mm"></div>{window}'
                + '<h2>Avis d\'échéance</h2>'
                + rows([(ref_label, p["reference_locataire"]), ("N° de logement", x["logement"]),
                        ("Période", f'du {p["periode_debut"]} au {p["periode_fin"]}'),
                        ("Date d'émission", d(x["emission"]))])
                + statement + charges_detail
                + '<div class="box">' + kv(style, total_label, p["montant_a_payer"], below=False, cls="big") + pay + '</div>'
                + recovery + footer)
    else:  # tableau: references in a grid of cells, the month's amounts side by side
        cell = lambda l, v: (f'<td style="padding: 1.5mm 2mm; border: 0.25mm solid #bbb"><div class="small">{e(l)}</div>'
                             f'<b>{e(v)}</b></td>')
        amounts_row = [cell(loyer_label, p["loyer"]), cell(charges_label, p["charges"])]
        if "aide_logement" in p:
            amounts_row.append(cell(aide_label, p["aide_logement"]))
        amounts_row.append(cell(total_label, p["montant_a_payer"]))
        html = (f'<div class="row"><div class="col"><div class="big" style="color: var(--accent)">{e(landlord)}</div>'
                f'<div class="small">{e(sub)}</div></div><div>{logo}</div></div>'
                + window + '<div style="height: 50mm"></div>'
                + f'<h1>Avis d\'échéance de {e(x["month"])}</h1>'
                + '<table style="border-collapse: collapse; width: 100%"><tr>'
                + cell(ref_label, p["reference_locataire"]) + cell("Logement", x["residence"])
                + cell("Période", f'{p["periode_debut"]} – {p["periode_fin"]}') + '</tr></table>'
                + '<table style="border-collapse: collapse; width: 100%; margin-top: 3mm"><tr>' + "".join(amounts_row)
                + '</tr></table>' + charges_detail + pay + situation + recovery + footer)
    doc.html = style.section(html, name)
    return doc


# ---------------------------------------------------------------- random layout (blocks.py)
def draw(rng):
    """A rent notice's values, its distractors and where each goes, for blocks.compose()."""
    c = Content("bailleur.avis_echeance", accent=_pick(rng, "#c8102e", "#00629b", "#6d2077", "#00843d", "#e35205", "#333333"),
                shade=_pick(rng, "#f1f1f1", "#eef5fb", "#fdf0e8"))
    amounts, x = _values(rng, c.value)
    a, town = x["a"], x["town"]
    landlord, sub, small = _landlord(rng, town)
    c.issuer = landlord
    c.issuer_lines = [sub]
    c.header_lines = [_pick(rng, f"Avis d'échéance – {x['month']}", f"Échéance de {x['month']}", x["month"].capitalize(), "")]
    c.header_lines = [h for h in c.header_lines if h]
    white = rng.random() < 0.5   # a white mark on the band's colour, or the colour on white
    c.logo = logo_square(rng.randint(10, 18), "#ffffff" if white else c.accent, c.accent if white else "#ffffff")
    tenant = V.person(rng)
    c.window_names = [tenant]
    c.window_lines = V.address(rng, town)[0]
    c.refs = ["reference_locataire"]
    c.period = ("periode_debut", "periode_fin")
    if rng.random() < 0.75:   # the month's lines in a table, the amount to pay its total or in a box
        rows_ = [(("f", "loyer"), [], ""), (("f", "charges"), [], "")]
        if amounts["aide"]:
            rows_.append((("f", "aide_logement"), [], ""))
        c.table = Table([_pick(rng, "Montant", "Débit", "€")], rows_,
                        total="montant_a_payer" if rng.random() < 0.7 else None, title_key="avis_detail")
        c.amounts = ["date_limite_paiement"]
        if not c.table.total or rng.random() < 0.4:
            c.amounts.insert(0, "montant_a_payer")
        if not c.table.total:   # the table still ends with its total, under a distractor's label
            c.table.rows.append((("d", "total"), [], a(amounts["total"])))
    else:
        c.amounts = ["montant_a_payer", "loyer", "charges"] + (["aide_logement"] if amounts["aide"] else []) \
            + ["date_limite_paiement"]
    c.distract["refs"] = rng.sample([("numero_logement", x["logement"]), ("residence", x["residence"]),
                                     ("prochaine_echeance", V.french_date(x["next"], x["ds"])),
                                     ("date_emission", V.french_date(x["emission"], x["ds"]))], rng.randint(1, 3))
    c.distract["amounts"] = rng.sample([("solde_precedent", a(x["solde"])), ("acompte", a(x["solde"])),
                                        ("depot_garantie", a(V.cents(rng, 250, 700)))], rng.randint(0, 2))
    c.distract["small"] = [("prochaine_echeance", V.french_date(x["next"], "num"))]
    c.distract["contact"] = [("telephone", _pick(rng, "01 71 39 85 00", "09 69 36 37 38", "01 40 73 60 00", "03 20 99 99 99"))]
    c.contact_title = _pick(rng, *RECOVERY, "Nous contacter", "Une difficulté pour payer ?")
    c.contact_lines = [_pick(rng, "En cas de difficulté de paiement, contactez-nous sans attendre.",
                             "Un plan d'apurement peut vous être proposé.", "Votre gardien est à votre écoute."),
                       _pick(rng, "Paiement par prélèvement, TIP, carte bancaire ou chèque.",
                             f"Dont eau froide {a(x['water'])} et chauffage {a(x['heating'])}.")]
    c.small = [small, _pick(rng, "Conservez cet avis : il vaut quittance une fois réglé.",
                            "Loyer conventionné – tout retard de paiement peut entraîner des frais de relance.")]
    return c
