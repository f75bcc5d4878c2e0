#!/usr/bin/env python3
r"""Invoices typeset with the TeX letter classes and invoice packages freelancers really use.

German, Austrian, Swiss, Dutch, Belgian and French freelancers and small firms often write their
invoices as a TeX letter: a business-letter class gives the letterhead, the address window, the
reference line and the bank footer, and an invoice package (or a table the user writes) gives the
positions. This script fills those classes and packages from Debian 12's TeX Live 2022 with seeded
data through their own documented commands, keeps their built-in layout (nothing of theirs is
restyled or copied here) and typesets each document with pdfLaTeX (XeLaTeX for `facture`):

| family      | software (CTAN package, how it is used)                                              | renderer |
|-------------|---------------------------------------------------------------------------------------|----------|
| `invoice`   | `invoice` 0.91 (Oliver Corff): `\begin{invoice}{EUR}{19}`, `\ProjectTitle`, `\Fee`,    | pdflatex |
|             | `\EBC` (expenses without VAT); the package computes (truncates) and prints the sums;  |          |
|             | labels german/dutch/french/english, `comma` option; inside `scrlttr2` or `letter`    |          |
| `invoice2`  | `invoice2` 1.2 (Simon Dierl): `\begin{invoice}[vat=0.19,currency-symbol=\euro]`,      | pdflatex |
|             | `\invoiceitem[rate]{qty}{item}{price}`, `included-vat` for gross prices; german /     |          |
|             | swissgerman / english dictionaries; inside `scrlttr2` or `scrartcl`+`scrletter`       |          |
| `scrlttr2`  | KOMA-Script `scrlttr2` with the letter-class-option files DIN, DIN5008B, DINmtext, SN,  | pdflatex |
|             | SNleft, NF, KOMAold, UScommercial9; `fromname`, `fromaddress`, `frombank`, reference  |          |
|             | line `yourref` / `customer` / `invoice` / `date` (+ `\addtoreffields` for a due date),|          |
|             | `firstfoot`; babel ngerman/naustrian/nswissgerman/french/dutch/british                |          |
| `scrletter` | KOMA-Script `scrletter` package in `scrartcl` (same variables, `\LoadLetterOption`)     | pdflatex |
| `g-brief`   | `g-brief` 4.0.3: `\Name`, `\Strasse`, `\Ort`, `\Bank`/`\BLZ`/`\Konto`, `\MeinZeichen`,  | pdflatex |
|             | `\Datum`, `\Betreff`; options ngerman / english                                       |          |
| `g-brief2`  | `g-brief2`: `\NameZeileA..`, `\AdressZeileA..`, `\TelefonZeileA..`, `\BankZeileA..`    | pdflatex |
|             | footer blocks, `\RetourAdresse`, `\unserzeichen`                                      |          |
| `dinbrief`  | `dinbrief`: `\address`, `\backaddress`, `\sign`, `\yourmail`, `\place`, `\bottomtext`, | pdflatex |
|             | `\subject`                                                                            |          |
| `facture`   | `facture` 1.2.2 (XeLaTeX, French): `\nomemet`, `\adresseemet`, `\dest`, `\fact`,       | xelatex  |
|             | `\numero`, `\codedest`, `\datelimite`, `\type{Avoir}`, `\ligne`, options `sansTVA`     |          |
|             | ("TVA non applicable, art. 293 B") and `sansremise`, `\pied`                          |          |
| `ntgbrief`  | NTG `brief` class (Dutch business letter): `\maakbriefhoofd`, `\voetitem`, `\uwkenmerk`,| pdflatex |
|             | `\onskenmerk`, `\datum`, `\betreft`, `\antwoordadres`; options dutch / english         |          |
| `chletter`  | `chletter` 2.0 (Swiss letter, address window right): `\name`, `\address`, `\location`, | pdflatex |
|             | `\return`, `\object`, footer by `\markboth`; babel nswissgerman / french              |          |

In the letter classes the positions table is what a user of the class writes (tabular, tabularx,
longtable or booktabs; amounts as the locale writes them: `1.234,56 €`, `€ 1.234,56`,
`1 234,56 €`, `CHF 1'234.50`, `£1,234.56`; varied wording for number, date, service period, due
date, VAT, totals, deposits and payment terms in German, Dutch, French and English); the
letterhead, address window, reference line and footer are the class's own. `templates.py` covers
`simpleinvoice` and `isodoc`; `invoice-class` (US commercial invoice without a number) and
`factura` (Venezuelan) do not fit.

Varied: seller country (DE, AT, CH, NL, BE, FR, GB), language, currency (EUR, CHF, GBP), seller a
freelancer or a firm, buyer a company (with "z. Hd." / "t.a.v." / "Attn." lines) or a person
("Herrn" / "Frau" / "M." / "Mme"), cross-border B2B with reverse charge and both VAT numbers,
1-15 lines, one or two VAT rates, small businesses without VAT (§ 19 UStG, § 6 Abs. 1 Z 27 UStG,
art. 293 B CGI, KOR, franchise), credit notes ("Gutschrift", "Creditnota", "Avoir", "Credit
note"; positive or negative amounts), deposits already paid, payment terms with or without a
printed due date, fonts (Latin Modern, TeX Gyre Heros/Pagella/Termes, Times, Helvetica: with the
last two the euro sign is not extractable).

Install (Debian 12):

    apt-get install -y --no-install-recommends texlive-latex-extra texlive-science \
        texlive-lang-german texlive-lang-french texlive-lang-european texlive-xetex \
        texlive-fonts-recommended texlive-latex-recommended lmodern tex-gyre fonts-texgyre \
        fonts-dejavu-core poppler-utils

Usage: ``python3 texletters.py OUT [--count N] [--seed S] [--families a,b] [--keep-going]
[--keep-tex]`` (``--count`` is the total, default 40, spread over the families by their ``share``:
invoice 6, invoice2 4, scrlttr2 10, scrletter 3, g-brief 3, g-brief2 3, dinbrief 3, facture 3,
ntgbrief 3, chletter 2). Writes ``OUT/texletters/<family>-NNN.pdf`` and ``OUT/manifest.json``
(producer ``texletters``, family = class/package, renderer pdflatex or xelatex, extra keys
``layout`` (host class / letter-class-option file / variant), ``language``, ``country``; split
tune/heldout by even/odd index within the family). Instance k of a family is the same whatever
``--count`` is, and the PDFs are byte-identical from run to run (``SOURCE_DATE_EPOCH`` = the issue
date). TeX runs in a temporary directory with its own ``TEXMFVAR``, removed at the end (a failing
run keeps its sources in ``OUT/texletters/<name>.failed``). About 2 s per document, 75 s and 4 MB
for the default 40.

Caveats: the `invoice` package cannot print two VAT rates, credit notes or deposits (deposits are a
sentence the user writes under its table), prints unit rates and counts as typed (``85.00``,
``12.5``) and its sums truncated; `invoice2` prints gross line prices, and with babel
``nswissgerman`` (not ``swissgerman``) its labels fall back to English, as they do for real users;
with Times/Helvetica (mathptmx, helvet) or eurosym's ``\euro`` the euro sign is not in the text
layer, so no currency truth unless a code is printed; `dinbrief` clashes with booktabs, so its
tables never use it; the NTG `brief` footer holds four 38 mm items, so a long IBAN goes into the
body there half of the time; `facture` needs a customer code whenever it prints a due date (its
header breaks otherwise). Without cm-super (not installed by Debian's TeX packages) the Computer
Modern sans and T1 pieces the classes set in their own fonts (KOMA reference-line labels beside TeX
Gyre Termes/Pagella, NTG `brief`'s return address) become Type 3 bitmap fonts, as on a stock Debian;
pdftotext still reads them.

Truth: invoice number, issue date, due date (only where a date is printed), currency (where a code
or an extractable symbol is printed), subtotal (net total, where printed as one amount), VAT total
(the sum of the per-rate lines where only those are printed; ``0.00`` where a reverse-charge VAT
line of 0 is printed; absent for small businesses printing no VAT), total, amount due (the total,
or the balance after a deposit; a credit note's refund), seller's legal name as printed, seller VAT
number (compact: ``DE…``, ``ATU…``, ``CHE123456789``, ``NL…B01``, ``BE0…``, ``FR…``, ``GB…``; only if
printed; a small business printing only its Steuernummer / SIRET has none), buyer name (person
without "Herrn"/"Frau"), seller IBAN (only if printed; g-brief's old BLZ/Konto footer prints none),
kind, number of lines. The `invoice` package's own sums (it truncates cents, it does not round) are
read from its log messages and used as truth; `invoice2` and `facture` sum the unrounded line VAT
and round once; the user-written tables round VAT per rate, half up. Every truth amount, number,
IBAN and VAT number (and the buyer's VAT number in ``own``) is checked against
``pdftotext -layout``; a mismatch aborts the run (``--keep-going`` skips the document instead).
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import FIRST, SECOND, iban as gen_iban, iban_print, vat as gen_vat  # noqa: E402
from generate import group as gen_group  # noqa: E402

D2 = Decimal("0.01")
BR = "\\\\"  # a TeX line break, for use inside f-strings


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def s2(x):
    return f"{abs(Decimal(x)):.2f}"


# ---------------------------------------------------------------------------------------------
# Identifiers with valid check digits (AT UID, CH UID, GB VAT, AT/CH IBANs) beside generate.py's.


def _digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def at_uid(rng):
    d = [rng.randrange(10) for _ in range(7)]
    r = 0
    for i, x in enumerate(d):
        if i % 2 == 1:
            x2 = 2 * x
            r += x2 // 10 + x2 % 10
        else:
            r += x
    return "ATU" + "".join(map(str, d)) + str((10 - (r + 4) % 10) % 10)


def ch_uid(rng):
    while True:
        d = [rng.randrange(10) for _ in range(8)]
        s = sum(a * b for a, b in zip(d, (5, 4, 3, 2, 7, 6, 5, 4)))
        c = (11 - s % 11) % 11
        if c != 10:
            return "CHE" + "".join(map(str, d)) + str(c)


def gb_vat(rng):
    d = [rng.randrange(10) for _ in range(7)]
    s = sum(a * w for a, w in zip(d, (8, 7, 6, 5, 4, 3, 2)))
    return "GB" + "".join(map(str, d)) + f"{(-s) % 97:02d}"


def vat_of(rng, country):
    if country == "AT":
        return at_uid(rng)
    if country == "CH":
        return ch_uid(rng)
    if country == "GB":
        return gb_vat(rng)
    return gen_vat(rng, country)


def iban_of(rng, country):
    if country in ("AT", "CH"):
        bban = _digits(rng, 16) if country == "AT" else _digits(rng, 17)
        numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
        return f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return gen_iban(rng, country)


def vat_print(v, country, rng):
    """The VAT number as the seller writes it."""
    b = v[2:]
    if country == "CH":
        n = v[3:]
        return f"CHE-{n[:3]}.{n[3:6]}.{n[6:]}" + rng.choice([" MWST", " MWST", "", " TVA"])
    if country == "BE" and rng.random() < 0.5:
        return f"BE {b[:4]}.{b[4:7]}.{b[7:]}"
    if country == "GB" and rng.random() < 0.6:
        return f"GB {b[:3]} {b[3:7]} {b[7:]}"
    if country == "DE" and rng.random() < 0.3:
        return f"DE {b}"
    return v


def compact_vat(v):
    return re.sub(r"[\s.\-]", "", v).replace("MWST", "").replace("TVA", "")


BICS = {"DE": ["COBADEFFXXX", "DEUTDEDBKOE", "GENODEM1GLS", "SSKMDEMMXXX", "BYLADEM1001"],
        "AT": ["BKAUATWW", "RZOOAT2L", "GIBAATWWXXX", "OBKLAT2L"], "CH": ["UBSWCHZH80A", "CRESCHZZ80A", "POFICHBEXXX",
                                                                     "ZKBKCHZZ80A"],
        "NL": ["INGBNL2A", "RABONL2U", "ABNANL2A", "KNABNL2H"], "BE": ["GEBABEBB", "KREDBEBB", "BBRUBEBB", "GKCCBEBB"],
        "FR": ["BNPAFRPP", "AGRIFRPP", "SOGEFRPP", "CCBPFRPP"], "GB": ["NWBKGB2L", "BARCGB22", "HBUKGB4B"],
        "LU": ["BCEELULL", "BGLLLULL"]}
BANKS = {"DE": ["Sparkasse KölnBonn", "Commerzbank", "Deutsche Bank", "GLS Bank", "Volksbank Mittelhessen",
                "Postbank"], "AT": ["Erste Bank", "Raiffeisenbank Wien", "BAWAG P.S.K.", "Oberbank"],
         "CH": ["UBS Switzerland AG", "Zürcher Kantonalbank", "PostFinance", "Raiffeisen"],
         "NL": ["ING", "Rabobank", "ABN AMRO", "Knab"], "BE": ["BNP Paribas Fortis", "KBC", "Belfius", "ING België"],
         "FR": ["BNP Paribas", "Crédit Agricole", "Société Générale", "Banque Populaire"],
         "GB": ["NatWest", "Barclays", "HSBC UK"], "LU": ["Spuerkeess", "BGL BNP Paribas"]}

BANK_OF_CODE = {"ABNA": ("ABNANL2A", "ABN AMRO"), "INGB": ("INGBNL2A", "ING"), "RABO": ("RABONL2U", "Rabobank"),
                "KNAB": ("KNABNL2H", "Knab"), "NWBK": ("NWBKGB2L", "NatWest"), "BARC": ("BARCGB22", "Barclays"),
                "HBUK": ("HBUKGB4B", "HSBC UK")}

# ---------------------------------------------------------------------------------------------
# Parties.

FORMS = {"DE": ["GmbH", "GmbH", "UG (haftungsbeschränkt)", "GmbH & Co. KG", "AG", "e.K."],
         "AT": ["GmbH", "GmbH", "OG", "KG", "e.U."], "CH": ["AG", "GmbH", "GmbH"],
         "CHfr": ["SA", "Sàrl"], "NL": ["B.V.", "B.V.", "V.O.F."], "BE": ["BV", "NV", "CommV"],
         "BEfr": ["SRL", "SA", "SComm"], "FR": ["SARL", "SAS", "EURL", "SA"], "GB": ["Ltd", "Ltd", "Limited", "LLP"],
         "LU": ["S.à r.l.", "S.A."]}
STREETS = {"DE": ["Hauptstraße {n}", "Bahnhofstraße {n}", "Lindenallee {n}", "Industriestraße {n}", "Goethestraße {n}",
                  "Am Markt {n}", "Schillerplatz {n}"],
           "AT": ["Mariahilfer Straße {n}", "Landstraßer Hauptstraße {n}", "Herrengasse {n}", "Linzer Straße {n}",
                  "Getreidegasse {n}"],
           "CH": ["Bahnhofstrasse {n}", "Seestrasse {n}", "Dorfstrasse {n}", "Marktgasse {n}"],
           "CHfr": ["Rue du Rhône {n}", "Avenue de la Gare {n}", "Rue de Lausanne {n}"],
           "NL": ["Keizersgracht {n}", "Stationsplein {n}", "Hoofdstraat {n}", "Oudegracht {n}", "Lange Voorhout {n}"],
           "BE": ["Meir {n}", "Kortrijksesteenweg {n}", "Bondgenotenlaan {n}", "Veldstraat {n}"],
           "BEfr": ["Rue de la Loi {n}", "Avenue Louise {n}", "Rue Saint-Gilles {n}", "Boulevard d'Avroy {n}"],
           "FR": ["{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} place Bellecour", "{n} boulevard Haussmann",
                  "{n} rue Nationale"],
           "GB": ["{n} High Street", "{n} Station Road", "Unit {n}, Riverside Park", "{n} Church Lane"],
           "LU": ["{n} avenue John F. Kennedy", "{n} rue du Fort Wallis"]}
CITIES = {"DE": ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg", "60311 Frankfurt am Main",
                 "70173 Stuttgart", "04109 Leipzig", "28195 Bremen", "90402 Nürnberg"],
          "AT": ["1010 Wien", "1070 Wien", "8010 Graz", "4020 Linz", "5020 Salzburg", "6020 Innsbruck"],
          "CH": ["8001 Zürich", "3011 Bern", "4051 Basel", "6003 Luzern", "9000 St. Gallen"],
          "CHfr": ["1204 Genève", "1003 Lausanne", "2000 Neuchâtel", "1700 Fribourg"],
          "NL": ["1017 AB Amsterdam", "3511 CE Utrecht", "2514 JH Den Haag", "3011 AD Rotterdam", "5611 AB Eindhoven",
                 "9711 LM Groningen"],
          "BE": ["2000 Antwerpen", "9000 Gent", "3000 Leuven", "8000 Brugge", "3500 Hasselt"],
          "BEfr": ["1000 Bruxelles", "1050 Ixelles", "4000 Liège", "5000 Namur", "6000 Charleroi"],
          "FR": ["75001 Paris", "69002 Lyon", "33000 Bordeaux", "59000 Lille", "31000 Toulouse", "44000 Nantes"],
          "GB": ["London EC1A 1BB", "Manchester M1 1AE", "Leeds LS1 4AP", "Bristol BS1 4DJ"],
          "LU": ["L-1855 Luxembourg", "L-2226 Luxembourg"]}
PEOPLE = {"de": [("Max", "Bauer", "m"), ("Sabine", "Krüger", "f"), ("Thomas", "Wagner", "m"),
                 ("Claudia", "Hoffmann", "f"), ("Stefan", "Wolf", "m"), ("Katharina", "Lehmann", "f"),
                 ("Julia", "Schneider", "f"), ("Lukas", "Becker", "m"), ("Anna", "Vogel", "f"), ("Jonas", "Richter", "m")],
          "at": [("Franz", "Gruber", "m"), ("Elisabeth", "Huber", "f"), ("Markus", "Pichler", "m"),
                 ("Andrea", "Steiner", "f"), ("Florian", "Moser", "m"), ("Theresa", "Eder", "f")],
          "ch": [("Urs", "Meier", "m"), ("Regula", "Keller", "f"), ("Beat", "Huber", "m"), ("Monika", "Brunner", "f"),
                 ("Reto", "Baumann", "m")],
          "chfr": [("Laurent", "Favre", "m"), ("Nathalie", "Rochat", "f"), ("Olivier", "Bonvin", "m")],
          "nl": [("Jan", "de Vries", "m"), ("Sanne", "Bakker", "f"), ("Pieter", "van Dijk", "m"), ("Femke", "Mulder", "f"),
                 ("Bram", "Visser", "m"), ("Lotte", "de Jong", "f"), ("Anna", "Jansen", "f")],
          "be": [("Wim", "Peeters", "m"), ("An", "Janssens", "f"), ("Koen", "Maes", "m"), ("Els", "Claes", "f"),
                 ("Sofie", "Wouters", "f")],
          "befr": [("Pierre", "Dubois", "m"), ("Anne", "Lambert", "f"), ("Marc", "Dumont", "m"), ("Julie", "Renard", "f")],
          "fr": [("Jean", "Dupont", "m"), ("Marie", "Lefèvre", "f"), ("Luc", "Moreau", "m"), ("Sophie", "Girard", "f"),
                 ("Camille", "Laurent", "f"), ("Nicolas", "Roux", "m")],
          "en": [("James", "Walker", "m"), ("Emily", "Clarke", "f"), ("Oliver", "Hughes", "m"), ("Sarah", "Mitchell", "f"),
                 ("Tom", "Harris", "m")]}
TRADES = {"de": ["Grafikdesign", "Webentwicklung", "Übersetzungen", "Fotografie", "IT-Beratung", "Lektorat",
                 "Softwareentwicklung", "Texte & Konzepte"],
          "nl": ["Webdesign", "Vertaalbureau", "Fotografie", "ICT-advies", "Tekstschrijver", "Grafisch ontwerp"],
          "fr": ["Graphiste", "Développement web", "Traduction", "Photographie", "Conseil informatique"],
          "en": ["Web Development", "Photography", "Consulting", "Translation Services", "Design"]}


def people_key(country, lang):
    return {"DE": "de", "AT": "at", "CH": "ch" if lang != "fr" else "chfr", "NL": "nl",
            "BE": "be" if lang != "fr" else "befr", "FR": "fr", "GB": "en", "LU": "befr"}[country]


def loc_key(country, lang):
    if country == "CH" and lang == "fr":
        return "CHfr"
    if country == "BE" and lang == "fr":
        return "BEfr"
    return country


def make_party(rng, country, lang, person, role):
    lk = loc_key(country, lang)
    street = rng.choice(STREETS[lk]).format(n=rng.randrange(1, 180))
    city = rng.choice(CITIES[lk])
    p = dict(country=country, lang=lang, street=street, city=city, person=person, vat=vat_of(rng, country),
             iban=iban_of(rng, country), bic=rng.choice(BICS[country]), bank=rng.choice(BANKS[country]))
    code = p["iban"][4:8]
    if code in BANK_OF_CODE:
        p["bic"], p["bank"] = BANK_OF_CODE[code]
    if person:
        first, last, sex = rng.choice(PEOPLE[people_key(country, lang)])
        p.update(first=first, last=last, sex=sex, name=f"{first} {last}")
        tl = {"de": "de", "nl": "nl", "fr": "fr", "en": "en"}[lang]
        p["trade"] = rng.choice(TRADES[tl]) if role == "seller" else None
    else:
        fk = lk if lk in FORMS else country
        p["name"] = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(FORMS[fk])}"
        p["trade"] = None
    cc = {"DE": "49", "AT": "43", "CH": "41", "NL": "31", "BE": "32", "FR": "33", "GB": "44", "LU": "352"}[country]
    p["phone"] = rng.choice([f"+{cc} {rng.randrange(20, 99)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                             f"0{rng.randrange(20, 999)} {rng.randrange(100000, 9999999)}"])
    slug = re.sub(r"[^a-z]", "", (p.get("last") or p["name"].split()[0]).lower()) or "info"
    tld = {"DE": "de", "AT": "at", "CH": "ch", "NL": "nl", "BE": "be", "FR": "fr", "GB": "co.uk", "LU": "lu"}[country]
    p["email"] = f"{rng.choice(['info', 'rechnung', 'mail', 'kontakt', 'office']) if lang == 'de' else 'info'}@{slug}.{tld}"
    p["web"] = f"www.{slug}.{tld}"
    p["taxno"] = {"DE": f"{rng.randrange(10, 99)}/{rng.randrange(100, 999)}/{rng.randrange(10000, 99999)}",
                  "AT": f"{rng.randrange(10, 99)} {rng.randrange(100, 999)}/{rng.randrange(1000, 9999)}",
                  "FR": None, "CH": None, "NL": None, "BE": None, "GB": None, "LU": None}[country]
    if country == "FR":
        p["siret"] = p["vat"][4:] + _digits(rng, 5)
    if country == "NL":
        p["kvk"] = _digits(rng, 8)
    if country == "GB":
        p["company_no"] = _digits(rng, 8)
    return p


# ---------------------------------------------------------------------------------------------
# Goods: (description per language, unit per language, kind) ; kind h = hours, p = pieces, f = flat.

GOODS = [
    ({"de": "Konzeption und Beratung", "nl": "Concept en advies", "fr": "Conception et conseil",
      "en": "Concept and consulting"}, "h"),
    ({"de": "Programmierung Webshop", "nl": "Programmeerwerk webshop", "fr": "Développement boutique en ligne",
      "en": "Web shop development"}, "h"),
    ({"de": "Gestaltung Logo und Geschäftsausstattung", "nl": "Ontwerp logo en huisstijl",
      "fr": "Création logo et charte graphique", "en": "Logo and stationery design"}, "f"),
    ({"de": "Fotoshooting inkl. Bildbearbeitung", "nl": "Fotoshoot incl. nabewerking",
      "fr": "Séance photo avec retouches", "en": "Photo shoot incl. editing"}, "f"),
    ({"de": "Übersetzung Deutsch-Englisch", "nl": "Vertaling Nederlands-Engels", "fr": "Traduction français-anglais",
      "en": "Translation German-English"}, "w"),
    ({"de": "Wartung und Support", "nl": "Onderhoud en support", "fr": "Maintenance et support",
      "en": "Maintenance and support"}, "h"),
    ({"de": "Webhosting (12 Monate)", "nl": "Webhosting (12 maanden)", "fr": "Hébergement web (12 mois)",
      "en": "Web hosting (12 months)"}, "f"),
    ({"de": "Schulung Mitarbeiter", "nl": "Training medewerkers", "fr": "Formation des collaborateurs",
      "en": "Staff training"}, "d"),
    ({"de": "Druck Flyer A5, 4/4-farbig", "nl": "Drukwerk flyers A5, full colour", "fr": "Impression flyers A5 quadri",
      "en": "Printing A5 flyers, full colour"}, "c"),
    ({"de": "Fachbuch", "nl": "Vakboek", "fr": "Ouvrage technique", "en": "Reference book"}, "book"),
    ({"de": "Bildband (Druckausgabe)", "nl": "Fotoboek (gedrukt)", "fr": "Livre photo (imprimé)",
      "en": "Photo book (printed)"}, "book"),
    ({"de": "Lektorat Manuskript", "nl": "Redactie manuscript", "fr": "Relecture du manuscrit",
      "en": "Manuscript editing"}, "h"),
    ({"de": "Reisekosten (Pauschale)", "nl": "Reiskosten (forfait)", "fr": "Frais de déplacement (forfait)",
      "en": "Travel expenses (flat rate)"}, "f"),
    ({"de": "Monitor 27 Zoll", "nl": "Monitor 27 inch", "fr": "Écran 27 pouces", "en": "27-inch monitor"}, "p"),
    ({"de": "Einrichtung Server und Backup", "nl": "Inrichting server en back-up",
      "fr": "Installation serveur et sauvegarde", "en": "Server and backup setup"}, "h"),
    ({"de": "Texterstellung Website", "nl": "Teksten website", "fr": "Rédaction des textes du site",
      "en": "Website copywriting"}, "h"),
    ({"de": "Workshop (halbtägig)", "nl": "Workshop (halve dag)", "fr": "Atelier (demi-journée)",
      "en": "Workshop (half day)"}, "f"),
    ({"de": "Lizenz Bildrechte", "nl": "Licentie beeldrechten", "fr": "Licence droits d'image",
      "en": "Image rights licence"}, "f"),
    ({"de": "Büromaterial", "nl": "Kantoorartikelen", "fr": "Fournitures de bureau", "en": "Office supplies"}, "o"),
]
UNITS = {"h": {"de": "Std.", "nl": "uur", "fr": "h", "en": "hrs"},
         "o": {"de": "Stk.", "nl": "st.", "fr": "u.", "en": "pcs"}, "c": {"de": "Stk.", "nl": "st.", "fr": "ex.",
                                                                         "en": "pcs"}, "d": {"de": "Tage", "nl": "dagen", "fr": "j",
                                                                        "en": "days"},
         "p": {"de": "Stk.", "nl": "st.", "fr": "u.", "en": "pcs"}, "f": {"de": "pauschal", "nl": "forfait",
                                                                         "fr": "forfait", "en": "flat"},
         "w": {"de": "Wörter", "nl": "woorden", "fr": "mots", "en": "words"},
         "book": {"de": "Stk.", "nl": "st.", "fr": "ex.", "en": "pcs"}}

RATES = {"DE": [Decimal(19), Decimal(7)], "AT": [Decimal(20), Decimal(10)], "CH": [Decimal("8.1"), Decimal("2.6")],
         "NL": [Decimal(21), Decimal(9)], "BE": [Decimal(21), Decimal(6)], "FR": [Decimal(20), Decimal("5.5")],
         "GB": [Decimal(20), Decimal(0)], "LU": [Decimal(17), Decimal(8)]}
EU = {"DE", "AT", "NL", "BE", "FR", "LU"}
NEIGHBOURS = {"DE": ["AT", "NL", "BE", "FR", "LU"], "AT": ["DE"], "NL": ["BE", "DE"], "BE": ["NL", "FR", "LU", "DE"],
              "FR": ["BE", "LU", "DE"], "CH": [], "GB": []}


def make_line(rng, lang, kind=None):
    desc, kind0 = rng.choice(GOODS if kind is None else [g for g in GOODS if g[1] == kind])
    kind = kind or kind0
    d = desc[lang]
    if kind == "h":
        qty = Decimal(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, "1.5", "2.5", "3.5", "7.5", "12.5"]))
        price = Decimal(rng.choice([45, 55, 60, 65, 70, 75, 80, 85, 90, 95, 110, 120, 135]))
    elif kind == "d":
        qty = Decimal(rng.choice([1, 2, 3, 5, "0.5", "1.5"]))
        price = Decimal(rng.choice([480, 560, 650, 720, 800, 950, 1100]))
    elif kind == "p":
        qty = Decimal(rng.choice([1, 1, 2, 3, 4, 5]))
        price = q(Decimal(rng.randrange(14900, 48900)) / 100)
    elif kind == "o":
        qty = Decimal(rng.choice([1, 2, 3, 5, 10, 12, 20]))
        price = q(Decimal(rng.randrange(250, 4500)) / 100)
    elif kind == "c":
        qty = Decimal(rng.choice([250, 500, 1000, 2500, 5000]))
        price = q(Decimal(rng.randrange(4, 60)) / 100)
    elif kind == "w":
        qty = Decimal(rng.choice([850, 1200, 2400, 3500, 5200]))
        price = Decimal(rng.choice(["0.08", "0.10", "0.12", "0.14", "0.16"]))
    elif kind == "book":
        qty = Decimal(rng.choice([1, 1, 2, 3, 5]))
        price = q(Decimal(rng.randrange(1490, 8990)) / 100)
    else:
        qty = Decimal(1)
        price = q(Decimal(rng.choice([rng.randrange(80, 900), rng.randrange(900, 6000)]))
                  + Decimal(rng.choice([0, 0, 0, 50, 90, 95])) / 100)
    if qty != qty.to_integral() and (price * 100) % 2:
        price += D2  # keep qty x price exact to the cent
    return dict(desc=d, kind=kind, qty=qty, price=price, unit=UNITS[kind][lang], reduced=(kind == "book"))


def make_model(rng, fam, idx, spec):
    country = rng.choice(spec["countries"])
    langs = spec.get("langs", {})
    lang = rng.choice(langs.get(country) or {"DE": ["de"], "AT": ["de"], "CH": ["de", "de", "fr"],
                                             "NL": ["nl", "nl", "nl", "en"], "BE": ["nl", "fr"],
                                             "FR": ["fr"], "GB": ["en"]}[country])
    cur = {"CH": "CHF" if rng.random() < 0.9 else "EUR", "GB": "GBP"}.get(country, "EUR")
    seller_person = rng.random() < spec.get("person_p", 0.5)
    seller = make_party(rng, country, lang, seller_person, "seller")
    small = (seller_person and country in ("DE", "AT", "FR", "BE", "NL")
             and rng.random() < spec.get("small_p", 0.25))
    bc = country
    if NEIGHBOURS[country] and rng.random() < 0.2:
        bc = rng.choice(NEIGHBOURS[country])
    buyer_person = rng.random() < 0.25 and bc == country
    blang = lang if bc == country else {"DE": "de", "AT": "de", "NL": "nl", "BE": rng.choice(["nl", "fr"]),
                                        "FR": "fr", "LU": "fr"}[bc]
    buyer = make_party(rng, bc, blang, buyer_person, "buyer")
    reverse = (not small and not buyer_person and bc != country and bc in EU and country in EU)
    n = rng.choice([1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12, 15])
    n = min(n, spec.get("max_lines", 15))
    lines = [make_line(rng, lang) for _ in range(n)]
    two = (not small and not reverse and spec.get("two_rates", True) and rng.random() < 0.3)
    if two:
        if not any(l["reduced"] for l in lines):
            lines[rng.randrange(len(lines))].update(make_line(rng, lang, "book"))
    else:
        for l in lines:
            l["reduced"] = False
    rates = RATES[country]
    for l in lines:
        l["rate"] = Decimal(0) if (small or reverse) else (rates[1] if l["reduced"] else rates[0])
        l["net"] = q(l["qty"] * l["price"])
    if len({l["rate"] for l in lines}) < 2:
        two = False
    issue = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randrange(0, 700))
    terms = rng.choice([7, 10, 14, 14, 14, 30, 30, 30])
    credit = rng.random() < spec.get("credit_p", 0.15)
    deposit = (not credit) and rng.random() < spec.get("deposit_p", 0.15)
    y = issue.year
    number = rng.choice({
        "de": [f"{y}-{rng.randrange(1, 400):03d}", f"RE-{y}-{rng.randrange(1, 999):04d}", f"R{y % 100}{rng.randrange(1, 999):03d}",
               f"{y}{rng.randrange(1, 12):02d}{rng.randrange(1, 99):02d}", f"{rng.randrange(1000, 9999)}"],
        "nl": [f"{y}-{rng.randrange(1, 400):03d}", f"F{y}{rng.randrange(1, 999):03d}", f"{y}.{rng.randrange(1, 999):04d}",
               f"{rng.randrange(10000, 99999)}"],
        "fr": [f"F{y}-{rng.randrange(1, 999):03d}", f"FA{y % 100}{rng.randrange(1, 12):02d}-{rng.randrange(1, 999):03d}",
               f"{y}-{rng.randrange(1, 400):04d}"],
        "en": [f"INV-{rng.randrange(1, 9999):04d}", f"{y}-{rng.randrange(1, 400):03d}", f"{rng.randrange(1000, 9999)}"],
    }[lang])
    if credit:
        number = rng.choice({"de": ["G", "GS-", "RK-"], "nl": ["C", "CN-", "CR"], "fr": ["AV", "AV-", "A"],
                             "en": ["CN-", "CR", "C"]}[lang]) + number.split("-")[-1] if rng.random() < 0.6 else number
    return dict(fam=fam, idx=idx, country=country, lang=lang, currency=cur, seller=seller, buyer=buyer, small=small,
                reverse=reverse, lines=lines, two=two, issue=issue, terms=terms, due=issue + dt.timedelta(days=terms),
                credit=credit, deposit=deposit, number=number, customer_no=rng.choice(
                    [f"K-{rng.randrange(10000, 99999)}", f"{rng.randrange(1000, 99999)}", f"D{rng.randrange(100, 999)}"]),
                ref_invoice=(f"{y}-{rng.randrange(1, 300):03d}", issue - dt.timedelta(days=rng.randrange(10, 80))),
                own_is_buyer=rng.random() < 0.85, deposit_share=rng.choice([Decimal("0.3"), Decimal("0.5"),
                                                                           Decimal("0.25"), Decimal("0.4")]),
                deposit_date=issue - dt.timedelta(days=rng.randrange(14, 60)))


def totals_by_rate(m):
    """User-written tables: VAT per rate on the rate's net sum, rounded half up."""
    by = {}
    for l in m["lines"]:
        by[l["rate"]] = by.get(l["rate"], Decimal(0)) + l["net"]
    net = sum(by.values())
    vats = {r: q(b * r / 100) for r, b in by.items()}
    vat = sum(vats.values())
    total = net + vat
    dep = q(total * m["deposit_share"]) if m["deposit"] else Decimal(0)
    if dep:
        dep = Decimal(int(dep / 10) * 10)  # deposits are round sums
    return dict(by=by, net=net, vats=vats, vat=vat, total=total, deposit=dep, due=total - dep)


# ---------------------------------------------------------------------------------------------
# Locale formatting.

MONTHS = {"de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"],
          "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                 "november", "december"],
          "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}


def date_styles(m):
    c, lang = m["country"], m["lang"]
    if lang == "de":
        return ["num", "long"] if c != "CH" else ["num", "long", "num"]
    if lang == "nl":
        return ["long", "dash", "long"]
    if lang == "fr":
        return ["long", "slash", "long"]
    return ["long", "slash", "long"]


def fmt_date(d, lang, style, country=None):
    if style == "num":
        return d.strftime("%d.%m.%Y")
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    mon = MONTHS[lang][d.month - 1]
    if lang == "de" and country == "AT" and d.month == 1:
        mon = "Jänner"
    if lang == "de":
        return f"{d.day}. {mon} {d.year}"
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {mon} {d.year}"
    return f"{d.day} {mon} {d.year}"


def group(i, sep):
    return gen_group(str(i), sep)


def num(x, style):
    """A number as TeX source in a locale style: de 1.234,56 / ch 1'234.50 / fr 1\\,234,56 / en 1,234.56."""
    neg = x < 0
    i, f = f"{abs(q(x)):.2f}".split(".")
    i = int(i)
    if style == "de":
        s = group(i, ".") + "," + f
    elif style == "ch":
        s = group(i, "'") + "." + f
    elif style == "fr":
        s = group(i, "\\,") + "," + f
    elif style == "plainc":
        s = f"{i},{f}"
    else:
        s = group(i, ",") + "." + f
    return ("-" if neg else "") + s


def qty_txt(x, style):
    s = str(int(x)) if x == x.to_integral() else f"{x.normalize():f}"
    return s.replace(".", ",") if style in ("de", "fr", "plainc") else s


def rate_txt(r, style):
    s = str(int(r)) if r == r.to_integral() else f"{r.normalize():f}"
    return s.replace(".", ",") if style in ("de", "fr", "plainc") else s


class Money:
    """How this document writes amounts: number style and where the currency goes."""

    def __init__(self, rng, m, font_euro_ok=True):
        c, lang, cur = m["country"], m["lang"], m["currency"]
        self.cur = cur
        if cur == "CHF":
            self.style = "ch" if lang == "de" or rng.random() < 0.5 else "fr"
            self.sym, self.pre = "CHF", True
        elif cur == "GBP":
            self.style, self.sym, self.pre = "en", "£", True
        else:
            self.style = {"de": "de", "nl": "de", "fr": "fr", "en": "en"}[lang]
            if c == "BE" and lang == "fr":
                self.style = rng.choice(["fr", "de"])
            if lang == "de" and c == "DE":
                self.sym, self.pre = rng.choice([("€", False), ("€", False), ("EUR", False), ("Euro", False)])
            elif lang == "de":
                self.sym, self.pre = rng.choice([("€", True), ("EUR", True), ("€", False)])
            elif lang == "nl":
                self.sym, self.pre = rng.choice([("€", True), ("€", True), ("EUR", True), ("EUR", False)])
            elif lang == "fr":
                self.sym, self.pre = rng.choice([("€", False), ("€", False), ("EUR", False)])
            else:
                self.sym, self.pre = rng.choice([("€", True), ("EUR", True)])
        self.symtex = {"€": r"\texteuro{}", "£": r"\pounds{}"}.get(self.sym, self.sym)
        # where the currency is printed: every amount, only the totals, or in the column header
        self.mode = rng.choice(["all", "totals", "totals", "header"])
        self.euro_ok = font_euro_ok

    def n(self, x):
        return num(x, self.style)

    def a(self, x):
        """An amount with its currency."""
        s = self.n(x)
        if self.sym == "£":
            return ("-" if x < 0 else "") + r"\pounds" + s.lstrip("-")
        sep = "~" if self.sym not in ("€",) or not self.pre else "~" if self.style != "en" else ""
        return f"{self.symtex}{sep}{s}" if self.pre else f"{s}~{self.symtex}"

    def cell(self, x):
        return self.a(x) if self.mode == "all" else self.n(x)

    def tot(self, x):
        return self.n(x) if self.mode == "header" else self.a(x)

    def head(self):
        return f" ({self.symtex})" if self.mode == "header" else ""

    def printed_code(self):
        """Whether the printed currency can be read from the text layer."""
        if self.sym in ("EUR", "CHF", "GBP", "Euro"):
            return True
        if self.sym == "€":
            return self.euro_ok
        return True


# ---------------------------------------------------------------------------------------------
# TeX helpers.


def tex_esc(s):
    rep = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
           "~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
    return "".join(rep.get(c, c) for c in s)


def tex_run(engine, src, out_pdf, tmp, passes=2, epoch=None):
    d = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(d, "doc.tex"), "w", encoding="utf-8") as f:
        f.write(src)
    env = dict(os.environ, TEXMFVAR=os.path.join(tmp, "texmf-var"), TEXMFCONFIG=os.path.join(tmp, "texmf-config"))
    if epoch is not None:  # reproducible PDFs, dated the day the invoice was written
        env.update(SOURCE_DATE_EPOCH=str(epoch), FORCE_SOURCE_DATE="1")
    log = ""
    for _ in range(passes):
        p = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=d, env=env,
                           capture_output=True, timeout=600)
        with open(os.path.join(d, "doc.log"), encoding="latin-1") as f:
            log = f.read()
        if p.returncode != 0:
            keep = out_pdf[:-4] + ".failed"
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(d, keep)
            raise RuntimeError(f"{engine} failed (sources kept in {keep}):\n{log[-3000:]}")
    shutil.copy(os.path.join(d, "doc.pdf"), out_pdf)
    shutil.rmtree(d, ignore_errors=True)
    return log


FONTS = [  # (preamble, euro sign extractable)
    (r"\usepackage{lmodern}", True),
    (r"\usepackage{lmodern}", True),
    (r"\usepackage{lmodern}", True),
    (r"\usepackage{tgheros}\renewcommand{\familydefault}{\sfdefault}", True),
    (r"\usepackage{tgpagella}", True),
    (r"\usepackage{tgtermes}", True),
    (r"\usepackage{mathptmx}", False),
    (r"\usepackage[scaled]{helvet}\renewcommand{\familydefault}{\sfdefault}", False),
]


def pick_font(rng):
    return rng.choice(FONTS)


BABEL = {("de", "DE"): "ngerman", ("de", "AT"): "naustrian", ("de", "CH"): "nswissgerman", ("nl", "NL"): "dutch",
         ("nl", "BE"): "dutch", ("fr", "FR"): "french", ("fr", "BE"): "french", ("fr", "CH"): "french",
         ("en", "GB"): "british", ("en", "NL"): "british", ("en", "BE"): "british", ("en", "DE"): "british"}


def babel_of(m):
    return BABEL.get((m["lang"], m["country"]), {"de": "ngerman", "nl": "dutch", "fr": "french", "en": "british"}[
        m["lang"]])


# ---------------------------------------------------------------------------------------------
# What the user writes: wording in four languages (several variants each).

W = {
    "de": dict(
        inv=["Rechnung"], cn=["Gutschrift", "Gutschrift", "Rechnungskorrektur"],
        no=["Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr."], cn_no=["Gutschrift Nr.", "Gutschriftsnummer", "Beleg-Nr."],
        date=["Rechnungsdatum", "Datum"], cust=["Kundennummer", "Kunden-Nr."],
        period=["Leistungszeitraum: {p}", "Leistungsdatum: {d}", "Lieferdatum: {d}",
                "Das Leistungsdatum entspricht dem Rechnungsdatum."],
        pos="Pos.", desc=["Bezeichnung", "Leistung", "Beschreibung", "Artikel/Leistung"], qty=["Menge", "Anzahl"],
        unit="Einheit", price=["Einzelpreis", "E-Preis", "Preis/Einheit"], amount=["Gesamt", "Betrag", "Gesamtpreis"],
        vatcol="USt.", at="à",
        net=["Summe netto", "Nettobetrag", "Zwischensumme", "Gesamt netto"],
        vat=["zzgl. {r}\\,\\% USt.", "Umsatzsteuer {r}\\,\\%", "zzgl. MwSt. {r}\\,\\%", "{r}\\,\\% USt. auf {b}"],
        vat_at=["zzgl. {r}\\,\\% USt", "USt {r}\\,\\%", "{r}\\,\\% USt von {b}"],
        vat_ch=["MWST {r}\\,\\%", "zzgl. {r}\\,\\% MWST", "MWST {r}\\,\\% auf {b}"],
        vat_rc=["USt. 0\\,\\%", "Umsatzsteuer 0\\,\\%"],
        vat_sum=["Summe USt.", "Umsatzsteuer gesamt"],
        total=["Rechnungsbetrag", "Gesamtbetrag", "Summe brutto", "Gesamtsumme", "Endbetrag"],
        total_small=["Rechnungsbetrag", "Gesamtbetrag", "Summe", "Endbetrag"],
        cn_total=["Gutschriftsbetrag", "Gesamtbetrag", "Gesamtbetrag der Gutschrift"],
        dep=["abzüglich Anzahlung vom {d}", "abzgl. geleisteter Anzahlung", "./. Abschlagszahlung vom {d}"],
        due=["Zahlbetrag", "Noch zu zahlen", "Restbetrag", "Offener Betrag"],
        pay_date=["Bitte überweisen Sie den Betrag von {a} bis zum {d} auf das unten angegebene Konto.",
                  "Zahlbar ohne Abzug bis {d}.",
                  "Bitte begleichen Sie den Rechnungsbetrag bis spätestens {d} unter Angabe der Rechnungsnummer.",
                  "Fällig am {d}."],
        pay_terms=["Zahlbar innerhalb von {n} Tagen ohne Abzug.", "Zahlungsziel: {n} Tage netto.",
                   "Bitte überweisen Sie den Rechnungsbetrag innerhalb von {n} Tagen nach Erhalt der Rechnung."],
        pay_bank=["Bankverbindung: {bank}, IBAN {iban}, BIC {bic}", "IBAN: {iban} -- BIC: {bic} ({bank})"],
        cn_pay=["Den Betrag von {a} überweisen wir Ihnen in den nächsten Tagen auf Ihr Konto.",
                "Der Gutschriftsbetrag wird mit Ihrer nächsten Rechnung verrechnet."],
        cn_ref=["Gutschrift zu Rechnung Nr. {n} vom {d}.", "Korrektur der Rechnung {n} vom {d}."],
        intro=["für die im {p} erbrachten Leistungen erlaube ich mir, Ihnen folgende Beträge in Rechnung zu stellen:",
               "vielen Dank für Ihren Auftrag. Hiermit berechne ich Ihnen:",
               "wir bedanken uns für Ihren Auftrag und stellen Ihnen vereinbarungsgemäß folgende Leistungen in "
               "Rechnung:", "gemäß unserem Angebot vom {o} berechnen wir Ihnen:"],
        cn_intro=["wie telefonisch besprochen schreiben wir Ihnen folgende Positionen gut:",
                  "für die folgenden Positionen erhalten Sie eine Gutschrift:"],
        dear_m="Sehr geehrter Herr {last},", dear_f="Sehr geehrte Frau {last},", dear_co="Sehr geehrte Damen und Herren,",
        hi="Hallo {first},", closing=["Mit freundlichen Grüßen", "Beste Grüße", "Freundliche Grüße"],
        closing_ch=["Freundliche Grüsse", "Mit freundlichen Grüssen"],
        small={"DE": ["Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.",
                      "Als Kleinunternehmer im Sinne von § 19 Abs. 1 UStG wird keine Umsatzsteuer ausgewiesen."],
               "AT": ["Umsatzsteuerfrei aufgrund der Kleinunternehmerregelung gemäß § 6 Abs. 1 Z 27 UStG.",
                      "Kleinunternehmer gem. § 6 Abs. 1 Z 27 UStG -- keine Umsatzsteuer."]},
        reverse={"DE": ["Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).",
                        "Die Umsatzsteuer schuldet der Leistungsempfänger (Reverse Charge, § 13b UStG)."],
                 "AT": ["Übergang der Steuerschuld auf den Leistungsempfänger (Reverse Charge)."]},
        vatid={"DE": ["USt-IdNr.", "USt-ID"], "AT": ["UID-Nr.", "UID"], "CH": ["MWST-Nr.", "UID"]},
        taxno=["Steuernummer", "St.-Nr."], buyer_vat="USt-IdNr.",
        salut={"m": "Herrn", "f": "Frau"}, attn=["z.\\,Hd. {p}", "z.\\,H. {p}", "Abt. Buchhaltung"],
        countries={"DE": "Deutschland", "AT": "Österreich", "NL": "Niederlande", "BE": "Belgien", "FR": "Frankreich",
                   "LU": "Luxemburg", "CH": "Schweiz"},
        phone="Tel.", email="E-Mail", bankw="Bank",
    ),
    "nl": dict(
        inv=["Factuur"], cn=["Creditnota", "Creditfactuur"],
        no=["Factuurnummer", "Factuurnr.", "Factuur nr."], cn_no=["Creditnotanummer", "Creditnota nr."],
        date=["Factuurdatum", "Datum"], cust=["Klantnummer", "Debiteurnummer"],
        period=["Periode: {p}", "Leverdatum: {d}", "Uitgevoerd in {p}."],
        pos="Nr.", desc=["Omschrijving", "Omschrijving", "Werkzaamheden"], qty=["Aantal"], unit="Eenheid",
        price=["Prijs", "Tarief", "Stukprijs"], amount=["Bedrag", "Totaal"], vatcol="Btw", at="à",
        net=["Subtotaal", "Totaal excl. btw", "Netto"],
        vat=["Btw {r}\\%", "{r}\\% btw", "Btw {r}\\% over {b}"], vat_rc=["Btw verlegd", "Btw 0\\%"],
        vat_sum=["Totaal btw"], total=["Totaal", "Totaal incl. btw", "Te betalen", "Factuurbedrag"],
        total_small=["Totaal", "Factuurbedrag", "Te betalen"], cn_total=["Totaal creditnota", "Totaal", "Te crediteren"],
        dep=["Reeds betaald (voorschot)", "Af: aanbetaling d.d. {d}", "Voorschot ontvangen"],
        due=["Nog te betalen", "Openstaand bedrag", "Te betalen"],
        pay_date=["Wij verzoeken u vriendelijk het bedrag van {a} vóór {d} over te maken onder vermelding van het "
                  "factuurnummer.", "Gelieve het bedrag van {a} te storten vóór {d}.", "Vervaldatum: {d}."],
        pay_terms=["Betaling binnen {n} dagen na factuurdatum.", "Betalingstermijn: {n} dagen.",
                   "Graag ontvang ik het bedrag binnen {n} dagen op mijn rekening."],
        pay_bank=["Bankrekening: {iban} (BIC {bic}) t.n.v. {name}", "IBAN {iban} -- BIC {bic}"],
        cn_pay=["Het bedrag van {a} wordt binnen 14 dagen teruggestort op uw rekening.",
                "Dit bedrag wordt verrekend met uw volgende factuur."],
        cn_ref=["Creditering van factuur {n} d.d. {d}.", "Betreft correctie op factuur {n} van {d}."],
        intro=["Hierbij breng ik u het volgende in rekening:",
               "Voor de geleverde diensten in {p} breng ik u graag het volgende in rekening:",
               "Bedankt voor uw opdracht. Hieronder vindt u de specificatie:"],
        cn_intro=["Zoals afgesproken crediteren wij de volgende posten:"],
        dear_m="Geachte heer {last},", dear_f="Geachte mevrouw {last},", dear_co="Geachte heer, mevrouw,",
        hi="Beste {first},", closing=["Met vriendelijke groet,", "Met vriendelijke groeten,"],
        small={"NL": ["Vrijgesteld van btw op grond van de kleineondernemersregeling (KOR).",
                      "Btw vrijgesteld (KOR)."],
               "BE": ["Bijzondere vrijstellingsregeling kleine ondernemingen. Btw niet van toepassing."]},
        reverse={"NL": ["Btw verlegd naar afnemer.", "Btw verlegd (art. 196 Btw-richtlijn)."],
                 "BE": ["Btw verlegd -- medecontractant (art. 196 Richtlijn 2006/112/EG)."]},
        vatid={"NL": ["Btw-nr.", "BTW", "Btw-id"], "BE": ["Btw-nr.", "BTW", "Ondernemingsnr."]},
        taxno=["KvK"], buyer_vat="Btw-nr.",
        salut={"m": "De heer", "f": "Mevrouw"}, attn=["t.a.v. {p}", "t.a.v. de crediteurenadministratie"],
        countries={"DE": "Duitsland", "AT": "Oostenrijk", "NL": "Nederland", "BE": "België", "FR": "Frankrijk",
                   "LU": "Luxemburg", "CH": "Zwitserland"},
        phone="Tel.", email="E-mail", bankw="Bank",
    ),
    "fr": dict(
        inv=["Facture"], cn=["Avoir", "Facture d'avoir"],
        no=["Facture n°", "N° de facture", "Numéro de facture"], cn_no=["Avoir n°", "N° d'avoir"],
        date=["Date de facture", "Date"], cust=["Code client", "N° client"],
        period=["Période : {p}", "Date de prestation : {d}", "Prestations réalisées en {p}."],
        pos="N°", desc=["Désignation", "Description"], qty=["Qté", "Quantité"], unit="Unité",
        price=["P.U. HT", "Prix unitaire HT"], amount=["Montant HT", "Total HT"], vatcol="TVA", at="à",
        net=["Total HT", "Montant HT"], vat=["TVA {r}\\,\\%", "TVA à {r}\\,\\%", "TVA {r}\\,\\% sur {b}"],
        vat_ch=["TVA {r}\\,\\%", "TVA {r}\\,\\% sur {b}"],
        vat_rc=["TVA 0\\,\\%", "TVA autoliquidée"], vat_sum=["Total TVA"],
        total=["Total TTC", "Montant TTC", "Net à payer"], total_small=["Total", "Montant total", "Net à payer"],
        cn_total=["Total de l'avoir", "Montant TTC", "Total TTC"],
        dep=["Acompte versé le {d}", "Acompte reçu", "Déjà réglé"], due=["Reste à payer", "Net à payer", "Solde dû"],
        pay_date=["Date d'échéance : {d}.", "Règlement par virement avant le {d}.", "À régler au plus tard le {d}."],
        pay_terms=["Paiement à {n} jours.", "Conditions de paiement : {n} jours date de facture."],
        pay_bank=["Coordonnées bancaires : IBAN {iban} -- BIC {bic} ({bank})", "Virement : IBAN {iban}, BIC {bic}"],
        cn_pay=["Ce montant vous sera remboursé par virement.", "Cet avoir sera déduit de votre prochaine facture."],
        cn_ref=["Avoir sur facture n° {n} du {d}.", "Annule et remplace partiellement la facture {n} du {d}."],
        intro=["Veuillez trouver ci-dessous le détail de nos prestations :",
               "Suite à votre commande, nous vous prions de trouver ci-après notre facture :",
               "Pour les prestations réalisées en {p}, je vous prie de trouver ma facture :"],
        cn_intro=["Comme convenu, nous vous adressons l'avoir suivant :"],
        dear_m="Monsieur,", dear_f="Madame,", dear_co="Madame, Monsieur,", hi="Bonjour {first},",
        closing=["Veuillez agréer, Madame, Monsieur, nos salutations distinguées.", "Cordialement,",
                 "Bien cordialement,"],
        small={"FR": ["TVA non applicable, art. 293 B du CGI."],
               "BE": ["Régime particulier de franchise des petites entreprises -- TVA non applicable."]},
        reverse={"FR": ["Autoliquidation -- TVA due par le preneur (art. 196 de la directive 2006/112/CE)."],
                 "BE": ["Autoliquidation -- TVA due par le cocontractant (art. 196 directive 2006/112/CE)."]},
        vatid={"FR": ["N° TVA intracommunautaire", "TVA"], "BE": ["TVA", "N° TVA"], "CH": ["N° TVA", "IDE"]},
        taxno=["SIRET"], buyer_vat="N° TVA",
        salut={"m": "Monsieur", "f": "Madame"}, attn=["À l'attention de {p}", "Service comptabilité"],
        countries={"DE": "Allemagne", "AT": "Autriche", "NL": "Pays-Bas", "BE": "Belgique", "FR": "France",
                   "LU": "Luxembourg", "CH": "Suisse"},
        phone="Tél.", email="Courriel", bankw="Banque",
    ),
    "en": dict(
        inv=["Invoice"], cn=["Credit note", "Credit Note"],
        no=["Invoice no.", "Invoice number", "Invoice #"], cn_no=["Credit note no.", "Credit note number"],
        date=["Invoice date", "Date", "Tax point"], cust=["Customer no.", "Account no."],
        period=["Period: {p}", "Date of supply: {d}", "Work carried out in {p}."],
        pos="No.", desc=["Description", "Item"], qty=["Qty", "Quantity"], unit="Unit",
        price=["Unit price", "Rate"], amount=["Amount", "Net"], vatcol="VAT", at="@",
        net=["Subtotal", "Net total", "Total net"], vat=["VAT @ {r}\\%", "VAT {r}\\%", "VAT at {r}\\% on {b}"],
        vat_rc=["VAT 0\\%", "VAT (reverse charge)"], vat_sum=["Total VAT"],
        total=["Total", "Total due", "Invoice total", "Total (incl. VAT)"], total_small=["Total", "Total due"],
        cn_total=["Total credit", "Total"], dep=["Less deposit paid", "Less: paid on account {d}"],
        due=["Balance due", "Amount due", "Balance to pay"],
        pay_date=["Payment due by {d}.", "Please pay {a} by {d}.", "Due date: {d}."],
        pay_terms=["Payment terms: {n} days.", "Please pay within {n} days of the invoice date."],
        pay_bank=["Bank details: {bank}, IBAN {iban}, BIC {bic}", "Please pay by bank transfer to IBAN {iban} (BIC {bic})."],
        cn_pay=["The amount of {a} will be refunded to your account.",
                "This credit will be offset against your next invoice."],
        cn_ref=["Credit note for invoice {n} dated {d}.", "This credit note relates to invoice {n} of {d}."],
        intro=["Please find below our invoice for services rendered.",
               "Thank you for your business. Our charges are as follows:",
               "For work carried out in {p} I am charging the following:"],
        cn_intro=["As agreed, we credit you with the following:"],
        dear_m="Dear Mr {last},", dear_f="Dear Ms {last},", dear_co="Dear Sir or Madam,", hi="Dear {first},",
        closing=["Yours sincerely", "Kind regards", "Best regards"],
        small={}, reverse={"NL": ["Reverse charge: VAT to be accounted for by the recipient."],
                           "BE": ["Reverse charge: VAT to be accounted for by the recipient (art. 196 VAT Directive)."],
                           "DE": ["Reverse charge: VAT to be accounted for by the recipient."]},
        vatid={"GB": ["VAT Reg. No.", "VAT No."], "NL": ["VAT No."], "BE": ["VAT No."], "DE": ["VAT ID"]},
        taxno=["Company No."], buyer_vat="VAT No.",
        salut={"m": "Mr", "f": "Ms"}, attn=["Attn: {p}", "FAO Accounts Payable"],
        countries={"DE": "Germany", "AT": "Austria", "NL": "Netherlands", "BE": "Belgium", "FR": "France",
                   "LU": "Luxembourg", "CH": "Switzerland", "GB": "United Kingdom"},
        phone="Tel.", email="Email", bankw="Bank",
    ),
}


def L(m):
    return W[m["lang"]]


def period_text(m):
    d = m["issue"] - dt.timedelta(days=20)
    return f"{MONTHS[m['lang']][d.month - 1]} {d.year}"


def salutation(rng, m):
    b, w = m["buyer"], L(m)
    if b["person"]:
        if rng.random() < 0.15:
            return w["hi"].format(first=b["first"])
        return (w["dear_m"] if b["sex"] == "m" else w["dear_f"]).format(last=b["last"])
    return w["dear_co"]


def closing(rng, m):
    w = L(m)
    if m["country"] == "CH" and m["lang"] == "de":
        return rng.choice(w["closing_ch"])
    return rng.choice(w["closing"])


class Doc:
    """What one document prints: filled in by the builders, read by the truth."""

    def __init__(self, m):
        self.m = m
        self.seller_vat_printed = False
        self.iban_printed = False
        self.buyer_vat_printed = False
        self.due_printed = False
        self.subtotal = None
        self.vat = None
        self.vat_parts = []
        self.total = None
        self.amount_due = None
        self.lines = len(m["lines"])
        self.currency_printed = False


def addr_lines(rng, m, doc, caps_country=None):
    """The buyer's address as the user types it into the address window."""
    b, w = m["buyer"], L(m)
    out = []
    if b["person"]:
        sal = w["salut"][b["sex"]]
        if m["lang"] == "de":
            out += [sal, b["name"]]
        else:
            out += [f"{sal} {b['name']}"]
    else:
        out.append(b["name"])
        if rng.random() < 0.4:
            first, last, sex = rng.choice(PEOPLE[people_key(b["country"], b["lang"])])
            p = (("Herrn " if sex == "m" else "Frau ") + last) if m["lang"] == "de" else f"{first} {last}"
            out.append(rng.choice(w["attn"]).format(p=p))
    out += [b["street"], b["city"]]
    if b["country"] != m["country"]:
        cn = w["countries"].get(b["country"], b["country"])
        out.append(cn.upper() if (caps_country if caps_country is not None else rng.random() < 0.5) else cn)
    if not b["person"] and (m["reverse"] or (m["country"] in ("BE", "NL", "FR") and rng.random() < 0.35)):
        out.append(f"{w['buyer_vat']} {vat_print(b['vat'], b['country'], rng)}")
        doc.buyer_vat_printed = True
    return [tex_esc(x) if "\\," not in x else x for x in out]


def vat_label(rng, m, r, base, M, two):
    w = L(m)
    opts = w["vat"]
    if m["country"] == "AT" and m["lang"] == "de":
        opts = w["vat_at"]
    if m["country"] == "CH":
        opts = w.get("vat_ch", opts)
    lab = rng.choice(opts if two or rng.random() < 0.7 else [o for o in opts if "{b}" not in o] or opts)
    return lab.format(r=rate_txt(r, M.style), b=M.a(base))


def totals_rows(rng, m, M, T, doc, neg):
    """(label, amount-tex) rows of the totals block, and what they print."""
    w = L(m)
    sg = Decimal(-1) if neg else Decimal(1)
    rows = []
    if m["small"]:
        if rng.random() < 0.3:
            rows.append((rng.choice(w["net"][:1] if m["lang"] != "fr" else ["Total HT"]), M.tot(sg * T["net"])))
            doc.subtotal = T["net"]
        lab = rng.choice(w["cn_total"] if m["credit"] else w["total_small"])
        rows.append((lab, M.tot(sg * T["total"])))
    else:
        rows.append((rng.choice(w["net"]), M.tot(sg * T["net"])))
        doc.subtotal = T["net"]
        if m["reverse"]:
            if rng.random() < 0.6:
                rows.append((rng.choice(w["vat_rc"]), M.tot(Decimal(0))))
                doc.vat = Decimal(0)
        else:
            two = len(T["vats"]) > 1
            for r in sorted(T["vats"], reverse=True):
                rows.append((vat_label(rng, m, r, T["by"][r], M, two), M.tot(sg * T["vats"][r])))
                doc.vat_parts.append(T["vats"][r])
            if two and rng.random() < 0.5:
                rows.append((rng.choice(w["vat_sum"]), M.tot(sg * T["vat"])))
            doc.vat = T["vat"]
        rows.append((rng.choice(w["cn_total"] if m["credit"] else w["total"]), M.tot(sg * T["total"])))
    doc.total = T["total"]
    doc.amount_due = T["total"]
    if T["deposit"]:
        d = fmt_date(m["deposit_date"], m["lang"], "num" if m["lang"] == "de" else "slash", m["country"])
        rows.append((rng.choice(w["dep"]).format(d=d), "-" + M.tot(T["deposit"])))
        rows.append((rng.choice([x for x in w["due"] if x not in [r[0] for r in rows]]), M.tot(T["due"])))
        doc.amount_due = T["due"]
    return [(tex_esc(l) if "\\%" not in l and "\\," not in l else l, a) for l, a in rows]


def positions(rng, m, M, T, doc, style=None):
    """The positions table with its totals, as a user of a letter class writes it."""
    w = L(m)
    neg = m["credit"] and rng.random() < 0.5
    sg = Decimal(-1) if neg else Decimal(1)
    two = len(T["vats"]) > 1
    style = style or rng.choice(["tabularx", "booktabs", "simple", "longtable"] + (["longtable"] if len(m["lines"]) > 8
                                                                                  else []))
    rows = totals_rows(rng, m, M, T, doc, neg)
    H = dict(desc=rng.choice(w["desc"]), qty=rng.choice(w["qty"]), price=rng.choice(w["price"]),
             amount=rng.choice(w["amount"]) + M.head())
    if m["lang"] == "de" and m["small"]:
        H["price"] = H["price"].replace("netto", "")
    rt = lambda r: rate_txt(r, M.style) + "\\,\\%"  # noqa: E731
    out = []
    if style == "simple":
        out.append(r"\noindent\begin{tabular}{@{}p{0.68\textwidth}r@{}}")
        out.append(rf"\textbf{{{H['desc']}}} & \textbf{{{H['amount']}}}\\ \hline")
        for l in m["lines"]:
            d = tex_esc(l["desc"])
            if l["qty"] != 1 or l["kind"] in ("h", "d"):
                d += rf" ({qty_txt(l['qty'], M.style)} {tex_esc(l['unit'])} {w['at']} {M.cell(l['price'])})"
            if two:
                d += rf", {w['vatcol']} {rt(l['rate'])}"
            out.append(rf"{d} & {M.cell(sg * l['net'])}\\")
        out.append(r"\hline")
        for i, (lab, a) in enumerate(rows):
            bold = i == len(rows) - 1 or lab in w["total"] + w["total_small"] + w["cn_total"]
            out.append((rf"\textbf{{{lab}}} & \textbf{{{a}}}\\" if bold else rf"{lab} & {a}\\"))
        out.append(r"\end{tabular}")
        return "\n".join(out)
    cols = [w["pos"], H["desc"], H["qty"]] + ([w["unit"]] if rng.random() < 0.5 else []) + [H["price"]]
    with_unit = w["unit"] in cols
    if two:
        cols.append(w["vatcol"])
    cols.append(H["amount"])
    spec_x = "@{}r X r" + (" l" if with_unit else "") + " r" + (" r" if two else "") + " r@{}"
    spec_l = "@{}r p{" + ("5.2cm" if with_unit or two else "6.6cm") + "} r" + (" l" if with_unit else "") + " r" + (
        " r" if two else "") + " r@{}"
    ncol = len(cols)
    if ncol >= 6 and M.mode == "all":
        M.mode = "totals"  # a currency in every cell of a six-column table does not fit
    head = " & ".join(rf"\textbf{{{c}}}" for c in cols) + r"\\"
    body = []
    for i, l in enumerate(m["lines"], 1):
        cells = [str(i), tex_esc(l["desc"]), qty_txt(l["qty"], M.style)]
        if with_unit:
            cells.append(tex_esc(l["unit"]))
        cells.append(M.cell(l["price"]))
        if two:
            cells.append(rt(l["rate"]))
        cells.append(M.cell(sg * l["net"]))
        body.append(" & ".join(cells) + r"\\")
    sep_tot = rng.random() < 0.4 and style != "longtable"
    tot = []
    for i, (lab, a) in enumerate(rows):
        last = i == len(rows) - 1
        if last:
            tot.append(r"\hline" if style != "booktabs" else r"\midrule")
        if sep_tot:
            tot.append((rf"\textbf{{{lab}}} & \textbf{{{a}}}\\" if last else rf"{lab} & {a}\\"))
        else:
            lab_t = rf"\textbf{{{lab}}}" if last else lab
            a_t = rf"\textbf{{{a}}}" if last else a
            tot.append(rf"\multicolumn{{{ncol - 1}}}{{r}}{{{lab_t}}} & {a_t}\\")
    if ncol >= 6 or (two and style == "longtable"):
        out.append(r"\begingroup\small")
        closer = r"\endgroup"
    else:
        closer = ""
    if style == "longtable":
        out.append(r"\begin{longtable}{" + spec_l + "}")
        out.append(r"\hline " + head + r" \hline\endhead")
        out.append(r"\hline\endfoot")
        out.append(r"\endlastfoot")
        out += body
        out.append(r"\hline")
        out += tot
        out.append(r"\end{longtable}")
        return "\n".join(out + [closer])
    if style == "booktabs":
        out.append(r"\noindent\begin{tabularx}{\textwidth}{" + spec_x + "}")
        out.append(r"\toprule " + head + r" \midrule")
        out += body
        if sep_tot:
            out.append(r"\bottomrule\end{tabularx}")
            out.append(r"\par\medskip\hfill\begin{tabular}{@{}lr@{}}")
            out += [t for t in tot if t not in (r"\midrule",)]
            out.append(r"\bottomrule\end{tabular}")
        else:
            out.append(r"\midrule")
            out += tot
            out.append(r"\bottomrule\end{tabularx}")
        return "\n".join(out + [closer])
    out.append(r"\noindent\begin{tabularx}{\textwidth}{" + spec_x + "}")
    out.append(head + r" \hline")
    out += body
    if sep_tot:
        out.append(r"\hline\end{tabularx}")
        out.append(r"\par\smallskip\hfill\begin{tabular}{@{}lr@{}}")
        out += tot
        out.append(r"\end{tabular}")
    else:
        out.append(r"\hline")
        out += tot
        out.append(r"\end{tabularx}")
    return "\n".join(out + [closer])


def intro(rng, m, M, dstyle="num"):
    w = L(m)
    if m["credit"]:
        ref = rng.choice(w["cn_ref"]).format(n=m["ref_invoice"][0],
                                             d=fmt_date(m["ref_invoice"][1], m["lang"], dstyle, m["country"]))
        return tex_esc(ref) + "\n\n" + tex_esc(rng.choice(w["cn_intro"]))
    o = fmt_date(m["issue"] - dt.timedelta(days=35), m["lang"], dstyle, m["country"])
    return tex_esc(rng.choice(w["intro"]).format(p=period_text(m), o=o))


def period_line(rng, m, dstyle):
    w = L(m)
    d = fmt_date(m["issue"] - dt.timedelta(days=rng.choice([0, 2, 5])), m["lang"], dstyle, m["country"])
    return tex_esc(rng.choice(w["period"]).format(p=period_text(m), d=d))


def payment(rng, m, M, T, doc, dstyle, bank_in_body=False, due_p=0.6):
    """Payment sentence(s): a due date, or terms only; the refund of a credit note."""
    w = L(m)
    s = m["seller"]
    out = []
    amt = M.a(T["due"])
    if m["credit"]:
        out.append(rng.choice(w["cn_pay"]).replace("{a}", "@@A@@"))
    elif rng.random() < due_p:
        d = fmt_date(m["due"], m["lang"], dstyle, m["country"])
        out.append(rng.choice(w["pay_date"]).replace("{a}", "@@A@@").replace("{d}", d))
        doc.due_printed = True
    else:
        out.append(rng.choice(w["pay_terms"]).format(n=m["terms"]))
    if m["country"] == "BE" and not m["credit"] and rng.random() < 0.6:
        base = rng.randrange(10 ** 9, 10 ** 10)
        ogm = f"{base:010d}{base % 97 or 97:02d}"
        ogm = f"+++{ogm[:3]}/{ogm[3:7]}/{ogm[7:]}+++"
        out.append({"nl": f"Gelieve bij betaling de gestructureerde mededeling {ogm} te vermelden.",
                    "fr": f"Merci de mentionner la communication structurée {ogm} lors du paiement.",
                    "en": f"Please quote the structured reference {ogm} with your payment.",
                    "de": f"Bitte geben Sie bei der Zahlung die Mitteilung {ogm} an."}[m["lang"]])
    txt = tex_esc(" ".join(out)).replace("@@A@@", amt)
    if bank_in_body and not m["credit"]:
        b = rng.choice(w["pay_bank"]).format(bank=s["bank"], iban=iban_print(s["iban"]), bic=s["bic"], name=s["name"])
        txt += r"\\" + "\n" + tex_esc(b).replace("--", "--")
        doc.iban_printed = True
    return txt


def legal_note(rng, m):
    w = L(m)
    if m["small"]:
        opts = w["small"].get(m["country"])
        return tex_esc(rng.choice(opts)) if opts else ""
    if m["reverse"]:
        opts = w["reverse"].get(m["country"]) or next(iter(w["reverse"].values()))
        return tex_esc(rng.choice(opts))
    return ""


def seller_ids(rng, m, doc, force_vat=False):
    """The seller's tax identifiers as a list of (label, value) the user prints somewhere."""
    s, w = m["seller"], L(m)
    ids = []
    c = m["country"]
    vl = w["vatid"].get(c) or ["VAT No."]
    if m["small"] and c in ("DE", "AT"):
        ids.append((rng.choice(w["taxno"]), s["taxno"]))
        return ids
    if m["small"] and c == "FR":
        ids.append(("SIRET", " ".join([s["siret"][:3], s["siret"][3:6], s["siret"][6:9], s["siret"][9:]])))
        return ids
    if c == "DE" and rng.random() < 0.3 and not force_vat:
        ids.append((rng.choice(w["taxno"]), s["taxno"]))
        if rng.random() < 0.5:
            return ids
    ids.append((rng.choice(vl), vat_print(s["vat"], c, rng)))
    doc.seller_vat_printed = True
    if c == "NL" and rng.random() < 0.7:
        ids.append(("KvK", s["kvk"]))
    if c == "FR" and rng.random() < 0.6:
        ids.append(("SIRET", s["siret"]))
    if c == "GB" and not s["person"] and rng.random() < 0.5:
        ids.append(("Company No.", s["company_no"]))
    return ids


def meta_rows(rng, m, dstyle, want=("no", "date")):
    """Invoice number / date / customer number rows for classes without reference fields."""
    w = L(m)
    rows = []
    for k in want:
        if k == "no":
            rows.append((rng.choice(w["cn_no"] if m["credit"] else w["no"]), m["number"]))
        elif k == "date":
            rows.append((rng.choice(w["date"]), fmt_date(m["issue"], m["lang"], dstyle, m["country"])))
        elif k == "cust":
            rows.append((rng.choice(w["cust"]), m["customer_no"]))
    return rows


def title_word(rng, m):
    w = L(m)
    return rng.choice(w["cn"] if m["credit"] else w["inv"])


# ---------------------------------------------------------------------------------------------
# KOMA-Script letters (scrlttr2 class or scrletter package): the class's letterhead, address
# window, reference line and the user's firstfoot.

LCO = {"DE": ["DIN", "DIN", "DIN5008B", "DINmtext", "KOMAold"], "AT": ["DIN", "DIN5008B", "KOMAold"],
       "CH": ["SN", "SN", "SNleft"], "FR": ["NF", "NF", "DIN"], "BE": ["DIN", "NF", "DIN5008B"],
       "NL": ["DIN", "DIN5008B", "KOMAold"], "GB": ["DIN", "UScommercial9", "KOMAold"]}
KOMA_NAMES = {"de": dict(due="Fällig am", period="Leistungsdatum"), "nl": dict(due="Vervaldatum", period="Leverdatum"),
              "fr": dict(due="Échéance", period="Date de prestation"), "en": dict(due="Due date", period="Date of supply")}


def koma_footer(rng, m, doc):
    """firstfoot as KOMA users write it: columns with address, contact, tax ids and \\usekomavar{frombank}."""
    s, w = m["seller"], L(m)
    ids = seller_ids(rng, m, doc)
    idl = r"\\".join(f"{tex_esc(a)}: {tex_esc(b)}" for a, b in ids)
    style = rng.choice(["cols3", "cols3", "cols2", "line"])
    doc.iban_printed = True
    if style == "line":
        parts = [tex_esc(s["name"]), tex_esc(s["street"]), tex_esc(s["city"])]
        l2 = [f"{tex_esc(s['bank'])}", f"IBAN {iban_print(s['iban'])}", f"BIC {s['bic']}"] + [
            f"{tex_esc(a)} {tex_esc(b)}" for a, b in ids]
        return (r"\parbox[t]{\textwidth}{\footnotesize\centering " + r" \textbullet\ ".join(parts) + r"\\"
                + r" \textbullet\ ".join(l2) + "}"), "line"
    colA = r"\begin{tabular}[t]{@{}l@{}}" + tex_esc(s["name"]) + r"\\" + tex_esc(s["street"]) + r"\\" + tex_esc(
        s["city"]) + r"\end{tabular}"
    idl = r"\\".join(f"{tex_esc(a)}: {tex_esc(b)}" for a, b in ids[:2])
    colB = (r"\begin{tabular}[t]{@{}l@{}}" + f"{w['phone']} " + tex_esc(s["phone"]) + r"\\"
            + (tex_esc(s["email"]) + r"\\" if len(ids) < 2 else "") + idl + r"\end{tabular}")
    colC = (r"\begin{tabular}[t]{@{}l@{}}" + (r"\usekomavar*{frombank}:\\" if not m["frombank_named"] else "")
            + r"\usekomavar{frombank}\end{tabular}")
    rule = r"\rule[3pt]{\textwidth}{.4pt}\\" if rng.random() < 0.6 else ""
    if style == "cols2":
        return (r"\parbox[t]{\textwidth}{\footnotesize " + rule + colB + r"\hfill " + colC + "}"), "cols2"
    return (r"\parbox[t]{\textwidth}{\footnotesize " + rule + colA + r"\hfill " + colB + r"\hfill " + colC + "}"), "cols3"


def frombank_value(rng, m):
    s = m["seller"]
    m["frombank_named"] = rng.random() < 0.6
    parts = [tex_esc(s["bank"])] if m["frombank_named"] else []
    parts += [f"IBAN {iban_print(s['iban'])}", f"BIC {s['bic']}"]
    return r"\\".join(parts)


def koma_letter(rng, m, doc, M, T, table_tex, font, host="scrlttr2", extra_pre="", lco=None, title_in_subject=None,
                after_table="", bab=None):
    """A complete KOMA letter around a positions table (user table or a package's environment)."""
    s, w = m["seller"], L(m)
    lco = lco or rng.choice(LCO[m["country"]])
    bab = bab or babel_of(m)
    dstyle = rng.choice(date_styles(m))
    opts = [f"fromalign={rng.choice(['left', 'right', 'center', 'right'])}",
            f"fromrule={rng.choice(['false', 'aftername', 'afteraddress'])}", "fromphone=true",
            f"fromemail={rng.choice(['true', 'false'])}", f"foldmarks={rng.choice(['true', 'false'])}",
            f"refline={rng.choice(['narrow', 'wide'])}", f"parskip={rng.choice(['half', 'full'])}",
            f"subject={rng.choice(['untitled', 'titled', 'untitled'])}", f"backaddress={rng.choice(['true', 'underlined', 'plain'])}",
            "enlargefirstpage=true"]
    use_logo = bool(s.get("trade")) and rng.random() < 0.5
    if use_logo:
        opts.append("fromlogo=true")
    opts_s = ",".join(opts)
    vars_ = [rf"\setkomavar{{fromname}}{{{tex_esc(s['name'])}}}",
             rf"\setkomavar{{fromaddress}}{{{tex_esc(s['street'])}\\{tex_esc(s['city'])}}}",
             rf"\setkomavar{{fromphone}}{{{tex_esc(s['phone'])}}}", rf"\setkomavar{{fromemail}}{{{tex_esc(s['email'])}}}",
             rf"\setkomavar{{frombank}}{{{frombank_value(rng, m)}}}",
             rf"\setkomavar{{signature}}{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE[people_key(m['country'], m['lang'])])[0] + ' ' + rng.choice(PEOPLE[people_key(m['country'], m['lang'])])[1])}}}",
             rf"\setkomavar{{place}}{{{tex_esc(city_name(s['city']))}}}",
             rf"\setkomavar{{date}}{{{fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}"]
    if use_logo:
        vars_.append(rf"\setkomavar{{fromlogo}}{{\Large\textsc{{{tex_esc(s['trade'])}}}}}")
    use_inv = rng.random() < 0.75
    if use_inv:
        vars_.append(rf"\setkomavar{{invoice}}{{{tex_esc(m['number'])}}}")
        if m["credit"]:
            vars_.append(rf"\setkomavar*{{invoice}}{{{tex_esc(rng.choice(w['cn_no']))}}}")
        elif m["lang"] == "nl" and rng.random() < 0.6:  # KOMA's Dutch caption is "Rekening No."
            vars_.append(rf"\setkomavar*{{invoice}}{{{rng.choice(['Factuurnummer', 'Factuurnr.'])}}}")
    if rng.random() < 0.6:
        vars_.append(rf"\setkomavar{{customer}}{{{tex_esc(m['customer_no'])}}}")
    if rng.random() < 0.3:
        vars_.append(rf"\setkomavar{{yourref}}{{{dict(de='Bestellung ', nl='Order ', fr='Commande ', en='PO ')[m['lang']]}{rng.randrange(1000, 99999)}}}")
    if rng.random() < 0.2:
        vars_.append(rf"\setkomavar{{myref}}{{{''.join(x[0] for x in s['name'].split()[:2]).upper()}}}")
    due_field = (not m["credit"]) and rng.random() < 0.25
    if due_field:
        vars_.append(rf"\newkomavar[{KOMA_NAMES[m['lang']]['due']}]{{duedate}}\addtoreffields{{duedate}}")
        vars_.append(rf"\setkomavar{{duedate}}{{{fmt_date(m['due'], m['lang'], 'num' if m['lang'] == 'de' else 'slash' if m['lang'] != 'nl' else 'dash', m['country'])}}}")
        doc.due_printed = True
    tword = title_word(rng, m)
    if use_inv:
        subj = tword if rng.random() < 0.5 else rf"{tword} \usekomavar{{invoice}}"
    else:
        subj = f"{tword} {rng.choice(['Nr. ', 'nr. ', 'n° ', 'No. ', ''])}{tex_esc(m['number'])}".replace(
            "Nr. ", {"de": "Nr. ", "nl": "nr. ", "fr": "n° ", "en": "No. "}[m["lang"]]).replace(
            "nr. ", {"de": "Nr. ", "nl": "nr. ", "fr": "n° ", "en": "No. "}[m["lang"]])
        subj = re.sub(r"(n° |No\. |Nr\. |nr\. )+", {"de": "Nr. ", "nl": "nr. ", "fr": "n° ", "en": "no. "}[m["lang"]], subj)
    if title_in_subject is None:
        title_in_subject = rng.random() < 0.7
    vars_.append(rf"\setkomavar{{{'subject' if title_in_subject else 'title'}}}{{{subj}}}")
    foot = None
    if rng.random() < 0.85:
        foot, fstyle = koma_footer(rng, m, doc)
        vars_.append(rf"\setkomavar{{firstfoot}}{{{foot}}}")
    addr = r"\\".join(addr_lines(rng, m, doc))
    # body
    body = [intro(rng, m, M, dstyle)]
    if not m["credit"] and rng.random() < 0.5:
        body.append(period_line(rng, m, dstyle))
    body.append(r"\medskip" + "\n" + table_tex + "\n" + r"\medskip")
    if after_table:
        body.append(after_table)
    note = legal_note(rng, m)
    if note:
        body.append(note)
    body.append(payment(rng, m, M, T, doc, dstyle, bank_in_body=foot is None, due_p=0.0 if due_field else 0.6))
    if foot is None:
        ids = seller_ids(rng, m, doc)
        body.append(", ".join(f"{tex_esc(a)}: {tex_esc(b)}" for a, b in ids))
    if host == "scrlttr2":
        head = rf"\documentclass[{lco},{bab},{opts_s}]{{scrlttr2}}"
        lco_line = ""
    else:
        pk = [o for o in opts if o.startswith("parskip")][0]
        head = rf"\documentclass[{bab},{pk}]{{scrartcl}}"
        opts_s = ",".join(o for o in opts if not o.startswith("parskip"))
        lco_line = rf"\usepackage[{opts_s}]{{scrletter}}" + "\n" + rf"\LoadLetterOption{{{lco}}}"
    src = rf"""{head}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[{bab}]{{babel}}
{font}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
{lco_line}
{extra_pre}
{chr(10).join(vars_)}
\begin{{document}}
\begin{{letter}}{{{addr}}}
\opening{{{tex_esc(salutation(rng, m))}}}
{(chr(10) + chr(10)).join(body)}
\closing{{{tex_esc(closing(rng, m))}}}
\end{{letter}}
\end{{document}}
"""
    return src, dict(layout=f"{host}/{lco}")


def render_koma(rng, m, tmp, host):
    font, euro_ok = pick_font(rng)
    M = Money(rng, m, euro_ok)
    T = totals_by_rate(m)
    doc = Doc(m)
    table = positions(rng, m, M, T, doc)
    src, info = koma_letter(rng, m, doc, M, T, table, font, host=host)
    return "pdflatex", src, doc, M, info


def render_scrlttr2(rng, m, tmp):
    return render_koma(rng, m, tmp, "scrlttr2")


def render_scrletter(rng, m, tmp):
    return render_koma(rng, m, tmp, "scrletter")


# ---------------------------------------------------------------------------------------------
# The standard LaTeX letter class as a host (sender top right, date, no reference line).


def letter_host(rng, m, doc, M, T, table_tex, font, extra_pre="", after_table=""):
    s, w = m["seller"], L(m)
    bab = babel_of(m)
    dstyle = rng.choice(date_styles(m))
    addr = r"\\".join(addr_lines(rng, m, doc))
    sender = [tex_esc(s["name"])] + ([tex_esc(s["trade"])] if s.get("trade") and rng.random() < 0.5 else []) + [
        tex_esc(s["street"]), tex_esc(s["city"]), f"{w['phone']} {tex_esc(s['phone'])}", tex_esc(s["email"])]
    meta = meta_rows(rng, m, dstyle, ("no",) if rng.random() < 0.5 else ("no", "cust"))
    if rng.random() < 0.5:
        head = r"\textbf{" + tex_esc(title_word(rng, m)) + "}" + r"\\[0.5ex]" + "\n" + r"\begin{tabular}{@{}ll@{}}" + \
            r"\\".join(f"{tex_esc(a)}: & {tex_esc(b)}" for a, b in meta) + r"\end{tabular}"
    else:
        head = r"\textbf{" + tex_esc(f"{title_word(rng, m)} {meta[0][1]}" if meta[0][0] in ("Rechnung Nr.", "Facture n°")
                                     else f"{title_word(rng, m)} -- {meta[0][0]} {meta[0][1]}") + "}"
        if len(meta) > 1:
            head += r"\\" + "\n" + tex_esc(f"{meta[1][0]}: {meta[1][1]}")
    body = [intro(rng, m, M, dstyle)]
    if not m["credit"] and rng.random() < 0.5:
        body.append(period_line(rng, m, dstyle))
    body.append(table_tex)
    if after_table:
        body.append(after_table)
    note = legal_note(rng, m)
    if note:
        body.append(note)
    body.append(payment(rng, m, M, T, doc, dstyle, bank_in_body=True))
    ids = seller_ids(rng, m, doc)
    body.append(", ".join(f"{tex_esc(a)}: {tex_esc(b)}" for a, b in ids))
    sender_tex = r"\\".join(sender)
    src = rf"""\documentclass[11pt,a4paper]{{letter}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[{bab}]{{babel}}
{font}
\usepackage{{textcomp}}
\usepackage[a4paper,top=2cm,bottom=2.5cm,left=2.5cm,right=2cm]{{geometry}}
\usepackage{{tabularx,booktabs,longtable,array}}
{extra_pre}
\address{{{sender_tex}}}
\signature{{{tex_esc(s['name'])}}}
\date{{{fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}
\begin{{document}}
\begin{{letter}}{{{addr}}}
\opening{{{head}\\[2ex]
{tex_esc(salutation(rng, m))}}}
{(chr(10) + chr(10)).join(body)}
\closing{{{tex_esc(closing(rng, m))}}}
\end{{letter}}
\end{{document}}
"""
    return src, dict(layout="letter")


# ---------------------------------------------------------------------------------------------
# invoice (Oliver Corff): the package typesets and sums the positions; it truncates to cents.

CORFF_LANG = {"de": "german", "nl": "dutch", "fr": "french", "en": "english"}
PROJECTS = {"de": ["Relaunch Website", "Wartung", "Fotoproduktion", "Beratung", "Schulung"],
            "nl": ["Nieuwe website", "Onderhoud", "Fotoproductie", "Advies"],
            "fr": ["Refonte du site", "Maintenance", "Production photo", "Conseil"],
            "en": ["Website relaunch", "Maintenance", "Photo production", "Consulting"]}
EXPENSES = {"de": ["Bahnfahrt {c}", "Hotel {c}, 1 Nacht", "Porto und Versand", "Kilometergeld"],
            "nl": ["Treinreis {c}", "Hotel {c}", "Verzendkosten"],
            "fr": ["Billet de train {c}", "Hôtel {c}", "Frais de port"],
            "en": ["Train fare {c}", "Hotel {c}", "Postage"]}


def dot(x):
    x = Decimal(x)
    return str(int(x)) if x == x.to_integral() else f"{x.normalize():f}"


def render_invoice(rng, m, tmp):
    font, euro_ok = pick_font(rng)
    M = Money(rng, m, euro_ok)
    doc = Doc(m)
    lang = m["lang"]
    rate = Decimal(0) if (m["small"] or m["reverse"]) else m["lines"][0]["rate"]
    bc = {"EUR": rng.choice(["EUR", "EUR", "Euro"]), "GBP": "GBP", "CHF": "CHF"}[m["currency"]]
    nproj = 2 if len(m["lines"]) >= 3 and rng.random() < 0.35 else 1
    split = rng.randrange(1, len(m["lines"])) if nproj == 2 else len(m["lines"])
    projs = rng.sample(PROJECTS[lang], nproj)
    exp = []
    if rng.random() < 0.3:
        for _ in range(rng.choice([1, 1, 2])):
            exp.append((rng.choice(EXPENSES[lang]).format(c=rng.choice(["Berlin", "Utrecht", "Lyon", "Leeds", "Wien"])),
                        q(Decimal(rng.randrange(1200, 38000)) / 100)))
    host = rng.choice(["scrlttr2", "scrlttr2", "letter"])
    lco = rng.choice(LCO[m["country"]])
    # KOMAold emulates scrlettr, whose \invoice command makes the package rename its environment
    env = "invoiceenv" if host == "scrlttr2" and lco == "KOMAold" else "invoice"
    body = [r"\begin{" + env + "}{" + bc + "}{" + dot(rate) + "}"]
    fees = Decimal(0)
    for k, (title, lines) in enumerate(zip(projs, [m["lines"][:split], m["lines"][split:]])):
        body.append(r"\ProjectTitle{" + tex_esc(title) + "}")
        for l in lines:
            body.append(r"\Fee{" + tex_esc(l["desc"]) + "}{" + f"{l['price']:.2f}" + "}{" + dot(l["qty"]) + "}")
            fees += l["net"]
        if k == 0:
            for d, a in exp:
                body.append(r"\EBC{" + tex_esc(d) + "}{" + f"{a:.2f}" + "}")
    body.append(r"\end{" + env + "}")
    expenses = sum((a for _, a in exp), Decimal(0))
    vat = (fees * rate / 100).quantize(D2, rounding="ROUND_DOWN")
    total = fees + vat + expenses
    doc.lines = len(m["lines"]) + len(exp)
    dep = Decimal(int(q(total * m["deposit_share"]) / 10) * 10) if m["deposit"] else Decimal(0)
    T = dict(due=total - dep)
    after = ""
    if dep:
        d = fmt_date(m["deposit_date"], lang, "num" if lang == "de" else "slash", m["country"])
        after = tex_esc({"de": "Abzüglich Ihrer Anzahlung vom {d} in Höhe von {a} verbleibt ein Restbetrag von {b}.",
                         "nl": "Na aftrek van uw aanbetaling van {a} op {d} resteert een bedrag van {b}.",
                         "fr": "Déduction faite de votre acompte de {a} versé le {d}, le solde à régler s'élève à {b}.",
                         "en": "Less your deposit of {a} paid on {d}, the balance due is {b}."}[lang].replace(
            "{d}", d).replace("{a}", "@@A@@").replace("{b}", "@@B@@")).replace("@@A@@", M.a(dep)).replace(
            "@@B@@", M.a(total - dep))
    doc.subtotal = fees if not exp else None
    doc.vat = vat if rate else None
    doc.total = total
    doc.amount_due = total - dep
    doc.expect = dict(fees=fees, vat=vat, expenses=expenses, total=total)

    def from_log(log):
        vals = re.findall(r":\s*(?:\( FP-[A-Z]+ \)\s*)*(-?\d+\.\d\d)\s", log.split("VAT is ")[-1])
        got = [Decimal(v) for v in vals[-4:]]
        want = [doc.expect[k] for k in ("fees", "vat", "expenses", "total")]
        if got != want:
            raise SystemExit(f"invoice package sums {got} differ from the model {want}")
    doc.from_log = from_log
    extra = (r"\usepackage[" + CORFF_LANG[lang] + (",comma" if lang != "en" else "") + "]{invoice}")
    table = "\n".join(body)
    doc.currency_printed = True
    if host == "letter":
        src, info = letter_host(rng, m, doc, M, T, table, font, extra_pre=extra, after_table=after)
    else:
        src, info = koma_letter(rng, m, doc, M, T, table, font, host="scrlttr2", extra_pre=extra, after_table=after,
                                lco=lco)
    # the currency is printed by the package as the column head "Amount (EUR)"; "Euro" is no code
    doc.currency_printed = bc != "Euro" or M.printed_code()
    return "pdflatex", src, doc, None, info


# ---------------------------------------------------------------------------------------------
# invoice2 (Simon Dierl): LaTeX3 fp sums of the unrounded lines, rounded by siunitx when printed.


def render_invoice2(rng, m, tmp):
    font, euro_ok = pick_font(rng)
    M = Money(rng, m, euro_ok)
    doc = Doc(m)
    zero = m["small"] or m["reverse"]
    gross_prices = (not zero) and m["buyer"]["person"] and rng.random() < 0.7 or (not zero and rng.random() < 0.15)
    base = Decimal(0) if zero else RATES[m["country"]][0]
    sym = {"EUR": rng.choice([r"\texteuro", r"\texteuro", "EUR"]), "CHF": "CHF", "GBP": rng.choice([r"\pounds", "GBP"])}[
        m["currency"]]
    opts = [f"vat={dot(base / 100)}", "currency-symbol={" + sym + "}"]
    if rng.random() < 0.4:
        opts.append("currency-in-header=true")
    if rng.random() < 0.3:
        opts.append("colorize=true")
    if gross_prices:
        opts.append("included-vat=true")
    items = []
    net = vat = gross = Decimal(0)
    for l in m["lines"]:
        r = Decimal(0) if zero else l["rate"]
        rf = r / 100
        if gross_prices:
            p = q(l["price"] * (1 + rf))  # the user types gross unit prices
            g = l["qty"] * p
            net += g / (1 + rf)
            vat += g * rf / (1 + rf)
            gross += g
        else:
            p = l["price"]
            net += l["qty"] * p
            vat += l["qty"] * p * rf
            gross += l["qty"] * p * (1 + rf)
        ropt = f"[{dot(rf)}]" if r != base else ""
        if l["qty"] == 1 and rng.random() < 0.6:
            items.append(rf"\invoicesingleitem{ropt}{{{tex_esc(l['desc'])}}}{{{p:.2f}}}")
        else:
            items.append(rf"\invoiceitem{ropt}{{{dot(l['qty'])}}}{{{tex_esc(l['desc'])}}}{{{p:.2f}}}")
    net, vat, gross = q(net), q(vat), q(gross)
    dep = Decimal(int(q(gross * m["deposit_share"]) / 10) * 10) if m["deposit"] else Decimal(0)
    T = dict(due=gross - dep)
    table = r"\begin{invoice}[" + ", ".join(opts) + "]\n" + "\n".join(items) + "\n" + r"\end{invoice}"
    after = ""
    w = L(m)
    if dep:
        d = fmt_date(m["deposit_date"], m["lang"], "num" if m["lang"] == "de" else "slash", m["country"])
        after = (r"\begin{tabular}{@{}lr@{}}" + tex_esc(rng.choice(w["dep"]).format(d=d)) + " & -" + M.a(dep) + r"\\"
                 + r"\textbf{" + tex_esc(rng.choice(w["due"])) + r"} & \textbf{" + M.a(gross - dep) + r"}\\\end{tabular}")
    if gross_prices and m["lang"] == "de":
        after = (tex_esc("Alle Preise verstehen sich inklusive der gesetzlichen Mehrwertsteuer.") + "\n\n" + after).strip()
    if not zero:
        doc.subtotal, doc.vat = net, vat
    doc.total, doc.amount_due = gross, gross - dep
    doc.currency_printed = True
    extra = r"\usepackage{invoice2}"
    host = rng.choice(["scrlttr2", "scrletter"])
    bab = rng.choice(["swissgerman", "swissgerman", "nswissgerman"]) if m["country"] == "CH" else None
    src, info = koma_letter(rng, m, doc, M, T, table, font, host=host, extra_pre=extra, after_table=after, bab=bab)
    doc.currency_printed = sym not in (r"\texteuro",) or euro_ok
    info["layout"] = info["layout"] + ("/included-vat" if gross_prices else "")
    return "pdflatex", src, doc, None, info


# ---------------------------------------------------------------------------------------------
# Body of a letter-class invoice (everything between the salutation and the closing).


def letter_body(rng, m, doc, M, T, dstyle, bank_in_body, ids_in_body=True, table_style=None):
    body = [intro(rng, m, M, dstyle)]
    if not m["credit"] and rng.random() < 0.5:
        body.append(period_line(rng, m, dstyle))
    body.append(r"\medskip" + "\n" + positions(rng, m, M, T, doc, table_style) + "\n" + r"\medskip")
    note = legal_note(rng, m)
    if note:
        body.append(note)
    body.append(payment(rng, m, M, T, doc, dstyle, bank_in_body=bank_in_body))
    if ids_in_body:
        ids = seller_ids(rng, m, doc)
        body.append(", ".join(f"{tex_esc(a)}: {tex_esc(b)}" for a, b in ids))
    return "\n\n".join(body)


def euro_money(rng, m, euro_ok, p_cmd=0.0):
    """Money; with g-brief users often write eurosym's \\euro, whose glyph has no Unicode mapping."""
    M = Money(rng, m, euro_ok)
    if M.sym == "€" and rng.random() < p_cmd:
        M.symtex = r"\euro{}"
        M.euro_ok = False
    return M


def city_name(city):
    """The town without its postcode: '3511 CE Utrecht' -> 'Utrecht', 'London EC1A 1BB' -> 'London'."""
    mm = re.match(r"^(?:L-)?\d{4,5}(?: [A-Z]{2})? (.+)$", city)
    return mm.group(1) if mm else city.split()[0]


def spaced(s, n=4):
    return " ".join(s[i:i + n] for i in range(0, len(s), n))


# ---------------------------------------------------------------------------------------------
# g-brief and g-brief2.


def render_gbrief(rng, m, tmp):
    s, w = m["seller"], L(m)
    font, euro_ok = pick_font(rng)
    M = euro_money(rng, m, euro_ok, 0.4)
    T = totals_by_rate(m)
    doc = Doc(m)
    dstyle = rng.choice(date_styles(m))
    opt = "ngerman" if m["lang"] == "de" else "english"
    cmds = [rf"\Name{{{tex_esc(s['name'])}}}", rf"\Strasse{{{tex_esc(s['street'])}}}", rf"\Ort{{{tex_esc(s['city'])}}}"]
    ids_in_zusatz = rng.random() < 0.4
    if ids_in_zusatz:
        ids = seller_ids(rng, m, doc)
        cmds.append(rf"\Zusatz{{{tex_esc(ids[0][0])} {tex_esc(ids[0][1])}}}")
    elif s.get("trade") and rng.random() < 0.5:
        cmds.append(rf"\Zusatz{{{tex_esc(s['trade'])}}}")
    if m["buyer"]["country"] != m["country"]:
        cmds.append(rf"\Land{{{tex_esc(w['countries'].get(m['country'], m['country']))}}}")
    if rng.random() < 0.4:
        cmds.append(rf"\RetourAdresse{{{tex_esc(s['name'])}, {tex_esc(s['street'])}, {tex_esc(s['city'])}}}")
    cmds.append(rf"\Telefon{{{tex_esc(s['phone'])}}}")
    if rng.random() < 0.3:
        cmds.append(rf"\Telefax{{{tex_esc(s['phone'][:-2])}99}}")
    cmds.append(rf"\EMail{{{tex_esc(s['email'])}}}")
    if rng.random() < 0.3:
        cmds.append(rf"\HTTP{{{tex_esc(s['web'])}}}")
    old_bank = rng.random() < 0.35
    ib = s["iban"]
    if old_bank:
        blz, kto = (ib[4:12], ib[12:]) if m["country"] == "DE" else (ib[4:9], ib[9:])
        cmds += [rf"\Bank{{{tex_esc(s['bank'])}}}", rf"\BLZ{{{spaced(blz, 3)}}}", rf"\Konto{{{kto.lstrip('0') or kto}}}"]
    else:
        cmds += [rf"\Bank{{{tex_esc(s['bank'])}}}", rf"\BLZ{{{s['bic']}}}", rf"\Konto{{{iban_print(ib)}}}"]
        doc.iban_printed = True
    cmds.append(rf"\Adresse{{{BR.join(addr_lines(rng, m, doc))}}}")
    tw = title_word(rng, m)
    if rng.random() < 0.4:
        cmds.append(rf"\MeinZeichen{{{tex_esc(m['number'])}}}")
        cmds.append(rf"\Betreff{{{tex_esc(tw)}}}")
        if rng.random() < 0.5:
            cmds.append(r"\unserzeichen")
    else:
        nw = {"de": "Nr.", "en": "No."}[m["lang"]]
        cmds.append(rf"\Betreff{{{tex_esc(tw)} {nw} {tex_esc(m['number'])}}}")
        if rng.random() < 0.3:
            cmds.append(rf"\MeinZeichen{{{''.join(x[0] for x in s['name'].split()[:2]).lower()}}}")
    if rng.random() < 0.3:
        cmds.append(rf"\IhrZeichen{{{rng.randrange(1000, 99999)}}}")
    cmds.append(rf"\Datum{{{fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}")
    cmds.append(rf"\Anrede{{{tex_esc(salutation(rng, m))}}}")
    cmds.append(rf"\Gruss{{{tex_esc(closing(rng, m))}}}{{{rng.choice(['0.5cm', '1cm'])}}}")
    cmds.append(rf"\Unterschrift{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE['de'])[0] + ' ' + rng.choice(PEOPLE['de'])[1])}}}")
    for flag in (r"\klassisch", r"\trennlinien", r"\lochermarke", r"\faltmarken", r"\fenstermarken"):
        if rng.random() < 0.35:
            cmds.append(flag)
    body = letter_body(rng, m, doc, M, T, dstyle, bank_in_body=old_bank and rng.random() < 0.6,
                       ids_in_body=not ids_in_zusatz)
    src = rf"""\documentclass[{rng.choice(['10pt', '11pt', '11pt', '12pt'])},{opt}]{{g-brief}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
{font}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
{chr(10).join(cmds)}
\begin{{document}}
\begin{{g-brief}}
{body}
\end{{g-brief}}
\end{{document}}
"""
    return "pdflatex", src, doc, M, dict(layout="g-brief" + ("/blz" if old_bank else "/iban"))


def render_gbrief2(rng, m, tmp):
    s, w = m["seller"], L(m)
    font, euro_ok = pick_font(rng)
    M = euro_money(rng, m, euro_ok, 0.3)
    T = totals_by_rate(m)
    doc = Doc(m)
    dstyle = rng.choice(date_styles(m))
    opt = "ngerman" if m["lang"] == "de" else "english"
    ids = seller_ids(rng, m, doc)
    cmds = [rf"\Name{{{tex_esc(s['trade'] + ' -- ' + s['name'] if s.get('trade') and rng.random() < 0.5 else s['name'])}}}",
            rf"\RetourAdresse{{{tex_esc(s['name'])} $\cdot$ {tex_esc(s['street'])} $\cdot$ {tex_esc(s['city'])}}}",
            rf"\NameZeileA{{{tex_esc(s['name'])}}}"]
    nz = "B"
    if s.get("trade"):
        cmds.append(rf"\NameZeileB{{{tex_esc(s['trade'])}}}")
        nz = "C"
    blocks = rng.choice(["name+addr", "name-with-addr"])
    if blocks == "name+addr":
        cmds += [rf"\AdressZeileA{{{tex_esc(s['street'])}}}", rf"\AdressZeileB{{{tex_esc(s['city'])}}}"]
    else:
        cmds += [rf"\NameZeile{nz}{{{tex_esc(s['street'])}}}",
                 rf"\NameZeile{chr(ord(nz) + 1)}{{{tex_esc(s['city'])}}}"]
    tel = [f"Tel. {tex_esc(s['phone'])}", tex_esc(s["email"])]
    tel += [f"{tex_esc(a)} {tex_esc(b)}" for a, b in ids[:2]]
    for k, t in zip("ABCDEF", tel):
        cmds.append(rf"\TelefonZeile{k}{{{t}}}")
    bank = [tex_esc(s["bank"]), "IBAN " + iban_print(s["iban"]), "BIC " + s["bic"]]
    for k, t in zip("ABC", bank):
        cmds.append(rf"\BankZeile{k}{{{t}}}")
    doc.iban_printed = True
    cmds.append(rf"\Adresse{{{BR.join(addr_lines(rng, m, doc))}}}")
    tw = title_word(rng, m)
    if rng.random() < 0.5:
        cmds += [rf"\MeinZeichen{{{tex_esc(m['number'])}}}", rf"\Betreff{{{tex_esc(tw)}}}", r"\unserzeichen"]
    else:
        cmds.append(rf"\Betreff{{{tex_esc(tw)} {'Nr.' if m['lang'] == 'de' else 'No.'} {tex_esc(m['number'])}}}")
    cmds.append(rf"\Datum{{{fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}")
    cmds.append(rf"\Anrede{{{tex_esc(salutation(rng, m))}}}")
    cmds.append(rf"\Gruss{{{tex_esc(closing(rng, m))}}}{{1cm}}")
    cmds.append(rf"\Unterschrift{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE['de'])[0] + ' ' + rng.choice(PEOPLE['de'])[1])}}}")
    for flag in (r"\trennlinien", r"\lochermarke", r"\faltmarken", r"\fenstermarken"):
        if rng.random() < 0.4:
            cmds.append(flag)
    body = letter_body(rng, m, doc, M, T, dstyle, bank_in_body=False, ids_in_body=False)
    src = rf"""\documentclass[{rng.choice(['10pt', '11pt', '12pt'])},{opt}]{{g-brief2}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
{font}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
{chr(10).join(cmds)}
\begin{{document}}
\begin{{g-brief}}
{body}
\end{{g-brief}}
\end{{document}}
"""
    return "pdflatex", src, doc, M, dict(layout="g-brief2/" + blocks)


# ---------------------------------------------------------------------------------------------
# dinbrief.


def render_dinbrief(rng, m, tmp):
    s, w = m["seller"], L(m)
    font, euro_ok = pick_font(rng)
    M = euro_money(rng, m, euro_ok, 0.2)
    T = totals_by_rate(m)
    doc = Doc(m)
    dstyle = "num" if rng.random() < 0.7 else "long"
    ids = seller_ids(rng, m, doc)
    foot = [f"{tex_esc(s['bank'])}", f"IBAN {iban_print(s['iban'])}", f"BIC {s['bic']}"] + [
        f"{tex_esc(a)} {tex_esc(b)}" for a, b in ids]
    doc.iban_printed = True
    if rng.random() < 0.5:
        bottom = r"\footnotesize\centering " + r" \quad ".join(foot)
    else:
        bottom = (r"\footnotesize\begin{tabular}[t]{@{}l@{}}" + tex_esc(s["name"]) + r"\\" + tex_esc(s["street"]) + r"\\"
                  + tex_esc(s["city"]) + r"\end{tabular}\hfill\begin{tabular}[t]{@{}l@{}}" + r"\\".join(foot[:3])
                  + r"\end{tabular}\hfill\begin{tabular}[t]{@{}l@{}}" + r"\\".join(foot[3:]) + r"\end{tabular}")
    sender = [tex_esc(s["name"])] + ([tex_esc(s["trade"])] if s.get("trade") and rng.random() < 0.5 else []) + [
        tex_esc(s["street"]), tex_esc(s["city"])]
    cmds = [r"\address{" + r"\\".join(sender) + "}",
            rf"\backaddress{{{tex_esc(s['name'])}, {tex_esc(s['street'])}, {tex_esc(s['city'])}}}",
            rf"\signature{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE['de'])[0] + ' ' + rng.choice(PEOPLE['de'])[1])}}}",
            rf"\place{{{tex_esc(city_name(s['city']))}}}",
            rf"\date{{{fmt_date(m['issue'], 'de', dstyle, m['country'])}}}",
            rf"\bottomtext{{{bottom}}}"]
    num_in_sign = rng.random() < 0.5
    if num_in_sign:
        cmds.append(rf"\sign{{{tex_esc(m['number'])}}}")
    elif rng.random() < 0.5:
        cmds.append(rf"\sign{{{''.join(x[0] for x in s['name'].split()[:2])}}}")
    if rng.random() < 0.4:
        cmds.append(rf"\yourmail{{{rng.choice(['Auftrag', 'Bestellung'])} vom {fmt_date(m['issue'] - dt.timedelta(days=30), 'de', 'num')}}}")
    if rng.random() < 0.6:
        ph = s["phone"].split(" ", 1)
        cmds.append(rf"\phone{{{tex_esc(ph[0])}}}{{{tex_esc(ph[1])}}}")
    tw = title_word(rng, m)
    subj = tw if num_in_sign and rng.random() < 0.5 else f"{tw} Nr. {m['number']}"
    body = letter_body(rng, m, doc, M, T, dstyle, bank_in_body=False, ids_in_body=False,
                       table_style=rng.choice(["tabularx", "simple", "longtable"]))  # booktabs clashes with dinbrief
    src = rf"""\documentclass[{rng.choice(['10pt', '11pt', '12pt'])}]{{dinbrief}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[ngerman]{{babel}}
{font}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
{chr(10).join(cmds)}
\begin{{document}}
\begin{{letter}}{{{BR.join(addr_lines(rng, m, doc))}}}
\subject{{{tex_esc(subj)}}}
\opening{{{tex_esc(salutation(rng, m))}}}
{body}
\closing{{{tex_esc(closing(rng, m))}}}
\end{{letter}}
\end{{document}}
"""
    return "pdflatex", src, doc, M, dict(layout="dinbrief")


# ---------------------------------------------------------------------------------------------
# facture (XeLaTeX): the class computes HT, TVA and TTC per line and sums them unrounded.


def fr_num(x):
    return f"{Decimal(x):.2f}".replace(".", ",") if Decimal(x) != Decimal(x).to_integral() else str(int(x))


def render_facture(rng, m, tmp):
    s, w = m["seller"], L(m)
    doc = Doc(m)
    sans_tva = m["small"]
    sans_remise = rng.random() < 0.5
    opts = [o for o, on in (("sansTVA", sans_tva), ("sansremise", sans_remise)) if on]
    default = RATES[m["country"]][0]
    rows = []
    ht = tva = Decimal(0)
    for l in m["lines"]:
        r = Decimal(0) if (sans_tva or m["reverse"]) else l["rate"]
        ht += l["net"]
        tva += l["net"] * r / 100
        qty = "" if l["qty"] == 1 and rng.random() < 0.5 else f"[{fr_num(l['qty'])}]"
        if sans_tva:
            rows.append(rf"\ligne{{{tex_esc(l['desc'])}}}{qty}{{{fr_num(l['price'])}}}")
        elif sans_remise:  # the class reads the rate from the 4th argument and prints the 5th
            rows.append(rf"\ligne{{{tex_esc(l['desc'])}}}{qty}{{{fr_num(l['price'])}}}[{fr_num(r)}][{fr_num(r)}]")
        else:
            rr = "" if r == default else f"[{fr_num(r)}]"
            rows.append(rf"\ligne{{{tex_esc(l['desc'])}}}{qty}{{{fr_num(l['price'])}}}[]{rr}"
                        if rr else rf"\ligne{{{tex_esc(l['desc'])}}}{qty}{{{fr_num(l['price'])}}}")
    ht, tva_p, ttc = q(ht), q(tva), q(ht + tva)
    if sans_tva:
        doc.total = ht
    else:
        doc.subtotal, doc.vat, doc.total = ht, tva_p, ttc
    dep = Decimal(int(q(doc.total * m["deposit_share"]) / 10) * 10) if m["deposit"] else Decimal(0)
    doc.amount_due = doc.total - dep
    dest = r"\\".join(addr_lines(rng, m, doc))
    use_fact = rng.random() < 0.4
    cmds = [rf"\nomemet{{{tex_esc(s['name'] if not s.get('trade') or rng.random() < 0.6 else s['trade'])}}}"]
    ad = [tex_esc(s["name"]), tex_esc(s["street"]), tex_esc(s["city"]), f"{tex_esc(s['email'])}",
          f"Tél : {tex_esc(s['phone'])}"]
    cmds.append(r"\adresseemet{" + r"\\".join(ad) + "}")
    if use_fact:
        cmds.append(r"\fact{" + dest + "}")
        b = m["buyer"]
        cmds.append(r"\dest{" + tex_esc(rng.choice(["Chantier", "Livraison"])) + r" : " + tex_esc(b["street"]) + r"\\"
                    + tex_esc(b["city"]) + "}")
    else:
        cmds.append(r"\dest{" + dest + "}")
    cmds.append(rf"\numero{{{tex_esc(m['number'])}}}")
    due_printed = (not m["credit"]) and rng.random() < 0.7
    # \entete ends the number line with \\ and starts the due date with \\: without a customer code
    # between them LaTeX stops ("There's no line here to end"), so users give one
    if due_printed or rng.random() < 0.6:
        cmds.append(rf"\codedest{{{tex_esc(m['customer_no'])}}}")
    if m["credit"]:
        cmds.append(r"\type{Avoir}")
    if sans_tva and m["country"] == "BE":  # the class's mention is the French one
        cmds.append(r"\renewcommand{\postTotaux}{\hfill " + tex_esc(rng.choice(
            ["Régime particulier de franchise des petites entreprises -- TVA non applicable.",
             "Petite entreprise soumise au régime de franchise de taxe. TVA non applicable."])) + "}")
    if due_printed:
        cmds.append(rf"\datelimite{{{m['terms']}}}")
        doc.due_printed = True
    cmds.append(rf"\date{{{m['issue'].strftime('%d/%m/%Y')}}}")
    if not sans_tva:
        cmds.append(rf"\TVAdefaut{{{fr_num(default)}}}")
    ids = seller_ids(rng, m, doc, force_vat=not sans_tva)
    pied = [f"{tex_esc(a)} {tex_esc(b)}" for a, b in ids] + [f"IBAN {iban_print(s['iban'])}", f"BIC {s['bic']}"]
    doc.iban_printed = True
    cmds.append(r"\pied{" + " --- ".join(pied) + "}")
    font = rng.choice([r"\setmainfont{DejaVu Serif}", r"\setmainfont{DejaVu Sans}", "",
                       r"\setmainfont{texgyrepagella}[Extension=.otf,UprightFont=*-regular,BoldFont=*-bold,"
                       r"ItalicFont=*-italic,BoldItalicFont=*-bolditalic]"])
    after = []
    M = Money(rng, m, True)
    M.style, M.sym, M.pre, M.symtex = "fr", "€", False, r"\texteuro{}"
    if m["credit"]:
        ref = rng.choice(w["cn_ref"]).format(n=m["ref_invoice"][0], d=m["ref_invoice"][1].strftime("%d/%m/%Y"))
        after.append(tex_esc(ref))
    if dep:
        after.append(r"\hfill\begin{tabular}{@{}lr@{}}" + tex_esc(rng.choice(w["dep"]).format(
            d=m["deposit_date"].strftime("%d/%m/%Y"))) + r" : & " + M.a(dep) + r"\\" + r"\textbf{"
            + tex_esc(rng.choice(["Reste à payer", "Net à payer", "Solde dû"])) + r" :} & \textbf{" + M.a(doc.amount_due)
            + r"}\end{tabular}")
    if m["reverse"]:
        after.append(legal_note(rng, m))
    if m["credit"]:
        after.append(tex_esc(rng.choice(w["cn_pay"])))
    elif not due_printed:
        after.append(tex_esc(rng.choice(w["pay_terms"]).format(n=m["terms"])))
    if m["country"] == "FR" and not m["buyer"]["person"] and rng.random() < 0.7:
        after.append(r"{\footnotesize " + tex_esc(
            "En cas de retard de paiement, des pénalités égales à trois fois le taux d'intérêt légal seront exigibles, "
            "ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 €. Pas d'escompte pour paiement "
            "anticipé.") + "}")
    src = rf"""\documentclass[{','.join(opts)}]{{facture}}
\usepackage[top=2cm,bottom=2cm,left=1.5cm,right=2cm]{{geometry}}
{font}
{chr(10).join(cmds)}
\begin{{document}}
\entete

\begin{{facture}}
{chr(10).join(rows)}
\end{{facture}}

\bigskip
{(chr(10) + chr(10)).join(after)}
\end{{document}}
"""
    doc.currency_printed = True
    return "xelatex", src, doc, None, dict(layout="facture/" + ("sansTVA" if sans_tva else "TVA")
                                             + ("/sansremise" if sans_remise else ""))


# ---------------------------------------------------------------------------------------------
# NTG brief (Dutch business letter).


def render_ntgbrief(rng, m, tmp):
    s, w = m["seller"], L(m)
    font, euro_ok = pick_font(rng)
    M = Money(rng, m, euro_ok)
    T = totals_by_rate(m)
    doc = Doc(m)
    dstyle = rng.choice(date_styles(m))
    opt = {"nl": "dutch", "en": "english"}[m["lang"]]
    head_addr = [tex_esc(s["street"]), tex_esc(s["city"]), f"{'telefoon' if m['lang'] == 'nl' else 'phone'} "
                 f"{tex_esc(s['phone'])}", tex_esc(s["email"])]
    ids = seller_ids(rng, m, doc, force_vat=True)
    items = [(a, b) for a, b in ids]
    if rng.random() < 0.5:
        items.append(("IBAN", iban_print(s["iban"])))
        bank_in_body = False
        doc.iban_printed = True
    else:
        bank_in_body = True
    items = items[:4]
    foot = "\n".join(rf"\voetitem{{{tex_esc(a)}}}{{{tex_esc(b)}}}" for a, b in items)
    tw = title_word(rng, m)
    ref_no = rng.random() < 0.6
    pre = [rf"\maakbriefhoofd{{{tex_esc(s['name'])}}}{{{BR.join(head_addr)}}}",
           rf"\ondertekening{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE['nl'])[0] + ' ' + rng.choice(PEOPLE['nl'])[1])}}}"]
    if rng.random() < 0.6:
        pre.append(rf"\antwoordadres{{{tex_esc(s['name'])}\\{tex_esc(s['street'])}\\{tex_esc(s['city'])}}}")
    refs = []
    if rng.random() < 0.4:
        refs.append(rf"\uwkenmerk{{{rng.choice(['Order', 'PO', 'Inkoopnr.'])} {rng.randrange(1000, 99999)}}}")
    if ref_no:
        refs.append(rf"\onskenmerk{{{tex_esc(m['number'])}}}")
    refs.append(rf"\datum{{{fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}")
    subj = f"{tw} {m['number']}" if (not ref_no or rng.random() < 0.5) else tw
    body = letter_body(rng, m, doc, M, T, dstyle, bank_in_body=bank_in_body, ids_in_body=False)
    src = rf"""\documentclass[a4paper,{rng.choice(['10pt', '11pt'])},{opt},{rng.choice(['adreslinks', 'adresrechts'])}]{{brief}}
{font}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[{ 'dutch' if m['lang'] == 'nl' else 'british'}]{{babel}}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
{chr(10).join(pre)}
\begin{{document}}
{foot}
{chr(10).join(refs)}
\betreft{{{tex_esc(subj)}}}
\begin{{brief}}{{{BR.join(addr_lines(rng, m, doc))}}}
\opening{{{tex_esc(salutation(rng, m))}}}
{body}
\afsluiting{{{tex_esc(closing(rng, m))}}}
\end{{brief}}
\end{{document}}
"""
    return "pdflatex", src, doc, M, dict(layout="brief/" + ("footer-iban" if not bank_in_body else "body-iban"))


# ---------------------------------------------------------------------------------------------
# chletter (Swiss letter).


def render_chletter(rng, m, tmp):
    s, w = m["seller"], L(m)
    font, euro_ok = pick_font(rng)
    M = Money(rng, m, euro_ok)
    T = totals_by_rate(m)
    doc = Doc(m)
    dstyle = rng.choice(date_styles(m))
    bab = "nswissgerman" if m["lang"] == "de" else "french"
    ids = seller_ids(rng, m, doc, force_vat=True)
    left = tex_esc(s["name"]) + " -- " + " -- ".join(f"{tex_esc(a)} {tex_esc(b)}" for a, b in ids)
    right = f"IBAN {iban_print(s['iban'])}" + (f" -- {tex_esc(s['bank'])}" if rng.random() < 0.5 else "")
    doc.iban_printed = True
    meta = meta_rows(rng, m, dstyle, ("no", "cust") if rng.random() < 0.6 else ("no",))
    meta_tex = r"\begin{tabular}{@{}ll@{}}" + r"\\".join(f"{tex_esc(a)}: & {tex_esc(b)}" for a, b in meta) + \
        r"\end{tabular}"
    city = city_name(s["city"])
    tw = title_word(rng, m)
    body = letter_body(rng, m, doc, M, T, dstyle, bank_in_body=False, ids_in_body=False)
    opts = ",".join(o for o in ["a4paper", rng.choice(["10pt", "11pt"]), "foldmark" if rng.random() < 0.5 else "",
                                "leftwin" if rng.random() < 0.25 else ""] if o)
    src = rf"""\documentclass[{opts}]{{chletter}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[{bab}]{{babel}}
{font}
\usepackage{{textcomp}}
\usepackage{{tabularx,booktabs,longtable,array}}
\name{{{tex_esc(s['name'])}}}
\signature{{{tex_esc(s['name'] if s['person'] else rng.choice(PEOPLE[people_key('CH', m['lang'])])[0] + ' ' + rng.choice(PEOPLE[people_key('CH', m['lang'])])[1])}}}
\address{{{tex_esc(s['street'])}\\{tex_esc(s['city'])}}}
\telephone{{{'Tel.' if m['lang'] == 'de' else 'Tél.'} {tex_esc(s['phone'])}\\{tex_esc(s['email'])}}}
\location{{{tex_esc(s['trade']) if s.get('trade') else ''}}}
\return{{{tex_esc(s['name'])}, {tex_esc(s['street'])}, {tex_esc(s['city'])}}}
\date{{{tex_esc(city)}, {fmt_date(m['issue'], m['lang'], dstyle, m['country'])}}}
\begin{{document}}
\markboth{{{left}}}{{{right}}}
\begin{{letter}}{{{BR.join(addr_lines(rng, m, doc))}}}
\object{{{tex_esc(tw)} {tex_esc(m['number'])}}}
\opening{{{tex_esc(salutation(rng, m))}}}
{meta_tex}

{body}
\closing{{{tex_esc(closing(rng, m))}}}
\end{{letter}}
\end{{document}}
"""
    return "pdflatex", src, doc, M, dict(layout="chletter")


# ---------------------------------------------------------------------------------------------
# Families, truth, self-check, main.

FAMILIES = {
    "invoice": dict(render="render_invoice", share=6, countries=["DE", "NL", "BE", "FR", "AT", "GB", "NL", "BE"],
                    two_rates=False, credit_p=0.0, deposit_p=0.2, max_lines=10),
    "invoice2": dict(render="render_invoice2", share=4, countries=["DE", "CH", "AT", "GB", "CH"],
                     langs={"CH": ["de"]}, credit_p=0.1, max_lines=12),
    "scrlttr2": dict(render="render_scrlttr2", share=10, countries=["DE", "AT", "CH", "NL", "NL", "BE", "BE", "FR",
                                                                    "GB"]),
    "scrletter": dict(render="render_scrletter", share=3, countries=["DE", "NL", "BE", "AT"]),
    "g-brief": dict(render="render_gbrief", share=3, countries=["DE", "DE", "AT"], langs={"DE": ["de", "de", "de", "en"]}),
    "g-brief2": dict(render="render_gbrief2", share=3, countries=["DE", "AT", "DE"]),
    "dinbrief": dict(render="render_dinbrief", share=3, countries=["DE", "DE", "AT"]),
    "facture": dict(render="render_facture", share=3, countries=["FR", "FR", "BE"], langs={"BE": ["fr"]},
                    small_p=0.35),
    "ntgbrief": dict(render="render_ntgbrief", share=3, countries=["NL", "NL", "BE"],
                     langs={"NL": ["nl", "nl", "en"], "BE": ["nl"]}),
    "chletter": dict(render="render_chletter", share=2, countries=["CH"], langs={"CH": ["de", "fr"]}),
}


def make_truth(m, doc, M):
    t = dict(invoice_number=m["number"], issue_date=m["issue"].isoformat(), seller_name=m["seller"]["name"],
             buyer_name=m["buyer"]["name"], kind="credit_note" if m["credit"] else "invoice", lines=doc.lines)
    if doc.due_printed:
        t["due_date"] = m["due"].isoformat()
    if M is not None and M.printed_code():
        t["currency"] = m["currency"]
    elif M is None and doc.currency_printed:
        t["currency"] = m["currency"]
    for k in ("subtotal", "vat", "total", "amount_due"):
        v = getattr(doc, k)
        if v is not None:
            t["vat_amount" if k == "vat" else k] = s2(v)
    if doc.seller_vat_printed:
        t["seller_vat"] = compact_vat(m["seller"]["vat"])
    if doc.iban_printed:
        t["iban"] = m["seller"]["iban"]
    return t


def norm(s):
    s = re.sub(r"[\s\u00a0\u202f\u2009\u2008\u2006]+", "", s)
    return s.replace("’", "'").replace("′", "'").replace("‘", "'")


def amount_forms(a):
    i, f = a.split(".")
    g = "{:,}".format(int(i))
    return {f"{i}.{f}", f"{i},{f}", f"{g}.{f}", g.replace(",", ".") + "," + f, g.replace(",", "'") + "." + f}


def date_forms(d):
    out = {d.strftime("%d.%m.%Y"), d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y"), d.isoformat()}
    for lang in MONTHS:
        out.add(fmt_date(d, lang, "long"))
        out.add(fmt_date(d, lang, "long", "AT"))
    return {norm(x) for x in out}


def self_check(text, t, own, doc):
    """Every truth value must be on the page: in the -layout text or (wrapped cells) the raw text."""
    n = norm(text[0]) + "\x00" + norm(text[1])
    missing = []
    for k in ("subtotal", "vat_amount", "total", "amount_due"):
        if k not in t:
            continue
        if k == "vat_amount" and len(doc.vat_parts) > 1 and not any(norm(f) in n for f in amount_forms(t[k])):
            for p in doc.vat_parts:
                if not any(norm(f) in n for f in amount_forms(s2(p))):
                    missing.append(f"vat part {p}")
            continue
        if not any(norm(f) in n for f in amount_forms(t[k])):
            missing.append(f"{k}={t[k]}")
    for k in ("invoice_number", "seller_vat", "iban"):
        if t.get(k):
            v = norm(t[k])
            if k == "seller_vat":
                nn = n.replace(".", "").replace("-", "")
                if v not in nn:
                    missing.append(f"{k}={t[k]}")
            elif v not in n:
                missing.append(f"{k}={t[k]}")
    for k in ("issue_date", "due_date"):
        if t.get(k) and not any(f in n for f in date_forms(dt.date.fromisoformat(t[k]))):
            missing.append(f"{k}={t[k]}")
    for v in own.get("vat_numbers", []):
        if norm(v) not in n.replace(".", "").replace("-", ""):
            missing.append(f"own vat {v}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if t.get(k) and norm(t[k]).replace("-", "") not in nh:
            if all(norm(w).replace("-", "") in nh for w in t[k].split()):
                print(f"note: {k} {t[k]!r} wrapped on the page", file=sys.stderr)
            else:
                missing.append(f"{k}={t[k]}")
    return missing


def pdftext(path):
    return tuple(subprocess.run(["pdftotext"] + mode + [str(path), "-"], capture_output=True, text=True).stdout
                 for mode in (["-layout"], ["-raw"]))


def plan(count):
    total = sum(f["share"] for f in FAMILIES.values())
    return {fam: max(1, round(spec["share"] * count / total)) for fam, spec in FAMILIES.items()}


def main():
    ap = argparse.ArgumentParser(description="Invoices typeset with TeX letter classes and invoice packages")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=40, help="documents in total (spread over the families)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    ap.add_argument("--keep-tex", action="store_true", help="write the .tex source beside each PDF")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "texletters"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="texletters-")
    counts = plan(a.count)
    manifest = []
    failed = 0
    try:
        for fam in a.families.split(","):
            spec = FAMILIES[fam]
            render = globals()[spec["render"]]
            for i in range(counts[fam]):
                rng = random.Random(f"texletters-{a.seed}-{fam}-{i}")
                m = make_model(rng, fam, i, spec)
                engine, src, doc, M, info = render(rng, m, tmp)
                rel = f"texletters/{fam}-{i:03d}.pdf"
                pdf = os.path.join(out, rel)
                epoch = int(dt.datetime(m["issue"].year, m["issue"].month, m["issue"].day, 9,
                                        tzinfo=dt.timezone.utc).timestamp()) + rng.randrange(0, 8 * 3600)
                log = tex_run(engine, src, pdf, tmp, epoch=epoch)
                if getattr(doc, "from_log", None):
                    doc.from_log(log)
                if a.keep_tex:
                    with open(pdf[:-4] + ".tex", "w", encoding="utf-8") as f:
                        f.write(src)
                truth = make_truth(m, doc, M)
                own = {"names": [], "vat_numbers": [], "ibans": []}
                if m["own_is_buyer"] and not m["buyer"]["person"]:
                    own = {"names": [m["buyer"]["name"]],
                           "vat_numbers": [m["buyer"]["vat"]] if doc.buyer_vat_printed else [], "ibans": []}
                miss = self_check(pdftext(pdf), truth, own, doc)
                if miss:
                    msg = f"{rel}: not found on the page: {', '.join(miss)}"
                    if not a.keep_going:
                        raise SystemExit(msg)
                    print("SKIP", msg, file=sys.stderr)
                    failed += 1
                    os.unlink(pdf)
                    continue
                entry = dict(path=rel, producer="texletters", family=fam, renderer=engine,
                             split="tune" if i % 2 == 0 else "heldout", own=own, truth=truth,
                             layout=info.get("layout", fam), language=m["lang"], country=m["country"])
                manifest.append(entry)
                print(rel, info.get("layout", ""), file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"{len(manifest)} documents in {out} ({failed} skipped)", file=sys.stderr)


if __name__ == "__main__":
    main()
