"""Tests of the synthetic document generator (tools/docgen), run by ctest (tests/CMakeLists.txt).

  python3 docgen_test.py values              French forms, normalised values, same seed same page,
                                             random layouts and the wording banks (no rendering)
  python3 docgen_test.py random OUT_DIR      renders random-layout pages (three tuned, one blind) and
                                             checks that their PDF text holds every printed value
  python3 docgen_test.py render OUT_DIR [ENCODER KEY]
                                             generates the small set into OUT_DIR and checks it;
                                             with ENCODER and KEY, bills and notices carry a signed 2D-Doc
                                             (the reading test then OCRs it: docgen_read_test.cpp)

The tests: values_test.py (values, fixed layouts), random_layouts_test.py (random layouts, wording
banks), report_test.py (bench/accuracy_report.py's scoring), rendered_test.py (real renders);
what they share: docgen_support.py.
"""

import sys
import unittest

import random_layouts_test
import rendered_test
import report_test
import values_test

if __name__ == "__main__":
    load = unittest.defaultTestLoader.loadTestsFromTestCase
    if len(sys.argv) >= 2 and sys.argv[1] == "values":
        suite = unittest.TestSuite([load(c) for c in (values_test.Values, values_test.Documents,
                                                      random_layouts_test.RandomLayouts, report_test.Report)])
    elif len(sys.argv) == 3 and sys.argv[1] == "random":
        rendered_test.RandomRendered.out = sys.argv[2]
        suite = load(rendered_test.RandomRendered)
    elif len(sys.argv) in (3, 5) and sys.argv[1] == "render":
        rendered_test.Rendered.out = sys.argv[2]
        rendered_test.Rendered.signer = (sys.argv[3], sys.argv[4]) if len(sys.argv) == 5 else None
        suite = load(rendered_test.Rendered)
    else:
        sys.exit(__doc__)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
