"""Invented values for synthetic documents, printed the French way and normalised the way
`comptoir process --json` normalises them (docs/formats.md): dates YYYY-MM-DD, amounts with two
decimals and a dot, identifiers without spaces, names as printed, addresses on one line.

Every value comes from the random.Random given, so a seed regenerates the same document.
No value belongs to a real person: names are drawn from common first and last names and
combined at random; numbers are random digits."""

import datetime as _dt

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]

FIRST_NAMES_F = ["Fatima", "Marie", "Nathalie", "Aïcha", "Sylvie", "Chantal", "Léa", "Amina",
                 "Isabelle", "Françoise", "Mélanie", "Khadija", "Sandrine", "Hélène", "Zoé"]
FIRST_NAMES_M = ["Mohamed", "Jean", "Pierre", "Karim", "Michel", "Thierry", "Mamadou",
                 "François", "Nicolas", "Rachid", "Jérôme", "Yannick", "Loïc", "Ahmed", "Éric"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Benali", "Le Goff", "Nguyen", "Diallo", "Lefèvre",
              "Moreau", "Haddad", "Girard", "Kerbrat", "Fontaine", "Traoré", "Rousseau",
              "Mercier", "Da Silva", "Le Gall", "Chevalier", "Bouchard"]
STREET_KINDS = ["rue", "avenue", "boulevard", "allée", "impasse", "place", "chemin"]
STREET_NAMES = ["des Lilas", "Jean Jaurès", "de la République", "Victor Hugo", "du Port",
                "des Écoles", "Pasteur", "de la Gare", "des Mimosas", "Anatole France",
                "du Général de Gaulle", "des Tilleuls", "Émile Zola", "de Bretagne", "Molière"]
# (town, postcode, département, its article for "Caf de/du/de la …")
TOWNS = [
    ("Lorient", "56100", "Morbihan", "du"),
    ("Rennes", "35000", "Ille-et-Vilaine", "d'"),
    ("Lille", "59000", "Nord", "du"),
    ("Marseille", "13003", "Bouches-du-Rhône", "des"),
    ("Toulouse", "31200", "Haute-Garonne", "de la"),
    ("Saint-Denis", "93200", "Seine-Saint-Denis", "de la"),
    ("Créteil", "94000", "Val-de-Marne", "du"),
    ("Limoges", "87000", "Haute-Vienne", "de la"),
    ("Nîmes", "30900", "Gard", "du"),
    ("Besançon", "25000", "Doubs", "du"),
    ("Mulhouse", "68100", "Haut-Rhin", "du"),
    ("Brest", "29200", "Finistère", "du"),
]

# Benefits of the CAF: canonical value, and the ways a letter prints it.
BENEFITS = {
    "APL": ["Aide personnalisée au logement", "APL", "Aide personnalisée au logement (APL)"],
    "ALS": ["Allocation de logement sociale", "ALS"],
    "AF": ["Allocations familiales", "AF"],
    "RSA": ["Revenu de solidarité active", "RSA"],
    "PPA": ["Prime d'activité", "Prime d’activité"],
    "AAH": ["Allocation aux adultes handicapés", "AAH"],
}


def person(rng):
    """(printed name, civility) — the name as a letter prints it, civility included."""
    if rng.random() < 0.5:
        civ, first = rng.choice(["Mme", "Madame"]), rng.choice(FIRST_NAMES_F)
    else:
        civ, first = rng.choice(["M.", "Monsieur"]), rng.choice(FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES)
    style = rng.randrange(3)
    if style == 0:
        name = f"{civ} {first} {last}"
    elif style == 1:
        name = f"{civ} {first} {last.upper()}"
    else:
        name = f"{civ} {last.upper()} {first}"
    return name


def address(rng, town=None):
    """(lines, normalised) — the printed lines and their one-line form."""
    town = town or rng.choice(TOWNS)
    number = str(rng.randint(1, 148))
    if rng.random() < 0.15:
        number += rng.choice([" bis", " ter"])
    street = f"{number} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}"
    lines = [street]
    if rng.random() < 0.3:
        lines.append(rng.choice(["Bâtiment B", "Résidence les Pins", "Appartement 12", "Escalier 3"]))
    lines.append(f"{town[1]} {town[0].upper() if rng.random() < 0.5 else town[0]}")
    return lines, ", ".join(lines)


def digits(rng, n, first_nonzero=True):
    s = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return s + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def group(s, sizes):
    """'30123456789' grouped by sizes [2, 3, 3, 3] → '30 123 456 789' (the rest in one group)."""
    out, i = [], 0
    for size in sizes:
        if i >= len(s):
            break
        out.append(s[i:i + size])
        i += size
    if i < len(s):
        out.append(s[i:])
    return " ".join(out)


def date_between(rng, start, end):
    return start + _dt.timedelta(days=rng.randint(0, (end - start).days))


def iso(d):
    return d.isoformat()


def french_date(d, style):
    """style: 'num' 29/01/2021, 'long' 29 janvier 2021 (1er for the first), 'dots' 29.01.2021."""
    if style == "num":
        return d.strftime("%d/%m/%Y")
    if style == "dots":
        return d.strftime("%d.%m.%Y")
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def date_style(rng):
    return rng.choice(["num", "num", "num", "long", "long", "dots"])


def cents(rng, low, high):
    """A random amount in cents between low and high euros."""
    return rng.randint(int(low * 100), int(high * 100))


def amount_norm(c):
    return f"{c // 100}.{c % 100:02d}"


def french_amount(c, style="space", currency="€"):
    """1479,85 € in the ways bills print it. style: 'space' 1 479,85 · 'plain' 1479,85 ·
    'dot' 1.479,85 (thousands with a dot). The group separator is a no-break space."""
    euros, rest = divmod(c, 100)
    e = str(euros)
    if style in ("space", "dot") and len(e) > 3:
        groups = []
        while len(e) > 3:
            groups.insert(0, e[-3:])
            e = e[:-3]
        groups.insert(0, e)
        e = ("\u00a0" if style == "space" else ".").join(groups)
    text = f"{e},{rest:02d}"
    if currency:
        text += "\u00a0" + currency
    return text


def amount_style(rng):
    return rng.choice(["space", "space", "plain", "dot"])


def parts_norm(halves):
    """Nombre de parts from half-parts: 5 → '2.5', 4 → '2'."""
    return str(halves // 2) if halves % 2 == 0 else f"{halves // 2}.5"


def parts_printed(halves, rng):
    whole, half = divmod(halves, 2)
    return rng.choice([f"{whole},{5 if half else 0}0", f"{whole},{5 if half else 0}"])


def numero_fiscal(rng):
    """13 digits; its first 10 digits mod 511 give the last 3 (the key commonly described)."""
    head = digits(rng, 10)
    return head + f"{int(head) % 511:03d}"


def reference_avis(rng, year_of_notice):
    """13 characters starting with the notice year's last two digits."""
    body = digits(rng, 11, first_nonzero=False)
    if rng.random() < 0.3:
        i = rng.randint(2, 8)
        body = body[:i] + rng.choice("ABCDEFGHJK") + body[i + 1:]
    return f"{year_of_notice % 100:02d}" + body
