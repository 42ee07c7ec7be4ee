"""The analyst's views: retrieved passages in, disagreements, corrections and timelines out.

Enters: passages about a subject. Leaves: `Conflict`s where reports differ, corrections set against what
they correct, dated events oldest first, and digests of broad questions.

conflicts, corrections, revisions (which value supersedes which), corrected (an answer led by a
correction), timeline, digest.
"""
