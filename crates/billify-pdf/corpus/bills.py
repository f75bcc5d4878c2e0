#!/usr/bin/env python3
"""The bills small businesses in Belgium and the Netherlands receive, with ground truth.

The other generators lay out sales invoices of invoicing tools. A small business's inbox holds
other documents too, and this corpus imitates them (each layout written for this corpus from
what such documents look like; no supplier's template or text is used):

* ``energy``: energy bills (Belgian and Dutch suppliers, nl/fr/de): the monthly advance invoice
  ("Voorschotfactuur" / "Facture d'acompte" / "Abschlagsrechnung") and the yearly settlement
  ("Afrekening" / "Décompte" / "Jahresabrechnung") with meter readings and consumption, the
  advances already invoiced deducted, and a balance to pay or to be paid back ("Terug te
  betalen" / "À rembourser" / "Guthaben"); customer, contract and 18-digit EAN numbers beside
  the invoice number, the delivery address, "Te betalen vóór" / "À payer avant le", and either a
  transfer with a Belgian structured communication / Dutch "betalingskenmerk" or a direct debit
  ("domiciliëring" / "domiciliation" / "SEPA-incasso") from the customer's own account, whose IBAN
  is printed (and known as ours) and is not the supplier's; the references as a list in a box or
  as a row of labels over values; settlements often over two pages (what to pay on the first,
  the detail and its totals on the second);
* ``telecom``: telecom bills (Belgian and Dutch operators, nl/fr/de/en): "Periode van 01/11 tot
  30/11" without a year, customer and account numbers, a summary (subscriptions, usage, one-off
  costs), the detail per subscription, a VAT summary with 21 % and an exempt line (third-party
  services), a structured communication or "betalingskenmerk", or a direct debit; the
  references as a list, as a row of labels over values, or in the title ("Factuur 1234567890
  van 5 juni 2024"); half of them with an account statement on top (previous balance, payments
  received, this bill, total to pay), whose total to pay carries an unpaid previous balance;
* ``insurance``: Belgian premium notices ("Vervaldagbericht" / "Avis d'échéance") and Dutch
  insurance invoices: policy number, net premium, insurance tax ("Taks 9,25 %" / "assurantiebelasting
  21 %") and contributions that are not VAT, "Vrijgesteld van btw" / "Exonéré de TVA";
* ``saas``: SaaS subscriptions as big vendors print them (Google Workspace, Microsoft 365,
  Adobe, Atlassian and Slack styles): English (Microsoft also in nl/fr/de), USD or EUR, the
  vendor's Irish or Dutch VAT number, the customer's VAT number, "VAT reverse charged (Article
  196)", a billing period, each vendor's totals words ("Subtotal in EUR" / "Total in EUR", "Net
  Amount" / "Taxes" / "Grand Total", "Total paid", a Slack "Receipt"), and either "Amount paid"
  with or without "Amount due 0.00" (paid by card) or bank details;
* ``accounting``: sales invoices of Benelux accounting packages (Exact Online, Teamleader,
  Billit, Yuki, e-Boekhouden, WeFact and Twinfield styles): header tables, "Uw referentie",
  "Vervaldatum", structured communication on Belgian ones, a footer with KBO/KvK number, BTW,
  IBAN and BIC; Yuki and Twinfield styles exported by LibreOffice; one in five a credit note
  ("Creditnota", "Note de crédit"; half with negative amounts, "Betreft factuur …", no due date),
  and one in five of the others with payment terms ("Betalingstermijn: 30 dagen") instead of a
  due date;
* ``multipage``: telecom bills with a call detail and accounting-package invoices with many
  lines over two or three pages, "Pagina 1/2" on each page and the totals on the last page only.

Ground truth, where the domain decides it (``billify-domain``: a total is positive, an invoice's
payments never exceed its total, a credit note counts negatively):

* a settlement with a balance to pay is an invoice: its subtotal, VAT and total are the
  settlement's (the whole period), the advances already invoiced are what is paid, and the
  amount due is the balance;
* a settlement that ends in a credit to the customer is a credit note (``kind: credit_note``,
  amounts compared by absolute value) for the amount paid back: total and amount due are that
  amount, subtotal and VAT are not scored (the bill prints none for the balance), and there is no
  due date;
* an insurance premium carries no VAT: VAT 0, subtotal = total (the insurance tax is part of
  the price); the seller's VAT number only when printed as one;
* a reverse-charged SaaS invoice: VAT 0, subtotal = total, amount due 0.00 when paid by card;
* a telecom bill's amount due is its own total, also when the total to pay carries an unpaid
  previous balance (that balance belongs to the previous bill);
* a credit note of an accounting package: ``kind: credit_note``, amounts by absolute value,
  no due date; payment terms without a due date give issue date + days;
* the IBAN is the supplier's, and none when only the customer's account is printed; the due date
  of a direct debit is the date of the debit when printed, also when half of the energy and
  telecom direct-debit notes name the mandate with the (earlier) date it was signed, before or
  after the debit date ("Volgens mandaat 471102 van 01-02-2019: …", "…, mandat n° 471102 du
  03/05/2020.").

Output: ``<out>/<family>/<id>.pdf`` and ``<out>/manifest.json`` (the format of the other
generators); ``producer`` is the family, ``layout`` the style within it, ``renderer`` the PDF
producer. ``split``: even instances ``tune``, odd ``heldout``.

Usage: ``python3 bills.py OUT [--count N] [--families a,b]`` (default 10 per family).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import (  # noqa: E402
    CITIES, FIRST, FORMS, STREETS, add_days, esc, fmt_date, fmt_num, iban, iban_print, q, render_chromium, render_libreoffice,
    vat,
)

FAMILIES = ["energy", "telecom", "insurance", "saas", "accounting", "multipage"]

# ---------------------------------------------------------------------------------------------
# Identifiers.


def ean(rng, country):
    """An 18-digit GS1 EAN of a delivery point (541448… in Belgium, 871687… in the Netherlands)."""
    body = ("541448" if country == "be" else "871687") + "".join(rng.choice("0123456789") for _ in range(11))
    s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return body + str((10 - s % 10) % 10)


def ogm(rng):
    """A Belgian structured communication +++123/4567/89012+++ (check digits mod 97)."""
    base = rng.randrange(10**9, 10**10)
    chk = base % 97 or 97
    s = f"{base:010d}{chk:02d}"
    return f"+++{s[:3]}/{s[3:7]}/{s[7:]}+++"


def kenmerk(rng):
    """A Dutch 16-digit payment reference (betalingskenmerk), check digit first."""
    body = [rng.randrange(10) for _ in range(15)]
    weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1]
    s = sum(d * weights[i % 10] for i, d in enumerate(reversed(body)))
    c = 11 - s % 11
    c = 1 if c == 10 else 0 if c == 11 else c
    k = str(c) + "".join(map(str, body))
    return " ".join(k[i:i + 4] for i in range(0, 16, 4))


def ie_vat(rng):
    return "IE" + "".join(rng.choice("0123456789") for _ in range(7)) + rng.choice(["A", "B", "H", "U", "V", "OH", "WH"])


def ie_iban(rng):
    bban = rng.choice(["AIBK", "BOFI", "CITI"]) + "".join(rng.choice("0123456789") for _ in range(14))
    numeric = "".join(str(int(c, 36)) for c in bban + "IE00")
    return f"IE{98 - int(numeric) % 97:02d}{bban}"


def be_vat_print(v, rng, prefix=True):
    b = v[2:]
    dotted = f"{b[:4]}.{b[4:7]}.{b[7:]}"
    if not prefix:
        return dotted
    return rng.choice([f"BE {dotted}", f"BE{dotted}", v, f"BE {b}"])


# ---------------------------------------------------------------------------------------------
# Parties.

BRANDS = {
    "energy": ["Volta", "Luminet", "Enerco", "Groenstroom", "Powerline", "Wattson", "Ecopower", "Helios"],
    "telecom": ["Telnet", "Mobilis", "Orbit", "Connecto", "Fibernet", "Signal", "Zapp", "Belcom"],
    "insurance": ["Assurix", "Protecta", "Fidelis", "Securis", "Ancora", "Veritas", "Patria", "Cura"],
}
LEGAL = {
    "energy": {"be": ["NV", "SA", "BV"], "nl": ["B.V.", "N.V."]},
    "telecom": {"be": ["NV", "SA", "NV van publiek recht"], "nl": ["B.V.", "N.V."]},
    "insurance": {"be": ["NV", "SA", "Onderlinge Verzekeringsmaatschappij"], "nl": ["N.V.", "U.A."]},
}
SUFFIX = {
    "energy": ["Energie", "Energy", "Power", "Gas & Power"],
    "telecom": ["Telecom", "Mobile", "Communications", "Belgium"],
    "insurance": ["Verzekeringen", "Insurance", "Assurances", "Belgium"],
}


def utility(rng, family, country):
    brand = rng.choice(BRANDS[family])
    name = f"{brand} {rng.choice(SUFFIX[family])} {rng.choice(LEGAL[family][country])}"
    p = dict(country=country, brand=brand, name=name, addr=[rng.choice(STREETS[country]).format(n=rng.randrange(1, 250)), rng.choice(CITIES[country])])
    p["vat"] = vat(rng, "BE" if country == "be" else "NL")
    p["iban"] = iban(rng, "BE" if country == "be" else "NL")
    p["bic"] = rng.choice(["GEBABEBB", "KREDBEBB", "BBRUBEBB"] if country == "be" else ["INGBNL2A", "RABONL2U", "ABNANL2A"])
    p["kvk"] = str(rng.randrange(10**7, 10**8))
    p["web"] = f"www.{brand.lower()}.{country}"
    p["phone"] = rng.choice(["078 35 33 33", "0800 12 345", "02 789 00 00"] if country == "be" else ["088 123 45 67", "0900 1234"])
    return p


def business(rng, country):
    """A small business (the reader of these bills, mostly)."""
    name = f"{rng.choice(FIRST)} {rng.choice(['Bakkerij', 'Studio', 'Consult', 'Bouw', 'Garage', 'Design', 'Interieur', 'Advies', 'Print', 'Techniek'])}"
    name += " " + rng.choice(FORMS[country])
    p = dict(country=country, name=name, addr=[rng.choice(STREETS[country]).format(n=rng.randrange(1, 250)), rng.choice(CITIES[country])])
    p["vat"] = vat(rng, {"be": "BE", "nl": "NL", "de": "DE", "fr": "FR", "lu": "LU"}[country])
    p["iban"] = iban(rng, {"be": "BE", "nl": "NL", "de": "DE", "fr": "FR", "lu": "LU"}[country])
    p["bic"] = rng.choice(["GEBABEBB", "KREDBEBB", "INGBNL2A", "RABONL2U"])
    p["kvk"] = str(rng.randrange(10**7, 10**8))
    p["email"] = f"{rng.choice(['info', 'facturen', 'boekhouding', 'admin'])}@{name.split()[0].lower()}.{country}"
    return p


# ---------------------------------------------------------------------------------------------
# Formatting.


def money_fn(lang, rng, cur="EUR"):
    sym = {"EUR": "€", "USD": "$"}[cur]
    if lang == "en":
        style = rng.choice(["en", "en", "eu"]) if cur == "EUR" else "en"
        return lambda x: ("-" if x < 0 else "") + f"{sym}{fmt_num(abs(x), style)}"
    if lang == "nl":
        form = rng.choice(["pre", "pre", "post", "code"])
    else:
        form = rng.choice(["post", "post", "code"])
    style = "frs" if lang == "fr" and rng.random() < 0.4 else "eu"
    if form == "pre":
        return lambda x: ("-" if x < 0 else "") + f"{sym} {fmt_num(abs(x), style)}"
    if form == "code":
        return lambda x: f"{fmt_num(x, style)} {cur}"
    return lambda x: f"{fmt_num(x, style)} {sym}"


def date_fn(lang, rng):
    style = {"en": rng.choice(["en_long", "us_short", "dmy_slash"]), "nl": rng.choice(["dmy_slash", "dmy_dash", "nl_long"]),
             "fr": rng.choice(["dmy_slash", "fr_long"]), "de": rng.choice(["dmy_dot", "de_long"])}[lang]
    return lambda d: fmt_date(d, style)


def short(d):
    return d.strftime("%d/%m")


def rate_s(r, lang):
    s = f"{r.normalize():f}"
    return s if lang == "en" else s.replace(".", ",")


# ---------------------------------------------------------------------------------------------
# HTML pieces.

CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: %(font)s; font-size: %(size)spt; color: #222; }
.page { position: relative; height: 296mm; padding: 13mm 15mm 0 15mm; box-sizing: border-box; page-break-after: always; overflow: hidden; }
.page:last-child { page-break-after: auto; }
.foot { position: absolute; left: 15mm; right: 15mm; bottom: 9mm; font-size: 7pt; color: #555; }
table { border-collapse: collapse; }
td, th { vertical-align: top; }
.lines { width: 100%%; margin-top: 12px; }
.lines th { text-align: left; border-bottom: 1px solid #888; padding: 3px 5px; font-size: 8.5pt; }
.lines td { padding: 2px 5px; border-bottom: 1px solid #eee; }
.r { text-align: right; }
.tot { margin-left: auto; margin-top: 10px; }
.tot td { padding: 2px 8px; }
.b { font-weight: bold; }
.muted { color: #666; font-size: 8pt; }
.big { font-size: 20pt; font-weight: bold; }
.box { border: 1px solid #aaa; padding: 6px 10px; margin-top: 10px; }
.row { display: flex; justify-content: space-between; gap: 18px; }
h1 { font-size: 16pt; margin: 14px 0 6px 0; }
h2 { font-size: 12pt; margin: 12px 0 4px 0; }
"""


def css(rng):
    return CSS % dict(font=rng.choice(["'DejaVu Sans', sans-serif", "'Liberation Sans', Arial, sans-serif", "'Liberation Serif', serif"]),
                      size=rng.choice(["8.5", "9", "9.5"]))


def div(lines, cls=""):
    return f"<div class='{cls}'>" + "".join(f"<div>{esc(x)}</div>" for x in lines if x) + "</div>"


def kv(rows, cls="", colon=True, style=""):
    return f"<table class='{cls}' style='{style}'>" + "".join(
        f"<tr><td style='padding-right:14px'>{esc(k)}{':' if colon and k else ''}</td><td class='r'>{esc(v)}</td></tr>" for k, v in rows) + "</table>"


def cols(rows, cls=""):
    return (f"<table class='{cls}' style='margin-top:10px'><tr>" + "".join(f"<td class='b' style='padding-right:18px'>{esc(k)}</td>" for k, _ in rows)
            + "</tr><tr>" + "".join(f"<td style='padding-right:18px'>{esc(v)}</td>" for _, v in rows) + "</tr></table>")


def table(header, rows, right):
    head = "<tr>" + "".join(f"<th class='{'r' if i in right else ''}'>{esc(h)}</th>" for i, h in enumerate(header)) + "</tr>"
    return head, ["<tr>" + "".join(f"<td class='{'r' if i in right else ''}'>{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows]


def doc(rng, pages):
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{css(rng)}</style></head><body>" + "".join(
        f"<div class='page'>{p}</div>" for p in pages) + "</body></html>"


def sums(lines):
    """(breakdown per rate, subtotal, vat, total) of lines with 'amount' and 'rate'."""
    by = {}
    for ln in lines:
        by[ln["rate"]] = by.get(ln["rate"], Decimal(0)) + ln["amount"]
    breakdown = [(r, b, q(b * r / 100)) for r, b in sorted(by.items(), reverse=True)]
    sub = sum((b for _, b, _ in breakdown), Decimal(0))
    v = sum((x for _, _, x in breakdown), Decimal(0))
    return breakdown, sub, v, sub + v


def truth_of(number, issue, due, sub, v, total, due_amount, seller, buyer, seller_iban, kind="invoice", lines=None, cur="EUR",
             seller_vat=True):
    return dict(invoice_number=number, issue_date=issue.isoformat(), due_date=due.isoformat() if due else None, currency=cur,
                subtotal=None if sub is None else str(sub), vat_amount=None if v is None else str(v), total=str(total),
                amount_due=None if due_amount is None else str(due_amount), seller_name=seller["name"],
                seller_vat=seller["vat"] if seller_vat else None, buyer_name=buyer["name"], iban=seller_iban, kind=kind, lines=lines)


# ---------------------------------------------------------------------------------------------
# Direct-debit notes that name their mandate.


def mandate_note(note, lang, issue, df, key):
    """Half of the direct-debit notes name the mandate they are collected under, with the date it
    was signed, before the collection date or after it ("Volgens mandaat 471102 van 01-02-2019:
    dit bedrag wordt …", "… gedebiteerd (mandaat nr. 471102 van 01-02-2019)."). The choice draws
    on its own generator seeded by `key`, so the rest of the document is the one made before."""
    mrng = random.Random(hashlib.sha256(f"mandate-{key}".encode()).hexdigest())
    if mrng.random() < 0.5:
        return note
    ref = str(mrng.randrange(10**5, 10**6))
    signed = df(add_days(issue, -mrng.randrange(300, 2500)))
    body = note.rstrip(".")
    if mrng.random() < 0.5:
        lower = note[:1].lower() + note[1:]
        return {"nl": f"Volgens mandaat {ref} van {signed}: {lower}", "fr": f"Mandat n° {ref} du {signed} : {lower}",
                "de": f"Mandatsreferenz {ref} vom {signed}: {note}", "en": f"Mandate {ref} of {signed}: {lower}"}[lang]
    return {"nl": f"{body} (mandaat nr. {ref} van {signed}).", "fr": f"{body}, mandat n° {ref} du {signed}.",
            "de": f"{body} (Mandatsreferenz {ref}, erteilt am {signed}).", "en": f"{body} under mandate reference {ref} signed on {signed}."}[lang]


# ---------------------------------------------------------------------------------------------
# Energy.

EN = {
    "nl": dict(adv="Voorschotfactuur", settle="Afrekeningsfactuur", cust="Klantnummer", contract="Contractnummer", num="Factuurnummer",
               date="Factuurdatum", ean="EAN-code", addr="Verbruiksadres", period="Periode", pay="Te betalen bedrag", before="Te betalen vóór",
               ref="Gestructureerde mededeling", nlref="Betalingskenmerk", excl="Totaal excl. btw", vat="Btw", incl="Totaal incl. btw",
               adv_paid="Reeds aangerekende voorschotten", balance="Saldo te betalen", refund="Terug te betalen door ons", elec="Elektriciteit",
               gas="Aardgas", energy="Energiekost", net="Nettarieven (distributie en transport)", tax="Heffingen en bijdragen",
               fixed="Vaste vergoeding", reduct="Vermindering energiebelasting", advance="Voorschot {m}", meter="Meterstand",
               start="Beginstand", end="Eindstand", cons="Verbruik", dd="Dit bedrag wordt via domiciliëring op {d} van uw rekening {i} gedebiteerd.",
               dd_nl="Wij schrijven dit bedrag rond {d} automatisch af van uw rekening {i} (SEPA-incasso).",
               tr="Gelieve {a} te storten op rekening {i} van {s} met de mededeling {r}.",
               tr_nl="Wilt u {a} vóór {d} overmaken op {i} t.n.v. {s} onder vermelding van betalingskenmerk {r}?",
               refund_txt="Wij storten {a} binnen 30 dagen terug op uw rekening {i}.", your="Uw gegevens", summary="Overzicht",
               next="Uw nieuw voorschotbedrag: {a} per maand", from_to="van {a} tot {b}", months=["januari", "februari", "maart", "april", "mei",
               "juni", "juli", "augustus", "september", "oktober", "november", "december"]),
    "fr": dict(adv="Facture d'acompte", settle="Facture de décompte", cust="Numéro de client", contract="Numéro de contrat", num="Numéro de facture",
               date="Date de facture", ean="Code EAN", addr="Adresse de consommation", period="Période", pay="Montant à payer", before="À payer avant le",
               ref="Communication structurée", nlref="Référence", excl="Total hors TVA", vat="TVA", incl="Total TVA comprise",
               adv_paid="Acomptes déjà facturés", balance="Solde à payer", refund="Montant à rembourser", elec="Électricité",
               gas="Gaz naturel", energy="Coût de l'énergie", net="Tarifs de réseau (distribution et transport)", tax="Taxes et contributions",
               fixed="Redevance fixe", reduct="Réduction", advance="Acompte {m}", meter="Index",
               start="Index de début", end="Index de fin", cons="Consommation", dd="Ce montant sera prélevé par domiciliation le {d} de votre compte {i}.",
               dd_nl="", tr="Veuillez verser {a} sur le compte {i} de {s} avec la communication {r}.", tr_nl="",
               refund_txt="Nous vous rembourserons {a} dans les 30 jours sur votre compte {i}.", your="Vos données", summary="Résumé",
               next="Votre nouvel acompte : {a} par mois", from_to="du {a} au {b}", months=["janvier", "février", "mars", "avril", "mai", "juin",
               "juillet", "août", "septembre", "octobre", "novembre", "décembre"]),
    "de": dict(adv="Abschlagsrechnung", settle="Jahresabrechnung", cust="Kundennummer", contract="Vertragsnummer", num="Rechnungsnummer",
               date="Rechnungsdatum", ean="EAN-Code", addr="Verbrauchsadresse", period="Zeitraum", pay="Zu zahlender Betrag", before="Zahlbar bis",
               ref="Strukturierte Mitteilung", nlref="Referenz", excl="Gesamt ohne MwSt.", vat="MwSt.", incl="Gesamt inkl. MwSt.",
               adv_paid="Bereits berechnete Abschläge", balance="Restbetrag", refund="Guthaben zu Ihren Gunsten", elec="Strom",
               gas="Erdgas", energy="Energiekosten", net="Netzentgelte", tax="Abgaben und Umlagen",
               fixed="Grundgebühr", reduct="Ermäßigung", advance="Abschlag {m}", meter="Zählerstand",
               start="Anfangsstand", end="Endstand", cons="Verbrauch", dd="Dieser Betrag wird am {d} per Lastschrift von Ihrem Konto {i} eingezogen.",
               dd_nl="", tr="Bitte überweisen Sie {a} auf das Konto {i} von {s} mit der Mitteilung {r}.", tr_nl="",
               refund_txt="Wir erstatten Ihnen {a} innerhalb von 30 Tagen auf Ihr Konto {i}.", your="Ihre Daten", summary="Übersicht",
               next="Ihr neuer Abschlag: {a} pro Monat", from_to="vom {a} bis {b}", months=["Januar", "Februar", "März", "April", "Mai", "Juni",
               "Juli", "August", "September", "Oktober", "November", "Dezember"]),
}


def energy(rng, k):
    lang = rng.choice(["nl", "nl", "fr", "de", "nl"])
    country = "nl" if lang == "nl" and rng.random() < 0.45 else "be"
    w = EN[lang]
    s, b = utility(rng, "energy", country), business(rng, country)
    m, df = money_fn(lang, rng), date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    issue = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 27))
    number = rng.choice([str(rng.randrange(10**11, 10**12)), f"{rng.randrange(10**9, 10**10)}", f"F{year}{rng.randrange(10**6, 10**7)}"])
    cust = str(rng.randrange(10**9, 10**10)) if rng.random() < 0.5 else f"{rng.randrange(1000, 9999)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}"
    contract = f"{rng.randrange(10**8, 10**9)}"
    eans = [ean(rng, country)] + ([ean(rng, country)] if rng.random() < 0.5 else [])
    kind = rng.choice(["advance", "advance", "settle", "settle_credit"])
    rate = Decimal("21")
    direct = rng.random() < 0.5
    own_iban = b["iban"]
    due = add_days(issue, rng.choice([14, 15, 20]))
    lines = []
    month = w["months"][issue.month - 1] + f" {year}"
    if kind == "advance":
        for e in eans:
            what = w["elec"] if e == eans[0] else w["gas"]
            lines.append(dict(desc=w["advance"].format(m=month) + f" – {what}", amount=q(Decimal(rng.randrange(4000, 30000)) / 100), rate=rate))
        title = w["adv"]
    else:
        title = w["settle"]
        start = dt.date(year - 1, issue.month, 1)
        end = add_days(dt.date(year, issue.month, 1), -1)
        for e in eans:
            what = w["elec"] if e == eans[0] else w["gas"]
            kwh = rng.randrange(3000, 40000)
            price = Decimal(rng.randrange(800, 2800)) / 10000
            lines.append(dict(desc=f"{what} – {w['energy']} ({kwh} kWh × {str(price).replace('.', ',')} €/kWh)",
                              amount=q(kwh * price), rate=rate, kwh=kwh, what=what))
            lines.append(dict(desc=f"{what} – {w['fixed']}", amount=q(Decimal(rng.randrange(3000, 12000)) / 100), rate=rate))
            lines.append(dict(desc=f"{what} – {w['net']}", amount=q(kwh * Decimal(rng.randrange(300, 1200)) / 10000), rate=rate))
            lines.append(dict(desc=f"{what} – {w['tax']}", amount=q(kwh * Decimal(rng.randrange(50, 400)) / 10000), rate=rate))
        if country == "nl":
            lines.append(dict(desc=w["reduct"] if lang != "nl" else "Vermindering energiebelasting", amount=-q(Decimal(rng.randrange(40000, 60000)) / 100), rate=rate))
    breakdown, sub, v, total = sums(lines)
    advances = Decimal(0)
    if kind != "advance":
        monthly = q(total / 12 * Decimal(rng.choice(["0.8", "0.9", "1.1", "1.25"]) if kind == "settle" else rng.choice(["1.15", "1.3", "1.5"])))
        advances = monthly * 11
        if kind == "settle" and advances >= total:
            advances = q(total * Decimal("0.85"))
        if kind == "settle_credit" and advances <= total:
            advances = q(total * Decimal("1.2"))
    balance = total - advances
    ref = ogm(rng) if country == "be" else kenmerk(rng)
    # Header block.
    info = [(w["num"], number), (w["date"], df(issue)), (w["cust"], cust), (w["contract"], contract)]
    rng.shuffle(info)
    info += [(f"{w['ean']} {(w['elec'] if i == 0 else w['gas']).lower()}", e) for i, e in enumerate(eans)]
    if kind != "advance":
        info.append((w["period"], w["from_to"].format(a=df(start), b=df(end))))
    addr_line = f"{w['addr']}: {b['addr'][0]}, {b['addr'][1]}"
    brand = f"<div class='big' style='color:#2a8a3e'>{esc(s['brand'])}</div>"
    window = div([b["name"], rng.choice(["", "t.a.v. de zaakvoerder", "Boekhouding"]) if lang == "nl" else "", *b["addr"]])
    top = f"<div class='row'><div>{brand}<div class='muted'>{esc(s['phone'])} · {esc(s['web'])}</div></div><div style='margin-top:30px;width:45%'>{window}</div></div>"
    if rng.random() < 0.4:
        # The references in a row, labels over values (Luminus/Eneco style), the EAN codes below.
        main_, rest_ = info[:4], info[4:]
        top += f"<h1>{esc(title)}</h1>" + cols(main_) + f"<div class='box'><b>{esc(w['your'])}</b>{kv(rest_)}<div>{esc(addr_line)}</div></div>"
    else:
        top += f"<h1>{esc(title)}</h1>" + (f"<div class='box'><b>{esc(w['your'])}</b>{kv(info)}<div>{esc(addr_line)}</div></div>")
    # What to pay.
    payline = ""
    truth_due = due
    seller_iban = s["iban"]
    if kind == "settle_credit":
        refund = -balance
        box = f"<div class='box'><span class='b'>{esc(w['refund'])}</span> <span class='big'>{esc(m(refund))}</span></div>"
        payline = esc(w["refund_txt"].format(a=m(refund), i=iban_print(own_iban)))
        truth_due = None
        seller_iban = s["iban"] if rng.random() < 0.5 else None
        if seller_iban:
            payline += f"<div class='muted'>{esc(s['name'])} · IBAN {esc(iban_print(s['iban']))} · BIC {esc(s['bic'])}</div>"
    else:
        to_pay = balance
        box = f"<div class='box row'><div><div class='b'>{esc(w['pay'])}</div><div class='big'>{esc(m(to_pay))}</div></div>"
        if direct:
            box += f"<div><div>{esc(w['before'])}</div><div class='b'>{esc(df(due))}</div></div></div>" if rng.random() < 0.5 else "</div>"
            txt = w["dd_nl"] if country == "nl" and w["dd_nl"] else w["dd"]
            payline = esc(mandate_note(txt.format(d=df(due), i=iban_print(own_iban)), lang, issue, df, f"energy-{k}"))
            seller_iban = None
            if rng.random() < 0.4:
                seller_iban = s["iban"]
                payline += f"<div class='muted'>{esc(s['name'])} · IBAN {esc(iban_print(s['iban']))} · BIC {esc(s['bic'])}</div>"
        else:
            box += f"<div><div>{esc(w['before'])}</div><div class='b'>{esc(df(due))}</div></div><div><div>{esc(w['ref'] if country == 'be' else w['nlref'])}</div><div class='b'>{esc(ref)}</div></div></div>"
            txt = w["tr_nl"] if country == "nl" and w["tr_nl"] else w["tr"]
            payline = esc(txt.format(a=m(to_pay), i=iban_print(s["iban"]), s=s["name"], r=ref, d=df(due)))
    # Detail.
    head, rows = table(["Omschrijving" if lang == "nl" else "Description" if lang == "fr" else "Beschreibung", w["vat"], "Bedrag" if lang == "nl" else "Montant" if lang == "fr" else "Betrag"],
                       [(ln["desc"], f"{rate_s(ln['rate'], lang)}%", m(ln["amount"])) for ln in lines], {1, 2})
    detail = f"<h2>{esc(w['summary'])}</h2><table class='lines'>{head}{''.join(rows)}</table>"
    if kind != "advance":
        meters = "".join(f"<tr><td>{esc(ln['what'])}</td><td class='r'>{rng.randrange(10000, 90000)}</td><td class='r'>{ln['kwh']} kWh</td></tr>" for ln in lines if "kwh" in ln)
        detail = f"<h2>{esc(w['meter'])}</h2><table class='lines'><tr><th></th><th class='r'>{esc(w['end'])}</th><th class='r'>{esc(w['cons'])}</th></tr>{meters}</table>" + detail
    tot = [(w["excl"], m(sub))] + [(f"{w['vat']} {rate_s(r, lang)}%", m(x)) for r, _, x in breakdown] + [(w["incl"], m(total))]
    if kind != "advance":
        tot.append((w["adv_paid"], m(-advances)))
        tot.append((w["balance"] if balance >= 0 else w["refund"], m(abs(balance))))
    totals = kv(tot, "tot", colon=False)
    nxt = f"<p>{esc(w['next'].format(a=m(q(total / 12))))}</p>" if kind != "advance" else ""
    foot_parts = [s["name"], ", ".join(s["addr"])]
    if country == "be":
        foot_parts += [f"{'BTW' if lang == 'nl' else 'TVA' if lang == 'fr' else 'MwSt.'} {be_vat_print(s['vat'], rng)}", rng.choice(["RPR Brussel", "RPM Bruxelles", "RPR Antwerpen"])]
    else:
        foot_parts += [f"KvK {s['kvk']}", f"Btw-nr. {s['vat']}"]
    if rng.random() < 0.5 and seller_iban:
        foot_parts.append(f"IBAN {iban_print(s['iban'])}")
    foot = f"<div class='foot'>{esc(' · '.join(foot_parts))}</div>"
    if kind != "advance" and rng.random() < 0.6:
        # As suppliers print settlements: what to pay on page one, the detail and its totals on
        # page two, "1/2" on each page.
        pg = {"nl": "Pagina {p}/2", "fr": "Page {p}/2", "de": "Seite {p}/2"}[lang]
        pages = [top + box + f"<p>{payline}</p>" + nxt + foot + f"<div class='foot' style='bottom:4mm' class='r'>{pg.format(p=1)}</div>",
                 f"<div class='r muted'>{esc(w['num'])} {esc(number)}</div>" + detail + totals + foot + f"<div class='foot' style='bottom:4mm'>{pg.format(p=2)}</div>"]
    else:
        pages = [top + box + f"<p>{payline}</p>" + detail + totals + nxt + foot]
    own = dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[b["iban"]])
    if kind == "settle_credit":
        truth = truth_of(number, issue, None, None, None, -balance, -balance, s, b, seller_iban, kind="credit_note", lines=None)
    else:
        truth = truth_of(number, issue, truth_due, sub, v, total, balance if kind != "advance" else total, s, b, seller_iban,
                         lines=len(lines))
    return doc(rng, pages), truth, own, lang, kind


# ---------------------------------------------------------------------------------------------
# Telecom.

TEL = {
    "nl": dict(title="Factuur", period="Periode van {a} tot {b}", cust="Klantnummer", acct="Facturatieaccount", num="Factuurnummer",
               date="Factuurdatum", before="Te betalen vóór", ref="Gestructureerde mededeling", nlref="Betalingskenmerk", sub="Abonnementen",
               use="Verbruik", once="Eenmalige kosten", third="Diensten van derden (vrijgesteld van btw)", excl="Totaal excl. btw", vat="Btw",
               incl="Totaal incl. btw", pay="Te betalen", rate="Tarief", base="Basis", summary="Samenvatting van uw factuur", detail="Detail van uw gesprekken",
               dd="Dit bedrag wordt via domiciliëring van uw rekening {i} afgehouden.", tr="Te storten op {i} met mededeling {r}",
               page="Pagina {p}/{n}", items=["Internet Fiber 1 Gbps", "Mobiel Unlimited", "Vaste lijn Pro", "Extra SIM data", "TV Business"],
               oneoff=["Activatiekosten", "Verzendkosten modem"], thirdp=["Parkeerticket via sms", "Premium sms-dienst"]),
    "fr": dict(title="Facture", period="Période du {a} au {b}", cust="Numéro de client", acct="Compte de facturation", num="Numéro de facture",
               date="Date de facture", before="À payer avant le", ref="Communication structurée", nlref="Référence", sub="Abonnements",
               use="Consommation", once="Frais uniques", third="Services de tiers (exonéré de TVA)", excl="Total hors TVA", vat="TVA",
               incl="Total TVA comprise", pay="À payer", rate="Taux", base="Base", summary="Résumé de votre facture", detail="Détail de vos appels",
               dd="Ce montant sera prélevé par domiciliation de votre compte {i}.", tr="À verser sur {i} avec la communication {r}",
               page="Page {p}/{n}", items=["Internet Fibre 1 Gbps", "Mobile Illimité", "Ligne fixe Pro", "SIM data supplémentaire", "TV Business"],
               oneoff=["Frais d'activation", "Frais d'envoi modem"], thirdp=["Ticket de parking par sms", "Service sms premium"]),
    "de": dict(title="Rechnung", period="Zeitraum vom {a} bis {b}", cust="Kundennummer", acct="Rechnungskonto", num="Rechnungsnummer",
               date="Rechnungsdatum", before="Zahlbar bis", ref="Strukturierte Mitteilung", nlref="Referenz", sub="Abonnements",
               use="Verbrauch", once="Einmalige Kosten", third="Dienste Dritter (von der MwSt. befreit)", excl="Summe ohne MwSt.", vat="MwSt.",
               incl="Summe inkl. MwSt.", pay="Zu zahlen", rate="Satz", base="Basis", summary="Zusammenfassung Ihrer Rechnung", detail="Einzelverbindungsnachweis",
               dd="Dieser Betrag wird per Lastschrift von Ihrem Konto {i} abgebucht.", tr="Zu überweisen auf {i} mit der Mitteilung {r}",
               page="Seite {p}/{n}", items=["Internet Glasfaser 1 Gbit/s", "Mobil Unbegrenzt", "Festnetz Pro", "Zusätzliche SIM Daten", "TV Business"],
               oneoff=["Aktivierungsgebühr", "Versand Modem"], thirdp=["Parkticket per SMS", "Premium-SMS-Dienst"]),
    "en": dict(title="Invoice", period="Period from {a} to {b}", cust="Customer number", acct="Billing account", num="Invoice number",
               date="Invoice date", before="Pay before", ref="Structured communication", nlref="Payment reference", sub="Subscriptions",
               use="Usage", once="One-off charges", third="Third-party services (VAT exempt)", excl="Total excl. VAT", vat="VAT",
               incl="Total incl. VAT", pay="Amount to pay", rate="Rate", base="Base", summary="Summary of your invoice", detail="Call details",
               dd="This amount will be collected by direct debit from your account {i}.", tr="Please transfer to {i} quoting {r}",
               page="Page {p}/{n}", items=["Fibre Internet 1 Gbps", "Mobile Unlimited", "Fixed line Pro", "Extra SIM data", "TV Business"],
               oneoff=["Activation fee", "Modem shipping"], thirdp=["Parking ticket by SMS", "Premium SMS service"]),
}


def telecom(rng, k, multipage=False):
    lang = rng.choice(["nl", "nl", "fr", "en", "de"])
    country = "nl" if lang in ("nl", "en") and rng.random() < 0.4 else "be"
    w = TEL[lang]
    s, b = utility(rng, "telecom", country), business(rng, country)
    m, df = money_fn(lang, rng), date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    mon = rng.randrange(1, 12)
    pstart = dt.date(year, mon, 1)
    pend = add_days(dt.date(year, mon + 1, 1), -1)
    issue = add_days(pend, rng.randrange(1, 6))
    due = add_days(issue, rng.choice([14, 15, 21]))
    number = rng.choice([f"{rng.randrange(10**9, 10**10)}", f"{rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7)}", f"T{year}{rng.randrange(10**6, 10**7)}"])
    cust = str(rng.randrange(10**7, 10**9))
    acct = f"{rng.randrange(10**6, 10**7)}-{rng.randrange(10, 99)}"
    lines = []
    for it in rng.sample(w["items"], rng.randrange(1, 4)):
        lines.append(dict(group=w["sub"], desc=it, amount=q(Decimal(rng.randrange(1500, 9000)) / 100), rate=Decimal(21)))
    lines.append(dict(group=w["use"], desc=w["use"] + " " + rng.choice(["mobiel", "national", "roaming EU"]), amount=q(Decimal(rng.randrange(100, 4000)) / 100), rate=Decimal(21)))
    if rng.random() < 0.3:
        lines.append(dict(group=w["once"], desc=rng.choice(w["oneoff"]), amount=q(Decimal(rng.randrange(1000, 6000)) / 100), rate=Decimal(21)))
    if rng.random() < 0.4:
        lines.append(dict(group=w["third"], desc=rng.choice(w["thirdp"]), amount=q(Decimal(rng.randrange(150, 2000)) / 100), rate=Decimal(0)))
    breakdown, sub, v, total = sums(lines)
    direct = rng.random() < 0.45
    ref = ogm(rng) if country == "be" else kenmerk(rng)
    period = w["period"].format(a=short(pstart), b=short(pend))
    info = [(w["num"], number), (w["date"], df(issue)), (w["cust"], cust), (w["acct"], acct)]
    rng.shuffle(info)
    head_top = (f"<div class='row'><div><div class='big' style='color:#7b2ff7'>{esc(s['brand'])}</div><div class='muted'>{esc(s['web'])}</div></div>"
                f"<div style='margin-top:26px;width:45%'>{div([b['name'], *b['addr']])}</div></div>")
    hstyle = rng.choice(["kv", "cols", "title"])
    if hstyle == "kv":
        head = head_top + f"<h1>{esc(w['title'])}</h1><div>{esc(period)}</div>" + kv(info, style="margin-top:8px")
    elif hstyle == "cols":
        # Labels over values in one row, as a box under the address (Telenet/KPN style).
        head = head_top + f"<h1>{esc(w['title'])}</h1>" + cols(info + [(w["before"], df(due))]) + f"<div style='margin-top:6px'>{esc(period)}</div>"
    else:
        # "Factuur 1234567890 van 5 juni 2024" as the title (Proximus style).
        of = {"nl": "van", "fr": "du", "de": "vom", "en": "of"}[lang]
        rest = [kv_ for kv_ in info if kv_[0] not in (w["num"], w["date"])]
        head = head_top + f"<h1>{esc(w['title'])} {esc(number)} {of} {esc(df(issue))}</h1><div>{esc(period)}</div>" + kv(rest, style="margin-top:8px")
    # An account statement above the bill (Proximus style): the previous bill's balance and the
    # payments received; when it was not paid, the amount to pay carries it.
    statement = ""
    to_pay = total
    if rng.random() < 0.5:
        prev = q(total * Decimal(rng.choice(["0.8", "0.95", "1.1"])))
        paid_prev = rng.random() < 0.7
        st = {"nl": ("Vorig saldo", "Ontvangen betalingen", "Deze factuur", "Totaal te betalen"),
              "fr": ("Solde précédent", "Paiements reçus", "Cette facture", "Total à payer"),
              "de": ("Vorheriger Saldo", "Zahlungseingänge", "Diese Rechnung", "Gesamt zu zahlen"),
              "en": ("Previous balance", "Payments received", "This invoice", "Total to pay")}[lang]
        to_pay = total + (Decimal(0) if paid_prev else prev)
        rows_ = [(st[0], m(prev)), (st[1], m(-prev if paid_prev else Decimal(0))), (st[2], m(total)), (st[3], m(to_pay))]
        statement = "<div class='box'>" + kv(rows_, colon=False) + "</div>"
    paybox = f"<div class='box row'><div><div>{esc(w['pay'])}</div><div class='big'>{esc(m(to_pay))}</div></div><div><div>{esc(w['before'])}</div><div class='b'>{esc(df(due))}</div></div>"
    if not direct:
        paybox += f"<div><div>{esc(w['ref'] if country == 'be' else w['nlref'])}</div><div class='b'>{esc(ref)}</div></div>"
    paybox += "</div>"
    groups = []
    for g in [w["sub"], w["use"], w["once"], w["third"]]:
        amt = sum((ln["amount"] for ln in lines if ln["group"] == g), Decimal(0))
        if any(ln["group"] == g for ln in lines):
            groups.append((g, m(amt)))
    summ = f"<h2>{esc(w['summary'])}</h2>" + kv(groups, colon=False, style="width:60%")
    tot = [(w["excl"], m(sub))] + [(f"{w['vat']} {rate_s(r, lang)}%", m(x)) for r, _, x in breakdown if r] + [(w["incl"], m(total))]
    vt = (f"<table class='lines' style='width:60%'><tr><th>{esc(w['rate'])}</th><th class='r'>{esc(w['base'])}</th><th class='r'>{esc(w['vat'])}</th></tr>" +
          "".join(f"<tr><td>{rate_s(r, lang)}%</td><td class='r'>{esc(m(bs))}</td><td class='r'>{esc(m(x))}</td></tr>" for r, bs, x in breakdown) + "</table>")
    hd, rows = table([{"nl": "Rubriek", "fr": "Rubrique", "de": "Rubrik", "en": "Section"}[lang], {"nl": "Omschrijving", "fr": "Description", "de": "Beschreibung", "en": "Description"}[lang],
                      {"nl": "Bedrag", "fr": "Montant", "de": "Betrag", "en": "Amount"}[lang]],
                     [(ln["group"], ln["desc"], m(ln["amount"])) for ln in lines], {2})
    items = f"<table class='lines'>{hd}{''.join(rows)}</table>"
    pay = (esc(mandate_note(w["dd"].format(i=iban_print(b["iban"])), lang, issue, df, f"telecom-{multipage}-{k}")) if direct else
           esc(w["tr"].format(i=iban_print(s["iban"]), r=ref)))
    seller_iban = None if direct else s["iban"]
    vat_word = {"nl": "BTW", "fr": "TVA", "de": "MwSt.", "en": "VAT"}[lang]
    foot_txt = f"{s['name']} · {', '.join(s['addr'])} · " + (f"{vat_word} {be_vat_print(s['vat'], rng)}" if country == "be" else f"KvK {s['kvk']} · Btw {s['vat']}")
    if not direct or rng.random() < 0.3:
        foot_txt += f" · IBAN {iban_print(s['iban'])} · BIC {s['bic']}"
        seller_iban = s["iban"]
    pages = [head + statement + paybox + summ + items + kv(tot, "tot", colon=False) + vt + f"<p>{pay}</p>"]
    if multipage:
        # A call detail over one or two more pages; the totals on the first (as operators do) are
        # repeated nowhere else.
        calls = []
        for _ in range(rng.randrange(30, 80)):
            d = add_days(pstart, rng.randrange(0, 28))
            calls.append((df(d), f"+32 4{rng.randrange(70, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
                          f"{rng.randrange(0, 59)}:{rng.randrange(0, 59):02d}", m(q(Decimal(rng.randrange(0, 90)) / 100))))
        chunks = [calls[i:i + 45] for i in range(0, len(calls), 45)]
        for ch in chunks:
            hd2, rows2 = table(["Datum" if lang in ("nl", "de") else "Date", "Nummer" if lang in ("nl", "de") else "Numéro" if lang == "fr" else "Number",
                                "Duur" if lang == "nl" else "Durée" if lang == "fr" else "Dauer" if lang == "de" else "Duration", ""], ch, {2, 3})
            pages.append(f"<div class='r muted'>{esc(w['num'])} {esc(number)}</div><h2>{esc(w['detail'])}</h2><table class='lines'>{hd2}{''.join(rows2)}</table>")
    n = len(pages)
    pages = [p + f"<div class='foot'>{esc(foot_txt)}<span style='float:right'>{esc(w['page'].format(p=i + 1, n=n))}</span></div>" for i, p in enumerate(pages)]
    own = dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[b["iban"]])
    truth = truth_of(number, issue, due, sub, v, total, total, s, b, seller_iban, lines=len(lines))
    return doc(rng, pages), truth, own, lang, "telecom"


# ---------------------------------------------------------------------------------------------
# Insurance.


def insurance(rng, k):
    country = rng.choice(["be", "be", "nl"])
    lang = "nl" if country == "nl" else rng.choice(["nl", "fr"])
    s, b = utility(rng, "insurance", country), business(rng, country)
    m, df = money_fn(lang, rng), date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    start = dt.date(year, rng.randrange(1, 13), 1)
    issue = add_days(start, -rng.randrange(20, 40))
    due = start
    polis = rng.choice([f"{rng.randrange(10**7, 10**8)}", f"{rng.randrange(100, 999)}.{rng.randrange(100, 999)}.{rng.randrange(100, 999)}", f"AP{rng.randrange(10**6, 10**7)}"])
    number = rng.choice([f"{rng.randrange(10**9, 10**10)}", f"{year}/{rng.randrange(10**5, 10**6)}"])
    product = rng.choice(["Brand Handel & KMO", "BA Uitbating", "Bedrijfswagen omnium", "Arbeidsongevallen"] if lang == "nl" else
                         ["Incendie Commerce & PME", "RC Exploitation", "Omnium véhicule", "Accidents du travail"])
    premium = q(Decimal(rng.randrange(20000, 300000)) / 100)
    direct = rng.random() < 0.4
    if country == "be":
        tax = q(premium * Decimal("0.0925"))
        contrib = q(premium * Decimal(rng.choice(["0", "0.0015", "0.001"])))
        costs = Decimal(0)
        rows = [("Nettopremie" if lang == "nl" else "Prime nette", premium), ("Taks 9,25%" if lang == "nl" else "Taxe 9,25%", tax)]
        if contrib:
            rows.append(("Bijdragen" if lang == "nl" else "Contributions", contrib))
    else:
        costs = q(Decimal(rng.choice([0, 250, 350, 500])) / 100)
        tax = q((premium + costs) * Decimal("0.21"))
        contrib = Decimal(0)
        rows = [("Premie", premium)] + ([("Poliskosten", costs)] if costs else []) + [("Assurantiebelasting 21%", tax)]
    total = premium + tax + contrib + costs
    title = {"nl": "Vervaldagbericht" if country == "be" else "Premienota", "fr": "Avis d'échéance"}[lang]
    period_end = add_days(dt.date(start.year + 1, start.month, 1), -1)
    num_label = {"nl": rng.choice(["Documentnummer", "Factuurnummer", "Notanummer"]), "fr": rng.choice(["Numéro de document", "Numéro de facture"])}[lang]
    info = [(num_label, number), ("Polisnummer" if lang == "nl" else "Numéro de police", polis), ("Datum" if lang == "nl" else "Date", df(issue)),
            ("Periode" if lang == "nl" else "Période", f"{df(start)} - {df(period_end)}"),
            ("Vervaldag" if lang == "nl" else "Échéance", df(due))]
    ref = ogm(rng) if country == "be" else kenmerk(rng)
    top = (f"<div class='row'><div><div class='big' style='color:#0b5394'>{esc(s['brand'])}</div>{div([s['name'], *s['addr']], 'muted')}</div>"
           f"<div style='margin-top:28px;width:45%'>{div([b['name'], *b['addr']])}</div></div><h1>{esc(title)}</h1>")
    top += f"<div>{esc(product)}</div>" + kv(info, style="margin-top:8px")
    body = kv([(k2, m(v2)) for k2, v2 in rows] + [("Totaal te betalen" if lang == "nl" else "Total à payer", m(total))], "tot", colon=False)
    exempt = {"nl": "Vrijgesteld van btw (art. 44 §3, 4° W.btw)" if country == "be" else "Verzekeringen zijn vrijgesteld van btw.",
              "fr": "Exonéré de TVA (art. 44 §3, 4° C.TVA)"}[lang]
    seller_iban = s["iban"]
    if direct:
        pay = ("Het bedrag wordt via domiciliëring van uw rekening {i} gedebiteerd." if country == "be" else "Wij incasseren de premie van uw rekening {i}.") if lang == "nl" else "Ce montant sera prélevé par domiciliation de votre compte {i}."
        pay = pay.format(i=iban_print(b["iban"]))
        seller_iban = None
    else:
        pay = (f"Gelieve {m(total)} vóór {df(due)} te betalen op {iban_print(s['iban'])} met mededeling {ref}." if lang == "nl" else
               f"Veuillez payer {m(total)} avant le {df(due)} sur le compte {iban_print(s['iban'])} avec la communication {ref}.")
    labelled_vat = country == "be" and rng.random() < 0.6
    if country == "be":
        id_txt = (f"{'BTW' if lang == 'nl' else 'TVA'} {be_vat_print(s['vat'], rng)}" if labelled_vat else
                  f"{'KBO' if lang == 'nl' else 'BCE'} {be_vat_print(s['vat'], rng, prefix=False)}")
        foot = f"{s['name']} · {', '.join(s['addr'])} · {id_txt} · {'Verzekeringsonderneming toegelaten onder codenummer' if lang == 'nl' else 'Entreprise d’assurances agréée sous le code'} {rng.randrange(10, 999):04d}"
    else:
        foot = f"{s['name']} · {', '.join(s['addr'])} · KvK {s['kvk']} · AFM {rng.randrange(10**7, 10**8)}"
    if rng.random() < 0.5 and not direct:
        foot += f" · IBAN {iban_print(s['iban'])}"
    html_text = doc(rng, [top + body + f"<p>{esc(exempt)}</p><p>{esc(pay)}</p><div class='foot'>{esc(foot)}</div>"])
    own = dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[b["iban"]])
    truth = truth_of(number, issue, due, total, Decimal("0.00"), total, total, s, b, seller_iban, lines=None, seller_vat=labelled_vat)
    return html_text, truth, own, lang, "insurance"


# ---------------------------------------------------------------------------------------------
# SaaS.

SAAS = {
    "google": dict(name="{f} Cloud EMEA Limited", addr=["Velasco, Clanwilliam Place", "Dublin 2, Ireland"], product="Workspace Business Standard"),
    "microsoft": dict(name="{f} Ireland Operations Limited", addr=["One Microsoft Place, South County Business Park", "Leopardstown, Dublin 18, Ireland"], product="365 Business Premium"),
    "adobe": dict(name="{f} Systems Software Ireland Limited", addr=["4-6 Riverwalk, Citywest Business Campus", "Dublin 24, Ireland"], product="Creative Cloud All Apps"),
    "atlassian": dict(name="{f} Network Services B.V.", addr=["Singel 236", "1016 AB Amsterdam, Netherlands"], product="Jira Software Cloud Standard"),
    "slack": dict(name="{f} Technologies Limited", addr=["One Park Place, Hatch Street Upper", "Dublin 2, Ireland"], product="Pro plan"),
}
SAAS_BRAND = ["Nimbus", "Quanta", "Cirrus", "Stratus", "Vertex", "Orbis"]


def saas(rng, k):
    style = rng.choice(list(SAAS))
    lang = "en" if style != "microsoft" else rng.choice(["en", "nl", "fr", "de"])
    sty = SAAS[style]
    brand = rng.choice(SAAS_BRAND)
    s = dict(name=sty["name"].format(f=brand), addr=sty["addr"], brand=brand)
    s["vat"] = ("NL" + vat(rng, "NL")[2:]) if style == "atlassian" else ie_vat(rng)
    s["iban"] = iban(rng, "NL") if style == "atlassian" else ie_iban(rng)
    country = rng.choice(["be", "nl"])
    b = business(rng, country)
    cur = rng.choice(["EUR", "EUR", "USD"]) if style in ("atlassian", "slack", "adobe") else "EUR"
    m = money_fn("en", rng, cur) if lang == "en" else money_fn(lang, rng, cur)
    df = date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    issue = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 28))
    pstart = issue.replace(day=1)
    pend = add_days(dt.date(year + (pstart.month == 12), pstart.month % 12 + 1, 1), -1)
    seats = rng.randrange(1, 25)
    unit = q(Decimal(rng.choice([600, 1150, 1380, 2200, 3599, 875])) / 100)
    lines = [dict(desc=f"{brand} {sty['product']}", qty=seats, unit=unit, amount=q(seats * unit), rate=Decimal(0))]
    if rng.random() < 0.35:
        lines.append(dict(desc=f"{brand} {rng.choice(['Storage add-on 1 TB', 'Premium support', 'Extra licences (prorated)'])}", qty=1,
                          unit=q(Decimal(rng.randrange(300, 9000)) / 100), amount=Decimal(0), rate=Decimal(0)))
        lines[-1]["amount"] = lines[-1]["unit"]
    sub = sum((ln["amount"] for ln in lines), Decimal(0))
    total = sub
    card = rng.random() < 0.65
    number = {"google": str(rng.randrange(10**9, 10**10)), "microsoft": f"E0{rng.randrange(100, 999)}{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(5))}",
              "adobe": f"IEE{year}{rng.randrange(10**8, 10**9)}", "atlassian": f"IN-{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(100, 999)}",
              "slack": f"SBIE-{rng.randrange(10**6, 10**7)}"}[style]
    due = issue if card else add_days(issue, 30)
    period = f"{df(pstart)} - {df(pend)}"
    W = {"en": dict(inv="Invoice", num="Invoice number", date="Invoice date", due="Due date", period="Billing period", bill="Bill to",
                    sub="Subtotal", vat="VAT (0%)", total="Total", paid="Amount paid", amt_due="Amount due", rc="VAT reverse charged (Article 196, Council Directive 2006/112/EC)",
                    cvat="Customer VAT number", card="Paid by Visa ending in {c} on {d}", bank="Pay by bank transfer to {n}, IBAN {i}, BIC {b}, referencing the invoice number."),
         "nl": dict(inv="Factuur", num="Factuurnummer", date="Factuurdatum", due="Vervaldatum", period="Factureringsperiode", bill="Factuur aan",
                    sub="Subtotaal", vat="Btw (0%)", total="Totaal", paid="Betaald bedrag", amt_due="Verschuldigd bedrag", rc="Btw verlegd (artikel 196, Richtlijn 2006/112/EG)",
                    cvat="Btw-nummer klant", card="Betaald met Visa eindigend op {c} op {d}", bank="Betaal per overschrijving aan {n}, IBAN {i}, BIC {b}, met vermelding van het factuurnummer."),
         "fr": dict(inv="Facture", num="Numéro de facture", date="Date de facture", due="Date d'échéance", period="Période de facturation", bill="Facturé à",
                    sub="Sous-total", vat="TVA (0%)", total="Total", paid="Montant payé", amt_due="Montant dû", rc="Autoliquidation de la TVA (article 196, directive 2006/112/CE)",
                    cvat="N° TVA client", card="Payé par Visa se terminant par {c} le {d}", bank="Payez par virement à {n}, IBAN {i}, BIC {b}, en mentionnant le numéro de facture."),
         "de": dict(inv="Rechnung", num="Rechnungsnummer", date="Rechnungsdatum", due="Fälligkeitsdatum", period="Abrechnungszeitraum", bill="Rechnung an",
                    sub="Zwischensumme", vat="MwSt. (0%)", total="Gesamt", paid="Bezahlter Betrag", amt_due="Fälliger Betrag", rc="Steuerschuldnerschaft des Leistungsempfängers (Artikel 196, Richtlinie 2006/112/EG)",
                    cvat="USt-IdNr. Kunde", card="Bezahlt mit Visa endend auf {c} am {d}", bank="Zahlung per Überweisung an {n}, IBAN {i}, BIC {b}, unter Angabe der Rechnungsnummer.")}[lang]
    due_amount = Decimal(0) if card else total
    bill = div([b["name"], *b["addr"], {"be": "Belgium", "nl": "Netherlands"}[country], f"{W['cvat']}: {b['vat']}"])
    seller = div([s["name"], *s["addr"], f"VAT: {s['vat']}"])
    info = [(W["num"], number), (W["date"], df(issue))]
    if not card:
        info.append((W["due"], df(due)))
    info.append((W["period"], period))
    extra = {"google": ("Billing ID", f"{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}"),
             "microsoft": ("Billing account", str(rng.randrange(10**7, 10**8))), "adobe": ("Order Number", str(rng.randrange(10**9, 10**10))),
             "atlassian": ("Quote number", f"AT-{rng.randrange(10**8, 10**9)}"), "slack": ("Workspace", f"{b['name'].split()[0].lower()}.slack.com")}[style]
    info.append(extra)
    heads = {"en": ["Description", "Quantity", "Unit price", "Amount"], "nl": ["Omschrijving", "Aantal", "Eenheidsprijs", "Bedrag"],
             "fr": ["Description", "Quantité", "Prix unitaire", "Montant"], "de": ["Beschreibung", "Menge", "Einzelpreis", "Betrag"]}[lang]
    hd, rows = table(heads, [(ln["desc"], str(ln["qty"]), m(ln["unit"]), m(ln["amount"])) for ln in lines], {1, 2, 3})
    if lang == "en" and style != "microsoft":
        # Each vendor's own totals words.
        W = dict(W)
        W.update({"google": dict(sub=f"Subtotal in {cur}", vat="VAT (0%)", total=f"Total in {cur}"),
                  "adobe": dict(sub="Net Amount", vat="Taxes", total="Grand Total"),
                  "atlassian": dict(sub="Subtotal", vat="Tax (0%)", total="Total", paid="Total paid"),
                  "slack": dict(sub="Subtotal", vat="VAT", total="Total", paid="Amount paid",
                                inv="Receipt" if card and rng.random() < 0.5 else "Invoice")}[style])
    tot = [(W["sub"], m(sub)), (W["vat"], m(Decimal(0))), (W["total"], m(total))]
    if card:
        tot += [(W["paid"], m(total))] + ([(W["amt_due"], m(Decimal(0)))] if rng.random() < 0.7 else [])
    else:
        tot.append((W["amt_due"], m(total)))
    cardtxt = W["card"].format(c=rng.randrange(1000, 9999), d=df(issue)) if card else W["bank"].format(n=s["name"], i=iban_print(s["iban"]), b=rng.choice(["AIBKIE2D", "BOFIIE2D", "INGBNL2A"]))
    logo = f"<div class='big' style='color:#4285f4'>{esc(brand)}</div>"
    if style in ("google", "slack"):
        # Summary box first, addresses below.
        summ = f"<div class='box'><div>{esc(W['total'])} in {cur}</div><div class='big'>{esc(m(total))}</div><div>{esc(W['amt_due'])}: {esc(m(due_amount))}</div></div>"
        body = (f"<div class='row'>{logo}<div>{kv(info)}</div></div><h1>{esc(W['inv'])}</h1>" + summ +
                f"<div class='row' style='margin-top:14px'><div><b>{esc(W['bill'])}</b>{bill}</div><div>{seller}</div></div>")
    elif style == "microsoft":
        body = (f"<div class='row'>{logo}<div>{seller}</div></div><h1>{esc(W['inv'])}</h1>" +
                f"<div class='row'><div><b>{esc(W['bill'])}</b>{bill}</div><div>{kv(info)}</div></div>")
    else:
        body = (f"<div class='row'><div>{logo}{seller}</div><div><h1>{esc(W['inv'])}</h1>{kv(info)}</div></div>" +
                f"<div style='margin-top:14px'><b>{esc(W['bill'])}</b>{bill}</div>")
    body += f"<table class='lines'>{hd}{''.join(rows)}</table>" + kv(tot, "tot", colon=False) + f"<p>{esc(W['rc'])}</p><p class='muted'>{esc(cardtxt)}</p>"
    body += f"<div class='foot'>{esc(s['name'])} · {esc(', '.join(s['addr']))} · VAT {esc(s['vat'])}</div>"
    own = dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[b["iban"]])
    truth = truth_of(number, issue, None if card else due, sub, Decimal("0.00"), total, due_amount, s, b, None if card else s["iban"],
                     lines=len(lines), cur=cur)
    return doc(rng, [body]), truth, own, lang, style


# ---------------------------------------------------------------------------------------------
# Accounting packages.

ACC_ITEMS = {
    "nl": ["Advies (uren)", "Onderhoud installatie", "Boekhouding maand", "Grafisch ontwerp", "Plaatsing materiaal", "Verplaatsingskosten",
           "Huur werfmateriaal", "Fotografie", "Schoonmaak kantoor", "Catering", "Vertaling", "Drukwerk"],
    "fr": ["Conseil (heures)", "Entretien installation", "Comptabilité mensuelle", "Conception graphique", "Pose matériel", "Frais de déplacement",
           "Location matériel", "Photographie", "Nettoyage bureaux", "Traiteur", "Traduction", "Impression"],
    "en": ["Consulting (hours)", "Installation maintenance", "Monthly bookkeeping", "Graphic design", "Materials", "Travel costs",
           "Equipment rental", "Photography", "Office cleaning", "Catering", "Translation", "Printing"],
}
ACC = {
    "nl": dict(inv="Factuur", num="Factuurnummer", date="Factuurdatum", due="Vervaldatum", ref="Uw referentie", our="Onze referentie", cust="Klantnummer",
               desc="Omschrijving", qty="Aantal", price="Eenheidsprijs", vat="Btw", amount="Bedrag", excl="Totaal excl. btw", incl="Totaal incl. btw",
               topay="Te betalen", page="Pagina {p}/{n}", ogm="Gestructureerde mededeling", ask="Gelieve het bedrag van {a} te betalen vóór {d} op rekening {i}",
               ask_nl="Wij verzoeken u het bedrag van {a} vóór {d} over te maken op {i} o.v.v. {n}.", sub="Subtotaal"),
    "fr": dict(inv="Facture", num="Numéro de facture", date="Date de facture", due="Date d'échéance", ref="Votre référence", our="Notre référence", cust="Numéro client",
               desc="Description", qty="Quantité", price="Prix unitaire", vat="TVA", amount="Montant", excl="Total HTVA", incl="Total TVAC",
               topay="À payer", page="Page {p}/{n}", ogm="Communication structurée", ask="Merci de payer {a} avant le {d} sur le compte {i}",
               ask_nl="", sub="Sous-total"),
    "en": dict(inv="Invoice", num="Invoice number", date="Invoice date", due="Due date", ref="Your reference", our="Our reference", cust="Customer number",
               desc="Description", qty="Quantity", price="Unit price", vat="VAT", amount="Amount", excl="Total excl. VAT", incl="Total incl. VAT",
               topay="Amount due", page="Page {p}/{n}", ogm="Structured communication", ask="Please pay {a} before {d} to account {i}",
               ask_nl="Please transfer {a} before {d} to {i} quoting {n}.", sub="Subtotal"),
}
ACC_STYLES = {"exact": ["nl", "en"], "teamleader": ["nl", "fr", "en"], "billit": ["nl", "fr"], "yuki": ["nl", "en"], "eboekhouden": ["nl"],
              "wefact": ["nl"], "twinfield": ["nl", "en"]}
ACC_COUNTRY = {"exact": ["nl", "be"], "teamleader": ["be"], "billit": ["be"], "yuki": ["nl", "be"], "eboekhouden": ["nl"], "wefact": ["nl"], "twinfield": ["nl"]}


def accounting(rng, k, multipage=False):
    style = rng.choice(list(ACC_STYLES))
    lang = rng.choice(ACC_STYLES[style])
    country = rng.choice(ACC_COUNTRY[style])
    w = ACC[lang]
    s, b = business(rng, country), business(rng, country if rng.random() < 0.85 else rng.choice(["be", "nl"]))
    s["brand"] = s["name"].split()[0]
    m, df = money_fn(lang, rng), date_fn(lang, rng)
    year = rng.choice([2024, 2025])
    issue = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
    days = rng.choice([14, 30, 30, 60])
    due = add_days(issue, days)
    seq = rng.randrange(1, 9999)
    number = {"exact": str(rng.randrange(20000000, 29999999)), "teamleader": f"{year} / {seq}", "billit": f"{year}-{seq:05d}",
              "yuki": f"{year}{seq:05d}", "eboekhouden": f"F{year}-{seq:04d}", "wefact": f"F{year}{seq:04d}", "twinfield": f"{year}{seq:06d}"}[style]
    if style == "teamleader" and rng.random() < 0.5:
        number = f"{year}/{seq}"
    rates = [Decimal("21"), Decimal("6")] if country == "be" else [Decimal("21"), Decimal("9")]
    use = rates[:1] if rng.random() < 0.6 else rates
    n = rng.randrange(34, 60) if multipage else rng.randrange(1, 9)
    lines = []
    for i in range(n):
        qty = Decimal(rng.choice([1, 1, 2, 3, 5, 8, 10]))
        unit = q(Decimal(rng.randrange(500, 150000)) / 100)
        lines.append(dict(desc=rng.choice(ACC_ITEMS[lang]), qty=qty, unit=unit, amount=q(qty * unit), rate=use[i % len(use)]))
    breakdown, sub, v, total = sums(lines)
    ref = rng.choice([f"PO-{rng.randrange(1000, 99999)}", f"{rng.randrange(10**5, 10**6)}", f"Offerte {year}-{rng.randrange(10, 999)}"])
    cust = str(rng.randrange(1000, 99999))
    ogm_ref = ogm(rng) if country == "be" else None
    # A credit note now and then (negative amounts as Exact and Yuki print them, or positive under
    # the title), and invoices with payment terms and no due date printed.
    credit = not multipage and rng.random() < 0.2
    terms_only = not credit and rng.random() < 0.2
    if credit:
        w = dict(w, inv={"nl": "Creditnota", "fr": "Note de crédit", "en": "Credit note"}[lang],
                 num={"nl": "Creditnotanummer", "fr": "Numéro de note de crédit", "en": "Credit note number"}[lang])
        if rng.random() < 0.5:
            pos = m
            m = lambda x: pos(-x)  # noqa: E731
        ogm_ref = None
    info = [(w["num"], number), (w["date"], df(issue))] + ([] if credit or terms_only else [(w["due"], df(due))])
    if rng.random() < 0.6:
        info.append((w["ref"], ref))
    if rng.random() < 0.5:
        info.append((w["cust"], cust))
    if ogm_ref and rng.random() < 0.6:
        info.append((w["ogm"], ogm_ref))
    kbo = ("KBO " + be_vat_print(s["vat"], rng, prefix=False) if lang != "fr" else "BCE " + be_vat_print(s["vat"], rng, prefix=False)) if s["country"] == "be" else f"KvK {s['kvk']}"
    vatw = {"nl": "BTW", "fr": "TVA", "en": "VAT"}[lang]
    foot = f"{s['name']} · {', '.join(s['addr'])} · {kbo} · {vatw} {s['vat'] if s['country'] != 'be' else be_vat_print(s['vat'], rng)} · IBAN {iban_print(s['iban'])} · BIC {s['bic']}"
    buyer_blk = div([b["name"], rng.choice(["", f"t.a.v. {rng.choice(['de boekhouding', 'Jan Peeters', 'Sophie Janssens'])}"]) if lang == "nl" else "",
                     *b["addr"], f"{vatw} {b['vat']}" if rng.random() < 0.6 else ""])
    seller_blk = div([s["name"], *s["addr"], s["email"]])
    logo = f"<div class='big' style='color:#{rng.choice(['e4572e', '17bebb', '2e86ab', '333333'])}'>{esc(s['brand'])}</div>"
    if style in ("exact", "twinfield"):
        top = f"<div class='row'><div>{logo}{seller_blk}</div><div style='margin-top:30px'>{buyer_blk}</div></div><h1>{esc(w['inv'])}</h1>" + cols(info)
    elif style in ("teamleader", "billit"):
        top = f"<div class='row'><div>{logo}</div><div>{seller_blk}</div></div><div class='row' style='margin-top:20px'><div>{buyer_blk}</div><div><h1>{esc(w['inv'])} {esc(number)}</h1>{kv(info[1:])}</div></div>"
    else:
        top = f"<div class='row'><div style='margin-top:40px'>{buyer_blk}</div><div class='r'>{logo}{seller_blk}</div></div><h1>{esc(w['inv'])}</h1>" + kv(info)
    hd, rows = table([w["desc"], w["qty"], w["price"], w["vat"], w["amount"]],
                     [(ln["desc"], f"{ln['qty']}", m(ln["unit"]), f"{rate_s(ln['rate'], lang)}%", m(ln["amount"])) for ln in lines], {1, 2, 3, 4})
    tot = [(w["excl"], m(sub))] + [(f"{w['vat']} {rate_s(r, lang)}%" + (f" ({m(bs)})" if len(breakdown) > 1 and rng.random() < 0.5 else ""), m(x)) for r, bs, x in breakdown]
    tot.append((w["incl"], m(total)))
    if rng.random() < 0.4:
        tot.append((w["topay"], m(total)))
    if credit:
        ask = {"nl": "Betreft factuur {f}. Dit bedrag wordt verrekend met uw volgende betaling.", "fr": "Concerne la facture {f}. Ce montant sera déduit de votre prochain paiement.",
               "en": "Relates to invoice {f}. This amount will be set off against your next payment."}[lang].format(f=f"{year}-{max(seq - 3, 1):05d}")
    elif terms_only:
        ask = {"nl": "Betalingstermijn: {n} dagen na factuurdatum, op rekening {i}.", "fr": "Paiement à {n} jours date de facture, sur le compte {i}.",
               "en": "Payment terms: {n} days from the invoice date, to account {i}."}[lang].format(n=days, i=iban_print(s["iban"]))
        if ogm_ref:
            ask += f" {w['ogm']}: {ogm_ref}"
    elif country == "nl" and w["ask_nl"]:
        ask = w["ask_nl"].format(a=m(total), d=df(due), i=iban_print(s["iban"]), n=number)
    else:
        ask = w["ask"].format(a=m(total), d=df(due), i=iban_print(s["iban"])) + (f" ({ogm_ref})." if ogm_ref else ".")
    tail = kv(tot, "tot", colon=False) + f"<p>{esc(ask)}</p>"
    chunks = [rows[:22]] + [rows[i:i + 30] for i in range(22, len(rows), 30)] if multipage else [rows]
    if multipage and len(chunks[-1]) > 14:
        last = chunks.pop()
        chunks += [last[:-10], last[-10:]]
    pages = []
    for i, ch in enumerate(chunks):
        p = top if i == 0 else f"<div class='row'>{logo}<div>{kv([(w['num'], number), (w['date'], df(issue))])}</div></div>"
        p += f"<table class='lines'>{hd}{''.join(ch)}</table>"
        if i == len(chunks) - 1:
            p += tail
        p += f"<div class='foot'>{esc(foot)}" + (f"<div class='r'>{esc(w['page'].format(p=i + 1, n=len(chunks)))}</div>" if multipage or rng.random() < 0.5 else "") + "</div>"
        pages.append(p)
    own = dict(names=[b["name"]], vat_numbers=[b["vat"]], ibans=[]) if rng.random() < 0.85 else dict(names=[], vat_numbers=[], ibans=[])
    truth = truth_of(number, issue, None if credit else due, sub, v, total, total, s, b, s["iban"], lines=len(lines),
                     kind="credit_note" if credit else "invoice")
    return doc(rng, pages), truth, own, lang, style


def multipage(rng, k):
    if rng.random() < 0.4:
        return telecom(rng, k, multipage=True)
    return accounting(rng, k, multipage=True)


LIBREOFFICE = {"yuki", "twinfield"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10, help="documents per family")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--seed", type=int, default=70)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-bills-")
    try:
        for family in args.families.split(","):
            os.makedirs(os.path.join(args.out, family), exist_ok=True)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{family}-{k}".encode()).hexdigest())
                html_text, truth, own, lang, layout = globals()[family](rng, k)
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, family, doc_id + ".pdf")
                # LibreOffice flows the pages of a multi-page document itself: those stay Chromium's.
                renderer = "libreoffice" if layout in LIBREOFFICE and family != "multipage" else "chromium"
                (render_libreoffice if renderer == "libreoffice" else render_chromium)(html_text, out, tmp)
                split = "tune" if k % 2 == 0 else "heldout"
                if truth["lines"] is None:
                    del truth["lines"]
                manifest.append(dict(path=f"{family}/{doc_id}.pdf", producer=family, layout=layout, renderer=renderer, family=family, lang=lang,
                                     split=split, own=own, truth=truth))
                print(doc_id, layout, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
