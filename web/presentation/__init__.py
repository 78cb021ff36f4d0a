"""Rendering for people and their programs, owned by the web layer: the invitation pack
(HTML and PDF, :mod:`web.presentation.pack`) and the iCalendar feeds
(:mod:`web.presentation.calendar`).

They read the application's views (:mod:`caseflow.application.views`) and domain values
only, never the repository or a driver (tests/unit/test_layers.py). Import the
submodules directly: this package imports nothing, so that a page that needs no PDF does
not load the rendering libraries.
"""
