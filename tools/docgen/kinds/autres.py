"""Unrelated documents (kind null): a shop receipt, a club's letter, a blank page, and other
companies' bills (telephone, internet, gas and other energy suppliers) that no partner's kind may
claim. Water bills are a kind of their own now (kinds/eau.py, eau.facture): none is drawn here."""

import datetime as dt

import values as V
from page import Style, e, grid, kv, lines, logo_square

from blocks import Content, Table, grouped
from kinds.common import Doc, _pick


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


def autre_blanc(rng, name):
    style = Style(rng, accent="#000000", shade="#ffffff")
    doc = Doc(None, "blanc", style)
    doc.html = style.section("", name)
    return doc


# ---------------------------------------------------------------- other suppliers' bills
# (name as printed, what it sells, its web site, the small print naming it): telephone and
# internet operators, gas and energy suppliers other than EDF (no water company: the `eau`
# definition claims their bills rightly, kinds/eau.py).
SUPPLIERS = [
    ("Orange", "telephone", "orange.fr", "Orange SA au capital de 10 640 226 396 € – 380 129 866 RCS Nanterre"),
    ("SFR", "telephone", "sfr.fr", "SFR SA – 343 059 564 RCS Paris"),
    ("Free", "internet", "free.fr", "Free SAS – 421 938 861 RCS Paris"),
    ("Bouygues Telecom", "telephone", "bouyguestelecom.fr", "Bouygues Telecom SA – 397 480 930 RCS Paris"),
    ("Sosh", "telephone", "sosh.fr", "Orange SA – 380 129 866 RCS Nanterre"),
    ("TotalEnergies", "energie", "totalenergies.fr", "TotalEnergies Électricité et Gaz France – SA"),
    ("Engie", "energie", "engie.fr", "ENGIE SA au capital de 2 435 285 011 € – 542 107 651 RCS Nanterre"),
    ("Butagaz", "gaz", "butagaz.fr", "Butagaz SAS – 402 960 397 RCS Nanterre"),
    ("ekWateur", "gaz", "ekwateur.fr", "ekWateur SAS – 819 796 173 RCS Paris"),
]
SERVICES = {
    "telephone": [("Forfait mobile", "1 ligne"), ("Communications hors forfait", ""), ("Options", "")],
    "internet": [("Abonnement Box internet", "1 mois"), ("Appels depuis la box", ""), ("Location du décodeur", "")],
    "gaz": [("Abonnement gaz", ""), ("Consommation de gaz naturel", "kWh"), ("Accise et CTA", "")],
    "energie": [("Abonnement", ""), ("Consommation", "kWh"), ("Taxes et contributions", "")],
}


def _bill_values(rng, set_value):
    """The bill's values; returns (supplier, kind of service, rows of its detail, the amount)."""
    name, service, site, small = rng.choice(SUPPLIERS)
    ds, am = V.date_style(rng), V.amount_style(rng)
    when = V.date_between(rng, dt.date(2020, 1, 5), dt.date(2026, 10, 28))
    fin = when - dt.timedelta(days=rng.randint(1, 10))
    debut = fin - dt.timedelta(days=rng.choice([30, 31, 91, 182]))
    parts = [V.cents(rng, 3, 60) for _ in SERVICES[service]]
    ttc = sum(parts)
    d = lambda x: V.french_date(x, ds)
    client = V.digits(rng, rng.choice([8, 9, 10]))
    numero = V.digits(rng, rng.choice([9, 10, 12]))
    due = when + dt.timedelta(days=rng.randint(10, 20))
    set_value("numero_client", client, grouped(rng, client, [None, [2, len(client) - 2]]))
    set_value("numero_facture", numero, numero)
    set_value("date_facture", V.iso(when), d(when))
    set_value("date_limite_paiement", V.iso(due), d(due))
    set_value("montant_ttc", V.amount_norm(ttc), V.french_amount(ttc, am))
    set_value("periode_debut", V.iso(debut), d(debut))
    set_value("periode_fin", V.iso(fin), d(fin))
    holder = V.person(rng)
    addr_lines, addr = V.address(rng)
    set_value("titulaire", holder, holder)
    set_value("adresse", addr, addr)
    detail = [(label, f"{rng.randint(3, 900)} {unit}" if unit in ("m³", "kWh") else unit, V.french_amount(c, am))
              for (label, unit), c in zip(SERVICES[service], parts)]
    return (name, service, site, small), detail, addr_lines, holder


def autre_facture(rng, name, layout=None):
    """Another company's bill on a fixed layout: a telephone, internet, gas or energy bill."""
    style = Style(rng, accent=_pick(rng, "#ff7900", "#e2001a", "#cd1e25", "#0094b3", "#00a3e0", "#00aaff"), shade="#f3f3f3")
    layout = layout or rng.choice(["operateur", "releve"])
    doc = Doc(None, "facture-" + layout, style)
    values = {}
    (supplier, service, site, small), detail, addr_lines, holder = _bill_values(rng, lambda k, v, p: values.__setitem__(k, p))
    window = f'<div class="window">{e(holder)}<br>{lines(addr_lines)}</div>'
    head = (f'<div class="row"><div>{logo_square(14, style.accent)}</div><div class="col"><div class="big">{e(supplier)}</div>'
            f'<div class="small">{e(site)}</div></div></div>')
    table = grid(["Détail", "", "Montant TTC"], [list(r) for r in detail], total=["Total à payer", "", values["montant_ttc"]])
    body = (kv(style, "N° client", values["numero_client"]) + kv(style, "Facture n°", values["numero_facture"])
            + kv(style, "Date de facture", values["date_facture"])
            + kv(style, "Période", f"du {values['periode_debut']} au {values['periode_fin']}"))
    pay = kv(style, "À payer avant le", values["date_limite_paiement"]) + kv(style, "Montant à payer", values["montant_ttc"], cls="big")
    if layout == "operateur":
        html = head + window + '<div style="height: 50mm"></div><h1>Votre facture</h1>' + body + table + pay
    else:
        html = (head + f'<h1>Facture du {e(values["date_facture"])}</h1>' + window + '<div style="height: 40mm"></div>'
                + f'<div class="box shade">{pay}</div>' + body + table)
    html += f'<div class="footer tiny">{e(small)}</div>'
    doc.html = style.section(html, name)
    return doc


def draw_facture(rng):
    """Another company's bill on a random layout: drawn like a bill, expected to be claimed by none."""
    c = Content("autre.facture", accent=_pick(rng, "#ff7900", "#e2001a", "#0094b3", "#00a3e0", "#333333", "#6d2077"),
                shade=_pick(rng, "#f3f3f3", "#eef7fa", "#fff1e6"))
    c.claimed = False
    (supplier, service, site, small), detail, addr_lines, holder = _bill_values(rng, c.value)
    c.issuer = supplier
    c.issuer_lines = [site] if site else []
    c.logo = logo_square(rng.randint(10, 18), c.accent)
    c.holder = "titulaire"
    c.window_names = [holder]
    c.window_lines = addr_lines
    c.refs = ["numero_client", "numero_facture", "adresse"]
    c.amounts = ["montant_ttc", "date_limite_paiement"]
    (c.refs if rng.random() < 0.5 else c.amounts).append("date_facture")
    c.period = ("periode_debut", "periode_fin")
    rows = [(label, [middle], amount) for label, middle, amount in detail]
    c.table = Table(["", "Montant"], rows, total="montant_ttc" if rng.random() < 0.5 else None)
    if c.table.total and rng.random() < 0.4:
        c.amounts.remove("montant_ttc")
    c.distract["amounts"] = rng.sample([("solde_precedent", V.french_amount(V.cents(rng, 0, 90))),
                                        ("montant_ht", V.french_amount(V.cents(rng, 10, 90)))], rng.randint(0, 2))
    c.contact_title = _pick(rng, "Nous contacter", "Votre service client", "")
    c.contact_lines = [_pick(rng, "Du lundi au samedi de 8 h à 20 h", "Appel gratuit depuis une ligne fixe"), site or supplier]
    c.small = [small]
    return c
