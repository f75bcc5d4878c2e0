#!/usr/bin/env python3
"""Invoices printed by Kraft 1.0 (KDE invoicing for small businesses), with ground truth.

What it runs: the real Kraft 1.0 package from Debian (``apt-get install -y kraft``), option 2 of
the brief. Kraft 1.0 is a Qt GUI program whose only command line options are ``-d <docnr>``
(open a document) and ``-r`` (read only): it has no command line or D-Bus way to print a
document, so Kraft itself is not started. Instead, for every document this script does what
Kraft's print path (``CTemplateDocumentTemplate::expand`` + ``ReportLabPDFConverter``) does:

1. reads Kraft's OWN installed report template ``/usr/share/kraft/reports/invoice.trml``
   (ctemplate syntax) and fills it with the variables Kraft passes: ``MY_*`` (the seller's
   KContacts address: NAME, ORGANISATION, STREET, POSTCODE, LOCALITY, PHONE, FAX), ``ADDRESS``
   (the document's address text, escaped), ``DATE`` (formatted with the configured date format),
   ``DOCTYPE``, ``DOCID`` (the ident from a number cycle pattern like ``%y%w-%i``), ``SALUT``,
   ``PRETEXT``/``POSTTEXT`` (every text line in a ``<para style="text">``), the ``POSITIONS``
   section (POS_NUMBER, POS_TEXT, POS_AMOUNT without fraction when whole, POS_UNIT singular/
   plural, POS_UNITPRICE/POS_TOTAL as locale currency strings, and the TAX_FREE/REDUCED_TAX/
   FULL_TAX subsections when the document has individual taxation), NETTOSUM, BRUTTOSUM, the
   SECTION_REDUCED_TAX/SECTION_FULL_TAX sums, the TAX_*_ITEMS footnotes, and the ``LAB_*``
   labels translated with Kraft's own message catalog (``/usr/share/locale/de/LC_MESSAGES/
   kraft.mo``; Kraft 1.0 ships no Dutch/French translation of these labels, so Dutch and
   French users get the English labels, with their own doc type names and texts);
2. runs Kraft's own converter ``/usr/share/kraft/tools/erml2pdf.py`` with the system Python
   (``/usr/bin/python3`` with Debian's python3-reportlab, python3-pypdf2, python3-six, pulled in
   by the kraft package) to make the PDF: renderer ``erml2pdf`` (reportlab).

The trml template prints neither VAT numbers nor bank data by itself; like Kraft users do, the
seller's bank account (IBAN/BIC), VAT id / Steuernummer and the payment term with a due date go
into the document's footer text (POSTTEXT) in most documents, and the buyer's VAT id as the last
line of the address text for some B2B documents.

Families: ``invoice`` (doc types Rechnung / Invoice / Factuur / Facture) and ``credit-note``
(a user-defined doc type Gutschrift / Credit Note / Creditnota / Avoir, amounts printed positive).

Varied: language (de, en, nl, fr texts; Kraft labels de or en), Kraft locale for money/number
format (de_DE, de_AT, de_CH, nl_NL, nl_BE, fr_FR, fr_BE, en_GB, en_US), currency (mostly EUR,
some GBP/CHF/USD), seller (DE/AT/NL/BE/FR/GB/CH/IE/US) and buyer (same country or cross-border,
also LU; companies or private persons, with "z. Hd."/"Attn." lines and the country line),
number cycle patterns, date formats, 1-20 positions with quantities/units/prices, one rate or
two rates (full + reduced, e.g. 19/7, 21/9, 21/6, 20/5.5, 20/5, 8.1/2.6) plus tax-free items.

Install: ``apt-get install -y kraft poppler-utils`` (poppler only for the self-check).
Usage:   ``python3 kraft.py OUT [--count 30] [--seed 1]`` -> ``OUT/kraft/<family>-NNN.pdf`` and
         ``OUT/manifest.json``.

Truth: invoice_number (DOCID), issue_date, due_date (only when the footer text prints it),
currency, subtotal (Netto), vat_amount (sum of printed VAT lines), total (= amount_due; Kraft has
no payments/deposits on the document), seller_name (MY_ORGANISATION as printed in the letterhead
line), seller_vat (only when the footer text prints it), buyer_name (first line of the address),
iban (only when the footer prints it), kind, lines. ``own`` = the buyer in ~4/5 of documents
(with the buyer's VAT id when the address prints one). VAT ids in the truth are without spaces,
dots and hyphens (Swiss ``CHE-123.456.789 MWST`` -> ``CHE123456789MWST``). US sellers charge no
tax (vat_amount ``0.00``, no VAT line printed). A self-check warns on stderr when a truth value is
not found in ``pdftotext -layout`` of the page. About 0.25 s per document.
"""

import argparse
import datetime as dt
import gettext
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import address, company, iban, iban_print, vat  # noqa: E402
from generate import fmt_date as generate_fmt_date  # noqa: E402

TRML = "/usr/share/kraft/reports/invoice.trml"
ERML2PDF = "/usr/share/kraft/tools/erml2pdf.py"
SYSPY = "/usr/bin/python3"
MO = "/usr/share/locale/{lang}/LC_MESSAGES/kraft.mo"
D2 = Decimal("0.01")


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Labels: Kraft's own catalog.

LABELS = [  # (key, context, msgid)
    ("NO_SHORT", "Sequence number printed on the document", "No."),
    ("ITEM", "Document item printed on the document", "Item"),
    ("QUANTITY_SHORT", "Abbrev. of Quantity printed on the document", "Qty."),
    ("UNIT", "Unit printed on the document", "Unit"),
    ("PRICE", "Price of an item printed on the document", "Price"),
    ("SUM", "Printed on the document", "Sum"),
    ("NET", "printed on the document", "Net"),
    ("VAT", "Printed on the document", "VAT"),
    ("TYPE", "Document type, printed on the document", "Type"),
    ("PHONE", "Printed on the document", "Phone"),
    ("FAX", "Printed on the document", "FAX"),
    ("MOBILE", "Printed on the document", "Mobile"),
    ("EMAIL", "Printed on the document", "Email"),
    ("WEBSITE", "Printed on the document", "Website"),
    ("PAGE", "Printed on the document", "Page"),
    ("PAGE_OF", "the 'of' in page X of Y", "of"),
    ("DOC_NO", "Document number on document", "Document No."),
    ("DATE", "Date on document", "Date"),
    ("PROJECT", "Project label", "Project"),
    ("CUST_ID", "Customer ID on document", "Customer Id"),
]


def catalog(lang):
    p = MO.format(lang=lang)
    if lang != "en" and os.path.exists(p):
        with open(p, "rb") as f:
            return gettext.GNUTranslations(f)
    return gettext.NullTranslations()


def i18n(tr, msgid, *args):
    s = tr.gettext(msgid)
    for i, a in enumerate(args, 1):
        s = s.replace(f"%{i}", a)
    return s


# ---------------------------------------------------------------------------------------------
# Locales (Kraft formats money with QLocale::toCurrencyString of its configured locale).

LOCALES = {
    # name: (decimal, group, pattern, symbol, currency)
    "de_DE": (",", ".", "{n} {s}", "€", "EUR"),
    "de_AT": (",", ".", "{s} {n}", "€", "EUR"),
    "de_CH": (".", "’", "{s} {n}", "CHF", "CHF"),
    "nl_NL": (",", ".", "{s} {n}", "€", "EUR"),
    "nl_BE": (",", ".", "{s} {n}", "€", "EUR"),
    "fr_FR": (",", "\u00a0", "{n}\u00a0{s}", "€", "EUR"),
    "fr_BE": (",", "\u00a0", "{n}\u00a0{s}", "€", "EUR"),
    "en_GB": (".", ",", "{s}{n}", "£", "GBP"),
    "en_US": (".", ",", "{s}{n}", "$", "USD"),
    "en_IE": (".", ",", "{s}{n}", "€", "EUR"),
}


def num(x, loc, places=2):
    dec, grp = LOCALES[loc][:2]
    x = Decimal(x)
    neg = x < 0
    s = f"{abs(x):.{places}f}"
    i, _, f = s.partition(".")
    parts = []
    while len(i) > 3:
        parts.insert(0, i[-3:])
        i = i[:-3]
    parts.insert(0, i)
    out = grp.join(parts) + (dec + f if places else "")
    return ("-" if neg else "") + out


def money(x, loc):
    _, _, pat, sym, _ = LOCALES[loc]
    return pat.format(n=num(q(x), loc), s=sym)


def qty(x, loc):
    x = Decimal(x)
    if x == x.to_integral_value():
        return str(int(x))
    s = f"{x.normalize():f}"
    return s.replace(".", LOCALES[loc][0])


def pct(x, loc):
    return qty(x, loc)


# Kraft's date formats, written with generate.py's.
DATE_STYLES = {"dd.MM.yyyy": "dmy_dot", "d. MMMM yyyy": "de_long", "dd-MM-yyyy": "dmy_dash",
               "dd/MM/yyyy": "dmy_slash", "MM/dd/yyyy": "mdy_slash"}


def fmt_date(d, style, lang):
    if style == "d MMMM yyyy":  # "17 juni 2026": nl, fr and en only
        return generate_fmt_date(d, f"{lang}_long" if lang in ("nl", "fr") else "en_long")
    return generate_fmt_date(d, DATE_STYLES.get(style, "iso"))


# ---------------------------------------------------------------------------------------------
# ctemplate expansion (what Kraft's TextTemplate does with the dictionaries it builds).

SEC = re.compile(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", re.S)
VAR = re.compile(r"\{\{(\w+)\}\}")


def expand(text, stack):
    def sec(m):
        name, body = m.group(1), m.group(2)
        for ctx in reversed(stack):
            if name in ctx:
                val = ctx[name]
                break
        else:
            return ""
        if isinstance(val, dict):
            val = [val]
        if not isinstance(val, list):
            return ""
        return "".join(expand(body, stack + [d]) for d in val)

    text = SEC.sub(sec, text)

    def var(m):
        for ctx in reversed(stack):
            if m.group(1) in ctx and not isinstance(ctx[m.group(1)], (list, dict)):
                return str(ctx[m.group(1)])
        return ""

    return VAR.sub(var, text)


def esc(s):
    return html.escape(s, quote=True)  # QString::toHtmlEscaped


def rml_string(s, style="text"):
    lines = esc(s).split("\n")
    return f'<para style="{style}">' + f'</para><para style="{style}">'.join(lines) + "</para>"


# ---------------------------------------------------------------------------------------------
# Data.

COUNTRY = {  # country: (generate key, locale choices, lang choices, full, reduced)
    "DE": ("de", ["de_DE"], ["de", "de", "de", "en"], "19", "7"),
    "AT": ("de", ["de_AT"], ["de"], "20", "10"),
    "NL": ("nl", ["nl_NL"], ["nl", "nl", "en"], "21", "9"),
    "BE": ("be", ["nl_BE", "fr_BE"], None, "21", "6"),
    "FR": ("fr", ["fr_FR"], ["fr"], "20", "5.5"),
    "GB": ("uk", ["en_GB"], ["en"], "20", "5"),
    "CH": ("ch", ["de_CH"], ["de"], "8.1", "2.6"),
    "US": ("us", ["en_US"], ["en"], "0", "0"),
    "IE": ("uk", ["en_IE"], ["en"], "23", "13.5"),
}
PHONE = {"DE": "+49 30 {a} {b}", "AT": "+43 1 {a} {b}", "NL": "020-{a}{b}", "BE": "+32 2 {a} {b}",
         "FR": "01 {a} {b}", "GB": "020 {a} {b}", "CH": "+41 44 {a} {b}", "US": "(415) {a}-{b}", "IE": "01 {a} {b}"}
PEOPLE = ["Klaus Berger", "Anna Schmidt", "Jan de Vries", "Sophie Martin", "Peter Janssens", "Emma Clarke",
          "Lukas Huber", "Marie Dubois", "Tom Peeters", "Julia Wagner", "Sanne Bakker", "David Wright"]
TRADES = {
    "de": [("Malerarbeiten Wohnzimmer", "Std.", "Std."), ("Tapezieren Flur", "qm", "qm"),
           ("Anfahrt", "pausch.", "pausch."), ("Dispersionsfarbe weiß 10 l", "Eimer", "Eimer"),
           ("Fliesen verlegen", "qm", "qm"), ("Kabelkanal 2 m", "Stk.", "Stk."),
           ("Beratung vor Ort", "Std.", "Std."), ("Montage Einbauküche", "pausch.", "pausch."),
           ("Entsorgung Bauschutt", "cbm", "cbm"), ("Gartenpflege", "Std.", "Std."),
           ("Holzlasur Eiche", "l", "l"), ("Sand 0/2", "t", "t"), ("Steckdose setzen", "Stk.", "Stk.")],
    "en": [("Painting living room", "Hour", "Hours"), ("Wallpapering hallway", "sm", "qm"),
           ("Travel costs", "pausch.", "pausch."), ("Emulsion paint white 10 l", "Bag", "Bags"),
           ("Laying tiles", "sm", "qm"), ("Cable duct 2 m", "Pcs.", "Pcs."), ("On-site consulting", "Hour", "Hours"),
           ("Kitchen installation", "pausch.", "pausch."), ("Rubble disposal", "cbm", "cbm"),
           ("Garden maintenance", "Hour", "Hours"), ("Wood stain oak", "l", "l"), ("Sand 0/2", "t", "Tons")],
    "nl": [("Schilderwerk woonkamer", "uur", "uur"), ("Behangen gang", "m²", "m²"), ("Voorrijkosten", "post", "post"),
           ("Muurverf wit 10 l", "emmer", "emmers"), ("Tegels leggen", "m²", "m²"), ("Kabelgoot 2 m", "st.", "st."),
           ("Advies ter plaatse", "uur", "uur"), ("Montage keuken", "post", "post"),
           ("Afvoer bouwpuin", "m³", "m³"), ("Tuinonderhoud", "uur", "uur"), ("Beits eiken", "l", "l")],
    "fr": [("Peinture salon", "heure", "heures"), ("Pose papier peint couloir", "m²", "m²"),
           ("Frais de déplacement", "forfait", "forfait"), ("Peinture blanche 10 l", "seau", "seaux"),
           ("Pose de carrelage", "m²", "m²"), ("Goulotte 2 m", "pce", "pces"), ("Conseil sur site", "heure", "heures"),
           ("Montage cuisine", "forfait", "forfait"), ("Évacuation gravats", "m³", "m³"),
           ("Entretien jardin", "heure", "heures"), ("Lasure chêne", "l", "l")],
}
REDUCED_GOODS = {"de": [("Fachbuch Malertechnik", "Stk.", "Stk."), ("Pflanzen Hecke", "Stk.", "Stk.")],
                 "en": [("Technical handbook", "Pcs.", "Pcs."), ("Hedge plants", "Pcs.", "Pcs.")],
                 "nl": [("Vakboek schilderen", "st.", "st."), ("Haagplanten", "st.", "st.")],
                 "fr": [("Livre technique", "pce", "pces"), ("Plantes de haie", "pce", "pces")]}
TEXTS = {
    "de": dict(inv="Rechnung", cn="Gutschrift", salut=["Sehr geehrte Damen und Herren,", "Sehr geehrter Herr {n},",
                                                      "Sehr geehrte Frau {n},", "Hallo {g},"],
               pre_inv=["für die ausgeführten Arbeiten erlauben wir uns, wie folgt zu berechnen:",
                        "vielen Dank für Ihren Auftrag. Wir berechnen Ihnen folgende Leistungen:",
                        "wie vereinbart stellen wir Ihnen in Rechnung:"],
               pre_cn=["wir schreiben Ihnen folgende Positionen gut:", "aufgrund Ihrer Reklamation erhalten Sie "
                                                                   "folgende Gutschrift:"],
               due="Zahlbar bis zum {d} ohne Abzug.", due2="Zahlbar innerhalb von {n} Tagen ohne Abzug.",
               bank="Bankverbindung: {b}\nIBAN: {i}   BIC: {c}", vat="USt-IdNr.: {v}", tax="Steuernummer: {t}",
               cnpay="Der Betrag wird Ihrem Konto gutgeschrieben.", thanks="Vielen Dank für Ihren Auftrag!",
               bye=["Mit freundlichen Grüßen", "Beste Grüße", "Mit freundlichem Gruß"], custvat="USt-IdNr.: {v}"),
    "en": dict(inv="Invoice", cn="Credit Note", salut=["Dear Sir or Madam,", "Dear Mr. {n},", "Dear Mrs. {n},",
                                                      "Dear {g},"],
               pre_inv=["for the work carried out we charge as follows:", "thank you for your order. We invoice "
                        "the following items:", "as agreed, please find our invoice below:"],
               pre_cn=["we credit the following items to your account:", "following your complaint we issue this "
                                                                          "credit note:"],
               due="Please pay by {d} without deduction.", due2="Payable within {n} days without deduction.",
               bank="Bank: {b}\nIBAN: {i}   BIC: {c}", vat="VAT Reg. No.: {v}", tax="Tax number: {t}",
               cnpay="The amount will be credited to your account.", thanks="Thank you for your business!",
               bye=["with kind regards,", "with best regards,", "yours faithfully,"], custvat="VAT No.: {v}"),
    "nl": dict(inv="Factuur", cn="Creditnota", salut=["Geachte heer/mevrouw,", "Geachte heer {n},",
                                                     "Geachte mevrouw {n},", "Beste {g},"],
               pre_inv=["Voor de uitgevoerde werkzaamheden brengen wij u het volgende in rekening:",
                        "Hartelijk dank voor uw opdracht. Wij factureren u:"],
               pre_cn=["Wij crediteren u de volgende posten:"],
               due="Gelieve te betalen vóór {d}.", due2="Betaling binnen {n} dagen na factuurdatum.",
               bank="Bank: {b}\nIBAN: {i}   BIC: {c}", vat="Btw-nummer: {v}", tax="KvK: {t}",
               cnpay="Het bedrag wordt op uw rekening teruggestort.", thanks="Bedankt voor uw opdracht!",
               bye=["Met vriendelijke groet,", "Met vriendelijke groeten,", "Hoogachtend,"], custvat="Btw-nr.: {v}"),
    "fr": dict(inv="Facture", cn="Avoir", salut=["Madame, Monsieur,", "Monsieur {n},", "Madame {n},",
                                                 "Bonjour {g},"],
               pre_inv=["Pour les travaux réalisés, nous vous facturons :", "Merci pour votre commande. Veuillez "
                        "trouver ci-dessous notre facture :"],
               pre_cn=["Nous vous créditons des positions suivantes :"],
               due="À régler avant le {d} sans escompte.", due2="Paiement à {n} jours, sans escompte.",
               bank="Banque : {b}\nIBAN : {i}   BIC : {c}", vat="N° TVA : {v}", tax="SIRET : {t}",
               cnpay="Le montant sera porté au crédit de votre compte.", thanks="Merci de votre confiance !",
               bye=["Cordialement,", "Bien cordialement,", "Salutations distinguées,"], custvat="N° TVA : {v}"),
}
BANKS = {"DE": ("Sparkasse Köln Bonn", "COLSDE33"), "AT": ("Erste Bank", "GIBAATWW"), "NL": ("ING Bank", "INGBNL2A"),
         "BE": ("KBC Bank", "KREDBEBB"), "FR": ("Crédit Agricole", "AGRIFRPP"), "GB": ("Barclays", "BARCGB22"),
         "CH": ("UBS Switzerland", "UBSWCHZH"), "US": ("Chase Bank", "CHASUS33"), "IE": ("AIB", "AIBKIE2D"),
         "LU": ("BGL BNP Paribas", "BGLLLULL")}


def vat_for(rng, country):
    if country in ("DE", "NL", "BE", "FR", "GB", "LU"):
        return vat(rng, country)
    if country == "AT":
        return "ATU" + "".join(rng.choice("0123456789") for _ in range(8))
    if country == "CH":
        d = "".join(rng.choice("0123456789") for _ in range(9))
        return f"CHE-{d[:3]}.{d[3:6]}.{d[6:]} MWST"
    if country == "IE":
        return "IE" + "".join(rng.choice("0123456789") for _ in range(7)) + rng.choice("ABCDEFGHW")
    return None


def iban_for(rng, country):
    if country in ("DE", "NL", "BE", "FR", "GB", "LU"):
        return iban(rng, country)
    if country == "AT":
        bban = "".join(rng.choice("0123456789") for _ in range(16))
    elif country == "CH":
        bban = "".join(rng.choice("0123456789") for _ in range(17))
    elif country == "IE":
        bban = "AIBK" + "".join(rng.choice("0123456789") for _ in range(14))
    else:
        return None
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def make_doc(rng, family, idx):
    sc = rng.choice(["DE", "DE", "DE", "DE", "AT", "NL", "NL", "BE", "BE", "FR", "FR", "GB", "GB", "CH", "IE", "US"])
    gk, locs, langs, full, red = COUNTRY[sc]
    loc = rng.choice(locs)
    if sc == "BE":
        lang = "nl" if loc == "nl_BE" else "fr"
    else:
        lang = rng.choice(langs)
    if rng.random() < 0.12 and sc in ("DE", "NL", "FR", "BE"):
        lang = "en"  # small business writing to a foreign customer
    labels_lang = "de" if lang == "de" else "en"
    T = TEXTS[lang]
    # buyer: mostly same country, some cross-border
    bc = sc if rng.random() < 0.7 else rng.choice(["DE", "NL", "BE", "FR", "GB", "LU", "AT"])
    bgk = {"DE": "de", "AT": "de", "NL": "nl", "BE": "be", "FR": "fr", "GB": "uk", "LU": "lu", "CH": "ch",
           "IE": "uk", "US": "us"}[bc]
    seller_org = company(rng, gk)
    if rng.random() < 0.3:  # sole trader: "Malerbetrieb Klaus Berger"
        trade = {"de": "Malerbetrieb", "en": "Decorating", "nl": "Schildersbedrijf", "fr": "Peinture"}[lang]
        seller_org = f"{trade} {rng.choice(PEOPLE)}"
    seller_person = rng.choice(PEOPLE)
    s_street, s_city = address(rng, gk)
    pc, _, loc_name = s_city.partition(" ")
    if gk in ("uk", "us"):
        pc, loc_name = "", s_city
    private = rng.random() < 0.2
    if private:
        buyer = rng.choice(PEOPLE)
        if lang == "de":
            addr_lines = [rng.choice(["Herr", "Frau"]), buyer]
        else:
            addr_lines = [buyer]
        buyer_vat = None
    else:
        buyer = company(rng, bgk)
        addr_lines = [buyer]
        if rng.random() < 0.4:
            addr_lines.append({"de": "z. Hd. ", "en": "Attn. ", "nl": "t.a.v. ", "fr": "à l'att. de "}[lang]
                              + rng.choice(PEOPLE))
        buyer_vat = vat_for(rng, bc) if (bc != sc or rng.random() < 0.25) else None
    b_street, b_city = address(rng, bgk)
    addr_lines += [b_street, b_city]
    if bc != sc:
        addr_lines.append({"DE": "Deutschland", "NL": "Nederland", "BE": "Belgique", "FR": "France",
                           "GB": "United Kingdom", "LU": "Luxembourg", "AT": "Österreich"}[bc])
    if buyer_vat:
        addr_lines.append(T["custvat"].format(v=buyer_vat))
    buyer_name = addr_lines[1] if (private and lang == "de") else addr_lines[0]

    issue = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    cyc = rng.choice(["%y%w-%i", "RE-%yyyy-%i", "%yyyy-%i", "%y%m%d-%i", "R%yyyy%i"])
    seq = rng.randrange(1, 400)
    ident = (cyc.replace("%yyyy", str(issue.year)).replace("%y", f"{issue.year % 100:02d}")
             .replace("%w", f"{issue.isocalendar()[1]:02d}").replace("%m", f"{issue.month:02d}")
             .replace("%d", f"{issue.day:02d}"))
    ident = ident.replace("%i", str(seq) if "R%" not in cyc else f"{seq:04d}")
    if family == "credit-note":
        ident = ("GS-" if lang == "de" else "CN-") + ident.split("-", 1)[-1]
    date_style = {"de": ["dd.MM.yyyy", "dd.MM.yyyy", "d. MMMM yyyy", "ISO"], "nl": ["dd-MM-yyyy", "d MMMM yyyy"],
                  "fr": ["dd/MM/yyyy", "d MMMM yyyy"], "en": ["dd/MM/yyyy", "d MMMM yyyy", "ISO"]}[lang]
    if loc == "en_US":
        date_style = ["MM/dd/yyyy"]
    ds = rng.choice(date_style)

    # positions
    n = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20])
    two_rates = red != "0" and rng.random() < 0.35
    tax_free = two_rates and rng.random() < 0.3
    pos = []
    for i in range(n):
        tax = 3
        if two_rates and (i % 3 == 1 or (i == n - 1 and not any(p["tax"] == 2 for p in pos))):
            tax = 2
            text, us, up = rng.choice(REDUCED_GOODS[lang])
        else:
            text, us, up = rng.choice(TRADES[lang])
        if tax_free and i == 0 and n > 2:
            tax = 1
        if tax_free and i == 0 and n <= 2:
            tax_free = False
        amount = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 8, 10, 12, 20, "0.5", "1.5", "2.5", "7.25"]))
        price = q(Decimal(rng.randrange(250, 60000)) / 100) if rng.random() < 0.85 else \
            q(Decimal(rng.randrange(60000, 480000)) / 100)
        if rng.random() < 0.2:
            text += "\n" + {"de": "inkl. Material und Abdeckarbeiten", "en": "incl. material and covering",
                            "nl": "incl. materiaal en afdekken", "fr": "matériel et protection compris"}[lang]
        pos.append(dict(text=text, unit=up if amount > 1 else us, amount=amount, price=price,
                        total=q(amount * price), tax=tax))
    if not two_rates:
        tax_free = False
    if full == "0":
        full_rate = red_rate = Decimal(0)
    else:
        full_rate, red_rate = Decimal(full), Decimal(red)
    net = sum(p["total"] for p in pos)
    full_sum = q(sum(p["total"] for p in pos if p["tax"] == 3) * full_rate / 100)
    red_sum = q(sum(p["total"] for p in pos if p["tax"] == 2) * red_rate / 100)
    gross = net + full_sum + red_sum

    seller_vat = vat_for(rng, sc)
    siban = iban_for(rng, sc)
    show_bank = siban is not None and rng.random() < 0.8
    show_vat = seller_vat is not None and rng.random() < 0.7
    show_tax = sc == "DE" and not show_vat
    terms = rng.choice([0, 7, 10, 14, 14, 30, 30])
    due = issue + dt.timedelta(days=terms) if terms else None
    due_mode = rng.choice(["date", "date", "days", "none"]) if family == "invoice" else "none"
    post = []
    if family == "invoice":
        if due_mode == "date":
            post.append(T["due"].format(d=fmt_date(due or issue, ds, lang)))
            due = due or issue
        elif due_mode == "days":
            post.append(T["due2"].format(n=terms or 14))
            due = None
        else:
            due = None
    else:
        post.append(T["cnpay"])
        due = None
    if show_bank:
        bname, bic = BANKS[sc]
        post.append(T["bank"].format(b=bname, i=iban_print(siban) if rng.random() < 0.7 else siban, c=bic))
    if show_vat:
        post.append(T["vat"].format(v=seller_vat))
    if show_tax:
        post.append(T["tax"].format(t=f"{rng.randrange(10, 99)}/{rng.randrange(100, 999)}/{rng.randrange(10000, 99999)}"))
    if family == "invoice" and rng.random() < 0.5:
        post.append(T["thanks"])
    last = rng.choice(PEOPLE).split()
    salut = rng.choice(T["salut"]).format(n=last[1], g=last[0])
    pre = rng.choice(T["pre_cn"] if family == "credit-note" else T["pre_inv"])
    if rng.random() < 0.3:
        pre += "\n" + {"de": "Leistungszeitraum: ", "en": "Period of service: ", "nl": "Periode: ",
                       "fr": "Période : "}[lang] + f"{(issue - dt.timedelta(days=30)).month:02d}/{issue.year}"

    return dict(sc=sc, loc=loc, lang=lang, labels_lang=labels_lang, T=T, seller_org=seller_org,
                seller_person=seller_person, s_street=s_street, s_pc=pc, s_loc=loc_name,
                phone=PHONE[sc].format(a=rng.randrange(100, 999), b=rng.randrange(1000, 9999)),
                fax=PHONE[sc].format(a=rng.randrange(100, 999), b=rng.randrange(1000, 9999)) if rng.random() < 0.5
                else "", addr="\n".join(addr_lines), buyer_name=buyer_name, buyer_vat=buyer_vat,
                issue=issue, ds=ds, ident=ident, pos=pos, full_rate=full_rate, red_rate=red_rate,
                net=net, full_sum=full_sum, red_sum=red_sum, gross=gross, individual=two_rates,
                salut=salut, pre=pre, post="\n".join(post), bye=rng.choice(T["bye"]), due=due,
                seller_vat=seller_vat if show_vat else None, iban=siban if show_bank else None,
                doctype=T["cn"] if family == "credit-note" else T["inv"])


def fill(d):
    loc = d["loc"]
    tr = catalog(d["labels_lang"])
    ctx = {}
    for key, c, msgid in LABELS:
        ctx["LAB_" + key] = tr.pgettext(c, msgid)
    ctx["LAB_CURRENCY_SIGN"] = LOCALES[loc][3]
    positions = []
    cnt = {1: 0, 2: 0, 3: 0}
    for i, p in enumerate(d["pos"], 1):
        e = dict(POS_NUMBER=str(i), POS_TEXT=rml_string(p["text"], "text"), POS_AMOUNT=qty(p["amount"], loc),
                 POS_UNIT=esc(p["unit"]), POS_UNITPRICE=money(p["price"], loc), POS_TOTAL=money(p["total"], loc),
                 POS_KIND="")
        if d["individual"]:
            cnt[p["tax"]] += 1
            e[{1: "TAX_FREE", 2: "REDUCED_TAX", 3: "FULL_TAX"}[p["tax"]]] = {}
        positions.append(e)
    ctx["POSITIONS"] = positions
    fp, rp = pct(d["full_rate"], loc), pct(d["red_rate"], loc)
    if d["individual"]:
        ctx["TAX_FREE_ITEMS"] = dict(COUNT=str(cnt[1]), LAB_TAX_FREE_ITEMS=i18n(tr, "tax free items (%1 pcs.)",
                                                                                 str(cnt[1])))
        ctx["REDUCED_TAX_ITEMS"] = dict(COUNT=str(cnt[2]), TAX=rp, LAB_TAX_REDUCED_ITEMS=i18n(
            tr, "items with reduced tax of %1% (%2 pcs.)", rp, str(cnt[2])))
        ctx["FULL_TAX_ITEMS"] = dict(COUNT=str(cnt[3]), TAX=fp, LAB_TAX_FULL_ITEMS=i18n(
            tr, "No label: items with full tax of %1% (%2 pcs.)", fp, str(cnt[3])))
    ctx.update(DATE=fmt_date(d["issue"], d["ds"], d["lang"]), DOCTYPE=esc(d["doctype"]), ADDRESS=esc(d["addr"]),
               MY_NAME=esc(d["seller_person"]), MY_ORGANISATION=esc(d["seller_org"]), MY_STREET=esc(d["s_street"]),
               MY_POSTCODE=esc(d["s_pc"]), MY_LOCALITY=esc(d["s_loc"]), MY_PHONE=esc(d["phone"]),
               MY_FAX=esc(d["fax"]), DOCID=esc(d["ident"]), SALUT=esc(d["salut"]), GOODBYE=esc(d["bye"]),
               PRETEXT=rml_string(d["pre"]), POSTTEXT=rml_string(d["post"]),
               BRUTTOSUM=money(d["gross"], loc), NETTOSUM=money(d["net"], loc),
               VAT=fp, VATSUM=money(d["full_sum"], loc))
    if d["red_sum"] != 0:
        ctx["SECTION_REDUCED_TAX"] = dict(REDUCED_TAX_SUM=money(d["red_sum"], loc), REDUCED_TAX=rp)
    if d["full_sum"] != 0:
        ctx["SECTION_FULL_TAX"] = dict(FULL_TAX_SUM=money(d["full_sum"], loc), FULL_TAX=fp)
    with open(TRML, encoding="utf-8") as f:
        return expand(f.read(), [ctx])


def render(rml, out_pdf, tmp):
    src = os.path.join(tmp, "doc.trml")
    with open(src, "w", encoding="utf-8") as f:
        f.write(rml)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run([SYSPY, ERML2PDF, "-o", out_pdf, src], check=True, env=env, capture_output=True, timeout=120)


def truth(d, family):
    cur = LOCALES[d["loc"]][4]
    t = dict(invoice_number=d["ident"], issue_date=d["issue"].isoformat(),
             due_date=d["due"].isoformat() if d["due"] else None, currency=cur,
             subtotal=f"{d['net']:.2f}", vat_amount=f"{d['full_sum'] + d['red_sum']:.2f}",
             total=f"{d['gross']:.2f}", amount_due=f"{d['gross']:.2f}", seller_name=d["seller_org"],
             seller_vat=re.sub(r"[ .-]", "", d["seller_vat"]) if d["seller_vat"] else None,
             buyer_name=d["buyer_name"], iban=d["iban"], kind="credit_note" if family == "credit-note" else "invoice",
             lines=len(d["pos"]))
    return {k: v for k, v in t.items() if v is not None}


def norm(s):
    return re.sub(r"[\s\u00a0\u202f’'.,-]", "", s)


def self_check(pdf, t, d):
    try:
        txt = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    n = norm(txt)
    bad = []
    for x in (d["full_sum"], d["red_sum"]):
        if x and norm(f"{x:.2f}") not in n:
            bad.append(f"vat part {x}")
    for k in ("invoice_number", "subtotal", "total", "seller_name", "buyer_name", "iban", "seller_vat"):
        if k in t and norm(t[k]) not in n:
            bad.append(k)
    if fmt_date(d["issue"], d["ds"], d["lang"]).replace(" ", "") not in txt.replace(" ", ""):
        bad.append("issue_date")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    odir = os.path.join(a.out, "kraft")
    os.makedirs(odir, exist_ok=True)
    manifest = []
    per_family = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.count):
            family = "credit-note" if (i % 6 == 5) else "invoice"
            k = per_family.get(family, 0)
            per_family[family] = k + 1
            drng = random.Random(f"{a.seed}-{i}")
            d = make_doc(drng, family, k)
            name = f"{family}-{k:03d}.pdf"
            out_pdf = os.path.join(odir, name)
            render(fill(d), out_pdf, tmp)
            t = truth(d, family)
            bad = self_check(out_pdf, t, d)
            if bad:
                print(f"warning: {name}: not found in text: {bad}", file=sys.stderr)
            own = {"names": [], "vat_numbers": [], "ibans": []}
            if drng.random() < 0.8:
                own["names"] = [d["buyer_name"]]
                if d["buyer_vat"]:
                    own["vat_numbers"] = [re.sub(r"[ .-]", "", d["buyer_vat"])]
            manifest.append(dict(path=f"kraft/{name}", producer="kraft", family=family, renderer="erml2pdf",
                                 split="tune" if k % 2 == 0 else "heldout", own=own, truth=t))
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    print(f"wrote {len(manifest)} PDFs to {odir}")


if __name__ == "__main__":
    main()
