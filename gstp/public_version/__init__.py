"""The public data version: one counter bumped in the transaction of any public change.

Every public ETag, Last-Modified and cache key derives from it, so a change anywhere
(an activity leaving a feed, an organization or municipality renamed) is never hidden
behind a 304 or a cached body, in any process or on any machine.

The bump happens in one place: session hooks note every flush touching a model marked
`PublicData` and every UPDATE/DELETE/INSERT statement run through a session on one of
their tables, and the commit bumps once. No service has to remember it. SQL typed by
hand outside the session (sa.text, a raw connection, a migration) must call
`bump_public_version`.

Why at commit and not at the first flush: the bump locks the row (PostgreSQL) until
the end of the transaction, and a submission may still wait for the geocoder after
its first flush; taken last, the lock lasts only the commit and cannot deadlock.

Reading it: on SQLite, from the database on each request (a local file). On PostgreSQL
a trigger on the row notifies every change (LISTEN/NOTIFY), whoever makes it, and each
thread keeps the version it read last until its listening connection receives a
notification: a change is seen on the next request after its notification arrives
(well under a millisecond on one machine), and a process sees its own commits at once.

`bumping` holds the row, the `PublicData` mark and the session hooks that bump;
`reading` the reads, and the listening connection each thread keeps.
"""
