"""The kinds of document docgen draws, one module each (edf, caf, impots, eau, bailleur, autres).

KINDS maps a generator kind ("edf.facture", "autre.ticket"…) to its fixed-layout function
make(rng, name, layout=None) -> Doc, the layouts drawn after real documents.
RANDOM maps each kind of docs/formats.md (and autre.facture, other companies' bills, drawn as
bills but expected of no kind) to its module's draw(rng) -> Content, the values and
distractors that blocks.compose() places on a random layout.

To add a kind: a module here with its fixed layouts (optional) and a draw(rng) (see edf.py),
its entries below, and its wordings in wordings/tuned.json (and blind.json, written apart)."""

from kinds import autres, bailleur, caf, eau, edf, impots

KINDS = {
    "edf.facture": edf.edf_facture,
    "caf.attestation_paiement": caf.caf_attestation,
    "caf.indu": caf.caf_indu,
    "impots.avis_ir": impots.impots_avis,
    "impots.situation_declarative": impots.impots_situation,
    "edf.attestation": edf.edf_attestation,
    "eau.facture": eau.eau_facture,
    "bailleur.avis_echeance": bailleur.bailleur_avis,
    "autre.ticket": autres.autre_ticket,
    "autre.lettre": autres.autre_lettre,
    "autre.facture": autres.autre_facture,
    "autre.blanc": autres.autre_blanc,
}

RANDOM = {
    "edf.facture": edf.draw,
    "caf.attestation_paiement": caf.draw_attestation,
    "caf.indu": caf.draw_indu,
    "impots.avis_ir": impots.draw,
    "impots.situation_declarative": impots.draw_situation,
    "edf.attestation": edf.draw_attestation,
    "eau.facture": eau.draw,
    "bailleur.avis_echeance": bailleur.draw,
    "autre.facture": autres.draw_facture,  # expected kind null: claimed by no plugin
}
