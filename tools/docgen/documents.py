"""The synthetic documents, kept importable under their old name: each kind is now a module
of its own in kinds/ (edf, caf, impots, eau, bailleur, autres); KINDS, Doc and the make functions are
re-exported here for the scripts and tests that use them."""

from kinds import KINDS  # noqa: F401
from kinds.autres import autre_blanc, autre_lettre, autre_ticket  # noqa: F401
from kinds.caf import caf_attestation, caf_indu  # noqa: F401
from kinds.common import Doc  # noqa: F401
from kinds.bailleur import bailleur_avis  # noqa: F401
from kinds.eau import eau_facture  # noqa: F401
from kinds.edf import edf_facture  # noqa: F401
from kinds.impots import impots_avis  # noqa: F401
