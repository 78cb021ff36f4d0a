"""The archive and public publishing (issue 18): the Noark 5 v5.0 arkivuttrekk
(:mod:`caseflow.archive.noark5`) and the documents eInnsyn's API takes
(:mod:`caseflow.archive.einnsyn`), both derived from the one log and the aggregates."""
