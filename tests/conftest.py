"""Settings for the whole suite."""

from ui.figures import common

# Every figure built in the tests (the builders' own tests and the pages run by AppTest) goes
# through Plotly's validators; the app skips them for speed (ui.figures.common.VALIDATE).
common.VALIDATE = True
