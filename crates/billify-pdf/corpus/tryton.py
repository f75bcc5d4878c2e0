#!/usr/bin/env python3
"""Invoices printed by the Tryton ERP's own invoice report, with ground truth.

What it runs: the real Tryton server (``trytond`` 7.0 series with the ``account_invoice``,
``account``, ``party``, ``company``, ``currency``, ``product``, ``bank`` and ``account_payment``
modules, and their French, German, Dutch and Spanish translations) on an SQLite database, driven
through ``proteus`` (Tryton's scripting client) the way a small business uses it: six seller
companies (two in BE, one each in NL, FR, DE, GB), each with its VAT number as a party
identifier, an address, its own minimal chart of accounts, fiscal years 2025 and 2026, invoice
and credit note sequences (``INV/2026/0017``, ``F2026-00001``, ``RE202600120``, ``FAC-2026-245``,
...), taxes (21/12/6/0 BE, 21/9 NL, 20/10/5.5 FR, 19/7 DE, 20/5/0 GB, plus a 0 % reverse-charge
tax with its legal notice), payment terms (net 14/30 days, 30 days end of month, 50 % now and
50 % at 30 days) and products; a company header (address, phone, e-mail) and footer (bank
details, registration) in some. Customers (companies, sometimes people) in BE, NL, FR, DE, GB, LU,
CH, ES, US speak English, French, German, Dutch or Spanish: Tryton prints the report in the
customer's language with that language's date and number format. Invoices have 1-25 lines (product
lines ``[CODE] name`` with units, or free text), one or several tax rates, EUR mostly, some GBP,
USD, CHF; some are credit notes (negative quantities), most made with Tryton's Credit wizard from
an earlier invoice (posted but not in the corpus), partly or wholly. The invoices are posted in
date order and printed with Tryton's ``account.invoice`` report (its ODT template rendered by
relatorio); the report's output extension is set to PDF, so Tryton converts it with LibreOffice
(``soffice``) and stores it on the invoice at posting.

Install:
  apt-get install -y libreoffice-writer-nogui poppler-utils
  python3 -m venv /work/scratch/tryton-venv
  /work/scratch/tryton-venv/bin/pip install 'trytond>=7.0,<7.1' 'trytond-account-invoice>=7.0,<7.1' \\
      'trytond-party>=7.0,<7.1' 'trytond-company>=7.0,<7.1' 'trytond-account>=7.0,<7.1' \\
      'trytond-product>=7.0,<7.1' 'trytond-currency>=7.0,<7.1' 'trytond-bank>=7.0,<7.1' \\
      'trytond-account-payment>=7.0,<7.1' 'proteus>=7.0,<7.1'
The script re-executes itself with the venv's Python (``--python PY`` or ``$TRYTON_PYTHON``,
default ``/work/scratch/tryton-venv/bin/python``) when ``proteus`` is not importable. It imports
``iban``/``iban_print`` from ``generate.py`` beside it.

Usage: ``python3 tryton.py OUT [--count 40] [--seed 7] [--work DIR]``
Writes ``OUT/tryton/<family>-NN.pdf`` and ``OUT/manifest.json``. The database with the modules
activated and the translations loaded (about a minute to create) is cached in ``--work``
(default ``OUT/.cache``, ``template.sqlite``); each run copies it and creates the companies,
customers and invoices anew (same seed and count, same documents). Default count: about 5
minutes (LibreOffice converts each report).

Family: ``tryton-<lang>``, the language the report is printed in (``en``, ``fr``, ``de``, ``nl``,
``es``): labels and date format (``%m/%d/%Y`` en, ``%d.%m.%Y`` fr/de, ``%d-%m-%Y`` nl,
``%d/%m/%Y`` es) and number format change with it. ``split`` alternates within each family.

Truth: invoice number, invoice date, due date (the maturity date of the single instalment the
report prints under the payment term; left out when the term has two instalments), currency,
untaxed amount, tax amount and total as Tryton computed them, ``amount_due`` = the sum of the
instalments printed (= the total: Tryton stores the report at posting, so no payment ever shows
on it), the seller's name (the company's party name) and VAT number (the report prints the
company's tax identifier; for a UK seller Tryton prints it without the ``GB`` prefix, the truth
has it), the buyer's name, the IBAN when the company footer prints it, kind (``credit_note`` for
credit notes: Tryton titles them "Invoice N°" too, with negative amounts) and the number of
invoice lines. ``own`` (4 documents in 5) is the buyer's name and VAT number (printed under its
address; UK numbers with ``GB`` as above). The report prints no buyer VAT in the truth sense of a
key, no order number apart from the reference, no payment. Each truth value is checked against
``pdftotext -layout`` of the page (an amount wrapped inside a narrow table cell is reported, and
kept).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PYTHON = "/work/scratch/tryton-venv/bin/python"


def ensure_venv():
    try:
        import proteus  # noqa: F401
        return
    except ImportError:
        pass
    py = os.environ.get("TRYTON_PYTHON", DEFAULT_PYTHON)
    if "--python" in sys.argv:
        py = sys.argv[sys.argv.index("--python") + 1]
    if os.environ.get("TRYTON_REEXEC"):
        sys.exit("proteus is not importable even with %s" % py)
    if not os.path.exists(py):
        sys.exit("no Tryton venv at %s (see the docstring for how to install it)" % py)
    os.environ["TRYTON_REEXEC"] = "1"
    os.execv(py, [py] + sys.argv)


sys.path.insert(0, HERE)
from generate import iban as make_iban, iban_print  # noqa: E402

D2 = Decimal("0.01")
MODULES = ["account_invoice", "bank", "account_payment", "product"]
LANGS = ["fr", "de", "nl", "es"]

# ---------------------------------------------------------------------------------------------
# Random business data.

FIRST = ["Bloc", "Noord", "Atlas", "Zenith", "Kobalt", "Vector", "Lumen", "Orion", "Delta", "Pixel", "Helix",
         "Cedar", "Falcon", "Granit", "Mosaic", "Nimbus", "Quartz", "Rivier", "Sirius", "Tandem", "Vulcan", "Willow",
         "Ardenne", "Beaulieu", "Schelde", "Hanse", "Elbe", "Thames", "Pennine", "Loire", "Provence", "Iberia"]
SECOND = ["Group", "Studio", "Consult", "Logistics", "Systems", "Design", "Bouw", "Technics", "Media", "Partners",
          "Services", "Digital", "Print", "Foods", "Energy", "Works", "Labs", "Trading", "Software", "Solutions",
          "Installaties", "Conseil", "Maschinenbau", "Handel", "Distribution", "Engineering", "Import-Export"]
LONG = ["International", "Europe", "Benelux", "& Partners", "Holding", "Industrial Supplies", "Facility Management"]
FORMS = {"BE": ["BV", "NV", "SRL", "SA", "CommV", "BVBA"], "NL": ["B.V.", "BV", "V.O.F."],
         "DE": ["GmbH", "AG", "UG (haftungsbeschränkt)", "GmbH & Co. KG", "e.K."], "FR": ["SAS", "SARL", "SA", "EURL"],
         "GB": ["Ltd", "Limited", "LLP", "plc"], "US": ["Inc.", "LLC", "Corp."], "LU": ["S.à r.l.", "S.A."],
         "CH": ["AG", "GmbH", "SA", "Sàrl"], "ES": ["S.L.", "S.A."]}
STREETS = {
    "BE": ["Meirbrug {n}", "Bijlokevest {n}", "Rue de la Loi {n}", "Kortrijksesteenweg {n}", "Avenue Louise {n}", "Chaussée de Wavre {n}"],
    "NL": ["Keizersgracht {n}", "Stationsplein {n}", "Hoofdstraat {n}", "Lange Voorhout {n}", "Coolsingel {n}"],
    "DE": ["Hauptstraße {n}", "Bahnhofstr. {n}", "Lindenallee {n}", "Industriestraße {n}", "Am Sandtorkai {n}"],
    "FR": ["{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} boulevard Haussmann", "{n} place Bellecour", "{n} rue Nationale"],
    "GB": ["{n} High Street", "{n} Baker Street", "Unit {n}, Riverside Park", "{n} Station Road", "{n} Deansgate"],
    "US": ["{n} Market Street", "{n} Broadway, Suite 200", "{n} Main St", "{n} Elm Avenue"],
    "LU": ["{n} avenue John F. Kennedy", "{n} rue du Fort Wallis", "{n} route d'Arlon"],
    "CH": ["Bahnhofstrasse {n}", "Rue du Rhône {n}", "Seefeldstrasse {n}"],
    "ES": ["Calle de Alcalá {n}", "Passeig de Gràcia {n}", "Gran Vía {n}"],
}
CITIES = {
    "BE": [("2000", "Antwerpen"), ("9000", "Gent"), ("1000", "Bruxelles"), ("3000", "Leuven"), ("8500", "Kortrijk"), ("4000", "Liège")],
    "NL": [("1017 AB", "Amsterdam"), ("3511 CE", "Utrecht"), ("2514 JH", "Den Haag"), ("3011 AD", "Rotterdam")],
    "DE": [("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg")],
    "FR": [("75001", "Paris"), ("69002", "Lyon"), ("33000", "Bordeaux"), ("59000", "Lille")],
    "GB": [("EC1A 1BB", "London"), ("M1 1AE", "Manchester"), ("LS1 4AP", "Leeds"), ("BS1 4DJ", "Bristol")],
    "US": [("94105", "San Francisco"), ("10001", "New York"), ("78701", "Austin")],
    "LU": [("L-1855", "Luxembourg"), ("L-2226", "Luxembourg")],
    "CH": [("8001", "Zürich"), ("1204", "Genève")],
    "ES": [("28014", "Madrid"), ("08007", "Barcelona")],
}
COUNTRY_NAMES = {"BE": "Belgium", "NL": "Netherlands", "FR": "France", "DE": "Germany", "GB": "United Kingdom",
                 "US": "United States", "LU": "Luxembourg", "CH": "Switzerland", "ES": "Spain"}
PEOPLE = {"en": ["James Whitfield", "Olivia Bennett", "Harriet Osei"], "fr": ["Sophie Martin", "Jean-Luc Dubois", "Camille Lefèvre"],
          "de": ["Jürgen Hoffmann", "Anna Weber", "Lukas Schäfer"], "nl": ["Jan Peeters", "Els Janssens", "Sanne de Vries"],
          "es": ["Lucía García López", "Javier Martínez"]}
GOODS = ["Consulting services", "Web hosting (monthly)", "Office chairs", "Design work", "Software licence",
         "Maintenance contract", "Printing A4 flyers", "Travel expenses", "Support hours", "Laptop stand",
         "Cloud storage 1 TB", "Translation NL-FR", "Catering lunch", "Delivery costs", "Training day",
         "Installation on site", "Spare parts kit", "Project management", "Data migration", "Audit report",
         "Prestations de conseil", "Wartungsvertrag", "Onderhoudscontract", "Licence annuelle", "Schulung (Tag)",
         "Montage und Inbetriebnahme", "Transportkosten", "Verzendkosten", "Frais de port", "Toner cartridge"]
# Seller countries: taxes (rate, description per language of the company), currency, VAT type.
SELLERS = {
    "BE": dict(currency="EUR", rates=["21", "12", "6", "0"], tax_word="BTW", vat_type="eu_vat"),
    "NL": dict(currency="EUR", rates=["21", "9"], tax_word="BTW", vat_type="eu_vat"),
    "FR": dict(currency="EUR", rates=["20", "10", "5.5"], tax_word="TVA", vat_type="eu_vat"),
    "DE": dict(currency="EUR", rates=["19", "7"], tax_word="USt.", vat_type="eu_vat"),
    "GB": dict(currency="GBP", rates=["20", "5", "0"], tax_word="VAT", vat_type="gb_vat"),
}
CURRENCIES = {"EUR": ("Euro", "€", Decimal("1")), "GBP": ("Pound Sterling", "£", Decimal("0.86")),
              "USD": ("US Dollar", "$", Decimal("1.08")), "CHF": ("Swiss Franc", "CHF", Decimal("0.95"))}


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def vat_number(rng, country):
    from stdnum.eu import vat as euvat
    from stdnum.gb import vat as gbvat
    from stdnum.ch import vat as chvat
    while True:
        if country == "BE":
            body = rng.choice("01") + "".join(rng.choice("0123456789") for _ in range(7))
            v = f"BE{body}{97 - int(body) % 97:02d}"
        elif country == "NL":
            d = [rng.randrange(10) for _ in range(8)]
            last = sum(d[i] * (9 - i) for i in range(8)) % 11
            v = "NL" + "".join(map(str, d)) + str(last) + "B" + f"{rng.randrange(1, 20):02d}"
        elif country == "DE":
            v = "DE" + "".join(rng.choice("0123456789") for _ in range(9))
        elif country == "FR":
            siren = str(rng.randrange(100000000, 999999999))
            v = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
        elif country == "LU":
            body = str(rng.randrange(100000, 999999))
            v = f"LU{body}{int(body) % 89:02d}"
        elif country == "ES":
            v = "ES" + "B" + "".join(rng.choice("0123456789") for _ in range(8))
        elif country == "GB":
            d = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(6)]
            total = sum(w * x for w, x in zip([8, 7, 6, 5, 4, 3, 2], d))
            v = "GB" + "".join(map(str, d)) + f"{(-total) % 97:02d}"
            if gbvat.is_valid(v):
                return v
            continue
        elif country == "CH":
            v = "CHE" + "".join(rng.choice("0123456789") for _ in range(9))
            if chvat.is_valid(v + "MWST"):
                return v + "MWST"
            continue
        else:
            raise ValueError(country)
        if euvat.is_valid(v):
            return v


def valid_iban(rng, country):
    from stdnum import iban as stdiban
    while True:
        v = make_iban(rng, country)
        if stdiban.is_valid(v):  # Tryton's bank module checks the bank code too
            return v


def org_name(rng, country, long=False):
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
    if long:
        name += " " + rng.choice(LONG)
    return name + " " + rng.choice(FORMS[country])


def street(rng, country):
    return rng.choice(STREETS[country]).format(n=rng.randrange(1, 250))


# ---------------------------------------------------------------------------------------------
# Tryton: database, setup.


def run_admin(python, conf, db, args, log):
    env = dict(os.environ, TRYTONPASSFILE=os.path.join(os.path.dirname(conf), "pass"))
    admin = os.path.join(os.path.dirname(python), "trytond-admin")
    cmd = [admin, "-c", conf, "-d", db] + args
    with open(log, "a") as f:
        subprocess.run(cmd, check=True, env=env, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def base_database(work):
    """The SQLite database with the modules activated and translations loaded (cached)."""
    os.makedirs(work, exist_ok=True)
    template = os.path.join(work, "template.sqlite")
    conf = os.path.join(work, "trytond.conf")
    dbdir = os.path.join(work, "db")
    os.makedirs(dbdir, exist_ok=True)
    with open(conf, "w") as f:
        f.write(f"[database]\nuri = sqlite://\npath = {dbdir}\n")
    with open(os.path.join(work, "pass"), "w") as f:
        f.write("admin\n")
    if not os.path.exists(template):
        print("creating the Tryton database (once)...", file=sys.stderr)
        path = os.path.join(dbdir, "base.sqlite")
        if os.path.exists(path):
            os.remove(path)
        open(path, "w").close()
        log = os.path.join(work, "admin.log")
        run_admin(sys.executable, conf, "base", ["-u"] + MODULES + ["--activate-dependencies", "--email", "admin@example.com", "-l"] + LANGS, log)
        shutil.copy(path, template)
    return conf, dbdir, template


class Tryton:
    def __init__(self, conf, dbname):
        from proteus import config as pconfig
        self.cfg = pconfig.set_trytond(dbname, config_file=conf)
        from proteus import Model
        self.Model = Model
        self.countries = {}
        self.currencies = {}
        self.langs = {}

    def get(self, name):
        return self.Model.get(name)

    def setup_common(self):
        Lang = self.get("ir.lang")
        for lang in Lang.find([("translatable", "=", True)]):
            self.langs[lang.code] = lang
        Country = self.get("country.country")
        for code, name in COUNTRY_NAMES.items():
            c = Country(name=name, code=code)
            c.save()
            self.countries[code] = c
        Currency = self.get("currency.currency")
        Rate = self.get("currency.currency.rate")
        for code, (name, symbol, rate) in CURRENCIES.items():
            cur = Currency(name=name, code=code, symbol=symbol, rounding=D2, digits=2)
            cur.save()
            Rate(date=dt.date(2020, 1, 1), rate=rate, currency=cur).save()
            self.currencies[code] = cur
        Report = self.get("ir.action.report")
        for r in Report.find([("report_name", "=", "account.invoice")]):
            r.extension = "pdf"
            r.save()

    def make_address(self, party, country, street_, postal, city):
        addr = party.addresses[0] if party.addresses else party.addresses.new()
        addr.street = street_
        addr.postal_code = postal
        addr.city = city
        addr.country = self.countries[country]

    def create_company(self, spec):
        Model = self.Model
        from proteus import Wizard
        Party = self.get("party.party")
        User = self.get("res.user")
        party = Party(name=spec["name"], lang=self.langs.get(spec["lang"]))
        self.make_address(party, spec["country"], spec["street"], spec["postal"], spec["city"])
        ident = party.identifiers.new()
        ident.type = spec["vat_type"]
        ident.code = spec["vat"]
        party.save()
        if spec.get("iban"):
            # The bank account of the company (bank module); the report prints it only through the
            # company footer.
            bank_party = Party(name=spec["bank_name"])
            bank_party.save()
            bank = self.get("bank")(party=bank_party, bic=spec["bic"])
            bank.save()
            acc = self.get("bank.account")(bank=bank, currency=self.currencies[spec["currency"]])
            acc.owners.append(Party(party.id))
            num = acc.numbers.new()
            num.type = "iban"
            num.number = spec["iban"]
            acc.save()
        wiz = Wizard("company.company.config")
        wiz.execute("company")
        wiz.form.party = party
        wiz.form.currency = self.currencies[spec["currency"]]
        if spec.get("header"):
            wiz.form.header = spec["header"]
        if spec.get("footer"):
            wiz.form.footer = spec["footer"]
        wiz.execute("add")
        self.cfg._context = User.get_preferences(True, {})
        Company = self.get("company.company")
        company, = Company.find([("party", "=", party.id)])
        return company

    def switch(self, company):
        User = self.get("res.user")
        user = User(self.cfg.user)
        user.company = company
        user.save()
        self.cfg._context = User.get_preferences(True, {})

    def setup_company(self, company, spec):
        """Chart of accounts, fiscal years, sequences, taxes, payment terms, products."""
        from proteus import Wizard
        self.switch(company)
        ModelData = self.get("ir.model.data")
        Template = self.get("account.account.template")
        data, = ModelData.find([("module", "=", "account"), ("fs_id", "=", "account_template_root_en")], limit=1)
        wiz = Wizard("account.create_chart")
        wiz.execute("account")
        wiz.form.account_template = Template(data.db_id)
        wiz.form.company = company
        wiz.execute("create_account")
        Account = self.get("account.account")

        def account(kind):
            acc, = Account.find([(f"type.{kind}", "=", True), ("company", "=", company.id), ("closed", "!=", True)], limit=1)
            return acc
        accounts = {k: account(k) for k in ["receivable", "payable", "revenue", "expense"]}
        accounts["tax"], = Account.find([("company", "=", company.id), ("name", "=", "Main Tax")], limit=1)
        wiz.form.account_receivable = accounts["receivable"]
        wiz.form.account_payable = accounts["payable"]
        wiz.execute("create_properties")

        FiscalYear = self.get("account.fiscalyear")
        Sequence = self.get("ir.sequence")
        SequenceStrict = self.get("ir.sequence.strict")
        SequenceType = self.get("ir.sequence.type")
        move_type, = SequenceType.find([("name", "=", "Account Move")], limit=1)
        inv_type, = SequenceType.find([("name", "=", "Invoice")], limit=1)
        for year in (2025, 2026):
            fy = FiscalYear(name=str(year), start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31), company=company)
            seq = Sequence(name=f"Moves {year}", sequence_type=move_type, company=company)
            seq.save()
            fy.post_move_sequence = seq
            pre_inv, pre_cn, pad, start = spec["numbering"](year)
            inv_seq = SequenceStrict(name=f"Invoices {year}", sequence_type=inv_type, company=company,
                                     prefix=pre_inv, padding=pad, number_next=start)
            inv_seq.save()
            cn_seq = SequenceStrict(name=f"Credit notes {year}", sequence_type=inv_type, company=company,
                                    prefix=pre_cn, padding=pad, number_next=max(1, start // 10))
            cn_seq.save()
            s, = fy.invoice_sequences
            s.out_invoice_sequence = inv_seq
            s.out_credit_note_sequence = cn_seq
            s.in_invoice_sequence = inv_seq
            s.in_credit_note_sequence = cn_seq
            fy.save()
            fy.click("create_period")

        Tax = self.get("account.tax")
        taxes = {}
        for rate, desc, notice in spec["taxes"]:
            tax = Tax(name=desc, description=desc, type="percentage", rate=Decimal("0" if rate == "rc" else rate) / 100,
                      invoice_account=accounts["tax"], credit_note_account=accounts["tax"])
            if notice:
                tax.legal_notice = notice
            tax.save()
            taxes[rate] = tax

        Term = self.get("account.invoice.payment_term")
        terms = {}
        for key, name, desc, deltas in spec["terms"]:
            term = Term(name=name)
            if desc:
                term.description = desc
            if key == "split":
                line = term.lines.new(type="percent", ratio=Decimal("0.5"))
                line.relativedeltas.new(days=0)
            line = term.lines.new(type="remainder")
            for delta in deltas:
                line.relativedeltas.new(**delta)
            term.save()
            terms[key] = term

        Category = self.get("product.category")
        cat = Category(name=f"Sales {spec['country']}", accounting=True)
        cat.account_revenue = accounts["revenue"]
        cat.account_expense = accounts["expense"]
        cat.customer_taxes.append(Tax(taxes[spec["taxes"][0][0]].id))
        cat.save()
        Uom = self.get("product.uom")
        units = {u.symbol: u for u in Uom.find([("symbol", "in", ["u", "h", "kg", "m"])])}
        Template = self.get("product.template")
        products = []
        for code, name, price, uom in spec["products"]:
            t = Template(name=name, type="service" if uom == "h" else "goods", default_uom=units[uom],
                         list_price=price, account_category=cat)
            t.code = code
            t.save()
            products.append(t.products[0])
        return dict(accounts=accounts, taxes=taxes, terms=terms, products=products)


# ---------------------------------------------------------------------------------------------
# The sellers, customers and invoices drawn from the seed.

TERM_TEXT = {
    "en": {"net14": "Payable within 14 days", "net30": "Payment within 30 days of invoice date",
           "eom": "30 days end of month", "split": "50% on invoice, balance at 30 days"},
    "fr": {"net14": "Paiement à 14 jours", "net30": "Payable à 30 jours date de facture",
           "eom": "Paiement à 30 jours fin de mois", "split": "50 % à la commande, solde à 30 jours"},
    "de": {"net14": "Zahlbar innerhalb von 14 Tagen ohne Abzug", "net30": "Zahlbar innerhalb von 30 Tagen netto",
           "eom": "Zahlbar 30 Tage zum Monatsende", "split": "50 % sofort, Rest in 30 Tagen"},
    "nl": {"net14": "Betaalbaar binnen 14 dagen", "net30": "Betaling binnen 30 dagen na factuurdatum",
           "eom": "30 dagen einde maand", "split": "50% bij factuur, saldo na 30 dagen"},
}
TAX_TEXT = {
    "BE": {"nl": "BTW {r}%", "fr": "TVA {r}%"}, "NL": {"nl": "BTW {r}%", "en": "VAT {r}%"},
    "FR": {"fr": "TVA {r} %", "en": "VAT {r}%"}, "DE": {"de": "USt. {r} %", "en": "VAT {r}%"},
    "GB": {"en": "VAT {r}%"},
}
REVERSE = {"nl": ("BTW verlegd", "Btw verlegd - art. 196 Richtlijn 2006/112/EG"),
           "fr": ("Autoliquidation", "Autoliquidation - article 196 de la directive 2006/112/CE"),
           "de": ("Steuerschuldnerschaft des Leistungsempfängers", "Reverse Charge - Art. 196 MwStSystRL"),
           "en": ("Reverse charge", "Reverse charge - Article 196 of Directive 2006/112/EC")}
BANKS = {"BE": [("BNP Paribas Fortis", "GEBABEBB"), ("KBC Bank", "KREDBEBB"), ("Belfius", "GKCCBEBB")],
         "NL": [("ING Bank", "INGBNL2A"), ("Rabobank", "RABONL2U"), ("ABN AMRO", "ABNANL2A")],
         "FR": [("BNP Paribas", "BNPAFRPP"), ("Crédit Agricole", "AGRIFRPP"), ("Société Générale", "SOGEFRPP")],
         "DE": [("Deutsche Bank", "DEUTDEFF"), ("Commerzbank", "COBADEFF"), ("Sparkasse KölnBonn", "COLSDE33")],
         "GB": [("Barclays", "BARCGB22"), ("NatWest", "NWBKGB2L"), ("HSBC UK", "HBUKGB4B")]}
NUMBERING = [
    lambda y: (f"INV/{y}/", f"CN/{y}/", 4),
    lambda y: (f"F{y}-", f"NC{y}-", 5),
    lambda y: (f"{y}-", f"C{y}-", 4),
    lambda y: (f"RE{y}", f"GS{y}", 5),
    lambda y: (f"FAC-{y}-", f"AV-{y}-", 3),
    lambda y: (f"{y}/", f"{y}/CN/", 6),
]


def seller_specs(rng):
    specs = []
    codes = set()
    for country, lang in [("BE", "nl"), ("NL", "nl"), ("FR", "fr"), ("DE", "de"), ("GB", "en"), ("BE", "fr")]:
        info = SELLERS[country]
        postal, city = rng.choice(CITIES[country])
        s = dict(country=country, lang=lang, name=org_name(rng, country, long=rng.random() < 0.3), street=street(rng, country),
                 postal=postal, city=city, vat=vat_number(rng, country), vat_type=info["vat_type"], currency=info["currency"])
        tlang = lang if lang in TAX_TEXT[country] else "en"
        s["taxes"] = [(r, TAX_TEXT[country][tlang].format(r=r.replace(".", "," if tlang != "en" else ".")), None) for r in info["rates"]]
        if country != "GB":
            word, notice = REVERSE[tlang if tlang in REVERSE else "en"]
            s["taxes"].append(("rc", word, notice))
        if country == "GB":
            s["taxes"] = [(r, d, "Zero rated supply" if r == "0" else None) for r, d, _ in s["taxes"]]
        tt = TERM_TEXT.get(lang, TERM_TEXT["en"])
        s["terms"] = [("net14", "Net 14", tt["net14"], [dict(days=14)]),
                      ("net30", "Net 30", tt["net30"], [dict(days=30)]),
                      ("eom", "30 EOM", tt["eom"], [dict(days=30), dict(day=31)]),
                      ("split", "50/50", tt["split"], [dict(days=30)])]
        start = rng.choice([1, 1, 17, 120, 245])
        numbering = rng.choice(NUMBERING)
        s["numbering"] = (lambda nb, st: (lambda y: nb(y) + (st,)))(numbering, start)
        s["products"] = []
        for k, name in enumerate(rng.sample(GOODS, 6)):
            uom = "h" if any(w in name.lower() for w in ("hours", "services", "consult", "schulung", "management")) else "u"
            while True:
                code = f"{rng.choice('ABCPRS')}{rng.randrange(100, 999)}"
                if code not in codes:
                    codes.add(code)
                    break
            s["products"].append((code, name, q(rng.uniform(5, 400)), uom))
        # Letterhead and footer lines, as typed into the company form.
        header = []
        if rng.random() < 0.6:
            header = [s["street"], f"{postal} {city}" if country != "GB" else f"{city} {postal}"]
            if rng.random() < 0.5:
                header.append(rng.choice({"BE": ["Tel. +32 3 123 45 67", "Tél. 02 512 34 56"], "NL": ["T +31 20 555 0101"],
                                          "FR": ["Tél. 01 42 68 53 00"], "DE": ["Tel. 030 1234567"],
                                          "GB": ["Phone 020 7946 0958"]}[country]))
            if rng.random() < 0.5:
                header.append(f"info@{s['name'].split()[0].lower()}.example")
        s["header"] = "\n".join(header)
        footer = []
        if rng.random() < 0.75:
            s["iban"] = valid_iban(rng, country)
            s["bank_name"], s["bic"] = rng.choice(BANKS[country])
            by_code = {"INGB": ("ING Bank", "INGBNL2A"), "RABO": ("Rabobank", "RABONL2U"), "ABNA": ("ABN AMRO", "ABNANL2A"),
                       "KNAB": ("Knab", "KNABNL2H"), "NWBK": ("NatWest", "NWBKGB2L"), "BARC": ("Barclays", "BARCGB22"),
                       "HBUK": ("HSBC UK", "HBUKGB4B")}
            if s["iban"][4:8] in by_code:  # the bank named in the footer is the IBAN's bank
                s["bank_name"], s["bic"] = by_code[s["iban"][4:8]]
            shown = iban_print(s["iban"]) if rng.random() < 0.7 else s["iban"]
            footer.append(rng.choice([f"IBAN {shown} - BIC {s['bic']}", f"{s['bank_name']} · IBAN: {shown} · BIC: {s['bic']}",
                                      f"Bank: {s['bank_name']}, IBAN {shown}, SWIFT {s['bic']}"]))
        if rng.random() < 0.5:
            footer.append(rng.choice({"BE": ["RPR Antwerpen", "RPM Bruxelles"], "NL": ["KvK 12345678"], "FR": ["RCS Paris B 512 345 678",
                                      "SAS au capital de 10 000 €"], "DE": ["Amtsgericht Köln HRB 12345", "Geschäftsführer: Anna Weber"],
                                      "GB": ["Registered in England and Wales No. 08123456"]}[country]))
        s["footer"] = "\n".join(footer)
        specs.append(s)
    return specs


def customer_spec(rng, seller):
    # The customer's language decides the report's language (the family): draw it first.
    lang = rng.choices(["en", "fr", "de", "nl", "es"], [22, 22, 22, 22, 12])[0]
    countries = {"en": ["GB", "US", "NL", "BE", "DE", "FR"], "fr": ["FR", "BE", "LU", "CH"], "de": ["DE", "CH", "LU"],
                 "nl": ["NL", "BE"], "es": ["ES"]}[lang]
    home = [c for c in countries if c == seller["country"]]
    country = home[0] if home and rng.random() < 0.6 else rng.choice(countries)
    postal, city = rng.choice(CITIES[country])
    person = rng.random() < 0.1
    c = dict(country=country, lang=lang, name=rng.choice(PEOPLE[lang]) if person else org_name(rng, country, long=rng.random() < 0.25),
             street=street(rng, country), postal=postal, city=city)
    if country != "US" and not person and rng.random() < 0.85:
        c["vat"] = vat_number(rng, country)
        c["vat_type"] = {"GB": "gb_vat", "CH": "ch_vat"}.get(country, "eu_vat")
    return c


def invoice_spec(rng, seller):
    cust = customer_spec(rng, seller)
    start = dt.date(2025, 1, 10)
    date = start + dt.timedelta(days=rng.randrange(0, 680))
    currency = seller["currency"]
    if rng.random() < 0.2:
        currency = rng.choice([c for c in CURRENCIES if c != currency])
    n = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15, 18, 22, 25])
    credit = rng.random() < 0.15
    rates = [r for r, _, _ in seller["taxes"] if r != "rc"]
    eu = {"BE", "NL", "FR", "DE", "LU", "ES"}
    reverse = (seller["country"] in eu and cust["country"] in eu and cust["country"] != seller["country"]
               and "vat" in cust and rng.random() < 0.6)
    multi = rng.random() < 0.45
    lines = []
    for _ in range(n):
        if reverse:
            rate = "rc"
        elif multi and rng.random() < 0.4:
            rate = rng.choice(rates)
        else:
            rate = rates[0]
        r = rng.random()
        if r < 0.7:
            price, qtys = q(rng.uniform(3, 150)), [1, 1, 2, 3, 4, 5, 6, 10, 12, 20, 25, "0.5", "1.5", "7.5"]
        elif r < 0.95:
            price, qtys = q(rng.uniform(150, 900)), [1, 1, 1, 2, 3, 5, "1.5", "2.25"]
        else:
            price, qtys = q(rng.uniform(900, 3500)), [1, 1, 2]
        if rng.random() < 0.3:
            price = q(round(price, -1) or price)
        qty = Decimal(str(rng.choice(qtys)))
        if credit:
            qty = -qty
        product = rng.randrange(6) if rng.random() < 0.5 else None
        if product is not None and seller["products"][product][3] == "u":
            qty = qty.to_integral_value(rounding=ROUND_HALF_UP) or Decimal(1) * (qty / abs(qty))
        lines.append(dict(product=product, description=rng.choice(GOODS),
                          quantity=qty, price=price, rate=rate))
    inv = dict(customer=cust, date=date, currency=currency, lines=lines, credit=credit,
               term=rng.choice(["net14", "net30", "net30", "eom", "split"]) if not credit else rng.choice(["net30", "net14"]))
    if rng.random() < 0.4:
        inv["reference"] = rng.choice(["PO-", "BC ", "Bestellung ", "Order ", "Bon de commande "]) + str(rng.randrange(1000, 99999))
    if rng.random() < 0.3:
        inv["description"] = rng.choice(["Project Atlas", "Maintenance Q3", "Website redesign", "Mission d'audit", "Projekt Nordlicht",
                                         "Jaarcontract onderhoud"])
    return inv


def click_confirmed(t, record, button):
    """Click a button, answering "yes" to Tryton's warnings (a due date in the past) as a user does."""
    from trytond.exceptions import UserWarning as TrytonWarning
    Warning = t.get("res.user.warning")
    for _ in range(5):
        try:
            return record.click(button)
        except TrytonWarning as e:
            Warning(user=t.cfg.user, name=e.name, always=False).save()
    raise RuntimeError(f"too many warnings on {button}")


def build_invoice(t, env, spec):
    Party = t.get("party.party")
    Invoice = t.get("account.invoice")
    Tax = t.get("account.tax")
    c = spec["customer"]
    party = Party(name=c["name"], lang=t.langs.get(c["lang"]) if c["lang"] != "en" else t.get("ir.lang").find([("code", "=", "en")])[0])
    t.make_address(party, c["country"], c["street"], c["postal"], c["city"])
    if "vat" in c:
        ident = party.identifiers.new()
        ident.type = c["vat_type"]
        ident.code = c["vat"]
    party.save()
    inv = Invoice(type="out")
    inv.party = party
    inv.invoice_date = spec["date"]
    inv.currency = t.currencies[spec["currency"]]
    inv.payment_term = env["terms"][spec["term"]]
    if spec.get("reference"):
        inv.reference = spec["reference"]
    if spec.get("description"):
        inv.description = spec["description"]
    for ln in spec["lines"]:
        line = inv.lines.new()
        if ln["product"] is not None:
            line.product = env["products"][ln["product"]]
        else:
            line.account = env["accounts"]["revenue"]
            line.description = ln["description"]
        line.quantity = ln["quantity"]
        line.unit_price = ln["price"]
        line.taxes.clear()
        line.taxes.append(Tax(env["taxes"][ln["rate"]].id))
    inv.save()
    click_confirmed(t, inv, "post")
    inv = Invoice(inv.id)
    return inv


def credit_invoice(t, original, spec):
    """A credit note made with the invoice's Credit wizard (lines refer to the invoice, which the
    report prints beside "Reference"), keeping some of the lines for a partial credit."""
    from proteus import Wizard
    Invoice = t.get("account.invoice")
    wiz = Wizard("account.invoice.credit", [original])
    wiz.form.with_refund = False
    wiz.form.invoice_date = spec["date"]
    wiz.execute("credit")
    credit, = Invoice.find([("type", "=", "out"), ("state", "=", "draft")])
    keep = set(spec["keep"])
    for j, line in reversed(list(enumerate(credit.lines))):
        if j not in keep:
            credit.lines.remove(line)
    if spec.get("reference"):
        credit.reference = spec["reference"]
    credit.save()
    click_confirmed(t, credit, "post")
    return Invoice(credit.id)


def render(t, invoice):
    from proteus import Report
    report = Report("account.invoice")
    ext, content, _, _ = report.execute([invoice], {})
    if ext != "pdf":
        raise RuntimeError(f"report came out as {ext}, not pdf (is soffice installed?)")
    return content


# ---------------------------------------------------------------------------------------------
# Truth and self-check.


def truth_of(invoice, seller, spec):
    total = invoice.total_amount
    credit = total < 0
    # The report prints each unpaid instalment (date, amount) under the payment term. Tryton
    # stores the report when the invoice is posted, so later payments never show on it.
    to_pay = [ln for ln in invoice.lines_to_pay if not ln.reconciliation]
    due = sum((ln.amount_second_currency if ln.amount_second_currency else ln.debit - ln.credit) for ln in to_pay)
    tr = dict(invoice_number=invoice.number, issue_date=invoice.invoice_date.isoformat(),
              currency=invoice.currency.code, subtotal=f"{abs(invoice.untaxed_amount):.2f}",
              vat_amount=f"{abs(invoice.tax_amount):.2f}", total=f"{abs(total):.2f}", amount_due=f"{abs(due):.2f}",
              seller_name=seller["name"], seller_vat=seller["vat"], buyer_name=spec["customer"]["name"])
    if len(to_pay) == 1 and to_pay[0].maturity_date:
        tr["due_date"] = to_pay[0].maturity_date.isoformat()
    if seller.get("iban") and seller.get("footer") and "IBAN" in seller["footer"]:
        tr["iban"] = seller["iban"]
    tr["kind"] = "credit_note" if credit else "invoice"
    tr["lines"] = len(spec["lines"])
    return tr


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def check_truth(text, tr):
    """Every truth value must be on the page in some formatting; returns the missing keys."""
    flat = re.sub(r"\s+", " ", text)
    digits = re.sub(r"[\s\u00a0\u202f.,'’]", "", text)
    nospace = re.sub(r"[\s\u00a0\u202f]", "", text)
    missing = []
    for key, val in tr.items():
        if val is None or key in ("kind", "lines", "currency"):
            continue
        if key in ("subtotal", "vat_amount", "total", "amount_due"):
            ok = val.replace(".", "") in digits
        elif key in ("issue_date", "due_date"):
            d = dt.date.fromisoformat(val)
            forms = [d.strftime(f) for f in ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d")]
            ok = any(f in text for f in forms)
        elif key in ("seller_vat", "iban"):
            # Tryton prints a UK VAT number without its GB prefix.
            ok = (val in re.sub(r"[.\-]", "", nospace)) or (val.startswith("GB") and val[2:] in digits)
        else:
            ok = val in flat
        if not ok:
            missing.append(key)
    return missing


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", help="cache folder for the Tryton database (default OUT/.cache)")
    ap.add_argument("--python", help="Python of the venv with trytond and proteus")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    work = os.path.abspath(args.work or os.path.join(out, ".cache"))
    conf, dbdir, template = base_database(work)
    dbname = f"run{os.getpid()}"
    dbpath = os.path.join(dbdir, dbname + ".sqlite")
    shutil.copy(template, dbpath)
    os.makedirs(os.path.join(out, "tryton"), exist_ok=True)
    manifest = []
    per_family = {}
    try:
        rng = random.Random(hashlib.sha256(f"tryton-{args.seed}".encode()).hexdigest())
        t = Tryton(conf, dbname)
        t.setup_common()
        sellers = seller_specs(rng)
        envs = []
        for s in sellers:
            company = t.create_company(s)
            envs.append((company, t.setup_company(company, s)))
            print(f"company {s['name']} ({s['country']})", file=sys.stderr)
        current = None
        specs = []
        for i in range(args.count):
            k = i % len(sellers) if i < len(sellers) else rng.randrange(len(sellers))
            spec = invoice_spec(rng, sellers[k])
            if spec["credit"] and rng.random() < 0.7:
                # Most credit notes credit an earlier invoice (Tryton's Credit wizard): that invoice
                # is entered and posted first but is not part of the corpus.
                orig = dict(spec, credit=False, hidden=True, key=i, term=rng.choice(["net14", "net30"]),
                            date=spec["date"] - dt.timedelta(days=rng.randrange(3, 60)),
                            lines=[dict(ln, quantity=-ln["quantity"]) for ln in spec["lines"]])
                specs.append((k, orig, None))
                spec["credits"] = i
                spec["keep"] = sorted(rng.sample(range(len(spec["lines"])), rng.randint(1, len(spec["lines"]))))
                spec["lines"] = [spec["lines"][j] for j in spec["keep"]]
            specs.append((k, spec, random.Random(rng.random())))
        # Tryton numbers invoices in date order: enter them in that order, as a business does.
        specs.sort(key=lambda x: x[1]["date"])
        originals = {}
        for k, spec, rng2 in specs:
            seller = sellers[k]
            company, env = envs[k]
            if current != k:
                t.switch(company)
                current = k
            if spec.get("hidden"):
                originals[spec["key"]] = build_invoice(t, env, spec)
                continue
            if "credits" in spec:
                invoice = credit_invoice(t, originals[spec["credits"]], spec)
            else:
                invoice = build_invoice(t, env, spec)
            family = f"tryton-{spec['customer']['lang']}"
            idx = per_family.get(family, 0)
            per_family[family] = idx + 1
            rel = f"tryton/{family}-{idx:02d}.pdf"
            path = os.path.join(out, rel)
            with open(path, "wb") as f:
                f.write(render(t, invoice))
            tr = truth_of(invoice, seller, spec)
            text = pdf_text(path)
            missing = check_truth(text, tr)
            for key in missing:
                # Never claim what the page does not print (amounts may only be wrapped in a
                # narrow cell, so they stay).
                if key in ("due_date", "iban", "seller_vat", "invoice_number", "issue_date"):
                    tr.pop(key)
            if missing:
                print(f"  {rel}: not found on the page: {missing}", file=sys.stderr)
            c = spec["customer"]
            if rng2.random() < 0.8:
                own = dict(names=[c["name"]], vat_numbers=[c["vat"]] if "vat" in c else [], ibans=[])
            else:
                own = dict(names=[], vat_numbers=[], ibans=[])
            manifest.append(dict(path=rel, producer="tryton", family=family, renderer="libreoffice",
                                 split="tune" if idx % 2 == 0 else "heldout", own=own, truth=tr))
            print(f"{rel} {tr['invoice_number']} {tr['kind']} {tr['total']} {tr['currency']}", file=sys.stderr)
    finally:
        if os.path.exists(dbpath):
            os.remove(dbpath)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    ensure_venv()
    main()
