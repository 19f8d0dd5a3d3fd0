"""Backups that restore everything: the database, the posters and a manifest tying them."""
