#!/usr/bin/env python3
"""Invoices and credit invoices printed by SQL-Ledger 3.2.6 (Debian), with ground truth.

What it runs: the real SQL-Ledger 3.2.6 web accounting program from Debian 12
(``/usr/share/sql-ledger``, Perl CGI scripts, PostgreSQL through DBD::Pg), driven the way a
browser drives it: every step is a POST of a form to one of its CGI scripts (``admin.pl``,
``login.pl``, ``am.pl``, ``ct.pl``, ``ic.pl``, ``is.pl``) run from the command line with the form
in the request body (``REQUEST_METHOD=POST``); the script reads the HTML page SQL-Ledger returns,
keeps its form fields (hidden and visible, selected options, checked boxes), changes what a user
would type and submits the next action. Nothing is written to the database or to SQL-Ledger's
files except by SQL-Ledger itself; PostgreSQL is only read (``psql``) for the posted values.

Set-up, per company (one dataset each, PostgreSQL databases ``sqlledger_<key>``):

1. ``admin.pl``: the root password is set if the installation has no ``members`` file yet, then
   "Add Dataset" with SQL-Ledger's own chart of accounts for the country (``Belgium-UTF8``,
   ``Dutch-Standard``, ``Dutch-Default``, ``German-Sample-UTF8``, ``France``, ``UK_General``) and
   its own master template set (``Default``, ``Dutch``, ``French``, ``German``,
   ``Service_Industry``), UTF-8 encoding; the first login upgrades the dataset (SQL-Ledger's
   own upgrade scripts).
2. ``am.pl``: Preferences (date format ``dd/mm/yy``, ``dd-mm-yy``, ``dd.mm.yy`` or
   ``yyyy-mm-dd``; number format ``1.000,00``, ``1,000.00`` or ``1000,00``; interface language in
   its UTF-8 locale, e.g. ``de_utf``, which also spells the amount in words), System > Defaults
   (company name, address, telephone, fax, e-mail, website, business number, the last invoice
   number with SQL-Ledger's date variables, e.g. ``<%yyyy%>/0410`` or ``RE-<%yyyy%>-0310``),
   Taxes (today's rates: BE 21/6, NL 21/9, DE 19/7,
   FR 20/5.5, GB 20/5, LU 17/3, and the seller's VAT number as the tax registration number),
   Chart of Accounts (tax accounts named after the new rates where the shipped name carries an
   old one, e.g. ``VAT (17.5%)``; where the chart links no bank account to receipts or no
   account to service income/expense -- ``Dutch-Standard``, ``German-Sample``, ``France`` --
   those links ticked on a bank, revenue or expense account), Bank Accounts (name, IBAN, BIC of the bank account that
   receives payments), Languages (``fr`` or ``nl`` for the Belgian companies).
3. Templates, through SQL-Ledger's own template editor (``am.pl`` save_template): the shipped
   templates are ISO-8859-1 files with ``\\usepackage[latin1]{inputenc}``, which garble UTF-8
   data, so the company's ``invoice`` and ``credit_invoice`` templates (``.tex`` and ``.html``)
   are saved back converted to UTF-8 with ``[utf8]{inputenc}`` (what a UTF-8 installation has
   to do; nothing else in them is changed). The German set's ``invoice.tex`` includes a
   ``letterhead.tex`` the set does not ship; the Default one is saved for it. The Belgian
   companies get the other language's master templates in the language subdirectory
   (``templates/<dataset>/fr/`` or ``/nl/``), as SQL-Ledger's per-language printing expects.
4. ``ct.pl``: customers (companies, a few private persons) in BE, NL, DE, FR, LU, GB, US with
   address, contact, e-mail, VAT number (``taxnumber``), payment terms in days, currency,
   language, default payment account and the tax accounts that apply (none for some intra-EU
   B2B customers: reverse charge). ``ic.pl``: services and parts with unit, price and one sales
   tax (standard or reduced rate).

Documents: ``is.pl`` Sales Invoice or Credit Invoice: customer, invoice date (the due date is
SQL-Ledger's, from the customer's terms), 1-20 lines entered one by one with "Update" (part
number, quantity, sometimes another price or a discount, the description in the customer's
language), sometimes an order number, currency with an exchange rate for GBP/USD/EUR customers
of another currency, notes (payment instructions with the IBAN, often as SQL-Ledger's own
``<%iban%>`` / ``<%bic%>`` variables filled from the bank account, the VAT number, a
reverse-charge remark), for some invoices a partial payment received; "Post" (SQL-Ledger
assigns the next invoice number; credit invoices get a typed number). The posted document is
opened again and printed to the screen with SQL-Ledger's print path:

* format PDF: SQL-Ledger fills ``invoice.tex`` / ``credit_invoice.tex`` of the company's set (or
  of the customer's language) and runs LaTeX itself: Debian's configuration
  (``/etc/sql-ledger/sql-ledger.conf``, ``$dvipdf = 1``) makes it run ``latex`` + ``dvipdf``
  (Ghostscript) -- renderer ``dvipdf``; for other companies the same configuration with
  ``$dvipdf = 0`` (a copy in the work directory, put first on ``PERL5LIB``) makes it run
  ``pdflatex`` -- renderer ``pdflatex``;
* format HTML: SQL-Ledger fills ``invoice.html`` / ``credit_invoice.html`` and returns the page
  a browser gets (the request carries a browser's ``HTTP_USER_AGENT``); it is printed to PDF by
  headless Chromium (what the user does with the browser's print) -- renderer ``chromium``.

Companies (8; the seller country, chart, template set, print path): ``be_nl`` BE Dutch LaTeX
(dvipdf, French templates for ``fr`` customers), ``be_fr`` BE French HTML (Dutch for ``nl``
customers), ``nl`` NL Dutch HTML, ``nl_en`` NL English (Default set) HTML with USD customers,
``de`` DE German LaTeX (pdflatex), ``fr`` FR French LaTeX (pdflatex), ``gb`` GB English
(Default set) LaTeX (pdflatex) in GBP with EUR/USD customers, ``lu`` LU English
(Service_Industry set) LaTeX (dvipdf). Families: ``latex-invoice`` and ``html-invoice`` (sales
invoices by print path) and ``credit-note`` (credit invoices, both paths).

Install (Debian 12): ``apt-get install -y sql-ledger libdbd-pg-perl postgresql texlive-latex-base
texlive-latex-recommended texlive-pictures ghostscript chromium poppler-utils`` (KOMA-Script's
``scrartcl`` and ``xy`` are what the templates load; ``dvipdf`` is Ghostscript's); PostgreSQL at
127.0.0.1:5432, user ``postgres`` with trust authentication (``--pg-host``/``--pg-port``/
``--pg-user``). Runs as root (SQL-Ledger writes ``/var/lib/sql-ledger``). It imports
``company``/``address``/``vat``/``iban`` from ``generate.py`` beside it.

Usage: ``python3 sqlledger.py OUT [--count 32] [--seed 1] [--keep]`` -> ``OUT/sqlledger/<family>-
NNN.pdf`` and ``OUT/manifest.json``. ``--count`` is the total number of documents, dealt to the
eight companies in turn (every fourth document of a company is a credit invoice, every second of
four goes to a customer billed in another currency where the company has one); the same seed
gives the same documents. Datasets of an earlier run are deleted first (through ``admin.pl``)
and again at the end unless ``--keep``; the ``members`` file and template directory are removed
at the end if this script created them. About 7-9 minutes for the default count (about 1100 CGI
requests of half a second; setting up the eight datasets takes more than half of it).

Truth (from SQL-Ledger's posted values: the ``ar``, ``invoice`` and ``acc_trans`` rows, and for
invoices in a foreign currency the totals SQL-Ledger shows on the posted invoice's screen):
invoice_number, issue_date, due_date (when the template prints it: the Default, German, French
and Service_Industry LaTeX invoices -- the last two in the payment-terms footnote -- and all HTML
templates, credit invoices included; the Dutch LaTeX invoice and the LaTeX credit invoice print
none), currency (every template prints "All prices in EUR" or the like), subtotal, vat_amount
(the sum of the printed tax lines, each of which is checked; ``0.00`` for reverse charge and
exports, which print no tax line), total (left out when a payment is recorded and the template
prints only the balance), amount_due (the balance printed after the payment; otherwise the
printed total, credit invoices included), seller_name, seller_vat (when the page prints it: the
tax registration number in the tax-line loop of the HTML templates and of the credit invoices,
or the VAT number in the notes; the Dutch HTML template prints ``ARRAY(0x...)`` in its place),
buyer_name, iban (when the notes print it), kind, lines (invoice rows). ``own`` = the buyer in
about four documents of five, with its VAT number when the page prints it (the credit invoices
print the customer's tax number). Every value is checked against ``pdftotext`` of the PDF
(``-layout``, and ``-raw`` for values wrapped inside an HTML table cell; names with the accents
folded, as LaTeX's OT1 accents come out apart); mismatches are reported on stderr. The totals
line of the run gives the count of documents with warnings (none with the default seed).

Caveats: SQL-Ledger's stock LaTeX invoice templates print no VAT number or IBAN of the seller
(only the notes do, when the user writes them there); the Dutch and French LaTeX invoices label
the balance "Totaal"/"Total", so those companies record no payments; the LaTeX credit invoice is
English in every set and the HTML credit invoice too (SQL-Ledger ships them untranslated);
SQL-Ledger prints the amount in words ("eintausendsechshundertsiebzigfünf ***** 04/100") in its
own words, bugs included. Letter-size paper, as the templates set it. The shipped templates (and
Default's SQL-Ledger logo) are used as they are apart from the encoding change and the German
letterhead described above. Non-ASCII text is stored double-encoded by SQL-Ledger with Debian's
DBD::Pg (it reads it back the same way, so the pages are right); the script undoes that only
where it reads the database itself. SQL-Ledger on Debian leaves its LaTeX temporary files in
``/var/lib/sql-ledger/users`` (its clean-up changes to ``<cwd>/<absolute users path>``); the
script removes the ones made during the run.
"""

import argparse
import datetime as dt
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate import address as gen_address  # noqa: E402
from generate import company as gen_company  # noqa: E402
from generate import iban as gen_iban  # noqa: E402
from generate import iban_print  # noqa: E402
from generate import vat as gen_vat  # noqa: E402

SL_DIR = "/usr/share/sql-ledger"
VAR_DIR = "/var/lib/sql-ledger"
USERS_DIR = VAR_DIR + "/users"
MEMBERS = USERS_DIR + "/members"
TEMPLATES_DIR = VAR_DIR + "/templates"
SPOOL_DIR = VAR_DIR + "/spool"
MASTER = SL_DIR + "/doc/templates"
SYS_CONF = "/etc/sql-ledger/sql-ledger.conf"
PREFIX = "sqlledger_"
PASSWORD = "sqlcorpus"  # the datasets' admin password
D2 = Decimal("0.01")


def q2(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Driving the CGI scripts.


class FormParser(HTMLParser):
    """Collects the fields a browser would submit for each <form> of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.cur = None
        self.sel = None
        self.opt = None
        self.ta = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.cur = []
            self.forms.append(self.cur)
            return
        if self.cur is None:
            if tag not in ("input", "select", "textarea"):
                return
            self.cur = []
            self.forms.append(self.cur)
        if tag == "input":
            t = (a.get("type") or "text").lower()
            if t in ("submit", "button", "image", "reset", "file"):
                return
            if t in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("name"):
                self.cur.append([a["name"], a.get("value") if a.get("value") is not None else
                                 ("on" if t == "checkbox" else "")])
        elif tag == "select":
            self.sel = {"name": a.get("name"), "value": None, "first": None, "options": []}
        elif tag == "option" and self.sel is not None:
            self.opt = {"value": a.get("value"), "text": "", "selected": "selected" in a}
            self.sel["options"].append(self.opt)
        elif tag == "textarea":
            self.ta = [a.get("name"), ""]

    def handle_data(self, data):
        if self.ta is not None:
            self.ta[1] += data
        elif self.opt is not None:
            self.opt["text"] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.sel is not None:
            opts = self.sel["options"]
            val = None
            for o in opts:
                v = o["value"] if o["value"] is not None else o["text"].strip()
                if o["selected"]:
                    val = v
            if val is None and opts:
                o = opts[0]
                val = o["value"] if o["value"] is not None else o["text"].strip()
            if self.sel["name"]:
                self.cur.append([self.sel["name"], val or ""])
                self.cur.append(["__options__" + self.sel["name"],
                                 [o["value"] if o["value"] is not None else o["text"].strip() for o in opts]])
            self.sel = None
            self.opt = None
        elif tag == "option":
            self.opt = None
        elif tag == "textarea" and self.ta is not None:
            if self.ta[0]:
                # browsers drop the newline right after <textarea>
                v = self.ta[1][1:] if self.ta[1].startswith("\n") else self.ta[1]
                self.cur.append([self.ta[0], v])
            self.ta = None


def page_forms(page):
    p = FormParser()
    p.feed(page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page)
    return p.forms


def fields_of(page, idx=-1):
    fs = page_forms(page)
    if not fs:
        raise RuntimeError("no form on page: " + page[:400].decode("utf-8", "replace"))
    return [list(kv) for kv in fs[idx]]


def field(page, name, idx=-1):
    for k, v in fields_of(page, idx):
        if k == name:
            return v
    return None


def options(page, name, idx=-1):
    return field(page, "__options__" + name, idx) or []


class SQLLedger:
    def __init__(self, root_password, pdflatex_conf_dir):
        self.root_password = root_password
        self.pdflatex_conf_dir = pdflatex_conf_dir
        self.calls = 0

    def cgi(self, script, fields, pdflatex=False, browser=False):
        if isinstance(fields, dict):
            fields = list(fields.items())
        body = "&".join(urllib.parse.quote(str(k), safe="") + "=" + urllib.parse.quote(str(v), safe="")
                        for k, v in fields if not str(k).startswith("__options__"))
        env = {k: v for k, v in os.environ.items() if k not in ("HTTP_USER_AGENT", "QUERY_STRING", "PERL5LIB")}
        env.update(REQUEST_METHOD="POST", CONTENT_LENGTH=str(len(body.encode())), TERM="dumb",
                   CONTENT_TYPE="application/x-www-form-urlencoded", LANG="C.UTF-8")
        if browser:
            env["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"
        if pdflatex:
            env["PERL5LIB"] = self.pdflatex_conf_dir
        self.calls += 1
        p = subprocess.run(["perl", script], cwd=SL_DIR, input=body.encode(), capture_output=True, env=env,
                           timeout=300)
        err = p.stderr.decode("utf-8", "replace")
        action = dict((k, v) for k, v in fields if not str(k).startswith("__")).get("action")
        if p.returncode or "Error:" in err or b"<h2 class=error>" in p.stdout:
            msg = err.strip() or re.sub(r"<[^>]+>", " ", p.stdout.decode("utf-8", "replace"))[-600:]
            raise RuntimeError(f"SQL-Ledger {script} {action}: {msg[-1500:]}")
        return p.stdout


class Session:
    """A logged-in user of one dataset."""

    def __init__(self, sl, login, pdflatex=False):
        self.sl = sl
        self.base = {"path": "bin/mozilla", "login": login, "password": PASSWORD}
        self.pdflatex = pdflatex

    def get(self, script, **kw):
        f = dict(self.base)
        f.update(kw)
        return self.sl.cgi(script, f, pdflatex=self.pdflatex)

    def submit(self, script, page, action, changes=None, drop=(), idx=-1, browser=False):
        flds = fields_of(page, idx)
        changes = dict(changes or {})
        out, seen = [], set()
        for k, v in flds:
            if k == "action" or k in drop or k.startswith("__options__"):
                continue
            if k in changes:
                v = changes[k]
                seen.add(k)
            out.append([k, v])
        for k, v in changes.items():
            if k not in seen and k not in drop:
                out.append([k, v])
        names = {k for k, _ in out}
        for k, v in self.base.items():
            if k not in names:
                out.append([k, v])
        out.append(["action", action])
        return self.sl.cgi(script, out, pdflatex=self.pdflatex, browser=browser)


# ---------------------------------------------------------------------------------------------
# PostgreSQL (read only, plus dropping our own leftover databases).


class PG:
    def __init__(self, host, port, user):
        self.host, self.port, self.user = host, port, user

    def query(self, db, sql):
        p = subprocess.run(["psql", "-h", self.host, "-p", self.port, "-U", self.user, "-d", db, "-AtX",
                            "-F", "\t", "-c", sql], capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError(f"psql {db}: {p.stderr}")
        return [line.split("\t") for line in p.stdout.splitlines() if line]

    def databases(self):
        return [r[0] for r in self.query("template1", "SELECT datname FROM pg_database")]

    def drop(self, db):
        assert db.startswith(PREFIX)
        subprocess.run(["psql", "-h", self.host, "-p", self.port, "-U", self.user, "-d", "template1", "-qAtX",
                        "-c", f'DROP DATABASE IF EXISTS "{db}"'], capture_output=True, check=True)


# ---------------------------------------------------------------------------------------------
# Data.

CKEY = {"BE": "be", "NL": "nl", "DE": "de", "FR": "fr", "GB": "uk", "LU": "lu", "US": "us"}
COUNTRY_NAMES = {
    "nl": {"BE": "België", "NL": "Nederland", "DE": "Duitsland", "FR": "Frankrijk", "LU": "Luxemburg",
           "GB": "Verenigd Koninkrijk", "US": "Verenigde Staten"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "DE": "Allemagne", "FR": "France", "LU": "Luxembourg",
           "GB": "Royaume-Uni", "US": "États-Unis"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "DE": "Deutschland", "FR": "Frankreich", "LU": "Luxemburg",
           "GB": "Vereinigtes Königreich", "US": "USA"},
    "en": {"BE": "Belgium", "NL": "Netherlands", "DE": "Germany", "FR": "France", "LU": "Luxembourg",
           "GB": "United Kingdom", "US": "United States"},
}
BANKS = {"BE": [("KBC Bank", "KREDBEBB"), ("BNP Paribas Fortis", "GEBABEBB"), ("Belfius", "GKCCBEBB")],
         "NL": [("ING Bank", "INGBNL2A"), ("Rabobank", "RABONL2U"), ("ABN AMRO", "ABNANL2A")],
         "DE": [("Sparkasse KölnBonn", "COLSDE33"), ("Commerzbank", "COBADEFF")],
         "FR": [("Crédit Agricole", "AGRIFRPP"), ("BNP Paribas", "BNPAFRPP")],
         "GB": [("Barclays", "BARCGB22"), ("HSBC UK", "HBUKGB4B")],
         "LU": [("BGL BNP Paribas", "BGLLLULL"), ("Spuerkeess", "BCEELULL")]}
BANK_CODES = {"INGB": ("ING Bank", "INGBNL2A"), "RABO": ("Rabobank", "RABONL2U"), "ABNA": ("ABN AMRO", "ABNANL2A"),
              "KNAB": ("Knab", "KNABNL2H"), "NWBK": ("NatWest", "NWBKGB2L"), "BARC": ("Barclays", "BARCGB22"),
              "HBUK": ("HSBC UK", "HBUKGB4B")}
PEOPLE = [("Jan", "Peeters"), ("Els", "Maes"), ("Sanne", "de Vries"), ("Pieter", "Bakker"), ("Claire", "Dubois"),
          ("Julien", "Lambert"), ("Anna", "Schmidt"), ("Lukas", "Weber"), ("Emma", "Clarke"), ("Oliver", "Hughes"),
          ("Marie", "Schmit"), ("Tom", "Hoffmann"), ("Sophie", "Martin"), ("Nina", "Jacobs")]

# Items: key, kind (service/part), rate (std/red), unit per language, price range (cents), texts.
ITEMS = [
    ("CONS", "service", "std", {"nl": "uur", "fr": "h", "de": "Std.", "en": "hr"}, (6500, 14500),
     {"nl": "Advies en begeleiding", "fr": "Conseil et accompagnement", "de": "Beratungsleistung",
      "en": "Consulting services"}),
    ("WEB", "service", "std", {"nl": "uur", "fr": "h", "de": "Std.", "en": "hr"}, (5500, 11000),
     {"nl": "Webontwikkeling", "fr": "Développement web", "de": "Webentwicklung", "en": "Web development"}),
    ("DSGN", "service", "std", {"nl": "uur", "fr": "h", "de": "Std.", "en": "hr"}, (4500, 9500),
     {"nl": "Grafisch ontwerp huisstijl", "fr": "Conception graphique charte", "de": "Grafikdesign Corporate Design",
      "en": "Graphic design brand identity"}),
    ("HOST", "service", "std", {"nl": "mnd", "fr": "mois", "de": "Monat", "en": "month"}, (1500, 8900),
     {"nl": "Webhosting (maandelijks)", "fr": "Hébergement web (mensuel)", "de": "Webhosting (monatlich)",
      "en": "Web hosting (monthly)"}),
    ("TRAIN", "service", "std", {"nl": "dag", "fr": "jour", "de": "Tag", "en": "day"}, (45000, 120000),
     {"nl": "Opleidingsdag op locatie", "fr": "Journée de formation sur site", "de": "Schulungstag vor Ort",
      "en": "On-site training day"}),
    ("TRAV", "service", "std", {"nl": "st", "fr": "forf.", "de": "psch.", "en": "each"}, (2500, 9500),
     {"nl": "Verplaatsingskosten", "fr": "Frais de déplacement", "de": "Anfahrtspauschale", "en": "Travel expenses"}),
    ("MAINT", "service", "std", {"nl": "st", "fr": "forf.", "de": "psch.", "en": "each"}, (12000, 90000),
     {"nl": "Onderhoudscontract kwartaal", "fr": "Contrat de maintenance trimestriel",
      "de": "Wartungsvertrag Quartal", "en": "Quarterly maintenance contract"}),
    ("SUPP", "service", "std", {"nl": "uur", "fr": "h", "de": "Std.", "en": "hr"}, (4000, 8500),
     {"nl": "Supporturen", "fr": "Heures de support", "de": "Supportstunden", "en": "Support hours"}),
    ("TRANS", "service", "std", {"nl": "uur", "fr": "h", "de": "Std.", "en": "hr"}, (3500, 7000),
     {"nl": "Vertaling NL-FR", "fr": "Traduction FR-NL", "de": "Übersetzung DE-EN", "en": "Translation EN-FR"}),
    ("LIC", "part", "std", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (4900, 150000),
     {"nl": "Softwarelicentie (1 jaar)", "fr": "Licence logicielle (1 an)", "de": "Softwarelizenz (1 Jahr)",
      "en": "Software licence (1 year)"}),
    ("STAND", "part", "std", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (2900, 7900),
     {"nl": "Laptopstandaard aluminium", "fr": "Support ordinateur portable alu", "de": "Laptopständer Aluminium",
      "en": "Aluminium laptop stand"}),
    ("CAB", "part", "std", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (600, 1500),
     {"nl": "Netwerkkabel CAT6 5 m", "fr": "Câble réseau CAT6 5 m", "de": "Netzwerkkabel CAT6 5 m",
      "en": "Network cable CAT6 5 m"}),
    ("CHAIR", "part", "std", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (18900, 45900),
     {"nl": "Bureaustoel ergonomisch", "fr": "Chaise de bureau ergonomique", "de": "Bürostuhl ergonomisch",
      "en": "Ergonomic office chair"}),
    ("FLYER", "part", "std", {"nl": "pak", "fr": "lot", "de": "Pack", "en": "pack"}, (6000, 22000),
     {"nl": "Drukwerk flyers A5 (1000 st.)", "fr": "Impression flyers A5 (1000 ex.)",
      "de": "Druck Flyer A5 (1000 Stk.)", "en": "Printing A5 flyers (1000)"}),
    ("BOOK", "part", "red", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (2400, 6900),
     {"nl": "Vakboek projectmanagement", "fr": "Livre gestion de projet", "de": "Fachbuch Projektmanagement",
      "en": "Project management handbook"}),
    ("COFF", "part", "red", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (1400, 3200),
     {"nl": "Koffiebonen 1 kg", "fr": "Café en grains 1 kg", "de": "Kaffeebohnen 1 kg", "en": "Coffee beans 1 kg"}),
    ("LUNCH", "part", "red", {"nl": "pers", "fr": "pers", "de": "Pers.", "en": "pers"}, (800, 1800),
     {"nl": "Broodjeslunch", "fr": "Lunch sandwiches", "de": "Mittagsimbiss", "en": "Sandwich lunch"}),
    ("PLANT", "part", "red", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (1200, 4500),
     {"nl": "Kamerplant in pot", "fr": "Plante d'intérieur en pot", "de": "Zimmerpflanze im Topf",
      "en": "Potted office plant"}),
    ("MAG", "part", "red", {"nl": "st", "fr": "pce", "de": "Stk.", "en": "pc"}, (3900, 12000),
     {"nl": "Abonnement vakblad (jaar)", "fr": "Abonnement revue professionnelle (an)",
      "de": "Fachzeitschrift Jahresabo", "en": "Trade journal subscription (year)"}),
]
QTY = {"CONS": ["1", "2", "3", "4", "6", "7.5", "8", "12", "1.5", "0.5", "2.5"],
       "WEB": ["2", "4", "6", "8", "10", "16", "24", "3.5", "12.5"], "DSGN": ["1", "2", "3", "5", "8", "4.5"],
       "HOST": ["1", "1", "3", "6", "12"], "TRAIN": ["1", "1", "2", "3"], "TRAV": ["1", "1", "1", "2", "3"],
       "MAINT": ["1", "1", "1", "2"], "SUPP": ["1", "2", "3", "5", "0.5", "1.5", "2.25"],
       "TRANS": ["2", "3", "5", "8", "1.5"], "LIC": ["1", "1", "2", "3", "5", "10"],
       "STAND": ["1", "2", "4", "6", "10"],
       "CAB": ["2", "5", "10", "12", "25"], "CHAIR": ["1", "2", "4", "6"], "FLYER": ["1", "2", "3"],
       "BOOK": ["1", "2", "3", "5", "10"], "COFF": ["2", "4", "6", "12"], "LUNCH": ["8", "12", "15", "20", "35"],
       "PLANT": ["2", "3", "5", "8", "12"], "MAG": ["1", "1", "2"]}
GB_REDUCED = {"BOOK": ("Loft insulation materials", "roll"), "COFF": ("Domestic heating oil 500 l", "each"),
              "LUNCH": ("Child car seat", "pc"), "PLANT": ("Draught stripping installation", "each"),
              "MAG": ("Solar panel installation", "each")}
GB_QTY = {"BOOK": ["2", "4", "6", "10"], "COFF": ["1", "1", "2"], "LUNCH": ["1", "2"], "PLANT": ["1", "1"],
          "MAG": ["1"]}

# The eight companies. taxes: (accno, rate %, renamed description or None) for (standard, reduced).
COMPANIES = [
    dict(key="be_nl", country="BE", lang="nl", chart="Belgium-UTF8", master="Dutch", fmt="pdf", pdflatex=False,
         ui="benl_utf", dateformat="dd/mm/yy", numberformat="1.000,00", lang2=("fr", "Français", "French"),
         std=("451541", "21", "Verschuldigde btw 21%"), red=("451540", "6", "Verschuldigde btw 6%"),
         bank="552000", currency="EUR", payments=False, sinumber="<%yyyy%>/0410"),
    dict(key="be_fr", country="BE", lang="fr", chart="Belgium-UTF8", master="French", fmt="html", pdflatex=False,
         ui="befr_utf", dateformat="dd/mm/yy", numberformat="1.000,00", lang2=("nl", "Nederlands", "Dutch"),
         std=("451541", "21", "TVA 21%"), red=("451540", "6", "TVA 6%"),
         bank="553000", currency="EUR", payments=True, sinumber="F<%yyyy%>-0120"),
    dict(key="nl", country="NL", lang="nl", chart="Dutch-Standard", master="Dutch", fmt="html", pdflatex=False,
         ui="nl_utf", dateformat="dd-mm-yy", numberformat="1.000,00", lang2=None,
         std=("1810", "21", "BTW hoog 21%"), red=("1811", "9", "BTW laag 9%"),
         bank="1140", currency="EUR", payments=True, sinumber="<%yyyy%>1040",
         relink=[("1140", ["AR_paid", "AP_paid"], "bank", {}), ("8520", ["IC_income"], None, {})]),
    dict(key="nl_en", country="NL", lang="en", chart="Dutch-Default", master="Default", fmt="html", pdflatex=False,
         ui="en", dateformat="yyyy-mm-dd", numberformat="1,000.00", lang2=None,
         std=("2310", "21", "VAT 21%"), red=("2311", "9", "VAT 9%"),
         bank="1061", currency="EUR", payments=True, sinumber="INV-02210"),
    dict(key="de", country="DE", lang="de", chart="German-Sample-UTF8", master="German", fmt="pdf", pdflatex=True,
         ui="de_utf", dateformat="dd.mm.yy", numberformat="1.000,00", lang2=None,
         std=("3805", "19", "Umsatzsteuer 19%"), red=("3801", "7", None),
         bank="1800", currency="EUR", payments=True, sinumber="RE-<%yyyy%>-0310",
         relink=[("1800", ["AR_paid", "AP_paid"], "bank", {})]),
    dict(key="fr", country="FR", lang="fr", chart="France", master="French", fmt="pdf", pdflatex=True,
         ui="fr_utf", dateformat="dd/mm/yy", numberformat="1000,00", lang2=None,
         std=("445713", "20", "TVA collectée 20%"), red=("445711", "5.5", "TVA collectée 5,5%"),
         bank="512000", currency="EUR", payments=False, sinumber="FA<%yyyy%>-0057",
         relink=[("604000", ["AP_amount", "IC_expense"], None, {"category": "E"})]),
    dict(key="gb", country="GB", lang="en", chart="UK_General", master="Default", fmt="pdf", pdflatex=True,
         ui="enGB_utf", dateformat="dd/mm/yy", numberformat="1,000.00", lang2=None,
         std=("2200", "20", "VAT (20%)"), red=("2205", "5", None),
         bank="1200", currency="GBP", payments=True, sinumber="7120"),
    dict(key="lu", country="LU", lang="en", chart="France", master="Service_Industry", fmt="pdf", pdflatex=False,
         ui="en", dateformat="dd.mm.yy", numberformat="1.000,00", lang2=None,
         std=("445713", "17", "TVA 17%"), red=("445711", "3", "TVA 3%"),
         bank="512000", currency="EUR", payments=True, sinumber="<%yyyy%>-085",
         relink=[("604000", ["AP_amount", "IC_expense"], None, {"category": "E"})]),
]

BUSINESS = {"BE": "Ondernemingsnr. {be}", "NL": "KvK {kvk}", "DE": "HRB {hrb} Amtsgericht Köln",
            "FR": "SIRET {siret}", "GB": "Company No. {crn}", "LU": "RCS Luxembourg B{rcs}"}
PHONES = {"BE": "+32 {a} {b} {c}", "NL": "+31 20 {b} {c}", "DE": "+49 221 {b}{c}", "FR": "+33 1 {a} {b} {c}",
          "GB": "+44 20 {b} {c}", "LU": "+352 {b} {c}"}
SITES = {"BE": "be", "NL": "nl", "DE": "de", "FR": "fr", "GB": "co.uk", "LU": "lu"}

NOTES = {
    "nl": dict(pay="Gelieve het bedrag over te maken op rekening IBAN {iban} (BIC {bic}) met vermelding van het "
                   "factuurnummer.",
               pay2="Betaling op {bank} IBAN {iban} - BIC {bic}",
               vat="Btw-nummer: {vat}", rc="Btw verlegd - autoliquidatie (art. 196 Richtlijn 2006/112/EG).",
               thanks="Bedankt voor uw vertrouwen.", cn="Creditnota betreffende factuur {ref}.",
               src="Overschrijving"),
    "fr": dict(pay="Merci de régler par virement sur le compte IBAN {iban} - BIC {bic} en mentionnant le "
                   "numéro de facture.",
               pay2="Paiement : {bank}, IBAN {iban}, BIC {bic}",
               vat="N° TVA : {vat}", rc="Autoliquidation - TVA due par le preneur (art. 196 Directive 2006/112/CE).",
               thanks="Merci de votre confiance.", cn="Note de crédit relative à la facture {ref}.",
               src="Virement"),
    "de": dict(pay="Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer auf unser Konto "
                   "IBAN {iban}, BIC {bic}.",
               pay2="Bankverbindung: {bank}, IBAN {iban}, BIC {bic}",
               vat="USt-IdNr.: {vat}", rc="Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).",
               thanks="Vielen Dank für Ihren Auftrag.", cn="Gutschrift zur Rechnung {ref}.",
               src="Überweisung"),
    "en": dict(pay="Please pay by bank transfer to IBAN {iban}, BIC {bic}, quoting the invoice number.",
               pay2="Bank details: {bank}, IBAN {iban}, BIC {bic}",
               vat="VAT Reg. No.: {vat}", rc="Reverse charge: VAT to be accounted for by the recipient.",
               thanks="Thank you for your business.", cn="Credit note for invoice {ref}.",
               src="Bank transfer"),
}
CN_PREFIX = {"nl": "CN", "fr": "NC", "de": "GS", "en": "CN"}


def vat_print(rng, v):
    c, b = v[:2], v[2:]
    if c == "BE":
        return rng.choice([v, f"BE {b[:4]}.{b[4:7]}.{b[7:]}", f"BE{b[:4]}.{b[4:7]}.{b[7:]}"])
    if c == "GB":
        return rng.choice([v, f"GB {b[:3]} {b[3:7]} {b[7:]}"])
    if c == "FR":
        return rng.choice([v, f"FR {b[:2]} {b[2:5]} {b[5:8]} {b[8:]}"])
    return v


def split_city(country, city):
    if country == "GB":
        parts = city.split(" ")
        return " ".join(parts[:-2]), " ".join(parts[-2:])
    if country == "US":
        c, _, rest = city.partition(", ")
        st, _, zp = rest.partition(" ")
        return c, zp, st
    zp, _, c = city.partition(" ")
    if country == "NL":
        a, _, c = c.partition(" ")
        zp = f"{zp} {a}"
    return c, zp


def company_spec(seed, c):
    rng = random.Random(f"{seed}-company-{c['key']}")
    country = c["country"]
    ck = CKEY[country]
    name = gen_company(rng, ck)
    street, city = gen_address(rng, ck)
    vat_no = gen_vat(rng, country)
    iban_no = gen_iban(rng, country)
    bank, bic = rng.choice(BANKS[country])
    if iban_no[4:8] in BANK_CODES:  # NL and GB IBANs carry the bank's code
        bank, bic = BANK_CODES[iban_no[4:8]]
    digits = vat_no[2:]
    business = BUSINESS[country].format(be=f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if country == "BE" else "",
                                        kvk=rng.randrange(10000000, 99999999), hrb=rng.randrange(10000, 99999),
                                        siret=f"{digits[2:5]} {digits[5:8]} {digits[8:11]} "
                                              f"{rng.randrange(10000, 99999)}",
                                        crn=f"{rng.randrange(1000000, 9999999):08d}", rcs=rng.randrange(10000, 99999))
    tel = PHONES[country].format(a=rng.randrange(2, 99), b=rng.randrange(100, 999), c=rng.randrange(1000, 9999))
    fax = PHONES[country].format(a=rng.randrange(2, 99), b=rng.randrange(100, 999), c=rng.randrange(1000, 9999)) \
        if rng.random() < 0.5 else ""
    slug = re.sub(r"[^a-z]", "", name.lower().split()[0] + name.lower().split()[1])
    first, last = rng.choice(PEOPLE)
    s = dict(c)
    mailbox = {"nl": "facturatie", "fr": "factures", "de": "rechnung"}.get(c["lang"], "accounts")
    s.update(name=name, street=street, city=city, vat=vat_no, vat_printed=vat_print(rng, vat_no), iban=iban_no,
             bankname=bank, bic=bic, business=business, tel=tel, fax=fax,
             email=f"{mailbox}@{slug}.{SITES[country]}", website=f"www.{slug}.{SITES[country]}",
             admin=f"{first} {last}", db=PREFIX + c["key"], login="admin@" + PREFIX + c["key"])
    s["addr_lines"] = [street, city] + ([COUNTRY_NAMES[c["lang"]][country]] if rng.random() < 0.6 else [])
    # customers
    home = country
    if c["key"] == "be_nl":
        mix = ["BE", "BE", "BE", "BE", "NL", "NL", "FR", "LU", "DE"]
    elif c["key"] == "be_fr":
        mix = ["BE", "BE", "BE", "BE", "FR", "FR", "LU", "NL", "DE"]
    elif c["key"] == "nl_en":
        mix = ["NL", "NL", "BE", "DE", "GB", "US", "US", "FR"]
    elif c["key"] == "gb":
        mix = ["GB", "GB", "GB", "GB", "NL", "DE", "US", "BE", "FR"]
    elif c["key"] == "lu":
        mix = ["LU", "LU", "BE", "BE", "DE", "FR", "FR", "NL"]
    else:
        mix = [home] * 5 + [x for x in ("BE", "NL", "DE", "FR", "LU") if x != home][:3]
    customers = []
    used = set()
    for i in range(8):
        cc = mix[i % len(mix)] if i < len(mix) else rng.choice(mix)
        private = rng.random() < 0.12 and cc == home
        if private:
            fn, ln = rng.choice(PEOPLE)
            cname = f"{fn} {ln}"
        else:
            cname = gen_company(rng, CKEY[cc])
        while cname in used or cname == name:
            cname = gen_company(rng, CKEY[cc])
        used.add(cname)
        st, ci = gen_address(rng, CKEY[cc])
        parts = split_city(cc, ci)
        cvat = gen_vat(rng, cc) if (not private and cc in ("BE", "NL", "DE", "FR", "GB", "LU")) else ""
        fn, ln = rng.choice(PEOPLE)
        cur = c["currency"]
        if c["key"] == "gb" and cc in ("NL", "DE", "BE", "FR"):
            cur = "EUR"
        if cc == "US" and c["key"] in ("gb", "nl_en"):
            cur = "USD"
        eu_b2b = cc != home and cc in ("BE", "NL", "DE", "FR", "LU") and home != "GB" and cvat
        reverse = bool(eu_b2b and rng.random() < 0.6) or (cc == "US")
        if c["key"] == "gb" and cc != "GB":
            reverse = True  # exports from the UK: zero-rated, no VAT lines
        lang2 = ""
        if c["lang2"]:
            code = c["lang2"][0]
            if code == "fr" and cc in ("FR", "LU") or (code == "fr" and cc == "BE" and rng.random() < 0.35):
                lang2 = "fr"
            if code == "nl" and cc == "NL" or (code == "nl" and cc == "BE" and rng.random() < 0.35):
                lang2 = "nl"
        doc_lang = lang2 or c["lang"]
        customers.append(dict(
            name=cname, private=private, country=cc, street=st, city=parts[0], zipcode=parts[1],
            state=parts[2] if len(parts) > 2 else "",
            country_name="" if (cc == home and rng.random() < 0.5) else COUNTRY_NAMES[c["lang"]][cc],
            vat=cvat, vat_printed=vat_print(rng, cvat) if cvat else "",
            terms=rng.choice([0, 8, 14, 14, 30, 30, 30, 45, 60]) if not private else rng.choice([0, 8, 14]),
            currency=cur, reverse=reverse, language=lang2, doc_lang=doc_lang,
            firstname=fn, lastname=ln,
            email=f"{fn.lower()}.{ln.lower().replace(' ', '')}@example.{SITES.get(cc, 'com')}",
            phone=PHONES.get(cc, "+1 415 {b} {c}").format(a=rng.randrange(2, 99), b=rng.randrange(100, 999),
                                                          c=rng.randrange(1000, 9999)) if rng.random() < 0.5 else ""))
    s["customers"] = customers
    # items
    items = []
    for key, kind, rate, units, (lo, hi), texts in ITEMS:
        price = q2(Decimal(rng.randrange(lo, hi)) / 100)
        if price > 50:
            price = q2(Decimal(int(price)) + Decimal(rng.choice([0, 0, 0, 50, 90, 95])) / 100)
        texts = dict(texts)
        units = dict(units)
        if country == "GB" and rate == "red":
            texts["en"], units["en"] = GB_REDUCED[key]
        items.append(dict(key=key, partnumber=f"{key}-{rng.randrange(100, 999)}", kind=kind, rate=rate,
                          unit=units, price=price, texts=texts))
    s["items"] = items
    return s


def doc_spec(seed, s, k):
    rng = random.Random(f"{seed}-{s['key']}-{k}")
    credit = k % 4 == 3
    # the second document of four goes to a customer billed in another currency (where the company
    # has one), the others mostly to home customers
    custs = [c for c in s["customers"] if c["currency"] == s["currency"]]
    fx_custs = [c for c in s["customers"] if c["currency"] != s["currency"]]
    if k % 4 == 1 and fx_custs:
        cust = rng.choice(fx_custs)
    else:
        cust = rng.choices(custs, weights=[3 if c["country"] == s["country"] else 1 for c in custs])[0]
    issue = dt.date(2025, 1, 6) + dt.timedelta(days=k * 19 + rng.randrange(0, 12))
    n = rng.choice([1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 20])
    if credit:
        n = rng.choice([1, 1, 2, 2, 3, 4])
    two_rates = rng.random() < 0.35 and n > 1
    std_items = [it for it in s["items"] if it["rate"] == "std"]
    red_items = [it for it in s["items"] if it["rate"] == "red"]
    lines = []
    for i in range(n):
        it = rng.choice(red_items if (two_rates and (i % 3 == 1 or (i == n - 1 and not any(
            ln["item"]["rate"] == "red" for ln in lines)))) else std_items)
        qty = rng.choice(GB_QTY[it["key"]] if (s["country"] == "GB" and it["rate"] == "red") else QTY[it["key"]])
        price = None
        if rng.random() < 0.15:
            price = q2(it["price"] * Decimal(rng.choice(["0.9", "1.1", "1.25", "0.8"])))
        disc = rng.choice(["5", "10", "15", "20"]) if rng.random() < 0.08 else ""
        lines.append(dict(item=it, qty=qty, price=price, discount=disc))
    lang = cust["doc_lang"]
    T = NOTES[lang]
    notes = []
    iban_shown = vat_shown = False
    if not credit:
        r = rng.random()
        if r < 0.45:
            notes.append(T["pay"].format(iban="<%iban%>", bic="<%bic%>"))
            iban_shown = True
        elif r < 0.7:
            notes.append(T["pay2"].format(bank=s["bankname"], iban=iban_print(s["iban"]) if rng.random() < 0.7
                                          else s["iban"], bic=s["bic"]))
            iban_shown = True
        if rng.random() < 0.35:
            notes.append(T["vat"].format(vat=s["vat_printed"]))
            vat_shown = True
    if cust["reverse"] and cust["country"] != "US" and s["country"] != "GB":
        notes.append(T["rc"])
    if rng.random() < 0.3 and not credit:
        notes.append(T["thanks"])
    ordnumber = f"SO-{rng.randrange(1000, 9999)}" if rng.random() < 0.25 else ""
    ponumber = f"PO {rng.randrange(10000, 99999)}" if rng.random() < 0.2 else ""
    # exchange rate: units of the company's currency per unit of the invoice's
    exch = None
    if cust["currency"] != s["currency"]:
        exch = {("EUR", "USD"): "0.9213", ("GBP", "EUR"): "0.8525", ("GBP", "USD"): "0.7890"}[(s["currency"],
                                                                                              cust["currency"])]
    pay = None
    if s["payments"] and not credit and cust["currency"] == s["currency"] and rng.random() < 0.35:
        pay = dict(frac=Decimal(rng.choice(["0.3", "0.4", "0.5", "0.6", "0.25"])),
                   date=issue + dt.timedelta(days=rng.randrange(2, 20)))
    own_buyer = rng.random() < 0.8
    return dict(k=k, credit=credit, customer=cust, issue=issue, lines=lines, notes="\n".join(notes),
                iban_shown=iban_shown, vat_shown=vat_shown, ordnumber=ordnumber, ponumber=ponumber,
                exchangerate=exch, payment=pay, own_buyer=own_buyer, lang=lang,
                cn_number=f"{CN_PREFIX[lang]}{issue.year}-{k // 4 + 1:03d}" if credit else "")


# ---------------------------------------------------------------------------------------------
# Formats.


def sl_date(d, fmt):
    return {"mm-dd-yy": f"{d.month:02d}-{d.day:02d}-{d.year}", "mm/dd/yy": f"{d.month:02d}/{d.day:02d}/{d.year}",
            "dd-mm-yy": f"{d.day:02d}-{d.month:02d}-{d.year}", "dd/mm/yy": f"{d.day:02d}/{d.month:02d}/{d.year}",
            "dd.mm.yy": f"{d.day:02d}.{d.month:02d}.{d.year}", "yyyy-mm-dd": d.isoformat()}[fmt]


def sl_num(x, fmt, places=None):
    x = Decimal(x)
    if places is not None:
        x = q2(x)
    neg = x < 0
    s = f"{abs(x):f}"
    i, _, f = s.partition(".")
    dec, grp = {"1,000.00": (".", ","), "1000.00": (".", ""), "1.000,00": (",", "."), "1000,00": (",", ""),
                "1'000.00": (".", "'")}[fmt]
    parts = []
    while len(i) > 3:
        parts.insert(0, i[-3:])
        i = i[:-3]
    parts.insert(0, i)
    out = grp.join(parts) + (dec + f if f else "")
    return ("-" if neg else "") + out


def parse_num(s, fmt):
    s = s.strip().replace("\xa0", "")
    if fmt in ("1.000,00", "1000,00"):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "").replace("'", "")
    return Decimal(s or "0")


# ---------------------------------------------------------------------------------------------
# SQL-Ledger set-up.


def undouble(s):
    """SQL-Ledger hands DBD::Pg undecoded UTF-8 bytes, which DBD::Pg (client_encoding UTF8) encodes once
    more: non-ASCII text is stored double-encoded (and decoded back the same way when SQL-Ledger reads
    it). Undo that for reading the database directly."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def template_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        txt = raw.decode("utf-8")
    except UnicodeDecodeError:
        txt = raw.decode("latin-1")
    return txt.replace("\\usepackage[latin1]{inputenc}", "\\usepackage[utf8]{inputenc}")


class Setup:
    def __init__(self, sl, pg, log):
        self.sl, self.pg, self.log = sl, pg, log

    def admin(self, fields):
        f = {"path": "bin/mozilla", "password": self.sl.root_password}
        f.update(fields)
        return self.sl.cgi("admin.pl", f)

    def ensure_root(self):
        created = {"members": False, "templates": False}
        if not os.path.isdir(TEMPLATES_DIR):
            # the package's /usr/share/sql-ledger/templates symlink points here; SQL-Ledger's own
            # "mkdir templates" fails on the dangling symlink, so the directory is made for it
            os.makedirs(TEMPLATES_DIR, mode=0o771)
            created["templates"] = True
        if not os.path.exists(MEMBERS):
            self.admin({"action": "continue", "nextsub": "do_change_password",
                        "new_password": self.sl.root_password, "confirm_password": self.sl.root_password})
            created["members"] = True
        page = self.admin({"action": "login"})
        if b"Add Dataset" not in page:
            raise SystemExit("cannot log in to SQL-Ledger's administration: the installation has a root password "
                             "other than --root-password")
        return created

    def members_text(self):
        try:
            with open(MEMBERS, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def delete_dataset(self, db):
        assert db.startswith(PREFIX)
        if f"[admin@{db}]" in self.members_text():
            self.admin({"action": "do_delete", "dbname": db, "nextsub": "do_delete"})
        if db in self.pg.databases():
            self.pg.drop(db)
        for d in (os.path.join(TEMPLATES_DIR, db), os.path.join(SPOOL_DIR, db)):
            if os.path.isdir(d):
                shutil.rmtree(d)
        for f in (os.path.join(USERS_DIR, f"admin@{db}.conf"), os.path.join(USERS_DIR, f"{db}.LCK")):
            if os.path.exists(f):
                os.remove(f)

    def create(self, s):
        log = self.log
        log(f"  dataset {s['db']} ({s['chart']}, {s['master']} templates)")
        page = self.admin({"action": "login"})
        sess = Session(self.sl, s["login"], pdflatex=s["pdflatex"])
        page = sess.submit("admin.pl", page, "add_dataset", {"dbdriver": "Pg", "password": self.sl.root_password})
        page = sess.submit("admin.pl", page, "continue", {"dbhost": self.pg.host, "dbport": self.pg.port,
                                                          "dbuser": self.pg.user, "dbdefault": "template1",
                                                          "password": self.sl.root_password})
        page = sess.submit("admin.pl", page, "continue", {
            "db": s["db"], "company": s["name"], "name": s["admin"], "email": s["email"],
            "adminpassword": PASSWORD, "mastertemplates": s["master"], "encoding": "UTF8", "chart": s["chart"],
            "password": self.sl.root_password})
        # the first login upgrades the new dataset, the second one logs in
        for _ in range(2):
            self.sl.cgi("login.pl", {"path": "bin/mozilla", "login": s["login"], "password": PASSWORD,
                                     "action": "login"})
        # preferences
        page = sess.get("am.pl", action="config")
        sess.submit("am.pl", page, "save", {"dateformat": s["dateformat"], "numberformat": s["numberformat"],
                                            "countrycode": s["ui"], "name": s["admin"], "email": s["email"]})
        # defaults
        page = sess.get("am.pl", action="defaults")
        sess.submit("am.pl", page, "save", {
            "company": s["name"], "address": "\n".join(s["addr_lines"]), "tel": s["tel"], "fax": s["fax"],
            "companyemail": s["email"], "companywebsite": s["website"], "businessnumber": s["business"],
            "sinumber": s["sinumber"]})
        # taxes: rates and the registration number
        page = sess.get("am.pl", action="taxes")
        flds = dict((k, v) for k, v in fields_of(page) if not k.startswith("__"))
        changes = {}
        chart_ids = {}
        for entry in flds["taxaccounts"].split():
            cid, i = entry.split("_")
            acc = flds[f"accno_{i}"]
            chart_ids[acc] = cid
            for which in ("std", "red"):
                if s[which][0] == acc:
                    changes[f"taxrate_{i}"] = s[which][1]
                    changes[f"taxnumber_{i}"] = s["vat_printed"]
        missing = [s[w][0] for w in ("std", "red") if s[w][0] not in chart_ids]
        if missing:
            raise RuntimeError(f"{s['db']}: tax accounts {missing} not in chart")
        sess.submit("am.pl", page, "save", changes)
        # tax account names carrying an outdated rate
        for which in ("std", "red"):
            acc, _, newname = s[which]
            if newname:
                page = sess.get("am.pl", action="edit_account", id=chart_ids[acc])
                sess.submit("am.pl", page, "save", {"description": newname})
        # currencies
        page = sess.get("am.pl", action="list_currencies")
        have = set(re.findall(rb"curr=([A-Z]{3})", page))
        for cur in sorted({c["currency"] for c in s["customers"]} | {s["currency"]}):
            if cur.encode() not in have:
                p2 = sess.get("am.pl", action="add_currency")
                sess.submit("am.pl", p2, "save", {"curr": cur, "prec": "2"})
        # accounts the chart does not link where SQL-Ledger needs them (a bank account for receipts,
        # an income account for services): tick the links in the account (and name the bank account)
        for accno, links, desc, extra in s.get("relink", []):
            cid = self.pg.query(s["db"], f"SELECT id FROM chart WHERE accno = '{accno}'")[0][0]
            page = sess.get("am.pl", action="edit_account", id=cid)
            ch = {ln: ln for ln in links}
            ch.update(extra)
            if desc:
                ch["description"] = s["bankname"] if desc == "bank" else desc
            sess.submit("am.pl", page, "save", ch)
        # bank account with IBAN/BIC
        page = sess.get("am.pl", action="bank_accounts")
        links = dict((acc.decode(), cid.decode()) for cid, acc in
                     re.findall(rb"action=edit_bank&id=(\d+)[^>]*>([\w]+)", page))
        if s["bank"] not in links:
            raise RuntimeError(f"{s['db']}: bank account {s['bank']} not among {sorted(links)}")
        page = sess.get("am.pl", action="edit_bank", id=links[s["bank"]])
        sess.submit("am.pl", page, "save", {"name": s["bankname"], "iban": s["iban"], "bic": s["bic"]})
        # templates: UTF-8, per language
        tdir = f"templates/{s['db']}"
        for fname in ("invoice.tex", "credit_invoice.tex", "invoice.html", "credit_invoice.html"):
            self.save_template(sess, f"{tdir}/{fname}", template_text(os.path.join(MASTER, s["master"], fname)))
        if s["master"] == "German":
            self.save_template(sess, f"{tdir}/letterhead.tex",
                               template_text(os.path.join(MASTER, "Default", "letterhead.tex")))
        if s["lang2"]:
            code, desc, master = s["lang2"]
            page = sess.get("am.pl", action="add_language")
            sess.submit("am.pl", page, "save", {"code": code, "description": desc})
            for fname in ("invoice.tex", "credit_invoice.tex", "invoice.html", "credit_invoice.html"):
                self.save_template(sess, f"{tdir}/{code}/{fname}", template_text(os.path.join(MASTER, master, fname)))
        # customers
        for c in s["customers"]:
            self.add_customer(sess, s, c)
        # goods and services
        for it in s["items"]:
            self.add_item(sess, s, it)
        return sess

    def save_template(self, sess, path, text):
        sess.sl.cgi("am.pl", dict(sess.base, action="save", type="template", file=path, body=text),
                    pdflatex=sess.pdflatex)

    def add_customer(self, sess, s, c):
        page = sess.get("ct.pl", action="add", db="customer")
        pay_opts = [o for o in options(page, "payment_accno") if o.startswith(s["bank"] + "--")]
        ch = {"typeofcontact": "person" if c["private"] else "company", "name": c["name"],
              "address1": c["street"], "city": c["city"], "zipcode": c["zipcode"], "state": c["state"],
              "country": c["country_name"], "firstname": "" if c["private"] else c["firstname"],
              "lastname": "" if c["private"] else c["lastname"], "email": c["email"], "phone": c["phone"],
              "terms": str(c["terms"]), "taxnumber": c["vat_printed"], "curr": c["currency"],
              "payment_accno": pay_opts[0] if pay_opts else ""}
        if c["language"]:
            ch["language_code"] = next(o for o in options(page, "language_code") if o.startswith(c["language"]))
        if not c["reverse"]:
            ch[f"tax_{s['std'][0]}"] = "1"
            ch[f"tax_{s['red'][0]}"] = "1"
        sess.submit("ct.pl", page, "save", ch)
        ids = [i for i, n in self.pg.query(s["db"], "SELECT id, name FROM customer ORDER BY id")
               if undouble(n) == c["name"]]
        c["id"] = ids[-1]

    def add_item(self, sess, s, it):
        page = sess.get("ic.pl", action="add", item=it["kind"])
        tax = s["std"][0] if it["rate"] == "std" else s["red"][0]
        other = s["red"][0] if it["rate"] == "std" else s["std"][0]
        sess.submit("ic.pl", page, "save", {
            "partnumber": it["partnumber"], "description": it["texts"][s["lang"]], "unit": it["unit"][s["lang"]],
            "sellprice": sl_num(it["price"], s["numberformat"]), f"IC_tax_{tax}": "1"},
            drop=[f"IC_tax_{other}"])


# ---------------------------------------------------------------------------------------------
# Documents.


def post_document(sess, pg, s, d):
    c = d["customer"]
    typ = "credit_invoice" if d["credit"] else "invoice"
    fmt = s["numberformat"]
    page = sess.get("is.pl", action="add", type=typ)
    cust_opt = next(o for o in options(page, "customer") if o.endswith("--" + c["id"])) \
        if options(page, "customer") else None
    ch = {"transdate": sl_date(d["issue"], s["dateformat"])}
    if cust_opt:
        ch["customer"] = cust_opt
    page = sess.submit("is.pl", page, "update", ch)
    # second update: the new date makes SQL-Ledger recompute the due date from the terms
    page = sess.submit("is.pl", page, "update", {"transdate": sl_date(d["issue"], s["dateformat"])})
    if field(page, "customer_id") != c["id"]:
        raise RuntimeError(f"customer not selected: {field(page, 'customer_id')} != {c['id']}")
    for i, ln in enumerate(d["lines"], 1):
        it = ln["item"]
        ch = {f"partnumber_{i}": it["partnumber"], f"qty_{i}": sl_num(ln["qty"], fmt)}
        if d["exchangerate"] and i == 1:
            ch["exchangerate"] = sl_num(d["exchangerate"], fmt)
        page = sess.submit("is.pl", page, "update", ch)
        if field(page, f"id_{i}") in (None, ""):
            raise RuntimeError(f"line {i}: part {it['partnumber']} not found")
        ch = {}
        text = it["texts"][d["lang"]]
        if s["country"] == "GB" and it["rate"] == "red":
            text = it["texts"]["en"]
        if text != field(page, f"description_{i}"):
            ch[f"description_{i}"] = text
        if d["lang"] != s["lang"] and field(page, f"unit_{i}") == it["unit"][s["lang"]]:
            ch[f"unit_{i}"] = it["unit"][d["lang"]]
        if ln["price"] is not None:
            ch[f"sellprice_{i}"] = sl_num(ln["price"], fmt)
        if ln["discount"]:
            ch[f"discount_{i}"] = ln["discount"]
        if ch:
            page = sess.submit("is.pl", page, "update", ch)
    ch = {"notes": d["notes"], "ordnumber": d["ordnumber"], "ponumber": d["ponumber"]}
    if d["credit"]:
        ch["invnumber"] = d["cn_number"]
    if d["payment"]:
        total = Decimal(field(page, "oldinvtotal"))
        paid = q2(total * d["payment"]["frac"])
        paid = q2(Decimal(int(paid / 10) * 10)) if paid > 100 else paid
        bank = next(o for o in options(page, "AR_paid_1") if o.startswith(s["bank"] + "--"))
        ch.update({"paid_1": sl_num(paid, fmt), "datepaid_1": sl_date(d["payment"]["date"], s["dateformat"]),
                   "AR_paid_1": bank, "source_1": NOTES[s["lang"]]["src"], "memo_1": ""})
        page = sess.submit("is.pl", page, "update", ch)
        ch = {}
    sess.submit("is.pl", page, "post", ch)
    if d["credit"]:
        rows = pg.query(s["db"], "SELECT id, invnumber FROM ar WHERE invnumber = '%s'" % d["cn_number"])
    else:
        rows = pg.query(s["db"], "SELECT id, invnumber FROM ar WHERE customer_id = %s AND transdate = '%s' "
                                 "ORDER BY id DESC LIMIT 1" % (c["id"], d["issue"].isoformat()))
    return rows[0][0]


def print_document(sess, s, d, ar_id, out_pdf, tmp):
    typ = "credit_invoice" if d["credit"] else "invoice"
    page = sess.get("is.pl", action="edit", id=ar_id, type=typ)
    shown = screen_totals(page, s)
    fmt = "html" if s["fmt"] == "html" else "pdf"
    out = sess.submit("is.pl", page, "print", {"formname": typ, "format": fmt, "media": "screen", "copies": "1"},
                      browser=(fmt == "html"))
    head, sep, body = out.partition(b"\r\n\r\n") if out.startswith(b"Content-Type") and b"\r\n\r\n" in out[:500] \
        else out.partition(b"\n\n")
    if not head.startswith(b"Content-Type") and not head.startswith(b"Set-Cookie"):
        body = out
    if fmt == "pdf":
        if not body.startswith(b"%PDF"):
            raise RuntimeError("no PDF from SQL-Ledger: " + body[:300].decode("utf-8", "replace"))
        with open(out_pdf, "wb") as f:
            f.write(body)
    else:
        # the page as the browser got it from http://host/sql-ledger/is.pl: its relative URLs (the
        # letterhead's logo under templates/<dataset>/) resolve against the program directory
        www = os.path.join(tmp, "www")
        if not os.path.isdir(www):
            os.makedirs(www)
            for e in ("templates", "images", "css"):
                os.symlink(os.path.join(SL_DIR, e), os.path.join(www, e))
        src = os.path.join(www, f"{s['key']}-{d['k']}.html")
        with open(src, "wb") as f:
            f.write(body)
        subprocess.run([chromium_bin(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out_pdf}", "file://" + src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return shown


def screen_totals(page, s):
    """Totals SQL-Ledger shows on the invoice screen (in the invoice's currency)."""
    txt = page.decode("utf-8", "replace")
    taxes = {}
    for acc in (s["std"][0], s["red"][0]):
        desc = field(page, f"{acc}_description")
        if not desc:
            continue
        m = re.search(r"<th align=right>" + re.escape(html.escape(desc, quote=False)) +
                      r"</th>\s*<td align=right>([^<]*)</td>", txt)
        if m:
            taxes[acc] = parse_num(m.group(1), s["numberformat"])
    total = Decimal(field(page, "oldinvtotal") or "0")
    return {"total": total, "taxes": taxes}


def chromium_bin():
    for b in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(b):
            return b
    raise SystemExit("chromium is not installed (apt-get install chromium)")


# ---------------------------------------------------------------------------------------------
# Truth and self-check.

PRINTS = {
    # (format, master): due date printed, paid/balance printed, total printed even with a payment
    ("pdf", "Dutch"): dict(due=False, paid=False), ("pdf", "French"): dict(due=True, paid=False),
    ("pdf", "German"): dict(due=True, paid=True), ("pdf", "Default"): dict(due=True, paid=True),
    ("pdf", "Service_Industry"): dict(due=True, paid=True),
    ("html", "Dutch"): dict(due=True, paid=True), ("html", "French"): dict(due=True, paid=True),
    ("html", "Default"): dict(due=True, paid=True), ("html", "German"): dict(due=True, paid=True),
    ("html", "Service_Industry"): dict(due=True, paid=True),
}


def truth_of(pg, s, d, ar_id, shown):
    row = pg.query(s["db"], f"SELECT invnumber, transdate, duedate, amount, netamount, paid, curr, exchangerate "
                            f"FROM ar WHERE id = {ar_id}")[0]
    invnumber, transdate, duedate, amount, netamount, paid, curr, exch = row
    nlines = int(pg.query(s["db"], f"SELECT count(*) FROM invoice WHERE trans_id = {ar_id}")[0][0])
    amount, netamount, paid = Decimal(amount), Decimal(netamount), Decimal(paid or "0")
    if curr != s["currency"]:
        total = abs(q2(shown["total"]))
        parts = [abs(q2(x)) for x in shown["taxes"].values() if x]
        vat_amt = sum(parts, Decimal(0))
        sub = total - vat_amt
        paid = Decimal(0)
    else:
        total, sub = abs(amount), abs(netamount)
        vat_amt = total - sub
        paid = abs(paid)
        parts = [abs(Decimal(r[0])) for r in pg.query(
            s["db"], f"SELECT sum(a.amount) FROM acc_trans a JOIN chart c ON c.id = a.chart_id WHERE a.trans_id = "
                     f"{ar_id} AND c.accno IN ('{s['std'][0]}', '{s['red'][0]}') GROUP BY c.accno")
                 if Decimal(r[0])]
    c = d["customer"]
    master = s["master"]
    if d["lang"] != s["lang"] and s["lang2"] and d["lang"] == s["lang2"][0]:
        master = s["lang2"][2]
    fmt = "html" if s["fmt"] == "html" else "pdf"
    pr = PRINTS[(fmt, master)]
    t = dict(invoice_number=invnumber, issue_date=transdate, currency=curr, subtotal=f"{sub:.2f}",
             vat_amount=f"{vat_amt:.2f}", seller_name=s["name"], buyer_name=c["name"],
             kind="credit_note" if d["credit"] else "invoice", lines=nlines)
    if d["credit"]:
        t["total"] = f"{total:.2f}"
        t["amount_due"] = f"{total:.2f}"
        if fmt == "html":
            t["due_date"] = duedate
    else:
        if pr["due"]:
            t["due_date"] = duedate
        if paid and pr["paid"]:
            t["amount_due"] = f"{total - paid:.2f}"
            if fmt == "html" and master in ("Default", "French", "German", "Service_Industry"):
                t["total"] = f"{total:.2f}"  # these HTML templates print the invoice total too? see check
        else:
            t["total"] = f"{total:.2f}"
            t["amount_due"] = f"{total - paid:.2f}"
    own = {"names": [], "vat_numbers": [], "ibans": []}
    if d["own_buyer"]:
        own["names"] = [c["name"]]
    return {k: v for k, v in t.items() if v not in (None, "")}, own, paid, parts


def norm(s):
    return re.sub(r"[\s\u00a0\u202f’'.,-]", "", s)


def fold(s):
    """Letters and digits only, accents dropped: LaTeX's OT1 accents come out of pdftotext as a
    letter plus a separate accent."""
    s = unicodedata.normalize("NFKD", s)
    return re.sub(r"[^0-9a-z]", "", s.lower())


def pdf_text(path):
    """pdftotext -layout, then the raw reading order (a value wrapped inside an HTML table cell is
    interleaved with the next column in the layout text)."""
    try:
        lay = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
        raw = subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return None
    return lay + "\n\f\n" + raw


def self_check(txt, t, s, parts):
    if txt is None:
        return []
    n = norm(txt)
    flat = re.sub(r"\s+", " ", txt)
    bad = []
    fmt = s["numberformat"]
    for k in ("subtotal", "total", "amount_due"):
        if k in t and sl_num(Decimal(t[k]), fmt) not in flat:
            bad.append(k)
    if sum(parts, Decimal(0)) != Decimal(t["vat_amount"]):
        bad.append("vat_amount (sum of the tax lines)")
    for x in parts:  # each tax line (the sum of two rates is not printed)
        if sl_num(x, fmt) not in flat:
            bad.append(f"vat line {x}")
    for k in ("invoice_number", "iban", "seller_vat"):
        if k in t and norm(t[k]) not in n:
            bad.append(k)
    for k in ("seller_name", "buyer_name"):
        if k in t and fold(t[k]) not in fold(txt):
            bad.append(k)
    for k in ("issue_date", "due_date"):
        if k in t and sl_date(dt.date.fromisoformat(t[k]), s["dateformat"]) not in flat:
            bad.append(k)
    if "currency" in t and t["currency"] not in flat:
        bad.append("currency")
    return bad


# ---------------------------------------------------------------------------------------------


def write_pdflatex_conf(work):
    d = os.path.join(work, "conf-pdflatex")
    os.makedirs(d, exist_ok=True)
    with open(SYS_CONF, encoding="utf-8") as f:
        conf = f.read()
    conf, n = re.subn(r"^\$dvipdf\s*=\s*1;", "$dvipdf = 0;", conf, flags=re.M)
    with open(os.path.join(d, "sql-ledger.conf"), "w", encoding="utf-8") as f:
        f.write(conf)
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=32, help="total number of documents (default 32)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the datasets after the run")
    ap.add_argument("--root-password", default="sqlledger-corpus")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", default="5432")
    ap.add_argument("--pg-user", default="postgres")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    def log(msg):
        if not a.quiet:
            print(msg, file=sys.stderr, flush=True)

    if not os.path.isdir(SL_DIR):
        raise SystemExit("SQL-Ledger is not installed (apt-get install sql-ledger libdbd-pg-perl)")
    odir = os.path.join(a.out, "sqlledger")
    os.makedirs(odir, exist_ok=True)
    pg = PG(a.pg_host, a.pg_port, a.pg_user)
    manifest = []
    counts = {}
    bad_total = 0
    with tempfile.TemporaryDirectory(prefix="sqlledger-") as tmp:
        sl = SQLLedger(a.root_password, write_pdflatex_conf(tmp))
        setup = Setup(sl, pg, log)
        created = setup.ensure_root()
        users_before = set(os.listdir(USERS_DIR))
        specs = [company_spec(a.seed, c) for c in COMPANIES]
        per_company = [0] * len(specs)
        for i in range(a.count):
            per_company[i % len(specs)] += 1
        try:
            for s in specs:
                setup.delete_dataset(s["db"])
            for ci, s in enumerate(specs):
                if not per_company[ci]:
                    continue
                log(f"{s['key']}: {s['name']} ({s['country']})")
                sess = setup.create(s)
                for k in range(per_company[ci]):
                    d = doc_spec(a.seed, s, k)
                    family = "credit-note" if d["credit"] else ("html-invoice" if s["fmt"] == "html"
                                                                else "latex-invoice")
                    idx = counts.get(family, 0)
                    counts[family] = idx + 1
                    name = f"{family}-{idx:03d}.pdf"
                    ar_id = post_document(sess, pg, s, d)
                    shown = print_document(sess, s, d, ar_id, os.path.join(odir, name), tmp)
                    t, own, paid, parts = truth_of(pg, s, d, ar_id, shown)
                    txt = pdf_text(os.path.join(odir, name))
                    if "total" in t and paid and s["fmt"] == "html" and txt is not None:
                        if sl_num(Decimal(t["total"]), s["numberformat"]) not in re.sub(r"\s+", " ", txt):
                            del t["total"]
                    # the seller's VAT number is printed by some templates (the tax registration number
                    # in a tax line loop; the Dutch HTML template prints "ARRAY(0x...)" instead) or by the
                    # notes; the IBAN only by the notes; the buyer's VAT number by the credit templates
                    if txt is not None and norm(s["vat"]) in norm(txt):
                        t["seller_vat"] = s["vat"]
                    elif d["vat_shown"]:
                        log(f"warning: {name}: VAT number in the notes not found in the text")
                    if txt is not None and norm(s["iban"]) in norm(txt):
                        t["iban"] = s["iban"]
                    elif d["iban_shown"]:
                        log(f"warning: {name}: IBAN in the notes not found in the text")
                    if own["names"] and d["customer"]["vat"] and txt is not None \
                            and norm(d["customer"]["vat"]) in norm(txt):
                        own["vat_numbers"] = [d["customer"]["vat"]]
                    bad = self_check(txt, t, s, parts)
                    if bad:
                        bad_total += 1
                        log(f"warning: {name}: not found in text: {bad}")
                    renderer = "chromium" if s["fmt"] == "html" else ("pdflatex" if s["pdflatex"] else "dvipdf")
                    manifest.append(dict(path=f"sqlledger/{name}", producer="sqlledger", family=family,
                                         renderer=renderer, split="tune" if idx % 2 == 0 else "heldout",
                                         own=own, truth=t))
                    log(f"  {name}: {t['invoice_number']} {t.get('total', t.get('amount_due'))} {t['currency']} "
                        f"({t['lines']} lines, {renderer})")
        finally:
            # SQL-Ledger runs LaTeX in the users directory and, with Debian's absolute $userspath,
            # fails to remove its temporary files there (its cleanup chdirs to "<cwd>/<userspath>")
            for f in set(os.listdir(USERS_DIR)) - users_before:
                if re.match(r"^\d+_(credit_)?invoice_\w*\.(tex|aux|log|dvi|err|pdf|ps|out)$", f):
                    os.remove(os.path.join(USERS_DIR, f))
            if not a.keep:
                for s in specs:
                    try:
                        setup.delete_dataset(s["db"])
                    except Exception as e:  # noqa: BLE001
                        log(f"warning: could not delete {s['db']}: {e}")
                if created["members"] and not re.search(r"^\[(?!root login\])", setup.members_text(), re.M):
                    for f in (MEMBERS, os.path.join(USERS_DIR, "root login.conf")):
                        if os.path.exists(f):
                            os.remove(f)
                if created["templates"] and os.path.isdir(TEMPLATES_DIR) and not os.listdir(TEMPLATES_DIR):
                    os.rmdir(TEMPLATES_DIR)
    manifest.sort(key=lambda e: e["path"])
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"wrote {len(manifest)} PDFs to {odir} ({sl.calls} CGI requests, {bad_total} with self-check warnings)")


if __name__ == "__main__":
    main()
