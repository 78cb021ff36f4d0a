"""Meetings outside the event store: the attachment store (files by SHA-256), the
invitation pack (HTML and PDF), iCalendar feeds and the yearly plan with the demo year.

Import the submodules directly; this package imports nothing so that the application
layer can use :mod:`caseflow.meetings.attachments` without pulling in rendering libraries.
"""
