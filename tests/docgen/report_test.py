"""bench/accuracy_report.py: how a page's fields are scored (accuracy_scores.py), and the blind
set kept untuned."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

from docgen_support import BENCH


class Report(unittest.TestCase):
    """bench/accuracy_report.py: how a page's fields are scored, and the blind set kept untuned."""

    def setUp(self):
        sys.path.insert(0, BENCH)
        import accuracy_scores
        self.ar = accuracy_scores

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

    def test_the_look_alikes_are_counted_as_kinds_and_as_documents_no_plugin_may_claim(self):
        import types
        self.assertTrue({"impots.situation_declarative", "edf.attestation"} <= set(self.ar.KINDS))
        self.assertIn("autre.facture", self.ar.RANDOM_OTHERS)
        field = {"key": "pdl", "expected": "12345678901234", "got": "12345678901234", "confidence": 0.95,
                 "status": "right", "relation": "cell", "wording_from_tuned": False}
        record = lambda which, name, kind, found, fields: {
            "set": which, "part": "random", "rendition": "clean", "name": name, "kind": kind, "found_kind": found,
            "layout": "aleatoire", "blocks": None, "extract_ms": 0.4, "fields": fields}
        records = [record("tuned", "edf.attestation-000-clean", "edf.attestation", "edf.attestation", [field]),
                   record("blind", "autre.facture-000-clean", None, "edf.facture", []),
                   record("blind", "autre.facture-001-clean", None, None, [])]
        args = types.SimpleNamespace(per_kind=1, seed=101, blind_seed=900001)
        text = self.ar.report(records, ["tuned", "blind"], args, "abc")
        self.assertIn("| tuned | edf.attestation | 1/1 = 100.0 %; classified 1/1 |", text)
        # one bill of another company of two claimed: under the classification target
        self.assertIn("| blind | unrelated | classified **1/2**", text)

    def test_the_hard_renditions_are_columns_of_their_own_with_their_reading_time(self):
        import types
        field = {"key": "pdl", "expected": "1", "got": "1", "confidence": 0.95, "status": "right", "relation": "",
                 "wording_from_tuned": False}
        records = [{"set": "blind", "part": "random", "rendition": rend, "name": f"edf.facture-000-{rend}",
                    "kind": "edf.facture", "found_kind": "edf.facture", "layout": "aleatoire", "blocks": None,
                    "extract_ms": 0.4, "read_ms": ms, "fields": [dict(field, status=status)]}
                   for rend, status, ms in (("clean", "right", 1000.0), ("turned", "missed", 1400.0),
                                            ("capture", "right", 600.0))]
        args = types.SimpleNamespace(per_kind=1, seed=101, blind_seed=900001, renditions=["clean", "turned", "capture"])
        text = self.ar.report(records, ["blind"], args, "abc")
        self.assertIn("--renditions clean,turned,capture", text)
        self.assertIn("| set | kind | clean | turned | capture |", text)
        self.assertIn("| blind | edf.facture | 1/1 = 100.0 %; classified 1/1 | **0/1 = 0.0 %** (−95.0); classified 1/1 "
                      "| 1/1 = 100.0 %; classified 1/1 |", text)
        self.assertIn("| blind | 1000 / 1000 | 1400 / 1400 (1.40×) | 600 / 600 (0.60×) |", text)
        # the default columns when no renditions are given (an older run's arguments)
        self.assertIn("| set | kind | clean | scan300 | scan200 | photo |",
                      self.ar.report(records, ["blind"], types.SimpleNamespace(per_kind=1, seed=101, blind_seed=9), "abc"))

    def test_the_definitions_kinds_have_rows_and_a_total_of_their_own(self):
        # issue 32: eau and bailleur counted in the report, the other kinds' total unchanged in meaning
        import types
        self.assertEqual(self.ar.NEW_KINDS, ["eau.facture", "bailleur.avis_echeance"])
        self.assertNotIn("autre.eau", self.ar.OTHERS)
        field = lambda status: {"key": "k", "expected": "1", "got": "1" if status == "right" else None,
                                "confidence": 0.95, "status": status, "relation": "", "wording_from_tuned": False}
        record = lambda kind, found, status: {
            "set": "tuned", "part": "fixed", "rendition": "clean", "name": f"{kind}-000-clean", "kind": kind,
            "found_kind": found, "layout": "x", "blocks": None, "extract_ms": 0.4, "fields": [field(status)]}
        records = [record("edf.facture", "edf.facture", "right"), record("eau.facture", None, "missed"),
                   record("bailleur.avis_echeance", None, "missed")]
        args = types.SimpleNamespace(per_kind=1, seed=101, blind_seed=900001)
        text = self.ar.report(records, ["tuned"], args, "abc")
        self.assertIn("| tuned | **all fields** | 1/1 = 100.0 % |", text)
        self.assertIn("| tuned | all fields, eau and bailleur definitions | 0/2 = 0.0 % |", text)
        self.assertIn("| tuned | all fields, every kind | 1/3 = 33.3 % |", text)
        self.assertIn("| tuned | eau.facture | 0/1 = 0.0 %; classified 0/1 |", text)
        # restricted to the definitions' kinds (--kinds): their rows only, the command says so
        args.kinds = ["eau.facture", "bailleur.avis_echeance"]
        text = self.ar.report(records[1:], ["tuned"], args, "abc")
        self.assertIn("--kinds eau.facture,bailleur.avis_echeance", text)
        self.assertNotIn("| tuned | edf.facture |", text)
        self.assertIn("| tuned | **all fields** | – |", text)
        self.assertIn("| tuned | bailleur.avis_echeance | 0/1 = 0.0 %; classified 0/1 |", text)

    def test_kinds_restrict_what_is_drawn(self):
        import accuracy_report
        parts = accuracy_report.parts_of("tuned", 101, 900001, 4, ["eau.facture", "autre.ticket"])
        self.assertEqual([(p[0], p[2]) for p in parts], [("fixed", ["eau.facture", "autre.ticket"]),
                                                          ("random", ["eau.facture"])])
        self.assertEqual([p[0] for p in accuracy_report.parts_of("blind", 101, 900001, 4, ["autre.ticket"])], [])
        every = accuracy_report.parts_of("blind", 101, 900001, 4)
        self.assertEqual(every[0][2], self.ar.ALL_KINDS + self.ar.RANDOM_OTHERS)
        res = subprocess.run([sys.executable, os.path.join(BENCH, "accuracy_report.py"), "--kinds", "autre.eau"],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 2)
        self.assertIn("autre.eau", res.stderr)

    def test_an_unknown_rendition_is_refused(self):
        res = subprocess.run([sys.executable, os.path.join(BENCH, "accuracy_report.py"), "--renditions", "clean,fax"],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 2)
        self.assertIn("fax", res.stderr)

    def test_misses_of_the_blind_set_are_refused(self):
        res = subprocess.run([sys.executable, os.path.join(BENCH, "accuracy_report.py"),
                              "--misses", "blind"], capture_output=True, text=True)
        self.assertEqual(res.returncode, 2)
        self.assertIn("aveugle", res.stderr)
        self.assertEqual(res.stdout, "")
