"""
The back office's home: what each role has to do today, on the admin index.

``periods`` says when a channel's day and week start (in its time zone),
``selectors`` count and add up in the database, ``home`` puts the figures of
one user's scope together, each with a link to the change list that holds
exactly the rows it counts.
"""
