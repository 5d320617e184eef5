"""Unrelated documents (kind null): a shop receipt, a club's letter, a water bill, a blank page."""

import datetime as dt

import values as V
from page import Style, e, grid, kv, lines

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
