"""Settings for the whole suite."""

import os

from hypothesis import settings

from ui.figures import common

# Every figure built in the tests (the builders' own tests and the pages run by AppTest) goes
# through Plotly's validators; the app skips them for speed (ui.figures.common.VALIDATE).
common.VALIDATE = True

# In CI the property tests draw the same examples on every run, so whether a change lands does not
# depend on the draw; on a developer's machine they keep exploring (and remember what failed).
# No deadline anywhere: speed is measured by bench/, and a busy machine made a property test fail
# for taking 200 ms over one example.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
