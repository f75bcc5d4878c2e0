#!/usr/bin/env python3
r"""Invoices printed by LedgerSMB 1.6 (Debian bookworm's ``ledgersmb``), with ground truth.

What it runs: the real LedgerSMB 1.6.33 from Debian (Perl, PostgreSQL), its own setup tool, its
own accounting modules and its own invoice templates, on seeded generated data:

1. Database Management Console: the script starts LedgerSMB's web application
   (``bin/ledgersmb-server.psgi`` under Starman, as the ``ledgersmb`` system user when run as
   root, on a free local port) and, over HTTP, ``setup.pl`` creates each company database
   (``create_db``: LedgerSMB's schema loader), loads one of the charts of accounts LedgerSMB
   ships (``select_coa``: ``be/General.sql``, ``nl/General.sql``, ``de/General.sql``,
   ``fr/French_General.sql``, ``uk/General.sql``), stores a template set in the database
   (``load_templates``: ``demo``, typeset by pdfLaTeX, or ``xedemo``, XeLaTeX with Liberation
   Sans) and creates the first user with full permissions (``save_user``).
2. Debian's package lacks LedgerSMB 1.6's ``old/bin`` scripts (``is.pl``, ``io.pl``, ``ic.pl``,
   ``am.pl``: the web screens for sales invoices, parts and taxes; the package changelog says
   this, Debian bug #981608, was fixed in 1.6.9+ds-2, yet 1.6.33+ds-2.1 lacks them again), so
   those screens cannot be used. A Perl program (``DRIVER`` below, run in the
   LedgerSMB directory) does what they do by calling LedgerSMB's own modules, each request in
   a fork()ed process with its own database connection as LedgerSMB runs its old code:
   user preferences (``user__save_preferences``: date format, number format), System > Defaults
   (``LedgerSMB::Setting``: company name, address, phone, fax, currencies, the invoice number
   sequence), account renames/links, System > Taxes (``AM->save_taxes``: the current rates, as
   the shipped charts carry NL 19/6, DE 16/7 and FR 19.6/20.6/5.5 %), Goods & Services
   (``IC->save``: services and parts with their tax account), customers
   (``LedgerSMB::Entity::Company``, ``Credit_Account`` with language, currency, payment terms
   and taxes, ``Location``), sales invoices and credit invoices as ``is.pl`` enters and posts
   them (``create_links``, ``AA->get_name`` which sets the due date from the customer's terms,
   ``IS->retrieve_item`` per line, ``IS->post_invoice`` with payments entered on the invoice),
   and printing as ``is.pl``/``io.pl`` do it (``IS->retrieve_invoice``, ``IS->customer_details``,
   ``IS->invoice_details`` which computes every printed amount, the company settings, then
   ``LedgerSMB::Template`` renders the database's ``invoice`` template to PDF through
   Template::Plugin::Latex in the customer's language). The glue between these calls
   (``invoice_links``, ``prepare_invoice``, ``print_form``) is a minimal re-implementation of the
   missing scripts after the upstream sources; everything that decides what is printed is
   LedgerSMB's.

Six seller companies, one database each: BE (Antwerpen, Dutch, ``dd/mm/yyyy``, the Belgian
chart's own tax names "TVA DUE VENTES 21%/6%"), NL (``dd-mm-yyyy``, "Te betalen BTW hoog/laag"
21/9 %), DE (``dd.mm.yyyy``, xedemo, Umsatzsteuer 19/7 %), FR (``1 000,00``, TVA 20/10/5.5 %),
GB (``1,000.00``, GBP, xedemo, VAT 20/5/0 %) and BE (Liège, French, ``yyyy-mm-dd``, "TVA 21%/6%").
The template prints the company name, its address text (with the VAT number as an address line
for most sellers, as users type it) and phone/fax in the letterhead; the seller's bank details
only when the user types them into the invoice notes (most invoices, with LedgerSMB's
``<%invnumber%>`` substitution). Customers in BE, NL, DE, FR, GB, LU, US (companies, a few
people), with the customer's language (en, nl, de, fr; LedgerSMB's translations: the French one
is partial, so French pages mix French and English labels, and the German one prints
"VerkÃ?ufer"), currency (EUR mostly, GBP/USD/EUR as foreign currency with an exchange rate) and
payment terms 0-60 days (the printed due date). Domestic customers pay VAT; EU business
customers abroad and non-EU customers get no tax lines and a reverse-charge or export note.
Invoices: 1-20 lines of services and parts (quantities, units, price overrides, some edited
descriptions, a few discounts), one or two (FR: three) VAT rates, some order numbers and
shipping fields; about 15 % are credit invoices (LedgerSMB's "Credit Invoice", amounts printed
positive); about 30 % of the invoices in the company's currency have a payment entered on the
invoice (a share of the total, or all of it), which the template prints as "Paid" / "Balance"
and a payments table. US-letter pages, as the templates are written.

Install (Debian bookworm)::

    apt-get install -y --no-install-recommends ledgersmb liblatex-driver-perl \
        libtemplate-plugin-latex-perl libtex-encode-perl libjson-xs-perl libmath-bigint-gmp-perl \
        texlive-latex-recommended texlive-latex-extra texlive-xetex fonts-liberation \
        postgresql postgresql-contrib poppler-utils

PostgreSQL must accept the superuser (``--pg-user``, default ``postgres``, password
``--pg-password`` or ``$PGPASSWORD``) on ``--pg-host``/``--pg-port`` (default 127.0.0.1:5432)
with a password or trust: setup.pl logs in with it. The script creates and, at the end, drops the
databases ``ledgersmb_c_*``, the login roles ``ledgersmb_u_*`` and LedgerSMB's roles
``lsmb_ledgersmb_c_*__*`` (also at the start, so a rerun is clean); ``--keep`` keeps them and the
work folder. It imports ``iban``/``iban_print``/``vat`` from ``generate.py`` beside it.

Usage: ``python3 ledgersmb.py OUT [--count 30] [--seed 1] [--keep]`` (``--count``: documents in
total, spread over the six companies). Writes ``OUT/ledgersmb/ledgersmb-<lang>-NNN.pdf`` and
``OUT/manifest.json``. About six minutes for 30 documents on a busy two-core machine (half of it
creating the six databases).

Families: ``ledgersmb-<lang>``, the language the invoice is printed in (``en``, ``nl``, ``de``,
``fr``); ``renderer`` is ``pdflatex`` (demo templates) or ``xelatex`` (xedemo); ``split``
alternates within each family. Extra manifest keys: ``seller`` (company key) and ``templates``.

Truth: invoice number, issue date and due date (as posted), currency (printed as "All prices in
EUR."), and the amounts LedgerSMB's ``IS->invoice_details`` computed for the page: subtotal,
vat_amount (the sum of the printed tax lines; the template prints one line per tax account
"<account description> on <base>", no VAT total; ``0.00`` when none), total, amount_due (the
printed "Balance" when payments are printed, else the total); seller name (company setting),
seller VAT (only when the address text prints it), buyer name, seller IBAN (only when the notes
print it), kind (``credit_note`` for credit invoices) and the number of lines. ``own`` (4 in 5)
is the buyer's name, with its VAT number only when it is printed as an address line (LedgerSMB's
template prints no customer tax number). Self-check: every truth value is looked for in
``pdftotext -layout`` and plain ``pdftotext`` output (each printed tax amount for vat_amount; an
invoice number broken after a hyphen in the header table's narrow cell counts as found), and
the printed amounts are compared with the posted ones (``ar.amount``/``netamount``) for
invoices in the company's currency; differences are reported on stderr. Caveats: LedgerSMB posts
a discounted line with a rounding that can differ by a cent from what its print computes (the
truth is what the page prints); the demo template's pdfLaTeX output carries accented letters as
a letter plus a combining accent in the text layer (the check compares NFC-normalised text); the
amount in words LedgerSMB prints is sometimes wrong (its French and German number-to-text), and
the footer's English payment-terms paragraph is untranslated in every language, as LedgerSMB
prints them.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import iban as make_iban, iban_print, vat as make_vat  # noqa: E402

LSMB = "/usr/share/ledgersmb"
PREFIX = "ledgersmb_c_"          # company databases (and LedgerSMB's own lsmb_<db>__* roles)
USER_PREFIX = "ledgersmb_u_"     # one LedgerSMB user (a PostgreSQL login role) per company
PASSWORD = "ledgersmb-corpus"
D2 = Decimal("0.01")

# ---------------------------------------------------------------------------------------------
# Seller companies: one LedgerSMB company database each, with a chart of accounts LedgerSMB ships.
# ar/income/bank: account numbers of that chart; links: account links the user adds in the
# account screen (these charts have no bank account linked to "AR_paid"); taxes: (account, rate,
# new description or None) as set in System > Taxes (the shipped charts carry old rates:
# NL 19/6, DE 16/7, FR 19.6/5.5).

SELLERS = [
    dict(key="be1", country="BE", coa=("be", "General.sql"), templates="demo", lang="nl", ar="400",
         income="705000", bank="552000", bank_name="KBC Bedrijfsrekening", links=[],
         taxes=[("451541", "21", None), ("451540", "6", None)],
         dateformat="dd/mm/yyyy", numberformat="1.000,00", curr="EUR:USD:GBP", sinumber="2025-0100",
         city=("2000", "Antwerpen"), street="Meirbrug {n}", phone="+32 3 {a} {b} {c}",
         name="Schelde Consult", form="BV", staff=("Jan", "Peeters")),
    dict(key="nl", country="NL", coa=("nl", "General.sql"), templates="demo", lang="nl", ar="1200",
         income="8520", bank="1140", bank_name=None, links=[("1140", "AR_paid")],
         taxes=[("1810", "21", None), ("1811", "9", None)],
         dateformat="dd-mm-yyyy", numberformat="1.000,00", curr="EUR:USD:GBP", sinumber="F25001",
         city=("3511 CE", "Utrecht"), street="Stationsplein {n}", phone="030-{a}{b}{c}",
         name="Noord Installaties", form="B.V.", staff=("Sanne", "de Vries")),
    dict(key="de", country="DE", coa=("de", "General.sql"), templates="xedemo", lang="de", ar="1210",
         income="8400", bank="1800", bank_name="Commerzbank", links=[("1800", "AR_paid")],
         taxes=[("3805", "19", "Umsatzsteuer 19%"), ("3801", "7", None)],
         dateformat="dd.mm.yyyy", numberformat="1.000,00", curr="EUR:USD:GBP", sinumber="RE-2025-0400",
         city=("20095", "Hamburg"), street="Am Sandtorkai {n}", phone="040 {a} {b}{c}",
         name="Hanse Maschinenbau", form="GmbH", staff=("Lukas", "Schäfer")),
    dict(key="fr", country="FR", coa=("fr", "French_General.sql"), templates="demo", lang="fr", ar="41",
         income="706", bank="512", bank_name=None, links=[],
         taxes=[("445713", "20", "TVA collectée 20%"), ("445712", "10", "TVA collectée 10%"), ("445711", "5.5", None)],
         dateformat="dd/mm/yyyy", numberformat="1 000,00", curr="EUR:USD", sinumber="FA2025-0060",
         city=("69002", "Lyon"), street="{n} rue de la République", phone="04 {b} {c} {d} {e}",
         name="Provence Conseil", form="SARL", staff=("Camille", "Lefèvre")),
    dict(key="gb", country="GB", coa=("uk", "General.sql"), templates="xedemo", lang="en", ar="1100",
         income="4000", bank="1200", bank_name=None, links=[],
         taxes=[("2200", "20", None), ("2205", "5", None), ("2209", "0", None)],
         dateformat="dd/mm/yyyy", numberformat="1,000.00", curr="GBP:EUR:USD", sinumber="INV-1040",
         city=("M1 1AE", "Manchester"), street="{n} Deansgate", phone="0161 {a} {b}{c}",
         name="Pennine Technics", form="Ltd", staff=("Harriet", "Osei")),
    dict(key="be2", country="BE", coa=("be", "General.sql"), templates="demo", lang="fr", ar="400",
         income="705000", bank="553000", bank_name="Belfius", links=[],
         taxes=[("451541", "21", "TVA 21%"), ("451540", "6", "TVA 6%")],
         dateformat="yyyy-mm-dd", numberformat="1.000,00", curr="EUR:USD", sinumber="F250001",
         city=("4000", "Liège"), street="Boulevard d'Avroy {n}", phone="04 {a} {b} {c}",
         name="Ardenne Print", form="SRL", staff=("Sophie", "Martin")),
]

# Catalogue per seller language: (description, unit, price, tax class, part or service).
# Tax class "main" = first tax of the seller, "low" = its lowest non-zero rate, "zero" = GB 0 %.
CATALOG = {
    "nl": [("Advies en begeleiding", "uur", "95.00", "main", "service"), ("Webhosting (maandelijks)", "mnd", "29.95", "main", "service"),
           ("Onderhoudscontract", "st", "450.00", "main", "service"), ("Bureaustoel ergonomisch", "st", "249.00", "main", "part"),
           ("Installatie ter plaatse", "uur", "75.00", "main", "service"), ("Verzendkosten", "st", "12.50", "main", "service"),
           ("Softwarelicentie (jaar)", "st", "1200.00", "main", "service"), ("Opleiding (dag)", "dag", "650.00", "main", "service"),
           ("Vakboek Boekhouden", "st", "39.50", "low", "part"), ("Koffiebonen 1 kg", "zak", "18.90", "low", "part"),
           ("Kabel CAT6 5 m", "st", "6.45", "main", "part"), ("Reparatie en herstelling", "uur", "65.00", "main", "service")],
    "fr": [("Prestations de conseil", "h", "110.00", "main", "service"), ("Hébergement web (mensuel)", "mois", "24.90", "main", "service"),
           ("Contrat de maintenance", "u", "480.00", "main", "service"), ("Chaise de bureau", "u", "219.00", "main", "part"),
           ("Installation sur site", "h", "80.00", "main", "service"), ("Frais de port", "u", "9.90", "main", "service"),
           ("Licence logicielle annuelle", "u", "990.00", "main", "service"), ("Formation (journée)", "jour", "720.00", "main", "service"),
           ("Livre technique", "u", "42.00", "low", "part"), ("Café en grains 1 kg", "sac", "21.50", "low", "part"),
           ("Impression flyers A5 (500 ex.)", "lot", "145.00", "main", "service"), ("Repas traiteur", "u", "18.50", "mid", "service")],
    "de": [("Beratung", "Std", "120.00", "main", "service"), ("Webhosting (monatlich)", "Monat", "19.90", "main", "service"),
           ("Wartungsvertrag", "Stk", "540.00", "main", "service"), ("Bürostuhl ergonomisch", "Stk", "289.00", "main", "part"),
           ("Montage und Inbetriebnahme", "Std", "85.00", "main", "service"), ("Versandkosten", "Stk", "7.90", "main", "service"),
           ("Softwarelizenz (Jahr)", "Stk", "1450.00", "main", "service"), ("Schulung (Tag)", "Tag", "890.00", "main", "service"),
           ("Fachbuch Hydraulik", "Stk", "49.90", "low", "part"), ("Kaffeebohnen 1 kg", "Pack", "16.90", "low", "part"),
           ("Ersatzteilsatz Pumpe", "Satz", "134.00", "main", "part"), ("Anfahrtspauschale", "Stk", "45.00", "main", "service")],
    "en": [("Consulting services", "hr", "105.00", "main", "service"), ("Web hosting (monthly)", "month", "22.00", "main", "service"),
           ("Maintenance contract", "each", "420.00", "main", "service"), ("Office chair", "each", "199.00", "main", "part"),
           ("On-site installation", "hr", "70.00", "main", "service"), ("Delivery charge", "each", "8.50", "main", "service"),
           ("Software licence (annual)", "each", "1100.00", "main", "service"), ("Training day", "day", "600.00", "main", "service"),
           ("Technical handbook", "each", "34.99", "zero", "part"), ("Domestic fuel (litre)", "l", "0.89", "low", "part"),
           ("Cable CAT6 5 m", "each", "5.40", "main", "part"), ("Spare parts kit", "kit", "115.00", "main", "part")],
}

FIRST = ["Bloc", "Atlas", "Zenith", "Kobalt", "Vector", "Lumen", "Orion", "Delta", "Pixel", "Helix", "Cedar", "Falcon",
         "Granit", "Mosaic", "Nimbus", "Quartz", "Rivier", "Sirius", "Tandem", "Vulcan", "Willow", "Beaulieu", "Elbe", "Thames"]
SECOND = ["Group", "Studio", "Consult", "Logistics", "Systems", "Design", "Bouw", "Technics", "Media", "Partners", "Services",
          "Digital", "Foods", "Energy", "Works", "Labs", "Trading", "Software", "Solutions", "Handel", "Distribution", "Conseil"]
FORMS = {"BE": ["BV", "NV", "SRL", "SA", "CommV"], "NL": ["B.V.", "BV", "V.O.F."], "DE": ["GmbH", "AG", "GmbH & Co. KG", "e.K."],
         "FR": ["SAS", "SARL", "SA", "EURL"], "GB": ["Ltd", "Limited", "LLP"], "LU": ["S.à r.l.", "S.A."], "US": ["Inc.", "LLC"]}
STREETS = {"BE": ["Bijlokevest {n}", "Rue de la Loi {n}", "Kortrijksesteenweg {n}", "Avenue Louise {n}", "Naamsestraat {n}"],
           "NL": ["Keizersgracht {n}", "Hoofdstraat {n}", "Lange Voorhout {n}", "Coolsingel {n}"],
           "DE": ["Hauptstraße {n}", "Bahnhofstr. {n}", "Lindenallee {n}", "Industriestraße {n}"],
           "FR": ["{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} boulevard Haussmann", "{n} rue Nationale"],
           "GB": ["{n} High Street", "Unit {n}, Riverside Park", "{n} Station Road", "{n} Baker Street"],
           "LU": ["{n} avenue John F. Kennedy", "{n} route d'Arlon"], "US": ["{n} Market Street", "{n} Main St"]}
CITIES = {"BE": [("9000", "Gent"), ("1000", "Bruxelles"), ("3000", "Leuven"), ("8500", "Kortrijk"), ("5000", "Namur")],
          "NL": [("1017 AB", "Amsterdam"), ("2514 JH", "Den Haag"), ("3011 AD", "Rotterdam"), ("5611 AZ", "Eindhoven")],
          "DE": [("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("60311", "Frankfurt am Main")],
          "FR": [("75001", "Paris"), ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes")],
          "GB": [("EC1A 1BB", "London"), ("LS1 4AP", "Leeds"), ("BS1 4DJ", "Bristol")],
          "LU": [("L-1855", "Luxembourg"), ("L-4010", "Esch-sur-Alzette")], "US": [("10001", "New York"), ("94105", "San Francisco")]}
# Countries as LedgerSMB's country table knows them (UK: "United Kingdom").
LSMB_COUNTRY = {"BE": "BE", "NL": "NL", "DE": "DE", "FR": "FR", "GB": "UK", "LU": "LU", "US": "US"}
EU = {"BE", "NL", "DE", "FR", "LU"}
# Customers of each seller: (country, language) choices, weighted.
CUSTOMERS = {
    "be1": [("BE", "nl")] * 4 + [("BE", "fr"), ("NL", "nl"), ("DE", "de"), ("GB", "en"), ("US", "en")],
    "nl": [("NL", "nl")] * 4 + [("NL", "en"), ("BE", "nl"), ("DE", "de"), ("GB", "en")],
    "de": [("DE", "de")] * 4 + [("FR", "fr"), ("NL", "en"), ("LU", "de"), ("US", "en")],
    "fr": [("FR", "fr")] * 4 + [("BE", "fr"), ("LU", "fr"), ("DE", "de"), ("GB", "en")],
    "gb": [("GB", "en")] * 4 + [("NL", "en"), ("DE", "en"), ("BE", "en"), ("US", "en")],
    "be2": [("BE", "fr")] * 4 + [("BE", "nl"), ("FR", "fr"), ("LU", "fr"), ("NL", "en")],
}
FX = {("EUR", "USD"): Decimal("0.92"), ("EUR", "GBP"): Decimal("1.17"), ("GBP", "EUR"): Decimal("0.85"),
      ("GBP", "USD"): Decimal("0.79")}
VAT_LINE = {
    "BE": ["BTW {p}", "TVA {p}", "Ondernemingsnummer: {p}", "BTW-nr. {p}"],
    "NL": ["BTW-nr: {p}", "Btw-id: {p}", "VAT: {p}"],
    "DE": ["USt-IdNr.: {p}", "USt-ID: {p}"],
    "FR": ["N° TVA : {p}", "TVA intracom. {p}"],
    "GB": ["VAT Reg No: {p}", "VAT No. {p}"],
    "LU": ["TVA {p}", "No TVA : {p}"],
}
BANK_NOTE = {
    "nl": ["Gelieve het bedrag over te maken op IBAN {iban} (BIC {bic}) met vermelding van factuurnummer <%invnumber%>.",
           "Betaling op rekening {iban} t.n.v. {name}, onder vermelding van <%invnumber%>."],
    "fr": ["Merci de régler par virement sur le compte IBAN {iban} (BIC {bic}) en mentionnant la facture <%invnumber%>.",
           "Paiement par virement : IBAN {iban} - BIC {bic}."],
    "de": ["Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer <%invnumber%> auf IBAN {iban}, BIC {bic}.",
           "Bankverbindung: {bank}, IBAN {iban}, BIC {bic}"],
    "en": ["Please pay by bank transfer to IBAN {iban} (BIC {bic}), quoting invoice <%invnumber%>.",
           "Bank details: {bank}, IBAN {iban}, BIC {bic}. Please quote <%invnumber%>."],
}
REVERSE_NOTE = {"nl": "Btw verlegd - medecontractant (art. 196 Btw-richtlijn).", "fr": "Autoliquidation - article 196 de la directive TVA.",
                "de": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).", "en": "Reverse charge: VAT to be accounted for by the recipient."}
EXPORT_NOTE = {"nl": "Vrijgesteld van btw - levering buiten de EU.", "fr": "Exonération de TVA - exportation hors UE.",
               "de": "Steuerfreie Ausfuhrlieferung.", "en": "VAT exempt - export outside the EU.",
               "gb": "Zero-rated export - outside the scope of UK VAT."}
CREDIT_NOTE = {"nl": "Creditnota op factuur {prev_invnumber}.", "fr": "Avoir sur la facture {prev_invnumber}.",
               "de": "Gutschrift zur Rechnung {prev_invnumber}.", "en": "Credit note for invoice {prev_invnumber}."}
BICS = {"BE": ["KREDBEBB", "GKCCBEBB", "BBRUBEBB"], "NL": ["RABONL2U", "INGBNL2A", "ABNANL2A"], "DE": ["COBADEFFXXX", "DEUTDEFF"],
        "FR": ["BNPAFRPP", "SOGEFRPP", "CRLYFRPP"], "GB": ["NWBKGB2L", "BARCGB22"]}
BANKS = {"BE": "KBC", "NL": "Rabobank", "DE": "Commerzbank", "FR": "BNP Paribas", "GB": "NatWest"}


SUFFIX = {"nl": [" - project {n}", " - werf Noord", " (spoed)", " - periode {y}", " - ref. {n}"],
          "fr": [" - projet {n}", " - chantier Est", " (urgent)", " - période {y}", " - réf. {n}"],
          "de": [" - Projekt {n}", " - Baustelle Nord", " (Eilauftrag)", " - Zeitraum {y}", " - Ref. {n}"],
          "en": [" - project {n}", " - site North", " (urgent)", " - period {y}", " - ref. {n}"]}
SOURCE = {"nl": ["overschrijving", "bank {n}", "Bancontact"], "fr": ["virement", "chèque {n}", "Bancontact"],
          "de": ["Überweisung", "Bank {n}", "EC-Karte"], "en": ["BACS", "bank transfer", "cheque {n}"]}


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def vat_shown(rng, v):
    c, b = v[:2], v[2:]
    if c == "BE":
        return rng.choice([f"BE {b[:4]}.{b[4:7]}.{b[7:]}", f"BE{b}", f"BE {b}"])
    if c == "GB":
        return rng.choice([f"GB {b[:3]} {b[3:7]} {b[7:]}", v])
    if c == "FR":
        return rng.choice([f"FR {b[:2]} {b[2:5]} {b[5:8]} {b[8:]}", v])
    return v


def seller_specs(rng):
    out = []
    for s in SELLERS:
        s = dict(s)
        c = s["country"]
        s["company"] = f"{s['name']} {s['form']}"
        s["vat"] = make_vat(rng, c)
        s["iban"] = make_iban(rng, c)
        s["bic"] = rng.choice(BICS[c])
        s["bank_label"] = BANKS[c]
        by_code = {"INGB": ("ING Bank", "INGBNL2A"), "RABO": ("Rabobank", "RABONL2U"), "ABNA": ("ABN AMRO", "ABNANL2A"),
                   "KNAB": ("Knab", "KNABNL2H"), "NWBK": ("NatWest", "NWBKGB2L"), "BARC": ("Barclays", "BARCGB22"),
                   "HBUK": ("HSBC UK", "HBUKGB4B")}
        if s["iban"][4:8] in by_code:   # the bank named in the notes is the IBAN's bank
            s["bank_label"], s["bic"] = by_code[s["iban"][4:8]]
            if c == "NL":
                s["bank_name"] = s["bank_label"]
        n = rng.randrange(2, 180)
        nums = dict(a=rng.randrange(100, 999), b=rng.randrange(10, 99), c=rng.randrange(10, 99), d=rng.randrange(10, 99),
                    e=rng.randrange(10, 99))
        lines = [s["street"].format(n=n), f"{s['city'][0]} {s['city'][1]}"]
        s["vat_printed"] = rng.random() < 0.85
        if s["vat_printed"]:
            lines.append(rng.choice(VAT_LINE[c]).format(p=vat_shown(rng, s["vat"])))
        if c == "NL" and rng.random() < 0.7:
            lines.append(f"KvK {rng.randrange(10000000, 99999999)}")
        s["address"] = "\n".join(lines)
        s["tel"] = s["phone"].format(**nums)
        s["fax"] = s["phone"].format(**{k: (v + 1) % 100 if k != "a" else v for k, v in nums.items()}) if rng.random() < 0.4 else ""
        s["bank_notes"] = rng.random() < 0.8   # the user types the bank details into the invoice notes
        s["db"] = PREFIX + s["key"]
        s["user"] = USER_PREFIX + s["key"]
        out.append(s)
    return out


def org_name(rng, country):
    if rng.random() < 0.08:
        return rng.choice(["Jan Peeters", "Els Janssens", "Sophie Dubois", "Jürgen Hoffmann", "Olivia Bennett", "Pieter de Graaf"])
    return f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(FORMS[country])}"


def customer_spec(rng, seller, idx):
    country, lang = rng.choice(CUSTOMERS[seller["key"]]) if idx else CUSTOMERS[seller["key"]][0]
    postal, city = rng.choice(CITIES[country])
    c = dict(country=country, lang=lang, name=org_name(rng, country), line_one=rng.choice(STREETS[country]).format(n=rng.randrange(1, 250)),
             zipcode=postal, city=city, control_code=f"C-{1001 + idx}", meta_number=f"{1001 + idx}")
    c["vat"] = make_vat(rng, country) if country in VAT_LINE and rng.random() < 0.9 else None
    c["vat_line"] = None
    if c["vat"] and rng.random() < 0.3:   # some users type the customer's VAT number as an address line
        c["vat_line"] = rng.choice(VAT_LINE[country]).format(p=vat_shown(rng, c["vat"]))
    home = seller["country"]
    # taxes: domestic customers pay VAT; EU B2B customers elsewhere and non-EU customers do not
    if country == home or (home != "GB" and country in EU and not c["vat"]):
        c["tax_mode"] = "vat"
    elif home == "GB" and country == "GB":
        c["tax_mode"] = "vat"
    elif home != "GB" and country in EU:
        c["tax_mode"] = "reverse"
    else:
        c["tax_mode"] = "export"
    default = seller["curr"].split(":")[0]
    c["currency"] = default
    if country == "US":
        c["currency"] = "USD"
    elif country == "GB" and default != "GBP" and "GBP" in seller["curr"] and rng.random() < 0.8:
        c["currency"] = "GBP"
    elif default == "GBP" and country in EU:
        c["currency"] = "EUR"
    c["terms"] = rng.choice([0, 8, 14, 14, 15, 30, 30, 30, 45, 60])
    return c


def invoice_specs(rng, seller, count, start_idx):
    pool = []
    specs = []
    lang = seller["lang"]
    catalog = CATALOG[lang]
    for k in range(count):
        if not pool or (len(pool) < 8 and rng.random() < 0.6):
            pool.append(customer_spec(rng, seller, len(pool)))
            cust_i = len(pool) - 1
        else:
            cust_i = rng.randrange(len(pool))
        cust = pool[cust_i]
        date = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(0, 520))
        credit = rng.random() < 0.15
        n = rng.choice([1, 1, 2, 3]) if credit else rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 14, 17, 20])
        two_rates = rng.random() < 0.4
        lines = []
        for _ in range(n):
            if two_rates:
                item = rng.randrange(len(catalog))
            else:
                choices = [i for i, it in enumerate(catalog) if it[3] == "main"]
                item = rng.choice(choices)
            desc, unit, price, tclass, kind = catalog[item]
            price = Decimal(price)
            if rng.random() < 0.3:
                price = q(price * Decimal(rng.choice(["0.8", "0.9", "1.1", "1.25", "1.5"])))
            if unit in ("uur", "h", "Std", "hr"):
                qty = rng.choice(["1", "2", "2.5", "4", "6", "7.5", "8", "12", "16", "24"])
            elif unit in ("dag", "jour", "Tag", "day"):
                qty = rng.choice(["1", "1", "2", "3", "0.5"])
            elif price < 25:
                qty = rng.choice(["1", "2", "5", "10", "12", "20", "25", "50", "100"])
            else:
                qty = rng.choice(["1", "1", "1", "2", "3", "4", "5", "6"])
            ln = dict(partnumber=f"{'P' if kind == 'part' else 'S'}-{100 + item}", qty=qty, price=f"{price:.2f}")
            if rng.random() < 0.25:
                ln["description"] = desc + rng.choice(SUFFIX[lang]).format(n=rng.randrange(100, 9999), y=date.year)
            if rng.random() < 0.08:
                ln["discount"] = rng.choice(["5", "10", "15"])
            lines.append(ln)
        inv = dict(key=f"{seller['key']}-{start_idx + k}", customer=cust_i, transdate=date.isoformat(), currency=cust["currency"],
                   lines=lines, credit=1 if credit else 0, language=cust["lang"])
        default = seller["curr"].split(":")[0]
        if cust["currency"] != default:
            base = FX[(default, cust["currency"])]
            inv["exchangerate"] = str((base * Decimal(1 + rng.uniform(-0.03, 0.03))).quantize(Decimal("0.0001")))
        notes = []
        lang_c = cust["lang"]
        if credit and rng.random() < 0.7:
            notes.append(CREDIT_NOTE[lang_c])
        if cust["tax_mode"] == "reverse":
            notes.append(REVERSE_NOTE[lang_c])
        elif cust["tax_mode"] == "export":
            notes.append(EXPORT_NOTE["gb" if seller["country"] == "GB" else lang_c])
        inv["iban_printed"] = False
        if not credit and seller["bank_notes"] and rng.random() < 0.85:
            shown = iban_print(seller["iban"]) if rng.random() < 0.7 else seller["iban"]
            notes.append(rng.choice(BANK_NOTE[lang_c]).format(iban=shown, bic=seller["bic"], name=seller["company"],
                                                              bank=seller["bank_label"]))
            inv["iban_printed"] = True
        if notes:
            inv["notes"] = "\n\n".join(notes)
        if rng.random() < 0.3:
            inv["ordnumber"] = rng.choice(["SO-", "PO ", "BC-", "Best. ", "Order "]) + str(rng.randrange(1000, 99999))
        if rng.random() < 0.2:
            inv["shipvia"] = rng.choice(["DHL", "UPS", "PostNL", "bpost", "Colissimo", "DPD", "Royal Mail"])
        if rng.random() < 0.15:
            inv["shippingpoint"] = seller["city"][1]
        if not credit and cust["currency"] == default and rng.random() < 0.3:
            ratio = rng.choice(["0.3", "0.5", "0.5", "1"])
            inv["payments"] = [dict(ratio=ratio, step=rng.choice(["10", "50", "1", "0.01"]) if ratio != "1" else "0.01",
                                    account=seller["bank"], source=rng.choice(SOURCE[lang]).format(n=rng.randrange(100, 999)),
                                    date=(date + dt.timedelta(days=rng.randrange(0, 20))).isoformat())]
        specs.append(inv)
    specs.sort(key=lambda x: x["transdate"])   # a business enters its invoices in date order
    return pool, specs


# ---------------------------------------------------------------------------------------------
# PostgreSQL and LedgerSMB's setup.pl


def psql(args, sql, db="postgres", check=True):
    cmd = ["psql", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", db, "-v", "ON_ERROR_STOP=1", "-Atqc", sql]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f"psql failed: {sql}: {r.stderr}")
    return r.stdout.strip()


def drop_ours(args):
    """Drop the company databases and roles this script creates (and nothing else)."""
    def like(prefix):
        return prefix.replace("_", "\\_") + "%"
    for db in psql(args, f"SELECT datname FROM pg_database WHERE datname LIKE '{like(PREFIX)}'").split():
        psql(args, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    roles = psql(args, f"SELECT rolname FROM pg_roles WHERE rolname LIKE '{like('lsmb_' + PREFIX)}' "
                       f"OR rolname LIKE '{like(USER_PREFIX)}'").split()
    for r in roles:
        psql(args, f'DROP ROLE IF EXISTS "{r}"')


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(args, work):
    text = open("/etc/ledgersmb/ledgersmb.conf", encoding="utf-8").read() if os.path.exists("/etc/ledgersmb/ledgersmb.conf") \
        else open(os.path.join(LSMB, "conf", "ledgersmb.conf.default"), encoding="utf-8").read()
    text = re.sub(r"(?m)^host = .*$", f"host = {args.pg_host}", text)
    text = re.sub(r"(?m)^port = .*$", f"port = {args.pg_port}", text)
    text = re.sub(r"(?m)^default_db = .*$", "default_db =", text)
    text = re.sub(r"(?m)^sslmode = .*$", "sslmode = disable", text)
    text = re.sub(r"(?m)^(LedgerSMB(\.DBObject)?) = INFO$", r"\1 = ERROR", text)
    path = os.path.join(work, "ledgersmb.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o644)
    return path


def start_server(conf, port, log):
    """LedgerSMB's web application (bin/ledgersmb-server.psgi under Starman); it refuses to run as root."""
    env = dict(os.environ, LSMB_CONFIG_FILE=conf, PLACK_ENV="deployment")
    cmd = ["starman", "--listen", f"127.0.0.1:{port}", "--workers", "2", "bin/ledgersmb-server.psgi"]
    if os.geteuid() == 0:
        user = "ledgersmb" if subprocess.run(["id", "ledgersmb"], capture_output=True).returncode == 0 else "nobody"
        cmd = ["runuser", "-u", user, "--", "env", f"LSMB_CONFIG_FILE={conf}", "PLACK_ENV=deployment"] + cmd
    proc = subprocess.Popen(cmd, cwd=LSMB, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(120):
        time.sleep(0.5)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/setup.pl", timeout=5) as r:
                if r.status == 200:
                    return proc
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("the LedgerSMB server did not start (see its log)")
    raise RuntimeError("the LedgerSMB server did not answer")


def stop_server(proc):
    """Stop the server started above: its own process group (runuser, starman and its workers)."""
    import signal
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def setup_pl(port, args, **params):
    auth = "Basic " + base64.b64encode(f"{args.pg_user}:{args.pg_password}".encode()).decode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/setup.pl", data=urllib.parse.urlencode(params).encode(),
                                 headers={"Authorization": auth})
    with urllib.request.urlopen(req, timeout=900) as r:
        return r.read().decode("utf-8", "replace")


def create_company(port, args, s):
    """Database Management Console (setup.pl): create the database, load the country's chart of
    accounts, load a template set, create the first user with full permissions."""
    setup_pl(port, args, action="create_db", database=s["db"])
    setup_pl(port, args, action="select_coa", database=s["db"], coa_lc=s["coa"][0], chart=s["coa"][1])
    setup_pl(port, args, action="load_templates", database=s["db"], template_dir=s["templates"])
    country_id = psql(args, f"SELECT id FROM country WHERE short_name = '{LSMB_COUNTRY[s['country']]}'", db=s["db"])
    out = setup_pl(port, args, action="save_user", database=s["db"], username=s["user"], password=PASSWORD, first_name=s["staff"][0],
                   last_name=s["staff"][1], employeenumber="E001", country_id=country_id, perms="1", salutation_id="3",
                   **{"import": "0"})
    if "Operation Complete" not in out:
        raise RuntimeError(f"setup.pl did not create the user of {s['db']}")


def driver_spec(s, pool, invoices, work):
    tax_of = {"main": s["taxes"][0][0]}
    nonzero = [t for t in s["taxes"] if Decimal(t[1]) > 0]
    tax_of["low"] = min(nonzero, key=lambda t: Decimal(t[1]))[0]
    tax_of["mid"] = sorted(nonzero, key=lambda t: Decimal(t[1]))[len(nonzero) // 2][0] if len(nonzero) > 2 else tax_of["main"]
    zero = [t for t in s["taxes"] if Decimal(t[1]) == 0]
    tax_of["zero"] = zero[0][0] if zero else tax_of["low"]
    products = []
    for i, (desc, unit, price, tclass, kind) in enumerate(CATALOG[s["lang"]]):
        products.append(dict(type=kind, partnumber=f"{'P' if kind == 'part' else 'S'}-{100 + i}", description=desc, unit=unit,
                             price=price, tax=tax_of[tclass]))
    all_taxes = [t[0] for t in s["taxes"]]
    customers = []
    for c in pool:
        customers.append(dict(control_code=c["control_code"], meta_number=c["meta_number"], name=c["name"], country=LSMB_COUNTRY[c["country"]],
                              tax_id=c["vat"] or "", language=c["lang"], currency=c["currency"], terms=c["terms"],
                              taxes=all_taxes if c["tax_mode"] == "vat" else [], line_one=c["line_one"], line_two=c["vat_line"],
                              city=c["city"], zipcode=c["zipcode"]))
    accounts = [dict(accno=a, description=d) for a, _, d in s["taxes"] if d]
    if s["bank_name"]:
        accounts.append(dict(accno=s["bank"], description=s["bank_name"]))
    invs = []
    for inv in invoices:
        d = {k: v for k, v in inv.items() if k not in ("iban_printed",)}
        d["pdf"] = os.path.join(work, inv["key"] + ".pdf")
        invs.append(d)
    settings = dict(company_name=s["company"], company_address=s["address"], company_phone=s["tel"], company_fax=s["fax"],
                    businessnumber=s["vat"], curr=s["curr"], sinumber=s["sinumber"])
    return dict(db=s["db"], user=s["user"], password=PASSWORD, ar_account=s["ar"], income_account=s["income"],
                prefs=dict(dateformat=s["dateformat"], numberformat=s["numberformat"], language=s["lang"]),
                settings=settings, accounts=accounts, account_links=[dict(accno=a, link=l) for a, l in s["links"]],
                taxes=[dict(accno=a, rate=r) for a, r, _ in s["taxes"]], products=products, customers=customers, invoices=invs)


# ---------------------------------------------------------------------------------------------
# Truth and self-check.


def parse_num(s, numberformat):
    s = s.strip()
    thousands, dec = {"1,000.00": (",", "."), "1000.00": ("", "."), "1.000,00": (".", ","), "1000,00": ("", ","),
                      "1 000.00": (" ", "."), "1 000,00": (" ", ","), "1'000.00": ("'", "."), "1'000,00": ("'", ",")}[numberformat]
    if thousands:
        s = s.replace(thousands, "")
    s = s.replace(dec, ".")
    return Decimal(s)


def amount_re(v):
    v = abs(v)
    i, f = f"{v:.2f}".split(".")
    groups = []
    while len(i) > 3:
        groups.insert(0, i[-3:])
        i = i[:-3]
    groups.insert(0, i)
    return re.compile(r"(?<![\d])" + r"[.,'’\s\u202f\u00a0]?".join(groups) + r"[.,]" + f + r"(?!\d)")


def check(text, truth, taxes):
    text = unicodedata.normalize("NFC", text)   # pdfTeX's accents come out as combining marks
    truth = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in truth.items()}
    problems = []
    flat = re.sub(r"\s+", "", text)
    for k in ("subtotal", "total", "amount_due"):
        v = truth.get(k)
        if v is not None and not amount_re(Decimal(v)).search(text):
            problems.append(k)
    # the template prints the tax per rate, not a VAT total: look for each printed tax amount
    if any(not amount_re(t).search(text) for t in taxes):
        problems.append("vat_amount")
    for k in ("invoice_number", "seller_name", "buyer_name"):
        v = truth.get(k)
        if v and re.sub(r"\s+", "", v) not in flat:
            # the header table's narrow cells break a number after a hyphen ("RE-2025-" / "0402")
            head, _, tail = v.rpartition("-")
            if not (k == "invoice_number" and head and re.search(re.escape(head + "-") + r"\s", text)
                    and re.search(r"(?m)^\s*" + re.escape(tail) + r"\b", text)):
                problems.append(k)
    if truth.get("iban") and truth["iban"] not in flat:
        problems.append("iban")
    if truth.get("seller_vat") and truth["seller_vat"] not in re.sub(r"[\s.\-]", "", text):
        problems.append("seller_vat")
    for k in ("issue_date", "due_date"):
        d = dt.date.fromisoformat(truth[k])
        forms = [d.strftime(f) for f in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")]
        if not any(f in text for f in forms):
            problems.append(k)
    if truth.get("currency") and truth["currency"] not in text:
        problems.append("currency")
    return problems


def pdf_text(path, layout=True):
    cmd = ["pdftotext"] + (["-layout"] if layout else []) + [path, "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def truth_of(s, cust, inv, res):
    p, db = res["printed"], res["db"]
    nf = s["numberformat"]
    sub = parse_num(p["subtotal"], nf)
    total = parse_num(p["invtotal"], nf)
    taxes = [parse_num(t, nf) for t in p.get("tax", [])]
    paid = parse_num(p.get("paid", "0") or "0", nf)
    shows_payments = bool(p.get("paymentdate"))
    due = parse_num(p["total"], nf) if shows_payments else total
    tr = dict(invoice_number=p["invnumber"], issue_date=db["transdate"], due_date=db["duedate"], currency=db["curr"],
              subtotal=f"{sub:.2f}", vat_amount=f"{sum(taxes, Decimal(0)):.2f}", total=f"{total:.2f}", amount_due=f"{due:.2f}",
              seller_name=s["company"], buyer_name=cust["name"])
    if s["vat_printed"]:
        tr["seller_vat"] = s["vat"]
    if inv["iban_printed"]:
        tr["iban"] = s["iban"]
    tr["kind"] = "credit_note" if inv["credit"] else "invoice"
    tr["lines"] = len(inv["lines"])
    # LedgerSMB's posted amounts (base currency) against what its print computed
    notes = []
    if db["curr"] == s["curr"].split(":")[0]:
        if abs(abs(Decimal(db["amount"])) - total) > Decimal("0.001"):
            notes.append(f"posted total {db['amount']} vs printed {total}")
        if abs(abs(Decimal(db["netamount"])) - sub) > Decimal("0.001"):
            notes.append(f"posted net {db['netamount']} vs printed {sub}")
    if abs(total - sub - sum(taxes, Decimal(0))) > Decimal("0.001"):
        notes.append("printed subtotal + taxes != total")
    if shows_payments and abs(total - paid - due) > Decimal("0.001"):
        notes.append("printed total - paid != balance")
    return tr, taxes, notes


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=30, help="documents in total, spread over the six seller companies")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pg-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    ap.add_argument("--pg-port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    ap.add_argument("--pg-user", default=os.environ.get("PGUSER", "postgres"), help="a PostgreSQL superuser (setup.pl logs in with it)")
    ap.add_argument("--pg-password", default=os.environ.get("PGPASSWORD", "postgres"))
    ap.add_argument("--keep", action="store_true", help="keep the company databases and the work folder")
    args = ap.parse_args()
    for tool in ("psql", "starman", "pdflatex", "xelatex", "pdftotext"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (see the docstring for the packages to install)")
    if not os.path.exists(os.path.join(LSMB, "bin", "ledgersmb-server.psgi")):
        sys.exit("LedgerSMB is not installed (apt-get install ledgersmb)")
    os.environ["PGPASSWORD"] = args.pg_password
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "ledgersmb"), exist_ok=True)

    rng = random.Random(hashlib.sha256(f"ledgersmb-{args.seed}".encode()).hexdigest())
    sellers = seller_specs(rng)
    per = [args.count // len(sellers) + (1 if i < args.count % len(sellers) else 0) for i in range(len(sellers))]
    plans = []
    for s, n in zip(sellers, per):
        pool, invs = invoice_specs(random.Random(rng.random()), s, n, 0)
        plans.append((s, pool, invs, random.Random(rng.random())))

    work = tempfile.mkdtemp(prefix="ledgersmb-corpus-")
    os.chmod(work, 0o755)
    server = None
    t0 = time.time()
    manifest = []
    per_family = {}
    bad = 0
    try:
        drop_ours(args)
        conf = write_config(args, work)
        driver = os.path.join(work, "driver.pl")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(DRIVER)
        port = free_port()
        log = open(os.path.join(work, "server.log"), "w")
        server = start_server(conf, port, log)
        for s, pool, invs, _ in plans:
            if invs:
                create_company(port, args, s)
                print(f"created {s['db']} ({s['coa'][0]}/{s['coa'][1]}, {s['templates']} templates)", file=sys.stderr)
        stop_server(server)
        server = None
        env = dict(os.environ, LSMB_CONFIG_FILE=conf, PGHOST=args.pg_host, PGPORT=str(args.pg_port))
        for s, pool, invs, rng2 in plans:
            if not invs:
                continue
            spec = driver_spec(s, pool, invs, work)
            spec_path = os.path.join(work, s["key"] + ".json")
            res_path = os.path.join(work, s["key"] + ".out.json")
            with open(spec_path, "w", encoding="utf-8") as f:
                json.dump(spec, f, ensure_ascii=False)
            with open(os.path.join(work, s["key"] + ".log"), "w") as log:
                r = subprocess.run(["perl", driver, spec_path, res_path], cwd=LSMB, env=env, stdout=log, stderr=subprocess.STDOUT)
            if r.returncode:
                text = open(os.path.join(work, s["key"] + ".log"), encoding="utf-8", errors="replace").read()
                text = "\n".join(x for x in text.splitlines() if "uninitialized value" not in x)
                sys.exit(f"the LedgerSMB driver failed for {s['db']}:\n{text[-5000:]}")
            results = {x["key"]: x for x in json.load(open(res_path, encoding="utf-8"))}
            for inv in invs:
                res = results[inv["key"]]
                cust = pool[inv["customer"]]
                family = f"ledgersmb-{inv['language']}"
                idx = per_family.get(family, 0)
                per_family[family] = idx + 1
                rel = f"ledgersmb/{family}-{idx:03d}.pdf"
                shutil.move(os.path.join(work, inv["key"] + ".pdf"), os.path.join(out, rel))
                tr, taxes, notes = truth_of(s, cust, inv, res)
                text = pdf_text(os.path.join(out, rel))
                raw = pdf_text(os.path.join(out, rel), layout=False)
                problems = [p for p in check(text, tr, taxes) if p in check(raw, tr, taxes)]
                for key in problems:
                    if key in ("iban", "seller_vat", "due_date", "currency"):
                        tr.pop(key, None)   # never claim what the page does not print
                if problems or notes:
                    bad += 1
                    print(f"  {rel}: not on the page: {problems} {notes}", file=sys.stderr)
                if rng2.random() < 0.8:
                    own = dict(names=[cust["name"]], vat_numbers=[cust["vat"]] if cust["vat_line"] else [], ibans=[])
                else:
                    own = dict(names=[], vat_numbers=[], ibans=[])
                manifest.append(dict(path=rel, producer="ledgersmb", family=family,
                                     renderer="xelatex" if s["templates"] == "xedemo" else "pdflatex",
                                     split="tune" if idx % 2 == 0 else "heldout", own=own, truth=tr,
                                     seller=s["key"], templates=s["templates"]))
                print(f"{rel} {tr['invoice_number']} {tr['kind']} {tr['total']} {tr['currency']} lines={tr['lines']}", file=sys.stderr)
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            drop_ours(args)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept the databases {PREFIX}* and the work folder {work}", file=sys.stderr)
    manifest.sort(key=lambda m: m["path"])
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"{len(manifest)} documents in {time.time() - t0:.0f} s, {bad} with self-check notes", file=sys.stderr)


# The LedgerSMB side: a Perl program run with the LedgerSMB installation as its working directory.
DRIVER = r'''#!/usr/bin/perl
# Drives LedgerSMB 1.6's own Perl modules for one company database:
# settings, taxes, services/parts, customers, sales invoices (IS->post_invoice)
# and printing (IS->invoice_details + LedgerSMB::Template, the 'invoice'
# template stored in the database by setup.pl).
# Usage: perl driver.pl SPEC.json OUT.json   (cwd must be the LedgerSMB root)
package lsmb_legacy;

use strict;
use warnings;
no warnings qw(once uninitialized redefine);

BEGIN { unshift @INC, 'lib', 'old/lib'; }

use JSON::PP;
use POSIX ();
use MIME::Base64;
use LedgerSMB::Sysconfig;
use Log::Log4perl;
use Log::Log4perl::Layout::PatternLayout;
BEGIN {
    Log::Log4perl::Layout::PatternLayout::add_global_cspec( 'Z', sub { '' } );
    Log::Log4perl::init( \$LedgerSMB::Sysconfig::log4perl_config );
}
use LedgerSMB;
use LedgerSMB::App_State;
use LedgerSMB::DBH;
use LedgerSMB::Form;
use LedgerSMB::User;
use LedgerSMB::Locale;
use LedgerSMB::Setting;
use LedgerSMB::Company_Config;
use LedgerSMB::Template;
use LedgerSMB::Template::LaTeX;
use LedgerSMB::IS;
use LedgerSMB::IC;
use LedgerSMB::AA;
use LedgerSMB::AM;
use LedgerSMB::Tax;
use LedgerSMB::PGNumber;
use LedgerSMB::Entity::Company;
use LedgerSMB::Entity::Credit_Account;
use LedgerSMB::Entity::Location;

our ( $form, %myconfig, $locale );

my ( $spec_file, $out_file ) = @ARGV;
@ARGV = ();
my $spec = do {
    local $/;
    open my $fh, '<:raw', $spec_file or die "$spec_file: $!";
    decode_json(<$fh>);
};

$ENV{HTTP_AUTHORIZATION} =
  'Basic ' . encode_base64( "$spec->{user}:$spec->{password}", '' );

our $dbh;

sub connect_db {
    $dbh = LedgerSMB::DBH->connect( $spec->{db}, $spec->{user}, $spec->{password} )
      or die "cannot connect to $spec->{db}: $DBI::errstr";
    LedgerSMB::App_State::set_DBH($dbh);
    $LedgerSMB::App_State::DBName = $spec->{db};
}

# LedgerSMB runs every request of its old code (is.pl, ic.pl, am.pl) in a
# fork()ed process (LedgerSMB::PSGI::_run_old), and the old modules keep
# state in package variables: run each request the same way, in a child with
# its own database connection.
my $request_no = 0;
sub request {
    my ($code) = @_;
    my $tmp = $out_file . '.req' . ++$request_no;
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ( !$pid ) {
        my $ok = eval {
            connect_db();
            my $result = $code->();
            $dbh->commit;
            open my $fh, '>:raw', $tmp or die "$tmp: $!";
            print $fh JSON::PP->new->utf8->canonical->encode( { r => $result } );
            close $fh;
            $dbh->disconnect;
            1;
        };
        if ( !$ok ) {
            print STDERR "LedgerSMB request failed: $@\n";
            POSIX::_exit(1);
        }
        POSIX::_exit(0);
    }
    waitpid( $pid, 0 );
    die "request $request_no failed\n" if $?;
    open my $fh, '<:raw', $tmp or die "$tmp: $!";
    my $result = decode_json( do { local $/; <$fh> } )->{r};
    close $fh;
    unlink $tmp;
    return $result;
}

# a plain decimal ("7.5") as LedgerSMB::PGNumber, so that format_amount does
# not read it in the user's number format
sub num { return LedgerSMB::PGNumber->new( $_[0] // 0 ) }

sub new_form {
    my $f = Form->new('login=' . $spec->{user});
    $f->{dbh}   = $dbh;
    $f->{login} = $spec->{user};
    return $f;
}

sub load_user {
    $form     = new_form();
    %myconfig = %{ LedgerSMB::User->fetch_config($form) };
    $LedgerSMB::App_State::User = \%myconfig;
    LedgerSMB::DBH->set_datestyle;
    LedgerSMB::Company_Config::initialize($form);
    $locale = LedgerSMB::Locale->get_handle( $myconfig{language} || 'en' );
    $LedgerSMB::App_State::Locale = $locale;
}

# ---------------------------------------------------------------- setup

sub setup_company {
    # User preferences (Preferences screen: user.pl -> user__save_preferences)
    my $p = $spec->{prefs};
    $dbh->do( 'SELECT user__save_preferences(?,?,?,?,?)', undef,
        $p->{dateformat}, $p->{numberformat}, $p->{language} || 'en',
        'ledgersmb.css', undef ) or die $dbh->errstr;
    # System > Defaults (configuration.pl -> LedgerSMB::Setting->set)
    my $setting_handle = LedgerSMB::Setting->new( { base => new_form() } );
    for my $key ( sort keys %{ $spec->{settings} } ) {
        $setting_handle->set( $key, $spec->{settings}{$key} );
    }
    $dbh->commit;
    load_user();

    # Chart of accounts: account links and renames as in the account screen
    for my $l ( @{ $spec->{account_links} || [] } ) {
        $dbh->do( q{INSERT INTO account_link (account_id, description)
                    SELECT id, ? FROM account WHERE accno = ?
                    ON CONFLICT DO NOTHING}, undef, $l->{link}, $l->{accno} )
          or die $dbh->errstr;
    }
    for my $acc ( @{ $spec->{accounts} || [] } ) {
        $dbh->do( 'UPDATE account SET description = ? WHERE accno = ?',
            undef, $acc->{description}, $acc->{accno} ) or die $dbh->errstr;
    }
    # System > Taxes (am.pl -> AM->save_taxes)
    my $tf = new_form();
    my @items;
    my $i = 0;
    for my $t ( @{ $spec->{taxes} } ) {
        $i++;
        my ($chart_id) = $dbh->selectrow_array(
            'SELECT id FROM account WHERE accno = ?', undef, $t->{accno} );
        my ( $old_validto, $taxmodule_id ) = $dbh->selectrow_array(
            q{SELECT validto, taxmodule_id FROM tax WHERE chart_id = ?
               ORDER BY validto DESC LIMIT 1}, undef, $chart_id );
        push @items, "${chart_id}_$i";
        $tf->{"taxrate_$i"}      = $form->format_amount( \%myconfig, num( $t->{rate} ) );
        $tf->{"taxnumber_$i"}    = $t->{taxnumber} // '';
        $tf->{"validto_$i"}      = '';
        $tf->{"pass_$i"}         = 0;
        $tf->{"taxmodule_id_$i"} = $taxmodule_id || 1;
        $tf->{"old_validto_$i"}  = $old_validto ? 'infinity' : '';
    }
    $tf->{taxaccounts} = join ' ', @items;
    AM->save_taxes( \%myconfig, $tf );
    $dbh->commit;

    # Goods & Services > Add Service / Add Part (ic.pl -> IC->save)
    my %acc;
    for my $link (qw(IC_income IC_expense IC_inventory)) {
        my ($accno, $desc) = $dbh->selectrow_array(
            q{SELECT a.accno, a.description FROM account a
                JOIN account_link l ON l.account_id = a.id
               WHERE l.description = ? AND NOT a.obsolete
               ORDER BY a.accno LIMIT 1}, undef, $link );
        $acc{$link} = "$accno--$desc" if $accno;
    }
    if ( $spec->{income_account} ) {
        my ($desc) = $dbh->selectrow_array(
            'SELECT description FROM account WHERE accno = ?', undef,
            $spec->{income_account} );
        $acc{IC_income} = "$spec->{income_account}--$desc";
    }
    my @taxaccnos = map { $_->{accno} } @{ $spec->{taxes} };
    for my $prod ( @{ $spec->{products} } ) {
        my $pf = new_form();
        $pf->{item}        = $prod->{type};
        $pf->{partnumber}  = $prod->{partnumber};
        $pf->{description} = $prod->{description};
        $pf->{unit}        = $prod->{unit};
        $pf->{sellprice}   = $form->format_amount( \%myconfig, num( $prod->{price} ), 2 );
        $pf->{listprice}   = $pf->{sellprice};
        $pf->{lastcost}    = 0;
        $pf->{IC_income}   = $acc{IC_income};
        $pf->{IC_expense}  = $acc{IC_expense};
        $pf->{IC_inventory} = $prod->{type} eq 'part' ? $acc{IC_inventory} : '';
        $pf->{taxaccounts} = join ' ', @taxaccnos;
        $pf->{"IC_tax_$prod->{tax}"} = 1 if $prod->{tax};
        IC->save( \%myconfig, $pf );
        $dbh->commit;
    }

    # Contacts > Add Customer (contact.pl -> LedgerSMB::Entity::*)
    my ($ar_id) = $dbh->selectrow_array(
        'SELECT id FROM account WHERE accno = ?', undef, $spec->{ar_account} );
    my %country = map { @$_ } @{ $dbh->selectall_arrayref(
        'SELECT short_name, id FROM country') };
    for my $c ( @{ $spec->{customers} } ) {
        my $company = LedgerSMB::Entity::Company->new(
            control_code => $c->{control_code},
            legal_name   => $c->{name},
            name         => $c->{name},
            country_id   => $country{ $c->{country} },
            entity_class => 2,
            tax_id       => $c->{tax_id},
            sales_tax_id => $c->{tax_id},
        );
        $company = $company->save;
        my @tax_ids = map {
            ( $dbh->selectrow_array( 'SELECT id FROM account WHERE accno = ?',
                    undef, $_ ) )[0]
        } @{ $c->{taxes} };
        my $eca = LedgerSMB::Entity::Credit_Account->new(
            entity_id        => $company->entity_id,
            entity_class     => 2,
            meta_number      => $c->{meta_number},
            description      => $c->{name},
            language_code    => $c->{language},
            curr             => $c->{currency},
            terms            => $c->{terms},
            taxincluded      => 0,
            discount         => 0,
            creditlimit      => 0,
            ar_ap_account_id => $ar_id,
            tax_ids          => \@tax_ids,
        );
        $eca = $eca->save;
        my $loc = LedgerSMB::Entity::Location->new(
            entity_id      => $company->entity_id,
            credit_id      => $eca->id,
            location_class => 1,
            line_one       => $c->{line_one},
            line_two       => $c->{line_two},
            city           => $c->{city},
            mail_code      => $c->{zipcode},
            country_id     => $country{ $c->{country} },
        );
        $loc->save;
        $c->{eca_id} = $eca->id;
        $dbh->commit;
    }
    return [ map { $_->{eca_id} } @{ $spec->{customers} } ];
}

# ---------------------------------------------------------------- invoices

sub post_invoice {
    my ($inv) = @_;
    my $c = $spec->{customers}[ $inv->{customer} ];
    load_user();
    # is.pl?action=add (type=invoice or credit_invoice)
    $form->{vc}          = 'customer';
    $form->{type}        = 'invoice';
    $form->{script}      = 'is.pl';
    $form->{reverse}     = $inv->{credit} ? 1 : 0;
    $form->{subtype}     = 'credit_invoice' if $inv->{credit};
    $form->{customer_id} = $c->{eca_id};
    $form->{transdate}   = $inv->{transdate};
    $form->create_links(
        module   => 'AR',
        myconfig => \%myconfig,
        vc       => 'customer',
        billing  => 1,
        job      => 1
    );
    AA->get_name( \%myconfig, $form );
    $form->{customer} = "$form->{customer}--$form->{customer_id}";
    ( $form->{AR} ) = map { "$_->{accno}--$_->{description}" }
      grep { $_->{accno} eq $spec->{ar_account} } @{ $form->{AR_links}{AR} };
    $form->{duedate} = $inv->{duedate} if $inv->{duedate};
    $form->{currency} = $inv->{currency};
    $form->{exchangerate} =
      $form->format_amount( \%myconfig, num( $inv->{exchangerate} ) )
      if $inv->{currency} ne $form->{defaultcurrency};
    for (qw(notes intnotes ponumber ordnumber shippingpoint shipvia
            description)) {
        $form->{$_} = $inv->{$_} if defined $inv->{$_};
    }
    # lines: enter the part number, update (IS->retrieve_item), then edit
    my $i = 0;
    for my $ln ( @{ $inv->{lines} } ) {
        $i++;
        $form->{rowcount}         = $i;
        $form->{"partnumber_$i"}  = $ln->{partnumber};
        IS->retrieve_item( \%myconfig, $form );
        my $item = $form->{item_list}[0] or die "no part $ln->{partnumber}";
        $form->{"${_}_$i"} = $item->{$_} for keys %$item;
        $form->{"description_$i"} = $ln->{description}
          if defined $ln->{description};
        $form->{"qty_$i"} = $form->format_amount( \%myconfig, num( $ln->{qty} ) );
        $form->{"sellprice_$i"} =
          $form->format_amount( \%myconfig, num( $ln->{price} ), 2 );
        $form->{"discount_$i"} =
          $form->format_amount( \%myconfig, num( $ln->{discount} ) );
        $form->{"precision_$i"} = 2;
        $form->{"deliverydate_$i"} = $ln->{deliverydate} if $ln->{deliverydate};
    }
    $form->{rowcount} = $i;
    # payments entered on the invoice screen
    my $j = 0;
    for my $p ( @{ $inv->{payments} || [] } ) {
        $j++;
        my ($accno, $desc) = $dbh->selectrow_array(
            'SELECT accno, description FROM account WHERE accno = ?',
            undef, $p->{account} );
        $form->{"AR_paid_$j"}  = "$accno--$desc";
        $form->{"paid_$j"}     = $form->format_amount( \%myconfig, num( $p->{amount} ), 2 );
        $form->{"datepaid_$j"} = $p->{date};
        $form->{"source_$j"}   = $p->{source};
        $form->{"memo_$j"}     = $p->{memo};
        $form->{"exchangerate_$j"} = $form->{exchangerate};
    }
    $form->{paidaccounts} = $j;
    # is.pl?action=post
    ( $form->{AR} ) = split /--/, $form->{AR};
    IS->post_invoice( \%myconfig, $form );
    return $form->{id};
}

sub print_invoice {
    my ( $id, $language, $pdf_path ) = @_;
    load_user();
    # is.pl?action=edit&id=...
    $form->{id}     = $id;
    $form->{vc}     = 'customer';
    $form->{type}   = 'invoice';
    $form->{script} = 'is.pl';
    $form->create_links(
        module   => 'AR',
        myconfig => \%myconfig,
        vc       => 'customer',
        billing  => 1,
        job      => 1
    );
    AA->get_name( \%myconfig, $form );
    delete $form->{notes};
    IS->retrieve_invoice( \%myconfig, $form );
    $form->{oldlanguage_code} = $form->{language_code};
    for my $key ( keys %{ $form->{AR_links} } ) {
        if ( $key eq 'AR_paid' ) {
            my $n = 0;
            for my $ref ( @{ $form->{acc_trans}{$key} || [] } ) {
                $n++;
                $form->{"AR_paid_$n"}  = "$ref->{accno}--$ref->{description}";
                $form->{"paid_$n"}     = $ref->{amount} * -1;
                $form->{"datepaid_$n"} = $ref->{transdate};
                $form->{"source_$n"}   = $ref->{source};
                $form->{"memo_$n"}     = $ref->{memo};
                $form->{paidaccounts}  = $n;
            }
        }
        elsif ( $form->{acc_trans}{$key}[0]{accno} ) {
            $form->{$key} = join '--',
              @{ $form->{acc_trans}{$key}[0] }{qw(accno description)};
        }
    }
    delete $form->{$_} for qw(AR_links acc_trans);
    $form->{paidaccounts} ||= 1;

    # prepare_invoice
    $form->{formname} = 'invoice';
    $form->{sortby} ||= 'runningnumber';
    $form->{currency} =~ s/ //g;
    my $i = 0;
    for my $ref ( @{ $form->{invoice_details} } ) {
        $i++;
        $form->{"${_}_$i"} = $ref->{$_} for keys %$ref;
        $form->{"discount_$i"} =
          $form->format_amount( \%myconfig, $form->{"discount_$i"} * 100 );
        my ($dec) = ( $form->{"sellprice_$i"} =~ /\.(\d*)/ );
        $dec = length $dec;
        my $dp = LedgerSMB::Setting->get('decimal_places');
        $form->{"sellprice_$i"} = $form->format_amount( \%myconfig,
            $form->{"sellprice_$i"}, ( $dec > $dp ? $dec : $dp ) );
        $form->{"qty_$i"} = $form->format_amount( \%myconfig, $form->{"qty_$i"} );
    }
    $form->{rowcount} = $i;
    for my $n ( 1 .. $form->{paidaccounts} ) {
        next unless defined $form->{"paid_$n"};
        $form->{"paid_$n"} =
          $form->format_amount( \%myconfig, $form->{"paid_$n"}, 2 );
    }

    # io.pl: print -> print_form
    $form->{language_code} = $language;
    $form->{media}  = 'screen';
    $form->{format} = 'pdf';
    $form->{formname} = 'invoice';
    $form->{company}        = LedgerSMB::Setting->get('company_name');
    $form->{businessnumber} = LedgerSMB::Setting->get('businessnumber');
    $form->{address}        = LedgerSMB::Setting->get('company_address');
    $form->{tel}            = LedgerSMB::Setting->get('company_phone');
    $form->{fax}            = LedgerSMB::Setting->get('company_fax');
    $form->{rowcount}++;
    $form->{label} = $locale->text('Invoice');
    $form->{invdate} = $form->{transdate};
    IS->customer_details( \%myconfig, $form );
    ( $form->{employee} ) = split /--/, $form->{employee};
    $form->{groupsubtotaldescription} = $locale->text('Subtotal')
      if not exists $form->{groupsubtotaldescription};
    IS->invoice_details( \%myconfig, $form );
    my @vars = qw(name attn address1 address2 city state zipcode country
                  contact phone fax email);
    my $shipto = 0;
    for my $item (@vars) {
        if ( $form->{"shipto$item"} ) { $shipto = 1; last; }
    }
    $form->{shipto} = $shipto;
    if ( !$shipto ) {
        for (@vars) { $form->{"shipto$_"} = $form->{$_} if $_ ne 'fax' }
    }
    $form->{address} =~ s/\\n/\n/g;
    for (qw(name email)) { $form->{"user$_"} = $myconfig{$_} }
    for (qw(notes intnotes)) { $form->{$_} =~ s/^\s+//g if defined $form->{$_} }
    for (qw(notes intnotes message)) {
        $form->{$_} =~ s/<%(.*?)%>/$form->{$1}/g if $form->{$_};
    }
    $form->{IN} = 'invoice.tex';
    $form->{fileid} = $form->{invnumber};
    $form->{fileid} =~ s/(\s|\W)+//g;

    my $template = LedgerSMB::Template->new(
        user     => \%myconfig,
        locale   => $locale,
        template => 'invoice',
        dbh      => $dbh,
        path     => 'DB',
        language => $form->{language_code},
        format   => 'PDF',
        filename => "invoice-$form->{invnumber}",
    );
    $template->render($form);
    open my $fh, '>:raw', $pdf_path or die "$pdf_path: $!";
    print $fh $template->{output};
    close $fh;

    # what the template was given (LedgerSMB's own computation)
    my %printed = map { $_ => ( ref $form->{$_} ? [ map { "$_" } @{ $form->{$_} } ] : "$form->{$_}" ) }
      grep { defined $form->{$_} }
      qw(invnumber invdate duedate terms currency subtotal invtotal total paid
         tax taxbase taxdescription taxrate linetotal number item_description qty
         sellprice paymentdate payment name company address notes reverse
         text_amount decimal);
    $dbh->rollback;    # printing leaves the books alone
    return \%printed;
}

# ---------------------------------------------------------------- main

if ( !$spec->{skip_setup} ) {
    my $ids = request( \&setup_company );
    $spec->{customers}[$_]{eca_id} = $ids->[$_] for 0 .. $#$ids;
}
my @results;
my $last_invnumber = '';
for my $inv ( @{ $spec->{invoices} } ) {
    if ( defined $inv->{notes} ) {
        # "credit note for invoice N": the company's last invoice; none yet: no such paragraph
        $inv->{notes} = join "\n\n", grep { $last_invnumber or !/\{prev_invnumber\}/ }
          split /\n\n/, $inv->{notes};
        $inv->{notes} =~ s/\{prev_invnumber\}/$last_invnumber/g;
    }
    if ( grep { defined $_->{ratio} } @{ $inv->{payments} || [] } ) {
        # the amount a customer paid is a share of the invoice total: post the
        # invoice once in a transaction that is rolled back to learn the total
        my $total = request( sub {
            my $id = post_invoice( { %$inv, payments => [] } );
            my ($amount) = $dbh->selectrow_array(
                'SELECT amount::text FROM ar WHERE id = ?', undef, $id );
            $dbh->rollback;
            return $amount;
        } );
        for my $p ( @{ $inv->{payments} } ) {
            next unless defined $p->{ratio};
            my $step = $p->{step} || 0.01;
            my $amount = $p->{ratio} >= 1 ? $total
              : int( $total * $p->{ratio} / $step ) * $step;
            $p->{amount} = sprintf '%.2f', $amount;
        }
    }
    my $id = request( sub { post_invoice($inv) } );
    my $row = request( sub {
        my $row = $dbh->selectrow_hashref(
            q{SELECT id, invnumber, transdate::text AS transdate,
                     duedate::text AS duedate, amount::text AS amount,
                     netamount::text AS netamount, curr, reverse, language_code
                FROM ar WHERE id = ?}, undef, $id );
        ($row->{paid_base}) = $dbh->selectrow_array(
            q{SELECT coalesce(sum(ac.amount), 0)::text FROM acc_trans ac
                JOIN account_link l ON l.account_id = ac.chart_id
               WHERE ac.trans_id = ? AND l.description = 'AR_paid'}, undef, $id );
        ($row->{exchangerate}) = $dbh->selectrow_array(
            q{SELECT buy::text FROM exchangerate WHERE curr = ? AND transdate = ?},
            undef, $row->{curr}, $inv->{transdate} );
        return $row;
    } );
    $last_invnumber = $row->{invnumber} unless $inv->{credit};
    my $printed = {};
    if ( $inv->{pdf} ) {
        $printed = request( sub { print_invoice( $id, $inv->{language}, $inv->{pdf} ) } );
    }
    push @results, { key => $inv->{key}, db => $row, printed => $printed,
                     payments => $inv->{payments} || [] };
}
open my $out, '>:raw', $out_file or die "$out_file: $!";
print $out JSON::PP->new->utf8->canonical->pretty->encode( \@results );
close $out;
'''


if __name__ == "__main__":
    main()
