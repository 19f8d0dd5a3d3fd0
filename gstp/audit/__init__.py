"""The journal: who did what to which record; below every domain, it imports none of them."""
