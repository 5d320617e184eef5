"""docgen's pages rendered for real (chromium, poppler, ImageMagick): two random-layout pages,
and the small set of every kind in every rendition, checked against their expected JSON."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

from docgen_support import DOCGEN, squash  # first: puts tools/docgen on the path
import docgen
import documents
import wording_banks

SMALL_SET = dict(seed=11, per_kind=1, renditions=["pdf", "clean", "scan300", "scan200", "photo"])


class RandomRendered(unittest.TestCase):
    """Random-layout pages rendered for real (chromium, poppler): a bill, a water bill and a rent
    notice worded from the tuned bank, a tax notice from the blind one."""
    out = None

    def test_the_pdf_prints_every_expected_value(self):
        made = [("tuned", [name]) for name in docgen.generate(
            os.path.join(self.out, "tuned"), seed=12, kinds=["edf.facture", "eau.facture", "bailleur.avis_echeance"],
            per_kind=1, renditions=["pdf"], jobs=2, random_layout=True)]
        self.assertEqual(len(made), 3)
        if os.path.exists(wording_banks.BANK_FILES["blind"]):
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
