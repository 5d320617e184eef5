"""Tests of the synthetic document generator (tools/docgen).

  python3 docgen_test.py values              French forms, normalised values, same seed same page
  python3 docgen_test.py render OUT_DIR [ENCODER KEY]
                                             generates the small set into OUT_DIR and checks it;
                                             with ENCODER and KEY, bills and notices carry a signed 2D-Doc
                                             (the reading test then OCRs it: docgen_read_test.cpp)
"""

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

import docgen  # noqa: E402
import documents  # noqa: E402
import values as V  # noqa: E402

# DOMAIN.md: the canonical field keys of each kind; the optional ones may be absent.
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
            if doc.kind is None:
                self.assertEqual(doc.fields, {})
                continue
            required, optional = FIELDS[doc.kind]
            keys = set(doc.fields)
            self.assertTrue(required <= keys, f"{doc.name}: missing {required - keys}")
            self.assertTrue(keys <= required | optional, f"{doc.name}: unknown {keys - required - optional}")
            for key, value in doc.fields.items():
                self.assertIsInstance(value, str)
                self.assertEqual(value, value.strip())
                if key.startswith("date") or key.startswith("periode"):
                    dt.date.fromisoformat(value)
                if key.startswith("montant") or key in ("impot_net", "reste_a_payer", "revenu_fiscal_reference"):
                    self.assertRegex(value, r"^\d+\.\d\d$", f"{doc.name} {key}")
                if key in ("numero_facture", "reference_client", "pdl", "numero_allocataire", "numero_fiscal",
                           "numero_fiscal_2", "consommation_kwh", "annee_revenus"):
                    self.assertRegex(value, r"^\d+$", f"{doc.name} {key}")
            if doc.kind == "edf.facture":
                self.assertEqual(len(doc.fields["pdl"]), 14)
                self.assertLess(doc.fields["periode_debut"], doc.fields["periode_fin"])
                self.assertLess(doc.fields["date_facture"], doc.fields["date_limite_paiement"])
            if doc.kind == "impots.avis_ir":
                self.assertLess(doc.fields["date_etablissement"], doc.fields["date_mise_en_recouvrement"])
                self.assertLessEqual(float(doc.fields["reste_a_payer"]), float(doc.fields["impot_net"]))
        # several layouts per kind of DOMAIN.md
        for kind in FIELDS:
            self.assertGreaterEqual(len(layouts[kind]), 2, kind)


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
        suite = unittest.TestSuite([unittest.defaultTestLoader.loadTestsFromTestCase(c) for c in (Values, Documents)])
    elif len(sys.argv) in (3, 5) and sys.argv[1] == "render":
        Rendered.out = sys.argv[2]
        Rendered.signer = (sys.argv[3], sys.argv[4]) if len(sys.argv) == 5 else None
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(Rendered)
    else:
        sys.exit(__doc__)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
