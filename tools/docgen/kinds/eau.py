"""The water bill (eau.facture, the `eau` partner definition): the layouts drawn after real bills
of water suppliers — Eau de Paris, Veolia, Suez, Saur, municipal régies — and the random layout.

What a real one prints: the supplier, the bill's number and date, the customer reference and the
meter's number, the two index readings and the m³ consumed between them over a period of several
months (a reading every 4, 6 or 12 months), a detail in three parts (distribution of drinking
water, collection and treatment of waste water, public bodies' dues) with VAT at 5.5 % and 10 %,
the total, the date it is due (or taken by direct debit), and often a previous balance, the next
bill's date, the price of a m³."""

import datetime as dt

import values as V
from page import Style, e, grid, kv, lines, logo_square, rows

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick

# (name in the header, its line under it: web site or service, small print)
SUPPLIERS = [
    ("Eau de Paris", "eaudeparis.fr – Service clients 09 74 50 65 07", "Eau de Paris – régie publique de l'eau de la Ville de Paris"),
    ("Veolia", "Service clients – TSA 60038 – 69905 Lyon Cedex 20", "Veolia Eau – Compagnie Générale des Eaux, SCA"),
    ("Veolia Eau", "veolia.fr – Espace clients", "Veolia Eau d'Île-de-France SNC"),
    ("SUEZ", "toutsurmoneau.fr – Service clients TSA 50001", "SUEZ Eau France SAS"),
    ("Suez Eau France", "Service clientèle – CS 20001 – 33027 Bordeaux Cedex", "SUEZ Eau France SAS"),
    ("Saur", "saurclient.fr – Service clients 02 44 71 05 50", "SAUR SAS – société de distribution d'eau"),
    ("SAUR", "Centre de relation clients – CS 30521", "SAUR SAS"),
]
REGIES = ["Régie des eaux de {town}", "Eau de {town} Métropole", "Régie municipale de l'eau – {town}",
          "Syndicat des eaux de la région de {town}", "{town} Eau – service public"]


def _supplier(rng, town, regie=False):
    if regie or rng.random() < 0.3:
        name = rng.choice(REGIES).format(town=town[0])
        return name, f"{town[1]} {town[0]} – service public de l'eau et de l'assainissement", f"{name} – établissement public"
    return rng.choice(SUPPLIERS)


def meter_number(rng):
    """A water meter's serial: a maker's letter, the year, two letters and six digits (C19FA012345),
    or digits only on older meters."""
    if rng.random() < 0.55:
        return (rng.choice("ABCDIJ") + f"{rng.randint(8, 24):02d}" + rng.choice(["FA", "BA", "MC", "LA", "SE"])
                + V.digits(rng, 6, first_nonzero=False))
    return V.digits(rng, rng.choice([8, 9, 10]))


def _values(rng, set_value):
    """The bill's values, recorded with set_value(key, normalised, printed); returns what the
    layouts print beside them."""
    town = rng.choice(V.TOWNS)
    ds, am = V.date_style(rng), V.amount_style(rng)
    cur = _pick(rng, "€", "€", "€", "EUR")
    a = lambda x: V.french_amount(x, am, cur)
    d = lambda x: V.french_date(x, ds)
    date_facture = V.date_between(rng, dt.date(2020, 1, 10), dt.date(2026, 10, 28))
    fin = date_facture - dt.timedelta(days=rng.randint(3, 20))
    months = rng.choice([3, 4, 6, 6, 6, 12])
    debut = fin - dt.timedelta(days=int(months * 30.4) + rng.randint(-3, 3))
    limite = date_facture + dt.timedelta(days=rng.randint(15, 30))
    m3 = rng.randint(6, 90) * months // 6 + rng.randint(1, 9)
    if rng.random() < 0.15:
        m3_norm, m3_printed = f"{m3}.5", f"{m3},5"
    else:
        m3_norm = m3_printed = str(m3)
    m3_value = float(m3_norm)
    abo = V.cents(rng, 8, 45) * months // 6
    eau = int(m3_value * rng.uniform(140, 240))
    assain = int(m3_value * rng.uniform(120, 230)) if rng.random() < 0.9 else 0
    organismes = int(m3_value * rng.uniform(40, 80))
    tva_eau = round((abo + eau + organismes) * 0.055)
    tva_assain = round(assain * 0.10)
    ht = abo + eau + assain + organismes
    ttc = ht + tva_eau + tva_assain
    numero = V.digits(rng, rng.choice([9, 10, 12]))
    ref = V.digits(rng, rng.choice([7, 8, 9, 10]), first_nonzero=False)
    meter = meter_number(rng)
    index_old = rng.randint(10, 4000)

    set_value("numero_facture", numero, grouped(rng, numero, [None, None, [3, 3, 3, 3], [2, 4, 4]]))
    set_value("reference_client", ref, grouped(rng, ref, [None, None, [3, 3, 3], [4, 4], [2, 2, 2, 2, 2]]))
    set_value("numero_compteur", meter, meter if meter[0].isdigit() or rng.random() < 0.6
              else f"{meter[:3]} {meter[3:5]} {meter[5:]}")
    set_value("consommation_m3", m3_norm, m3_printed)
    set_value("periode_debut", V.iso(debut), d(debut))
    set_value("periode_fin", V.iso(fin), d(fin))
    set_value("montant_ttc", V.amount_norm(ttc), a(ttc))
    set_value("date_limite_paiement", V.iso(limite), d(limite))
    parts = {"abo": abo, "eau": eau, "assain": assain, "organismes": organismes, "tva": tva_eau + tva_assain,
             "ht": ht, "ttc": ttc}
    extra = {"town": town, "ds": ds, "am": am, "a": a, "d": d, "date_facture": date_facture,
             "index_old": index_old, "index_new": index_old + int(m3_value), "months": months,
             "price": V.french_amount(int(ttc / m3_value) if m3_value else 0, "plain", "€/m³"),
             "next": date_facture + dt.timedelta(days=int(months * 30.4)),
             "solde": V.cents(rng, 0, 120) if rng.random() < 0.5 else 0}
    return parts, extra


def _detail_rows(parts, a, m3_txt):
    rows_ = [["Abonnement (part fixe)", "", a(parts["abo"])],
             ["Distribution de l'eau potable", f"{m3_txt} m³", a(parts["eau"])]]
    if parts["assain"]:
        rows_.append(["Collecte et traitement des eaux usées", f"{m3_txt} m³", a(parts["assain"])])
    rows_ += [["Organismes publics (Agence de l'eau, VNF)", f"{m3_txt} m³", a(parts["organismes"])],
              ["Total hors TVA", "", a(parts["ht"])], ["TVA (5,5 % et 10 %)", "", a(parts["tva"])]]
    return rows_


def eau_facture(rng, name, layout=None):
    style = Style(rng, accent=_pick(rng, "#0077b6", "#0094b3", "#005f8c", "#00a19a", "#1d4e89"), shade="#e3f3f8")
    layout = layout or rng.choice(["releve", "synthese", "regie"])
    doc = Doc("eau.facture", layout, style)
    parts, x = _values(rng, doc.field)
    p = doc.printed
    a, d, town = x["a"], x["d"], x["town"]
    supplier, sub, small = _supplier(rng, town, regie=layout == "regie")
    holder = V.person(rng)
    addr_lines, _ = V.address(rng, town)
    window = f'<div class="window">{e(holder)}<br>{lines(addr_lines)}</div>'
    m3_txt = p["consommation_m3"]
    ttc_label = _pick(rng, "Montant TTC", "Total à payer", "Montant total TTC", "Montant de votre facture")
    lim_label = _pick(rng, "À payer avant le", "Date limite de paiement", "À régler avant le", "Date d'échéance")
    meter_label = _pick(rng, "N° de compteur", "Compteur n°", "Numéro de compteur", "Compteur")
    ref_label = _pick(rng, "Référence client", "N° client", "Votre référence", "Référence abonné", "N° de contrat d'abonnement")
    num_label = _pick(rng, "Facture n°", "N° de facture", "Numéro de facture")
    detail = grid(["Détail de votre facture", "Quantité", "Montant"], _detail_rows(parts, a, m3_txt),
                  total=["Total TTC" if ttc_label != "Total TTC" else "Total", "", p["montant_ttc"]])
    readings = grid(["Compteur", "Ancien index", "Nouvel index", "Consommation"],
                    [[p["numero_compteur"], f"{x['index_old']} ({d(dt.date.fromisoformat(doc.fields['periode_debut']))})",
                      f"{x['index_new']} ({_pick(rng, 'relevé', 'estimé', 'auto-relevé')})", f"{m3_txt} m³"]], numeric_from=1)
    if rng.random() < 0.3:
        pay = f'<div>Montant prélevé sur votre compte le <b>{e(p["date_limite_paiement"])}</b></div>'
    else:
        pay = kv(style, lim_label, p["date_limite_paiement"])
    solde = (f'<div class="small">Solde de la facture précédente : {e(a(x["solde"]))} – réglé, merci</div>'
             if x["solde"] else "")
    footer = (f'<div class="footer tiny">{e(small)} – Prochaine facture vers le {e(V.french_date(x["next"], "num"))} – '
              f'Prix moyen du m³ : {e(x["price"])} – Qualité de l\'eau : conforme aux limites réglementaires</div>')
    head = (f'<div class="row"><div>{logo_square(16, style.accent)}</div><div class="col"><div class="big">{e(supplier)}</div>'
            f'<div class="small">{e(sub)}</div></div></div>')
    facture_du = d(x["date_facture"])
    if layout == "releve":
        html = (head + f'<h1>Facture d\'eau du {e(facture_du)}</h1>' + window + '<div style="height: 40mm"></div>'
                + f'<div class="box" style="width: 92mm"><h3>Vos références</h3>'
                + kv(style, num_label, p["numero_facture"]) + kv(style, ref_label, p["reference_client"])
                + kv(style, meter_label, p["numero_compteur"]) + '</div>'
                + f'<div class="section-title" style="margin-top: 4mm">Votre consommation du {e(p["periode_debut"])} au '
                f'{e(p["periode_fin"])}</div>' + readings
                + kv(style, "Consommation facturée", f"{m3_txt} m³", below=False)
                + detail + solde
                + f'<div class="box shade">{kv(style, ttc_label, p["montant_ttc"], cls="big")}{pay}</div>' + footer)
    elif layout == "synthese":
        cell = lambda l, v: (f'<td style="padding: 1.5mm 2mm; border: 0.25mm solid #bbb; width: 33%">'
                             f'<div class="small">{e(l)}</div><b>{e(v)}</b></td>')
        html = (f'<div class="band row" style="align-items: center"><div>{logo_square(12, "#ffffff", style.accent)}</div>'
                f'<div class="col"><div class="big">{e(supplier)}</div><div class="small" style="color: white">{e(sub)}</div>'
                f'</div></div><div style="height: 36mm"></div>{window}'
                + '<h2>Votre facture d\'eau</h2>'
                + '<table style="border-collapse: collapse; width: 100%; margin-top: 2mm"><tr>'
                + cell(num_label, p["numero_facture"]) + cell("Date de facture", facture_du) + cell(ref_label, p["reference_client"])
                + '</tr><tr>' + cell(meter_label, p["numero_compteur"])
                + cell("Période de consommation", f'du {p["periode_debut"]} au {p["periode_fin"]}')
                + cell("Consommation", f"{m3_txt} m³") + '</tr></table>'
                + f'<div class="row"><div class="col box"><div class="small">{e(ttc_label)}</div>'
                f'<div class="huge">{e(p["montant_ttc"])}</div></div><div class="col box">{pay}'
                f'<div class="small">Dont TVA : {e(a(parts["tva"]))}<br>Index relevé : {x["index_new"]}</div></div></div>'
                + detail + solde + footer)
    else:  # regie: a public body's plain bill, labels in a column, the period on a line
        html = (f'<div class="row"><div class="col"><div class="big" style="color: var(--accent)">{e(supplier)}</div>'
                f'<div class="small">{e(sub)}</div></div><div>{logo_square(14, style.accent)}</div></div>'
                + window + '<div style="height: 52mm"></div>'
                + f'<h1>Facture {e(_pick(rng, "eau et assainissement", "d’eau potable", "de consommation d’eau"))}</h1>'
                + rows([(num_label, p["numero_facture"]), ("Émise le", facture_du), (ref_label, p["reference_client"]),
                        (meter_label, p["numero_compteur"]), ("Ancien index", str(x["index_old"])),
                        ("Nouvel index", str(x["index_new"])), ("Volume consommé", f"{m3_txt} m³")])
                + f'<p>Période facturée : {e(p["periode_debut"])} – {e(p["periode_fin"])}</p>'
                + detail
                + '<div class="box">' + kv(style, ttc_label, p["montant_ttc"], below=False, cls="big") + pay + '</div>'
                + solde + '<p class="small">Paiement au Trésor public : par TIP, chèque, carte bancaire sur internet ou en '
                'espèces chez un buraliste agréé.</p>' + footer)
    doc.html = style.section(html, name)
    return doc


# ---------------------------------------------------------------- random layout (blocks.py)
def draw(rng):
    """A water bill's values, its distractors and where each goes, for blocks.compose()."""
    c = Content("eau.facture", accent=_pick(rng, "#0077b6", "#0094b3", "#005f8c", "#00a19a", "#1d4e89", "#333333"),
                shade=_pick(rng, "#e3f3f8", "#f3f3f3", "#e8f6f3"))
    parts, x = _values(rng, c.value)
    a, d, town = x["a"], x["d"], x["town"]
    supplier, sub, small = _supplier(rng, town)
    m3_txt = c.values["consommation_m3"][1]
    c.issuer = supplier
    c.issuer_lines = [sub]
    white = rng.random() < 0.5   # a white mark on the band's colour, or the colour on white
    c.logo = logo_square(rng.randint(10, 18), "#ffffff" if white else c.accent, c.accent if white else "#ffffff")
    holder = V.person(rng)
    c.window_names = [holder]
    c.window_lines = V.address(rng, town)[0]
    c.refs = ["numero_facture", "reference_client", "numero_compteur"]
    c.amounts = ["montant_ttc", "date_limite_paiement"]
    (c.refs if rng.random() < 0.5 else c.amounts).append("consommation_m3")
    c.period = ("periode_debut", "periode_fin")
    rows_ = [(("d", "abonnement"), [""], a(parts["abo"])),
             (("d", "eau_distribution"), [f"{m3_txt} m³"], a(parts["eau"]))]
    if parts["assain"]:
        rows_.append((("d", "assainissement"), [f"{m3_txt} m³"], a(parts["assain"])))
    rows_ += [(("d", "organismes_publics"), [f"{m3_txt} m³"], a(parts["organismes"])),
              (("d", "montant_ht"), [""], a(parts["ht"])),
              (_pick(rng, "TVA", "TVA 5,5 % et 10 %", "Montant TVA", "dont TVA", "TVA (5,5 %)"), [""], a(parts["tva"]))]
    c.table = Table(["Quantité", "Montant"], rows_, total="montant_ttc" if rng.random() < 0.6 else None)
    if c.table.total and rng.random() < 0.4:
        c.amounts.remove("montant_ttc")
    if not c.table.total:
        c.table.rows.append((("d", "total"), [""], a(parts["ttc"])))
    # no contract number beside them: "N° de contrat" is a wording of the customer reference on water bills
    c.distract["refs"] = rng.sample([("index", f"{x['index_old']} m³"), ("index", f"{x['index_new']} m³"),
                                     ("prochaine_facture", V.french_date(x["next"], x["ds"]))], rng.randint(1, 3))
    c.distract["refs"].insert(0, ("date_facture", d(x["date_facture"])))   # the bill's date: no field of the kind
    c.distract["amounts"] = rng.sample([("solde_precedent", a(x["solde"])), ("prix_m3", x["price"]),
                                        ("mensualite", a(V.cents(rng, 15, 60)))], rng.randint(0, 2))
    c.distract["small"] = [("prochaine_facture", V.french_date(x["next"], "num")), ("siret", V.digits(rng, 14))]
    c.distract["contact"] = [("telephone", _pick(rng, "09 69 32 35 29", "09 77 40 84 08", "0 977 408 408", "09 74 50 65 07"))]
    c.contact_title = _pick(rng, "Nous contacter", "Votre service clients", "Une question ?", "Urgence fuite", "")
    c.contact_lines = [_pick(rng, "Du lundi au vendredi de 8 h à 19 h", "Appel non surtaxé", "Urgences 24 h/24, 7 j/7"),
                       _pick(rng, "Qualité de l'eau : conforme aux limites réglementaires",
                             f"Index relevé le {V.french_date(dt.date.fromisoformat(c.values['periode_fin'][0]), 'num')}",
                             "Pensez à protéger votre compteur du gel")]
    c.small = [small, _pick(rng, "TVA : 5,5 % sur l'eau, 10 % sur l'assainissement",
                            "Tarifs votés par la collectivité, consultables en mairie")]
    return c
