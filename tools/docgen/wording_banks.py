"""The wording banks of the random layouts: the labels a field may be introduced by (wordings/
tuned.json, the set plugins are tuned on; wordings/blind.json, the set they are measured on and
never tuned on) and the distractors' labels (wordings/distractors.json). blocks.py draws from
them; docgen.py loads a bank once per set."""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
WORDINGS = os.path.join(HERE, "wordings")
BANK_FILES = {"tuned": os.path.join(WORDINGS, "tuned.json"), "blind": os.path.join(WORDINGS, "blind.json")}
DISTRACTORS_FILE = os.path.join(WORDINGS, "distractors.json")

# The banks' keys: every field of docs/formats.md a label introduces ("periode" introduces both
# periode_debut and periode_fin), and "_title", the document's title. caf and annee_revenus are
# printed in the header, without a label of their own.
BANK_KEYS = {
    "edf.facture": ["_title", "numero_facture", "reference_client", "pdl", "date_facture", "date_limite_paiement",
                    "montant_ttc", "periode", "consommation_kwh", "titulaire", "adresse_consommation"],
    "caf.attestation_paiement": ["_title", "numero_allocataire", "allocataire", "date_document", "montant_total"],
    "caf.indu": ["_title", "numero_allocataire", "allocataire", "date_document", "montant_indu", "prestation",
                 "periode"],
    "impots.avis_ir": ["_title", "numero_fiscal", "numero_fiscal_2", "reference_avis", "revenu_fiscal_reference",
                       "nombre_parts", "impot_net", "reste_a_payer", "date_etablissement",
                       "date_mise_en_recouvrement", "date_limite_paiement", "centre_finances_publiques"],
    # Look-alikes of those (issue 28): a DGFiP avis de situation déclarative and an EDF attestation
    # de titulaire de contrat, kinds of their own; other companies' bills (telephone, internet,
    # water, other energy suppliers), drawn as bills and expected of no kind.
    "impots.situation_declarative": ["_title", "numero_fiscal", "reference_avis", "revenu_fiscal_reference",
                                     "nombre_parts", "date_etablissement"],
    "edf.attestation": ["_title", "pdl", "reference_client", "titulaire", "adresse_consommation", "date_attestation"],
    "autre.facture": ["_title", "numero_client", "numero_facture", "date_facture", "date_limite_paiement", "montant_ttc",
                      "periode", "titulaire", "adresse"],
    # Partners without a compiler (issue 32): a water bill and a social landlord's rent notice,
    # read by the `eau` and `bailleur` definitions.
    "eau.facture": ["_title", "numero_facture", "reference_client", "numero_compteur", "consommation_m3", "periode",
                    "montant_ttc", "date_limite_paiement"],
    "bailleur.avis_echeance": ["_title", "reference_locataire", "periode", "loyer", "charges", "aide_logement",
                               "montant_a_payer", "date_limite_paiement"],
}

# Kinds added after the blind bank was first written: a blind bank may lack one as a whole (its
# wordings are written apart, later); the kind is then drawn from the tuned bank, every key in
# `fallback`, and the report leaves its fields out of the blind figures.
MAY_LACK_IN_BLIND = {"impots.situation_declarative", "edf.attestation", "autre.facture", "eau.facture",
                     "bailleur.avis_echeance"}


class BankError(Exception):
    pass


def wording_key(text):
    """How two wordings are compared: case, spacing and a trailing colon do not count."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().rstrip(":").strip().casefold()


def read_bank(path, may_lack=()):
    """A bank file, checked: {kind: {key: [wording, …]}} with every kind and key of BANK_KEYS
    (but the kinds of `may_lack`, which may be absent as a whole)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise BankError(f"banque de libellés introuvable : {path}")
    except (OSError, ValueError) as err:
        raise BankError(f"banque de libellés illisible : {path} ({type(err).__name__})")
    if not isinstance(data, dict):
        raise BankError(f"banque de libellés mal formée : {path} (objet attendu)")
    for kind, keys in BANK_KEYS.items():
        if kind not in data and kind in may_lack:
            continue
        if not isinstance(data.get(kind), dict):
            raise BankError(f"banque de libellés {path} : type « {kind} » absent")
        for key in keys:
            items = data[kind].get(key)
            if not isinstance(items, list) or not items or not all(isinstance(w, str) and w.strip() for w in items):
                raise BankError(f"banque de libellés {path} : « {kind} / {key} » doit être une liste de libellés")
    return data


def all_wordings(bank):
    return {wording_key(w) for keys in bank.values() if isinstance(keys, dict)
            for items in keys.values() if isinstance(items, list) for w in items if isinstance(w, str)}


class Bank:
    """The wordings a set draws from. The blind bank leaves out any wording also in the tuned
    one (anywhere in it, whatever the case): such a wording is drawn only as tuned; `dropped`
    counts them. A key of the blind bank left with none of its own (or of a kind it lacks, see
    MAY_LACK_IN_BLIND) is drawn from the tuned bank and listed in `fallback`: the sample records it, and the report leaves those fields out of
    the blind figures (they would measure tuned wordings)."""

    def __init__(self, which, files=None):
        files = files or BANK_FILES
        if which not in ("tuned", "blind"):
            raise BankError(f"jeu de libellés inconnu : {which} (tuned ou blind)")
        self.which = which
        self.lists = read_bank(files[which], MAY_LACK_IN_BLIND if which == "blind" else ())
        self.dropped = 0
        self.usable = {}
        self.fallback = set()
        tuned_bank = read_bank(files["tuned"]) if which == "blind" else self.lists
        tuned = all_wordings(tuned_bank) if which == "blind" else set()
        self.tuned_lists = tuned_bank
        for kind, keys in BANK_KEYS.items():
            for key in keys:
                if kind not in self.lists:  # a kind the blind bank lacks: all its keys fall back
                    self.fallback.add((kind, key))
                    self.usable[(kind, key)] = []
                    continue
                items = self.lists[kind][key]
                keep = [i for i, w in enumerate(items) if wording_key(w) not in tuned]
                self.dropped += len(items) - len(keep)
                if not keep:
                    self.fallback.add((kind, key))
                self.usable[(kind, key)] = keep

    def draw(self, rng, kind, key):
        """(index, wording, from_tuned): from_tuned when a blind key had to fall back."""
        if (kind, key) in self.fallback:
            items = self.tuned_lists[kind][key]
            i = rng.randrange(len(items))
            return i, items[i], True
        i = rng.choice(self.usable[(kind, key)])
        return i, self.lists[kind][key][i], False


_distractors = None


def distractor_labels():
    global _distractors
    if _distractors is None:
        with open(DISTRACTORS_FILE, encoding="utf-8") as f:
            _distractors = json.load(f)
    return _distractors
