"""Reference geography of Québec and geocoding of text; knows no activity."""
