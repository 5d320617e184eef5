"""docgen's random layouts and the wording banks they draw from (no rendering). The blind bank
is checked by its properties only: its wordings are never printed."""

import collections
import json
import os
import subprocess
import sys
import tempfile
import unittest

# docgen_support first: it puts tools/docgen on the path.
from docgen_support import DOCGEN, RANDOM_KINDS, UNCLAIMED_RANDOM, blind_bank_or_skip, check_fields, page_text, squash
import docgen
import wording_banks


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
        if os.path.exists(wording_banks.BANK_FILES["blind"]):
            sets.append(("blind", docgen.build_documents(900001, RANDOM_KINDS, 25, random_layout=True, wordings="blind")))
        relations = collections.Counter()
        for which, docs in sets:
            for doc in docs:
                self.assertEqual(doc.layout, "aleatoire")
                check_fields(self, doc)
                text = page_text(doc.html)
                for key, printed in doc.printed.items():
                    self.assertIn(squash(printed), text, f"{doc.name} ({which}): {key}")
                if doc.gen_kind in UNCLAIMED_RANDOM:
                    # a bill of another company: printed like one, expected of no kind
                    self.assertIsNone(doc.kind)
                    drawn = {k for k in wording_banks.BANK_KEYS["autre.facture"] if k not in ("_title", "periode")}
                    self.assertEqual(set(doc.drawn), drawn | {"periode_debut", "periode_fin"}, doc.name)
                    for key, printed in doc.drawn.items():
                        self.assertIn(squash(printed), text, f"{doc.name} ({which}): {key}")
                sample = doc.style.describe()
                self.assertEqual(sample["wording_set"], which)
                self.assertEqual(sample["blocks"][:2], ["header", "window"])
                self.assertEqual(sample["blocks"][-1], "small")
                for key in doc.fields:
                    bank_key = "periode" if key.startswith("periode_") else key
                    if key not in ("caf", "annee_revenus"):
                        self.assertIn(bank_key, sample["relations"], f"{doc.name}: {key}")
                    # an office's address is printed whole in the header or the contact block, without a label
                    unlabelled = ("caf", "annee_revenus", "adresse_service_client", "adresse_centre", "adresse_caf")
                    if key not in unlabelled and sample["relations"][bank_key] != "window":
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
        bank = wording_banks.read_bank(wording_banks.BANK_FILES["tuned"])
        self.assertEqual(set(bank), set(wording_banks.BANK_KEYS))
        for kind, keys in wording_banks.BANK_KEYS.items():
            self.assertEqual(set(bank[kind]), set(keys), kind)
            for key in keys:
                words = bank[kind][key]
                self.assertGreaterEqual(len(words), 10, f"{kind} {key}")
                self.assertEqual(len({wording_banks.wording_key(w) for w in words}), len(words), f"{kind} {key}")
                self.assertFalse(any(w.rstrip().endswith(":") for w in words), f"{kind} {key}")

    def test_the_blind_bank_parses_like_the_tuned_one_and_is_drawn_apart(self):
        # Properties only: blind.json's wordings are never printed, only counted.
        blind_bank_or_skip(self)
        tuned = wording_banks.read_bank(wording_banks.BANK_FILES["tuned"])
        blind = wording_banks.read_bank(wording_banks.BANK_FILES["blind"], wording_banks.MAY_LACK_IN_BLIND)
        # a kind added after the blind bank was written may be absent as a whole (drawn from tuned)
        self.assertEqual(set(blind) | wording_banks.MAY_LACK_IN_BLIND, set(tuned) | wording_banks.MAY_LACK_IN_BLIND)
        for kind in blind:
            self.assertEqual(set(blind[kind]), set(tuned[kind]), kind)
        bank = wording_banks.Bank("blind")
        for kind in set(tuned) - set(blind):
            self.assertTrue({(kind, key) for key in wording_banks.BANK_KEYS[kind]} <= bank.fallback, kind)
        tuned_words = wording_banks.all_wordings(tuned)
        drawable = {wording_banks.wording_key(bank.lists[kind][key][i])
                    for (kind, key), usable in bank.usable.items() for i in usable}
        self.assertEqual(len(drawable & tuned_words), 0, "wordings drawn as blind that are also tuned")
        raw = wording_banks.all_wordings(blind) & tuned_words
        self.assertGreaterEqual(bank.dropped, len(raw))
        print(f"\n  blind.json : {len(raw)} libellés aussi dans tuned.json, tirés seulement comme réglés ; "
              f"{len(bank.fallback)} champ(s) sans libellé aveugle propre", file=sys.stderr)

    def test_a_blind_page_uses_only_blind_wordings(self):
        blind_bank_or_skip(self)
        bank = wording_banks.Bank("blind")
        tuned_words = wording_banks.all_wordings(wording_banks.read_bank(wording_banks.BANK_FILES["tuned"]))
        for doc in docgen.build_documents(900001, RANDOM_KINDS, 12, random_layout=True, wordings="blind"):
            sample = doc.style.describe()
            self.assertEqual(sample["wording_set"], "blind")
            for key, i in sample["wordings"].items():
                if key in sample["wordings_from_tuned"]:
                    self.assertIn((doc.gen_kind, key), bank.fallback)
                    continue
                self.assertIn(i, bank.usable[(doc.gen_kind, key)], f"{doc.name} {key}")
                self.assertNotIn(wording_banks.wording_key(bank.lists[doc.gen_kind][key][i]), tuned_words, f"{doc.name} {key}")

    def test_a_wording_in_both_banks_is_drawn_only_as_tuned(self):
        # A blind bank made here: every tuned wording marked as another, except the invoice
        # number's, the same as tuned (in another case): those are dropped and the key falls back.
        tuned = wording_banks.read_bank(wording_banks.BANK_FILES["tuned"])
        blind = {kind: {key: [w + " (bis)" for w in words] for key, words in keys.items()}
                 for kind, keys in tuned.items()}
        blind["edf.facture"]["numero_facture"] = [w.upper() for w in tuned["edf.facture"]["numero_facture"]]
        blind["edf.facture"]["pdl"].append(tuned["impots.avis_ir"]["reference_avis"][0])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blind.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(blind, f, ensure_ascii=False)
            bank = wording_banks.Bank("blind", {"tuned": wording_banks.BANK_FILES["tuned"], "blind": path})
        self.assertEqual(bank.dropped, len(tuned["edf.facture"]["numero_facture"]) + 1)
        self.assertEqual(bank.fallback, {("edf.facture", "numero_facture")})
        self.assertNotIn(len(blind["edf.facture"]["pdl"]) - 1, bank.usable[("edf.facture", "pdl")])
        docs = docgen.build_documents(3, ["edf.facture"], 4, random_layout=True, bank=bank)
        for doc in docs:
            self.assertEqual(doc.style.describe()["wordings_from_tuned"], ["numero_facture"])

    def test_a_blind_bank_without_a_new_kind_draws_it_from_tuned_and_says_so(self):
        # The blind wordings of a kind added later are written apart: until they land, the kind
        # falls back to the tuned bank as a whole, every key listed (the report leaves them out).
        tuned = wording_banks.read_bank(wording_banks.BANK_FILES["tuned"])
        blind = {kind: {key: [w + " (bis)" for w in words] for key, words in keys.items()}
                 for kind, keys in tuned.items() if kind != "edf.attestation"}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blind.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(blind, f, ensure_ascii=False)
            files = {"tuned": wording_banks.BANK_FILES["tuned"], "blind": path}
            bank = wording_banks.Bank("blind", files)
            self.assertEqual(bank.fallback, {("edf.attestation", key) for key in wording_banks.BANK_KEYS["edf.attestation"]})
            for doc in docgen.build_documents(3, ["edf.attestation", "edf.facture"], 2, random_layout=True, bank=bank):
                fell_back = doc.style.describe()["wordings_from_tuned"]
                self.assertEqual(fell_back, sorted(doc.style.describe()["wordings"]) if doc.kind == "edf.attestation" else [])
            # an old kind is never allowed to be missing
            del blind["edf.facture"]
            with open(path, "w", encoding="utf-8") as f:
                json.dump(blind, f, ensure_ascii=False)
            with self.assertRaises(wording_banks.BankError):
                wording_banks.Bank("blind", files)

    def test_a_bad_bank_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blind.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write('{"edf.facture": {}}')
            with self.assertRaises(wording_banks.BankError) as caught:
                wording_banks.Bank("blind", {"tuned": wording_banks.BANK_FILES["tuned"], "blind": path})
            self.assertIn("banque de libellés", str(caught.exception))
            with self.assertRaises(wording_banks.BankError):
                wording_banks.Bank("blind", {"tuned": wording_banks.BANK_FILES["tuned"], "blind": os.path.join(tmp, "absent.json")})

    def test_wordings_go_with_random_layout_only(self):
        script = os.path.join(DOCGEN, "docgen.py")
        with tempfile.TemporaryDirectory() as tmp:
            for args in (["--wordings", "blind"], ["--random-layout", "--wordings", "autre"],
                         ["--random-layout", "--layout", "volet", "--kinds", "edf.facture"]):
                res = subprocess.run([sys.executable, script, "--out", tmp] + args, capture_output=True, text=True)
                self.assertEqual(res.returncode, 2, args)
            self.assertEqual(os.listdir(tmp), [])
