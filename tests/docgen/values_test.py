"""docgen's values printed the French way, and its fixed layouts: same seed, same page; every
kind with its fields, normalised (no rendering)."""

import datetime as dt
import random
import unittest

from docgen_support import FIELDS, check_fields  # first: puts tools/docgen on the path
import docgen
import documents
import values as V


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
