"""Editions of the week (year, dates, theme): reference data every domain dates against."""
