"""eInnsyn (Digdir's publishing service for Norwegian public records), issue 18.

Caseflow's public records as the documents eInnsyn's API takes (its OpenAPI document,
``../shared/standards/einnsyn/einnsyn.openapi.yml``): an :mod:`~.mapping` from the
aggregates to :class:`~.objects.EinnsynObject` values in publishing order, an
:mod:`~.export` that writes them to a folder (``caseflow archive einnsyn OUTDIR``), and a
:mod:`~.publisher` that sends them with :mod:`~.client` (``caseflow publish einnsyn``),
remembering what was sent in the store's own database
(:mod:`caseflow.persistence.einnsyn_sent`). What maps to what: ``docs/einnsyn.md``.
"""
