"""Grounding: answer sentences and the passages they cite in, verdicts and fixed citations out.

Enters: an answer's sentences and its cited passages. Leaves: per-sentence support (figures, names, content),
corrected citations, and how many sources give a figure.

checker (the `GroundingChecker`), evidence (what a passage can vouch for), claims (stated values), name_runs
(names assembled from several names), corroboration (distinct sources of a figure).
"""
