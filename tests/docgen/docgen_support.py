"""What the tests of tools/docgen share (docgen_test.py runs them): docgen on the import path,
the fields each kind must have, and how a page's text and fields are checked."""

import datetime as dt
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOCGEN = os.path.join(HERE, "..", "..", "tools", "docgen")
BENCH = os.path.join(HERE, "..", "..", "bench")
sys.path.insert(0, DOCGEN)

import kinds  # noqa: E402
import values as V  # noqa: E402
import wording_banks  # noqa: E402

# docs/formats.md: the canonical field keys of each kind; the optional ones may be absent.
FIELDS = {
    "edf.facture": ({"numero_facture", "reference_client", "pdl", "date_facture", "date_limite_paiement",
                     "montant_ttc", "periode_debut", "periode_fin", "consommation_kwh", "titulaire",
                     "adresse_consommation"}, {"adresse_service_client"}),
    "caf.attestation_paiement": ({"numero_allocataire", "allocataire", "date_document", "caf", "montant_total"},
                                 {"adresse_caf"}),
    "caf.indu": ({"numero_allocataire", "allocataire", "date_document", "caf", "montant_indu", "prestation",
                  "periode_debut", "periode_fin", "adresse_caf"}, set()),
    "impots.avis_ir": ({"numero_fiscal", "reference_avis", "annee_revenus", "revenu_fiscal_reference",
                        "nombre_parts", "impot_net", "reste_a_payer", "date_etablissement",
                        "date_mise_en_recouvrement", "date_limite_paiement", "centre_finances_publiques",
                        "adresse_centre"},
                       {"numero_fiscal_2"}),
    "impots.situation_declarative": ({"numero_fiscal", "reference_avis", "annee_revenus", "revenu_fiscal_reference",
                                      "nombre_parts", "date_etablissement"}, {"adresse_centre"}),
    "edf.attestation": ({"pdl", "reference_client", "titulaire", "adresse_consommation", "date_attestation"},
                        {"adresse_service_client"}),
    # Issue 32's partner definitions (eau.yaml, bailleur.yaml): the aide au logement only when deducted.
    "eau.facture": ({"numero_facture", "reference_client", "numero_compteur", "consommation_m3", "periode_debut",
                     "periode_fin", "montant_ttc", "date_limite_paiement"}, set()),
    "bailleur.avis_echeance": ({"reference_locataire", "periode_debut", "periode_fin", "loyer", "charges",
                                "montant_a_payer", "date_limite_paiement"}, {"aide_logement"}),
}

RANDOM_KINDS = list(kinds.RANDOM)
# Drawn as bills, expected of no kind (kinds/autres.py): their page holds what they drew.
UNCLAIMED_RANDOM = ["autre.facture"]


def squash(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def page_text(html_text):
    """The text a reader sees in a page's HTML: tags dropped, entities read, spaces squashed."""
    return squash(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def check_fields(test, doc):
    """The fields of docs/formats.md, each normalised as `comptoir process --json` gives it."""
    if doc.kind is None:
        test.assertEqual(doc.fields, {})
        return
    required, optional = FIELDS[doc.kind]
    keys = set(doc.fields)
    test.assertTrue(required <= keys, f"{doc.name}: missing {required - keys}")
    test.assertTrue(keys <= required | optional, f"{doc.name}: unknown {keys - required - optional}")
    test.assertEqual(set(doc.printed), keys, doc.name)
    for key, value in doc.fields.items():
        test.assertIsInstance(value, str)
        test.assertEqual(value, value.strip())
        if key.startswith("date") or key.startswith("periode"):
            dt.date.fromisoformat(value)
        if key.startswith("montant") or key in ("impot_net", "reste_a_payer", "revenu_fiscal_reference", "loyer",
                                                  "charges", "aide_logement"):
            test.assertRegex(value, r"^\d+\.\d\d$", f"{doc.name} {key}")
        if key in ("numero_facture", "reference_client", "pdl", "numero_allocataire", "numero_fiscal",
                   "numero_fiscal_2", "consommation_kwh", "annee_revenus", "reference_locataire"):
            test.assertRegex(value, r"^\d+$", f"{doc.name} {key}")
        if key == "numero_compteur":
            test.assertRegex(value, r"^[0-9A-Z]{8,12}$", f"{doc.name} {key}")
            test.assertEqual(doc.printed[key].replace(" ", ""), value, f"{doc.name} {key}")
        if key == "consommation_m3":
            test.assertRegex(value, r"^[1-9]\d*(\.5)?$", f"{doc.name} {key}")
            test.assertEqual(doc.printed[key], value.replace(".", ","), f"{doc.name} {key}")
        if key in ("titulaire", "allocataire"):
            test.assertRegex(value, r"^(M\.|Mme|Madame|Monsieur) ", f"{doc.name} {key}")
    if doc.kind in ("edf.facture", "edf.attestation"):
        test.assertEqual(len(doc.fields["pdl"]), 14)
    if doc.kind == "impots.situation_declarative":
        test.assertRegex(doc.fields["nombre_parts"], r"^\d+(\.5)?$")
        test.assertLess(doc.fields["annee_revenus"], doc.fields["date_etablissement"][:4])
    if doc.kind == "edf.facture":
        test.assertEqual(len(doc.fields["pdl"]), 14)
        test.assertLess(doc.fields["periode_debut"], doc.fields["periode_fin"])
        test.assertLess(doc.fields["date_facture"], doc.fields["date_limite_paiement"])
    if doc.kind == "eau.facture":
        # a water bill covers several months, read between two index readings
        debut, fin = (dt.date.fromisoformat(doc.fields[k]) for k in ("periode_debut", "periode_fin"))
        test.assertGreaterEqual((fin - debut).days, 80, doc.name)
        test.assertLess(fin.isoformat(), doc.fields["date_limite_paiement"])
    if doc.kind == "bailleur.avis_echeance":
        # one month, first day to last; the amount to pay is rent + charges − the benefit deducted
        debut, fin = (dt.date.fromisoformat(doc.fields[k]) for k in ("periode_debut", "periode_fin"))
        test.assertEqual(debut.day, 1, doc.name)
        test.assertEqual((debut.year, debut.month), (fin.year, fin.month), doc.name)
        test.assertEqual((fin + dt.timedelta(days=1)).day, 1, doc.name)
        cents = lambda k: round(float(doc.fields.get(k, "0")) * 100)
        test.assertNotEqual(doc.fields.get("aide_logement"), "0.00", doc.name)
        test.assertEqual(cents("montant_a_payer"), cents("loyer") + cents("charges") - cents("aide_logement"), doc.name)
        test.assertGreater(cents("montant_a_payer"), 0, doc.name)
        test.assertLess(debut.isoformat(), doc.fields["date_limite_paiement"])
    if doc.kind == "impots.avis_ir":
        test.assertLess(doc.fields["date_etablissement"], doc.fields["date_mise_en_recouvrement"])
        test.assertLessEqual(float(doc.fields["reste_a_payer"]), float(doc.fields["impot_net"]))
        test.assertRegex(doc.fields["nombre_parts"], r"^\d+(\.5)?$")
    if doc.kind.startswith("caf."):
        test.assertIn(doc.fields["caf"], {town[2] for town in V.TOWNS})
        test.assertIn(doc.fields["caf"], doc.printed["caf"])
    # An office's address (the letters' recipient) is whole: its name first, a postcode and its town last.
    for key in ("adresse_service_client", "adresse_centre", "adresse_caf"):
        if key in doc.fields:
            test.assertRegex(doc.fields[key], r"^[^,]+(, [^,]+)*, \d{5} \S", f"{doc.name} {key}")
            test.assertTrue(doc.fields[key].endswith(doc.printed[key].split(" – ")[-1]), f"{doc.name} {key}")
    if doc.kind == "caf.indu":
        test.assertIn(doc.fields["prestation"], V.BENEFITS)
        test.assertIn(doc.printed["prestation"], V.BENEFITS[doc.fields["prestation"]])


def blind_bank_or_skip(test):
    if not os.path.exists(wording_banks.BANK_FILES["blind"]):
        test.skipTest("wordings/blind.json absent (écrit à part, sur la branche main)")
