"""Tests of the synthetic document generator (tools/docgen).

  python3 docgen_test.py values              French forms, normalised values, same seed same page,
                                             random layouts and the wording banks (no rendering)
  python3 docgen_test.py random OUT_DIR      renders two random-layout pages (tuned, blind) and checks
                                             that their PDF text holds every printed value
  python3 docgen_test.py render OUT_DIR [ENCODER KEY]
                                             generates the small set into OUT_DIR and checks it;
                                             with ENCODER and KEY, bills and notices carry a signed 2D-Doc
                                             (the reading test then OCRs it: docgen_read_test.cpp)
"""

import collections
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DOCGEN = os.path.join(HERE, "..", "..", "tools", "docgen")
sys.path.insert(0, DOCGEN)

import blocks  # noqa: E402
import docgen  # noqa: E402
import documents  # noqa: E402
import kinds  # noqa: E402
import values as V  # noqa: E402

# docs/formats.md: the canonical field keys of each kind; the optional ones may be absent.
FIELDS = {
    "edf.facture": ({"numero_facture", "reference_client", "pdl", "date_facture", "date_limite_paiement",
                     "montant_ttc", "periode_debut", "periode_fin", "consommation_kwh", "titulaire",
                     "adresse_consommation"}, set()),
    "caf.attestation_paiement": ({"numero_allocataire", "allocataire", "date_document", "caf", "montant_total"}, set()),
    "caf.indu": ({"numero_allocataire", "allocataire", "date_document", "caf", "montant_indu", "prestation",
                  "periode_debut", "periode_fin"}, set()),
    "impots.avis_ir": ({"numero_fiscal", "reference_avis", "annee_revenus", "revenu_fiscal_reference",
                        "nombre_parts", "impot_net", "reste_a_payer", "date_etablissement",
                        "date_mise_en_recouvrement", "date_limite_paiement", "centre_finances_publiques"},
                       {"numero_fiscal_2"}),
}
SMALL_SET = dict(seed=11, per_kind=1, renditions=["pdf", "clean", "scan300", "scan200", "photo"])


def squash(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


class Values(unittest.TestCase):
    def test_amounts_print_the_french_way(self):
        self.assertEqual(V.french_amount(147985, "space"), "1\u00a0479,85\u00a0€")
        self.assertEqual(V.french_amount(147985, "plain"), "1479,85\u00a0€")
        self.assertEqual(V.french_amount(147985, "dot", ""), "1.479,85")
        self.assertEqual(V.french_amount(123456789, "space", "EUR"), "1\u00a0234\u00a0567,89\u00a0EUR")
        self.assertEqual(V.french_amount(5, "space"), "0,05\u00a0€")
        self.assertEqual(V.amount_norm(147985), "1479.85")
        self.assertEqual(V.amount_norm(18200), "182.00")

    def test_dates_print_the_french_way(self):
        d = dt.date(2021, 2, 1)
        self.assertEqual(V.french_date(d, "num"), "01/02/2021")
        self.assertEqual(V.french_date(d, "long"), "1er février 2021")
        self.assertEqual(V.french_date(dt.date(2021, 1, 29), "long"), "29 janvier 2021")
        self.assertEqual(V.french_date(d, "dots"), "01.02.2021")

    def test_identifiers(self):
        rng = random.Random(4)
        for _ in range(50):
            nf = V.numero_fiscal(rng)
            self.assertRegex(nf, r"^[1-9]\d{12}$")
            self.assertEqual(int(nf[10:]), int(nf[:10]) % 511)
            ref = V.reference_avis(rng, 2022)
            self.assertEqual(len(ref), 13)
            self.assertTrue(ref.startswith("22"))
        self.assertEqual(V.group("30123456789", [2, 3, 3, 3]), "30 123 456 789")
        self.assertEqual(V.group("1234567", [3]), "123 4567")
        self.assertEqual(V.parts_norm(5), "2.5")
        self.assertEqual(V.parts_norm(4), "2")


class Documents(unittest.TestCase):
    def test_same_seed_same_documents_other_seed_others(self):
        a = docgen.build_documents(5, list(documents.KINDS), 2)
        b = docgen.build_documents(5, list(documents.KINDS), 2)
        c = docgen.build_documents(6, list(documents.KINDS), 2)
        self.assertEqual([d.html for d in a], [d.html for d in b])
        self.assertEqual([d.fields for d in a], [d.fields for d in b])
        self.assertNotEqual([d.fields for d in a], [d.fields for d in c])
        # A document does not depend on how many others are made with it.
        one = docgen.build_documents(5, ["caf.indu"], 1)[0]
        self.assertEqual(one.html, next(d for d in a if d.name == "caf.indu-000").html)

    def test_every_kind_has_its_fields_normalised(self):
        layouts = {}
        for doc in docgen.build_documents(21, list(documents.KINDS), 12):
            layouts.setdefault(doc.gen_kind, set()).add(doc.layout)
            check_fields(self, doc)
        # several layouts per kind of docs/formats.md
        for kind in FIELDS:
            self.assertGreaterEqual(len(layouts[kind]), 2, kind)


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
        if key.startswith("montant") or key in ("impot_net", "reste_a_payer", "revenu_fiscal_reference"):
            test.assertRegex(value, r"^\d+\.\d\d$", f"{doc.name} {key}")
        if key in ("numero_facture", "reference_client", "pdl", "numero_allocataire", "numero_fiscal",
                   "numero_fiscal_2", "consommation_kwh", "annee_revenus"):
            test.assertRegex(value, r"^\d+$", f"{doc.name} {key}")
        if key in ("titulaire", "allocataire"):
            test.assertRegex(value, r"^(M\.|Mme|Madame|Monsieur) ", f"{doc.name} {key}")
    if doc.kind == "edf.facture":
        test.assertEqual(len(doc.fields["pdl"]), 14)
        test.assertLess(doc.fields["periode_debut"], doc.fields["periode_fin"])
        test.assertLess(doc.fields["date_facture"], doc.fields["date_limite_paiement"])
    if doc.kind == "impots.avis_ir":
        test.assertLess(doc.fields["date_etablissement"], doc.fields["date_mise_en_recouvrement"])
        test.assertLessEqual(float(doc.fields["reste_a_payer"]), float(doc.fields["impot_net"]))
        test.assertRegex(doc.fields["nombre_parts"], r"^\d+(\.5)?$")
    if doc.kind.startswith("caf."):
        test.assertIn(doc.fields["caf"], {town[2] for town in V.TOWNS})
        test.assertIn(doc.fields["caf"], doc.printed["caf"])
    if doc.kind == "caf.indu":
        test.assertIn(doc.fields["prestation"], V.BENEFITS)
        test.assertIn(doc.printed["prestation"], V.BENEFITS[doc.fields["prestation"]])


def page_text(html_text):
    """The text a reader sees in a page's HTML: tags dropped, entities read, spaces squashed."""
    import html as _html
    return squash(_html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def blind_bank_or_skip(test):
    if not os.path.exists(blocks.BANK_FILES["blind"]):
        test.skipTest("wordings/blind.json absent (écrit à part, sur la branche main)")


RANDOM_KINDS = list(kinds.RANDOM)


class RandomLayouts(unittest.TestCase):
    def test_same_seed_same_random_pages_other_seed_others(self):
        a = docgen.build_documents(8, RANDOM_KINDS, 3, random_layout=True)
        b = docgen.build_documents(8, RANDOM_KINDS, 3, random_layout=True)
        c = docgen.build_documents(9, RANDOM_KINDS, 3, random_layout=True)
        self.assertEqual([d.html for d in a], [d.html for d in b])
        self.assertEqual([d.style.describe() for d in a], [d.style.describe() for d in b])
        self.assertNotEqual([d.html for d in a], [d.html for d in c])
        one = docgen.build_documents(8, ["impots.avis_ir"], 3, random_layout=True)[2]
        self.assertEqual(one.html, next(d for d in a if d.name == "impots.avis_ir-002").html)
        # the fixed layouts are not those: a random page is drawn otherwise
        fixed = docgen.build_documents(8, RANDOM_KINDS, 3)
        self.assertTrue(all(f.html != r.html for f, r in zip(fixed, a)))

    def test_random_pages_have_every_field_normalised_and_printed(self):
        sets = [("tuned", docgen.build_documents(31, RANDOM_KINDS, 25, random_layout=True))]
        if os.path.exists(blocks.BANK_FILES["blind"]):
            sets.append(("blind", docgen.build_documents(900001, RANDOM_KINDS, 25, random_layout=True, wordings="blind")))
        relations = collections.Counter()
        for which, docs in sets:
            for doc in docs:
                self.assertEqual(doc.layout, "aleatoire")
                check_fields(self, doc)
                text = page_text(doc.html)
                for key, printed in doc.printed.items():
                    self.assertIn(squash(printed), text, f"{doc.name} ({which}): {key}")
                sample = doc.style.describe()
                self.assertEqual(sample["wording_set"], which)
                self.assertEqual(sample["blocks"][:2], ["header", "window"])
                self.assertEqual(sample["blocks"][-1], "small")
                for key in doc.fields:
                    bank_key = "periode" if key.startswith("periode_") else key
                    if key not in ("caf", "annee_revenus"):
                        self.assertIn(bank_key, sample["relations"], f"{doc.name}: {key}")
                    if key not in ("caf", "annee_revenus") and sample["relations"][bank_key] != "window":
                        self.assertIn(bank_key, sample["wordings"], f"{doc.name}: {key}")
                for rel in sample["relations"].values():
                    relations.update(rel.split("+"))
                self.assertTrue(8.5 <= sample["size_pt"] <= 12.0)
        # every way of placing a value by its label is drawn
        for rel in ("right", "leaders", "below", "box", "cell", "row", "table", "window", "header", "line",
                    "table_header"):
            self.assertIn(rel, relations)

    def test_identifiers_are_grouped_several_ways(self):
        forms = set()
        for doc in docgen.build_documents(4, ["edf.facture"], 40, random_layout=True):
            forms.add(tuple(len(g) for g in doc.printed["pdl"].split(" ")))
            self.assertEqual(doc.printed["pdl"].replace(" ", ""), doc.fields["pdl"])
        self.assertTrue({(14,), (2, 3, 3, 3, 3), (2, 2, 2, 2, 2, 2, 2), (3, 3, 3, 3, 2)} <= forms, forms)

    def test_the_tuned_bank_has_many_wordings_per_field(self):
        bank = blocks.read_bank(blocks.BANK_FILES["tuned"])
        self.assertEqual(set(bank), set(blocks.BANK_KEYS))
        for kind, keys in blocks.BANK_KEYS.items():
            self.assertEqual(set(bank[kind]), set(keys), kind)
            for key in keys:
                words = bank[kind][key]
                self.assertGreaterEqual(len(words), 10, f"{kind} {key}")
                self.assertEqual(len({blocks.wording_key(w) for w in words}), len(words), f"{kind} {key}")
                self.assertFalse(any(w.rstrip().endswith(":") for w in words), f"{kind} {key}")

    def test_the_blind_bank_parses_like_the_tuned_one_and_is_drawn_apart(self):
        # Properties only: blind.json's wordings are never printed, only counted.
        blind_bank_or_skip(self)
        tuned = blocks.read_bank(blocks.BANK_FILES["tuned"])
        blind = blocks.read_bank(blocks.BANK_FILES["blind"])
        self.assertEqual(set(blind), set(tuned))
        for kind in tuned:
            self.assertEqual(set(blind[kind]), set(tuned[kind]), kind)
        bank = blocks.Bank("blind")
        tuned_words = blocks.all_wordings(tuned)
        drawable = {blocks.wording_key(bank.lists[kind][key][i])
                    for (kind, key), usable in bank.usable.items() for i in usable}
        self.assertEqual(len(drawable & tuned_words), 0, "wordings drawn as blind that are also tuned")
        raw = blocks.all_wordings(blind) & tuned_words
        self.assertGreaterEqual(bank.dropped, len(raw))
        print(f"\n  blind.json : {len(raw)} libellés aussi dans tuned.json, tirés seulement comme réglés ; "
              f"{len(bank.fallback)} champ(s) sans libellé aveugle propre", file=sys.stderr)

    def test_a_blind_page_uses_only_blind_wordings(self):
        blind_bank_or_skip(self)
        bank = blocks.Bank("blind")
        tuned_words = blocks.all_wordings(blocks.read_bank(blocks.BANK_FILES["tuned"]))
        for doc in docgen.build_documents(900001, RANDOM_KINDS, 12, random_layout=True, wordings="blind"):
            sample = doc.style.describe()
            self.assertEqual(sample["wording_set"], "blind")
            for key, i in sample["wordings"].items():
                if key in sample["wordings_from_tuned"]:
                    self.assertIn((doc.kind, key), bank.fallback)
                    continue
                self.assertIn(i, bank.usable[(doc.kind, key)], f"{doc.name} {key}")
                self.assertNotIn(blocks.wording_key(bank.lists[doc.kind][key][i]), tuned_words, f"{doc.name} {key}")

    def test_a_wording_in_both_banks_is_drawn_only_as_tuned(self):
        # A blind bank made here: every tuned wording marked as another, except the invoice
        # number's, the same as tuned (in another case): those are dropped and the key falls back.
        tuned = blocks.read_bank(blocks.BANK_FILES["tuned"])
        blind = {kind: {key: [w + " (bis)" for w in words] for key, words in keys.items()}
                 for kind, keys in tuned.items()}
        blind["edf.facture"]["numero_facture"] = [w.upper() for w in tuned["edf.facture"]["numero_facture"]]
        blind["edf.facture"]["pdl"].append(tuned["impots.avis_ir"]["reference_avis"][0])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blind.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(blind, f, ensure_ascii=False)
            bank = blocks.Bank("blind", {"tuned": blocks.BANK_FILES["tuned"], "blind": path})
        self.assertEqual(bank.dropped, len(tuned["edf.facture"]["numero_facture"]) + 1)
        self.assertEqual(bank.fallback, {("edf.facture", "numero_facture")})
        self.assertNotIn(len(blind["edf.facture"]["pdl"]) - 1, bank.usable[("edf.facture", "pdl")])
        docs = docgen.build_documents(3, ["edf.facture"], 4, random_layout=True, bank=bank)
        for doc in docs:
            self.assertEqual(doc.style.describe()["wordings_from_tuned"], ["numero_facture"])

    def test_a_bad_bank_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blind.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write('{"edf.facture": {}}')
            with self.assertRaises(blocks.BankError) as caught:
                blocks.Bank("blind", {"tuned": blocks.BANK_FILES["tuned"], "blind": path})
            self.assertIn("banque de libellés", str(caught.exception))
            with self.assertRaises(blocks.BankError):
                blocks.Bank("blind", {"tuned": blocks.BANK_FILES["tuned"], "blind": os.path.join(tmp, "absent.json")})

    def test_wordings_go_with_random_layout_only(self):
        script = os.path.join(DOCGEN, "docgen.py")
        with tempfile.TemporaryDirectory() as tmp:
            for args in (["--wordings", "blind"], ["--random-layout", "--wordings", "autre"],
                         ["--random-layout", "--layout", "volet", "--kinds", "edf.facture"]):
                res = subprocess.run([sys.executable, script, "--out", tmp] + args, capture_output=True, text=True)
                self.assertEqual(res.returncode, 2, args)
            self.assertEqual(os.listdir(tmp), [])


class Report(unittest.TestCase):
    """bench/accuracy_report.py: how a page's fields are scored, and the blind set kept untuned."""

    def setUp(self):
        sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
        import accuracy_report
        self.ar = accuracy_report

    def test_fields_are_right_wrong_missed_or_invented(self):
        with tempfile.TemporaryDirectory() as tmp:
            expected = {"kind": "caf.indu", "fields": {"montant_indu": "256.32", "prestation": "PPA",
                                                       "date_document": "2020-06-04", "numero_allocataire": "8812625"},
                        "sample": {"layout": "aleatoire", "relations": {"prestation": "row"},
                                   "wordings_from_tuned": ["numero_allocataire"]}}
            with open(os.path.join(tmp, "caf.indu-000-clean.json"), "w") as f:
                json.dump(expected, f)
            got = {"caf.indu-000-clean": {"kind": "caf.indu", "extract_ms": 0.5, "error": None, "fields": {
                "montant_indu": {"value": "256.32", "confidence": 0.97},
                "prestation": {"value": "AAH", "confidence": 0.92},
                "numero_allocataire": {"value": "8812625", "confidence": 0.99},
                "caf": {"value": "Gard", "confidence": 0.6}}}}
            [record] = self.ar.score("blind", "random", "clean", tmp, got)
        status = {f["key"]: f["status"] for f in record["fields"]}
        self.assertEqual(status, {"montant_indu": "right", "prestation": "wrong", "date_document": "missed",
                                  "numero_allocataire": "right", "caf": "invented"})
        counted = {f["key"] for f in record["fields"] if self.ar.counted(f)}
        self.assertEqual(counted, {"montant_indu", "prestation", "date_document"})
        self.assertEqual(next(f for f in record["fields"] if f["key"] == "prestation")["relation"], "row")

    def test_misses_of_the_blind_set_are_refused(self):
        res = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "bench", "accuracy_report.py"),
                              "--misses", "blind"], capture_output=True, text=True)
        self.assertEqual(res.returncode, 2)
        self.assertIn("aveugle", res.stderr)
        self.assertEqual(res.stdout, "")


class RandomRendered(unittest.TestCase):
    """Two random-layout pages rendered for real (chromium, poppler): one tuned, one blind."""
    out = None

    def test_the_pdf_prints_every_expected_value(self):
        made = [("tuned", docgen.generate(os.path.join(self.out, "tuned"), seed=12, kinds=["edf.facture"], per_kind=1,
                                          renditions=["pdf"], jobs=2, random_layout=True))]
        if os.path.exists(blocks.BANK_FILES["blind"]):
            made.append(("blind", docgen.generate(os.path.join(self.out, "blind"), seed=900001, kinds=["impots.avis_ir"],
                                                  per_kind=1, renditions=["pdf"], jobs=2, random_layout=True,
                                                  wordings="blind")))
        for which, names in made:
            self.assertEqual(len(names), 1)
            base = os.path.join(self.out, which, names[0])
            with open(base + ".json", encoding="utf-8") as f:
                expected = json.load(f)
            self.assertEqual(expected["sample"]["wording_set"], which)
            self.assertEqual(expected["sample"]["layout"], "aleatoire")
            text = squash(subprocess.run(["pdftotext", "-enc", "UTF-8", base + ".pdf", "-"],
                                         capture_output=True, check=True).stdout.decode())
            for key, printed in expected["printed"].items():
                self.assertIn(squash(printed), text, f"{names[0]}: {key}")


class Rendered(unittest.TestCase):
    """The small set, generated for real: chromium, pdftoppm, ImageMagick."""
    out = None
    signer = None  # (comptoir-2ddoc-encode, the FR00 test key): bills and notices get a real code

    @classmethod
    def setUpClass(cls):
        names = docgen.generate(cls.out, kinds=list(documents.KINDS), jobs=2, signer=cls.signer, **SMALL_SET)
        cls.names = names

    def sample(self, name):
        with open(os.path.join(self.out, name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    def test_every_image_has_its_expected_json(self):
        self.assertEqual(len(self.names), len(documents.KINDS) * len(SMALL_SET["renditions"]))
        for name in self.names:
            rendition = name.rsplit("-", 1)[1]
            image = os.path.join(self.out, f"{name}.{docgen.EXTENSIONS[rendition]}")
            self.assertGreater(os.path.getsize(image), 1000, image)
            expected = self.sample(name)
            self.assertIn("kind", expected)
            self.assertIsInstance(expected["fields"], dict)
            self.assertEqual(expected["sample"]["seed"], SMALL_SET["seed"])

    def test_the_page_prints_every_expected_value(self):
        # The PDF's own text (chromium's text layer, read by poppler) holds each field as printed,
        # so the expected JSON tells the truth about the page, nothing clipped or missing.
        for kind in documents.KINDS:
            name = f"{kind}-000-pdf"
            text = squash(subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(self.out, name + ".pdf"), "-"],
                                         capture_output=True, check=True).stdout.decode())
            expected = self.sample(name)
            if kind == "autre.blanc":
                self.assertEqual(text, "")
            for key, printed in expected["printed"].items():
                self.assertIn(squash(printed), text, f"{name}: {key}")

    def test_renditions_have_the_sizes_of_their_resolution(self):
        for kind in ("edf.facture", "impots.avis_ir"):
            size = lambda r, ext: tuple(int(v) for v in subprocess.run(
                [docgen.convert_bin(), os.path.join(self.out, f"{kind}-000-{r}.{ext}"), "-format", "%w %h", "info:"],
                capture_output=True, check=True).stdout.split())
            # A4 is 2480 × 3508 pixels at 300 dpi, 1654 × 2339 at 200 (chromium's page may be a pixel narrower)
            near = lambda got, want: self.assertTrue(all(abs(g - w) <= 2 for g, w in zip(got, want)), f"{got} ≠ {want}")
            near(size("clean", "png"), (2480, 3508))
            near(size("scan300", "jpg"), (2480, 3508))
            near(size("scan200", "jpg"), (1654, 2339))
            photo = self.sample(f"{kind}-000-photo")["sample"]
            self.assertEqual(size("photo", "jpg"), tuple(photo["size"]))
            self.assertGreater(photo["size"][0], 1654)
            self.assertLessEqual(abs(self.sample(f"{kind}-000-scan300")["sample"]["skew_deg"]), 3.0)

    def test_bills_and_notices_carry_a_signed_code_of_their_own_values(self):
        if not self.signer:
            self.skipTest("sans clé de signature")
        for kind, document_type, pairs in (
                ("edf.facture", "01", [("18", "numero_facture"), ("19", "reference_client")]),
                ("impots.avis_ir", "28", [("44", "reference_avis"), ("47", "numero_fiscal"), ("45", "annee_revenus")])):
            expected = self.sample(f"{kind}-000-scan300")
            code = expected["twoddoc"]
            self.assertEqual(code["document_type"], document_type)
            self.assertTrue(code["message"].startswith("DC04FR000001"), code["message"][:20])
            self.assertIn("<US>", code["message"])
            for ident, key in pairs:
                self.assertEqual(code["fields"][ident], expected["fields"][key], f"{kind} {ident}")
        self.assertNotIn("twoddoc", self.sample("caf.indu-000-scan300"))

    def test_a_key_that_cannot_sign_is_a_clear_error(self):
        if not self.signer:
            self.skipTest("sans outil de signature")
        with tempfile.TemporaryDirectory() as tmp:
            bad_key = os.path.join(tmp, "cle.pem")
            with open(bad_key, "w") as f:
                f.write("pas une clé\n")
            with self.assertRaises(docgen.GenError) as caught:
                docgen.generate(os.path.join(tmp, "out"), seed=1, kinds=["edf.facture"], per_kind=1,
                                renditions=["clean"], jobs=1, signer=(self.signer[0], bad_key))
            self.assertIn("2D-Doc", str(caught.exception))

    def test_same_seed_regenerates_the_same_files(self):
        with tempfile.TemporaryDirectory() as again:
            names = docgen.generate(again, seed=SMALL_SET["seed"], kinds=["caf.indu"], per_kind=1,
                                    renditions=["clean", "scan200", "photo"], jobs=2)
            for name in names:
                for ext in ("json", docgen.EXTENSIONS[name.rsplit("-", 1)[1]]):
                    with open(os.path.join(again, f"{name}.{ext}"), "rb") as a, \
                            open(os.path.join(self.out, f"{name}.{ext}"), "rb") as b:
                        self.assertEqual(a.read(), b.read(), f"{name}.{ext}")

    def test_bad_arguments_are_refused(self):
        script = os.path.join(DOCGEN, "docgen.py")
        with tempfile.TemporaryDirectory() as tmp:
            for args in (["--kinds", "edf.inconnu"], ["--renditions", "fax"], ["--per-kind", "0"]):
                res = subprocess.run([sys.executable, script, "--out", tmp] + args, capture_output=True, text=True)
                self.assertEqual(res.returncode, 2, args)
                self.assertIn("docgen", res.stderr)
            self.assertEqual(os.listdir(tmp), [])


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "values":
        suite = unittest.TestSuite([unittest.defaultTestLoader.loadTestsFromTestCase(c)
                                    for c in (Values, Documents, RandomLayouts, Report)])
    elif len(sys.argv) == 3 and sys.argv[1] == "random":
        RandomRendered.out = sys.argv[2]
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(RandomRendered)
    elif len(sys.argv) in (3, 5) and sys.argv[1] == "render":
        Rendered.out = sys.argv[2]
        Rendered.signer = (sys.argv[3], sys.argv[4]) if len(sys.argv) == 5 else None
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(Rendered)
    else:
        sys.exit(__doc__)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
