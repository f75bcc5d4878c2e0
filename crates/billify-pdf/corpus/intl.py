#!/usr/bin/env python3
"""Invoices a Belgian or Dutch small business receives from suppliers in other countries.

Each family is one supplier country, written in that country's language and conventions
(labels, VAT identifiers, number and date formats, currencies, legal footers, local extras such
as Italian withholding tax, Portuguese ATCUD, Swedish Bankgiro or the Swiss QR-bill payment
part). The reading organisation (``own``) is always the Belgian or Dutch buyer.

Usage: ``intl.py OUT [--count N] [--seed S] [--families es,it]``. Writes ``OUT/<family>-NN.pdf``,
``OUT/manifest.json`` (``producer`` = family, ``renderer`` = PDF producer) and
``OUT/by-renderer/manifest.json`` (the same documents, ``producer`` = PDF producer), so the
scorer can report per family and per producer. Instance ``k`` of a family is the same whatever
``--count`` is; even instances are the tuning half, odd ones held out.
"""

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

FAMILIES = ["es", "it", "pt", "pl", "se", "dk", "cz", "at", "ch", "ie", "lu", "en-intl"]
# Producers by pair of instances (tune + held-out share one), rotated per family.
PRODUCER_CYCLE = ["chromium", "reportlab", "fpdf", "chromium", "libreoffice", "reportlab", "fpdf"]
FONT_DIR = "/usr/share/fonts/truetype"
CENT = Decimal("0.01")


def q(x):
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Identifiers with valid check digits.

def digits(rng, n, first=None):
    s = "".join(str(rng.randint(0, 9)) for _ in range(n))
    return (first + s[len(first):]) if first else s


def luhn_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


def vat_it(rng):
    body = digits(rng, 7, "0") + rng.choice(["015", "021", "037", "058", "063", "088"])
    return "IT" + body + luhn_digit(body)


def vat_es(rng):
    letter = rng.choice("AB")
    body = digits(rng, 7)
    odd = sum(sum(divmod(int(body[i]) * 2, 10)) for i in (0, 2, 4, 6))
    even = sum(int(body[i]) for i in (1, 3, 5))
    return "ES" + letter + body + str((10 - (odd + even) % 10) % 10)


def vat_pt(rng):
    while True:
        body = rng.choice("5") + digits(rng, 7)
        r = 11 - sum(int(c) * (9 - i) for i, c in enumerate(body)) % 11
        if r < 10:
            return "PT" + body + str(r)


def vat_pl(rng):
    while True:
        body = digits(rng, 9, str(rng.randint(1, 9)))
        r = sum(int(c) * w for c, w in zip(body, [6, 5, 7, 2, 3, 4, 5, 6, 7])) % 11
        if r < 10:
            return "PL" + body + str(r)


def orgnr_se(rng):
    body = "55" + digits(rng, 7)
    return body + luhn_digit(body)


def vat_dk(rng):
    while True:
        body = digits(rng, 7, str(rng.randint(1, 9)))
        s = sum(int(c) * w for c, w in zip(body, [2, 7, 6, 5, 4, 3, 2]))
        r = (11 - s % 11) % 11
        if r < 10:
            return "DK" + body + str(r)


def vat_cz(rng):
    body = digits(rng, 7, str(rng.randint(2, 7)))
    r = sum(int(c) * w for c, w in zip(body, range(8, 1, -1))) % 11
    return "CZ" + body + str({0: 1, 1: 0}.get(r, 11 - r))


def vat_at(rng):
    body = digits(rng, 7)
    s = sum(int(c) if i % 2 == 0 else sum(divmod(int(c) * 2, 10)) for i, c in enumerate(body))
    return "ATU" + body + str((10 - (s + 4) % 10) % 10)


def vat_ie(rng):
    body = digits(rng, 7, str(rng.randint(1, 9)))
    second = rng.choice(["", "H"])
    s = sum(int(c) * (8 - i) for i, c in enumerate(body)) + (9 * 8 if second == "H" else 0)
    return "IE" + body + "WABCDEFGHIJKLMNOPQRSTUV"[s % 23] + second


def vat_lu(rng):
    body = digits(rng, 6, str(rng.randint(1, 3)))
    return "LU" + body + f"{int(body) % 89:02d}"


def vat_ch(rng):
    while True:
        body = digits(rng, 8, str(rng.randint(1, 4)))
        r = 11 - sum(int(c) * w for c, w in zip(body, [5, 4, 3, 2, 7, 6, 5, 4])) % 11
        if r != 10:
            return "CHE" + body + str(r % 11)


def vat_be(rng):
    first = digits(rng, 8, rng.choice(["04", "05", "06", "07", "08", "1"]))
    return "BE" + first + f"{97 - int(first) % 97:02d}"


def vat_nl(rng):
    while True:
        body = digits(rng, 8, str(rng.randint(1, 8)))
        s = sum(int(c) * (9 - i) for i, c in enumerate(body))
        last = s % 11
        if last < 10:
            return "NL" + body + str(last) + "B01"


IBAN_BBAN = {"ES": 20, "IT": 22, "PT": 21, "PL": 24, "SE": 20, "DK": 14, "CZ": 20, "AT": 16, "CH": 17,
             "IE": 14, "LU": 16, "BE": 12, "NL": 10}


def iban_check(country, bban):
    num = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(num) % 97:02d}"


def make_iban(rng, country):
    bban = digits(rng, IBAN_BBAN[country])
    if country == "IT":
        bban = rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") + bban
    elif country == "IE":
        bban = rng.choice(["AIBK", "BOFI", "IPBS", "ULSB"]) + bban
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO", "TRIO"]) + bban
    elif country == "LU":
        bban = digits(rng, 3) + digits(rng, 13)
    return country + iban_check(country, bban) + bban


def iban_print(iban):
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def rf_reference(rng):
    ref = digits(rng, 12, "1")
    return "RF" + rf_check(ref) + ref


def rf_check(ref):
    num = "".join(str(int(c, 36)) for c in ref + "RF00")
    return f"{98 - int(num) % 97:02d}"


# ---------------------------------------------------------------------------------------------
# Numbers and dates the local way.

def fmt_num(x, style):
    neg = x < 0
    s = f"{abs(x):,.2f}"  # 1,234.56
    whole, frac = s.split(".")
    sep, dec = {"dot": (".", ","), "space": (" ", ","), "nbsp": ("\u00a0", ","), "apos": ("'", "."),
                "rsquo": ("\u2019", "."), "comma": (",", "."), "plain": ("", ",")}[style]
    out = whole.replace(",", sep) + dec + frac
    return ("-" if neg else "") + out


MONTHS = {
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "de": "Jänner Februar März April Mai Juni Juli August September Oktober November Dezember",
    "dech": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}


def fmt_date(d, style, lang):
    months = MONTHS[lang].split()
    return {
        "dmy/": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "dmy-": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "dmy.": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dm.y": f"{d.day}.{d.month}.{d.year}",
        "dm. y": f"{d.day}. {d.month}. {d.year}",
        "iso": d.isoformat(),
        "long": f"{d.day} {months[d.month - 1]} {d.year}",
        "long.": f"{d.day}. {months[d.month - 1]} {d.year}",
        "long_de": f"{d.day} de {months[d.month - 1]} de {d.year}",
        "en_us": f"{months[d.month - 1]} {d.day}, {d.year}",
        "en_short": f"{d.day:02d} {months[d.month - 1][:3]} {d.year}",
        "en_dash": f"{d.day:02d}-{months[d.month - 1][:3]}-{d.year}",
    }[style]


# ---------------------------------------------------------------------------------------------
# Labels per language.

L = {
    "es": dict(title="Factura", credit="Factura rectificativa", number="Nº factura", date="Fecha", due="Vencimiento",
               terms="Forma de pago: transferencia a {n} días", bill_to="Cliente", seller="Emisor", cust="Nº cliente",
               order="Su pedido", desc="Concepto", qty="Cant.", price="Precio", vat_pct="% IVA", amount="Importe",
               subtotal="Base imponible", vat="IVA {r} %", total="Total factura", deposit="Anticipo recibido",
               due_amount="Total a pagar", gross="Importe bruto", discount="Descuento {p} %", pay="Forma de pago: transferencia bancaria",
               vat_id="NIF", buyer_vat="NIF-IVA", bd=("Tipo", "Base", "Cuota"), refund="Importe a abonar",
               rc="Operación con inversión del sujeto pasivo (art. 196 Directiva 2006/112/CE)",
               corrects="Rectifica la factura {n} de fecha {d}", thanks="Gracias por su confianza.", page="Página 1 de 1"),
    "it": dict(title="Fattura", credit="Nota di credito", number="Fattura n.", date="Data", due="Scadenza",
               terms="Pagamento: bonifico bancario {n} gg d.f.", bill_to="Destinatario", seller="Cedente / Prestatore",
               buyer_box="Cessionario / Committente", cust="Cod. cliente", order="Rif. ordine", desc="Descrizione",
               qty="Q.tà", price="Prezzo unit.", vat_pct="IVA %", amount="Importo", subtotal="Imponibile",
               vat="IVA {r}%", total="Totale documento", deposit="Acconto versato", due_amount="Netto a pagare",
               gross="Totale merce", discount="Sconto {p}%", pay="Modalità di pagamento: bonifico bancario",
               vat_id="P.IVA", buyer_vat="P.IVA / VAT", bd=("Aliquota", "Imponibile", "Imposta"), refund="Totale a credito",
               rc="Operazione non imponibile - inversione contabile art. 7-ter DPR 633/72",
               corrects="Rif. fattura n. {n} del {d}", thanks="Grazie per averci scelto.", page="Pag. 1/1"),
    "pt": dict(title="Fatura", credit="Nota de crédito", number="Fatura n.º", date="Data", due="Data de vencimento",
               terms="Condições de pagamento: {n} dias", bill_to="Cliente", seller="Fornecedor", cust="N.º cliente",
               order="V/ Ref.", desc="Descrição", qty="Qtd.", price="Preço unit.", vat_pct="IVA", amount="Valor",
               subtotal="Total ilíquido", vat="IVA {r}%", total="Total", deposit="Adiantamento", due_amount="Total a pagar",
               gross="Total bruto", discount="Desconto {p}%", pay="Pagamento por transferência bancária",
               vat_id="NIF", buyer_vat="NIF", bd=("Taxa", "Incidência", "IVA"), refund="Total a creditar",
               rc="Autoliquidação - artigo 6.º n.º 6 alínea a) do CIVA",
               corrects="Referente à fatura {n} de {d}", thanks="Processado por programa certificado n.º 2231/AT", page="Pág. 1/1"),
    "pl": dict(title="Faktura VAT", credit="Faktura korygująca", number="Faktura VAT nr", date="Data wystawienia",
               due="Termin płatności", terms="Termin płatności: {n} dni", bill_to="Nabywca", seller="Sprzedawca",
               cust="Nr klienta", order="Zamówienie", desc="Nazwa towaru lub usługi", qty="Ilość", price="Cena netto",
               vat_pct="Stawka VAT", amount="Wartość netto", subtotal="Razem netto", vat="VAT {r}%", total="Razem brutto",
               deposit="Zaliczka", due_amount="Do zapłaty", gross="Suma", discount="Rabat {p}%", pay="Sposób płatności: przelew",
               vat_id="NIP", buyer_vat="NIP", bd=("Stawka", "Netto", "VAT"), refund="Do zwrotu",
               rc="Odwrotne obciążenie", corrects="Korekta do faktury nr {n} z dnia {d}", thanks="", page="Strona 1 z 1"),
    "sv": dict(title="Faktura", credit="Kreditfaktura", number="Fakturanummer", date="Fakturadatum", due="Förfallodatum",
               terms="Betalningsvillkor: {n} dagar netto", bill_to="Kund", seller="Leverantör", cust="Kundnummer",
               order="Er referens", desc="Beskrivning", qty="Antal", price="À-pris", vat_pct="Moms %", amount="Belopp",
               subtotal="Summa exkl. moms", vat="Moms {r} %", total="Summa inkl. moms", deposit="Förskott",
               due_amount="Att betala", gross="Summa", discount="Rabatt {p} %", pay="Betalning",
               vat_id="Momsreg.nr", buyer_vat="Momsreg.nr", bd=("Moms %", "Underlag", "Moms"), refund="Att återfå",
               rc="Omvänd skattskyldighet", corrects="Kreditering av faktura {n} daterad {d}",
               thanks="Godkänd för F-skatt", page="Sida 1 (1)"),
    "da": dict(title="Faktura", credit="Kreditnota", number="Fakturanr.", date="Fakturadato", due="Forfaldsdato",
               terms="Betalingsfrist: netto {n} dage", bill_to="Kunde", seller="Leverandør", cust="Kundenr.",
               order="Jeres ref.", desc="Beskrivelse", qty="Antal", price="Enhedspris", vat_pct="Moms", amount="Beløb",
               subtotal="Subtotal", vat="Moms {r}%", total="I alt", deposit="Acontobetaling", due_amount="At betale",
               gross="Varer i alt", discount="Rabat {p}%", pay="Betaling via bankoverførsel", vat_id="CVR-nr.",
               buyer_vat="Moms-nr.", bd=("Sats", "Momsgrundlag", "Moms"), refund="Til gode",
               rc="Omvendt betalingspligt", corrects="Kreditering af faktura {n} af {d}", thanks="Tak for handlen!",
               page="Side 1 af 1"),
    "cs": dict(title="Faktura – daňový doklad", credit="Dobropis – opravný daňový doklad", number="Číslo faktury",
               date="Datum vystavení", due="Datum splatnosti", terms="Splatnost: {n} dní", bill_to="Odběratel",
               seller="Dodavatel", cust="Číslo zákazníka", order="Objednávka", desc="Označení dodávky", qty="Počet",
               price="Cena za MJ", vat_pct="DPH %", amount="Bez DPH", subtotal="Základ daně", vat="DPH {r} %",
               total="Celkem", deposit="Zaplacené zálohy", due_amount="Celkem k úhradě", gross="Součet",
               discount="Sleva {p} %", pay="Forma úhrady: převodem", vat_id="DIČ", buyer_vat="DIČ",
               bd=("Sazba", "Základ", "DPH"), refund="K vrácení", rc="Daň odvede zákazník (přenesení daňové povinnosti)",
               corrects="Opravný doklad k faktuře {n} ze dne {d}", thanks="Děkujeme za Vaši objednávku.", page="Strana 1/1"),
    "de": dict(title="Rechnung", credit="Gutschrift", number="Rechnungsnummer", date="Rechnungsdatum", due="Fällig am",
               terms="Zahlungsziel: {n} Tage netto", bill_to="Kunde", seller="Rechnungssteller", cust="Kundennummer",
               order="Ihre Bestellung", desc="Bezeichnung", qty="Menge", price="Einzelpreis", vat_pct="USt.", amount="Gesamt",
               subtotal="Nettobetrag", vat="USt. {r} %", total="Gesamtbetrag", deposit="Anzahlung erhalten",
               due_amount="Zahlbetrag", gross="Zwischensumme", discount="Rabatt {p} %", pay="Zahlung per Überweisung",
               vat_id="UID", buyer_vat="UID des Empfängers", bd=("Satz", "Netto", "USt."), refund="Gutschriftsbetrag",
               rc="Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
               corrects="Gutschrift zu Rechnung {n} vom {d}", thanks="Vielen Dank für Ihren Auftrag!", page="Seite 1 von 1"),
    "fr": dict(title="Facture", credit="Note de crédit", number="Facture n°", date="Date", due="Échéance",
               terms="Conditions de paiement : {n} jours net", bill_to="Facturé à", seller="Fournisseur", cust="N° client",
               order="Votre référence", desc="Désignation", qty="Qté", price="Prix unitaire", vat_pct="TVA", amount="Montant",
               subtotal="Total HTVA", vat="TVA {r} %", total="Total TTC", deposit="Acompte versé", due_amount="Solde à payer",
               gross="Total brut", discount="Remise {p} %", pay="Paiement par virement bancaire", vat_id="N° TVA",
               buyer_vat="N° TVA client", bd=("Taux", "Base", "TVA"), refund="Montant à rembourser",
               rc="Autoliquidation – article 196 de la directive 2006/112/CE",
               corrects="Annule et remplace la facture {n} du {d}", thanks="Merci de votre confiance.", page="Page 1/1"),
    "en": dict(title="Invoice", credit="Credit Note", number="Invoice No.", date="Invoice Date", due="Due Date",
               terms="Payment terms: {n} days net", bill_to="Bill To", seller="Supplier", cust="Customer No.",
               order="Your Ref.", desc="Description", qty="Qty", price="Unit Price", vat_pct="VAT %", amount="Amount",
               subtotal="Subtotal", vat="VAT @ {r}%", total="Total", deposit="Less deposit paid", due_amount="Amount Due",
               gross="Goods total", discount="Discount {p}%", pay="Payment by bank transfer", vat_id="VAT No.",
               buyer_vat="Customer VAT No.", bd=("VAT rate", "Net", "VAT"), refund="Amount to be refunded",
               rc="Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)",
               corrects="Credit against invoice {n} dated {d}", thanks="Thank you for your business.", page="Page 1 of 1"),
}

# Per-country conventions: language, VAT rates, currencies, number and date styles, legal forms.
COUNTRY = {
    "es": dict(lang="es", rates=[21, 10, 4], cur=["EUR"], num=["dot"], dates=["dmy/", "dmy/", "long_de"], vat=vat_es,
               iban="ES", forms=["S.L.", "S.A.", "S.L.U."], cities=[("Calle Mayor 14", "28013 Madrid"), ("Avinguda Diagonal 512", "08006 Barcelona"), ("Calle Colón 8", "46004 Valencia")]),
    "it": dict(lang="it", rates=[22, 10, 4], cur=["EUR"], num=["dot"], dates=["dmy/", "dmy/", "long"], vat=vat_it,
               iban="IT", forms=["S.r.l.", "S.p.A.", "S.n.c."], cities=[("Via Roma 27", "20121 Milano (MI)"), ("Corso Vittorio Emanuele II 112", "10121 Torino (TO)"), ("Via dei Mille 5", "40121 Bologna (BO)")]),
    "pt": dict(lang="pt", rates=[23, 13, 6], cur=["EUR"], num=["space", "dot"], dates=["dmy-", "iso", "dmy/"], vat=vat_pt,
               iban="PT", forms=["Lda.", "S.A.", "Unipessoal Lda."], cities=[("Rua Augusta 120", "1100-053 Lisboa"), ("Avenida da Boavista 1837", "4100-133 Porto"), ("Rua do Brasil 54", "3030-175 Coimbra")]),
    "pl": dict(lang="pl", rates=[23, 8, 5], cur=["PLN", "PLN", "EUR"], num=["space", "nbsp"], dates=["dmy.", "iso"], vat=vat_pl,
               iban="PL", forms=["Sp. z o.o.", "S.A.", "Sp. j."], cities=[("ul. Marszałkowska 84/92", "00-514 Warszawa"), ("ul. Piotrkowska 148", "90-063 Łódź"), ("ul. Długa 22", "80-831 Gdańsk")]),
    "se": dict(lang="sv", rates=[25, 12, 6], cur=["SEK", "SEK", "EUR"], num=["space", "nbsp"], dates=["iso"], vat=None,
               iban="SE", forms=["AB", "AB", "HB"], cities=[("Sveavägen 44", "111 34 Stockholm"), ("Kungsgatan 12", "411 19 Göteborg"), ("Stortorget 3", "211 22 Malmö")]),
    "dk": dict(lang="da", rates=[25], cur=["DKK", "DKK", "EUR"], num=["dot"], dates=["dmy-", "dmy.", "long."], vat=vat_dk,
               iban="DK", forms=["ApS", "A/S", "I/S"], cities=[("Vesterbrogade 32", "1620 København V"), ("Søndergade 8", "8000 Aarhus C"), ("Vestergade 19", "5000 Odense C")]),
    "cz": dict(lang="cs", rates=[21, 12], cur=["CZK", "CZK", "EUR"], num=["space", "nbsp"], dates=["dm.y", "dm. y", "dmy."], vat=vat_cz,
               iban="CZ", forms=["s.r.o.", "a.s.", "spol. s r.o."], cities=[("Na Příkopě 15", "110 00 Praha 1"), ("Masarykova 31", "602 00 Brno"), ("Nádražní 7", "702 00 Ostrava")]),
    "at": dict(lang="de", rates=[20, 10, 13], cur=["EUR"], num=["dot"], dates=["dmy.", "long."], vat=vat_at,
               iban="AT", forms=["GmbH", "GmbH & Co KG", "OG"], cities=[("Mariahilfer Straße 88", "1070 Wien"), ("Herrengasse 6", "8010 Graz"), ("Maria-Theresien-Straße 21", "6020 Innsbruck")]),
    "ch": dict(lang="de", rates=[8.1, 2.6], cur=["CHF", "CHF", "CHF", "EUR"], num=["apos", "rsquo"], dates=["dmy."], vat=vat_ch,
               iban="CH", forms=["AG", "GmbH", "SA", "Sàrl"], cities=[("Bahnhofstrasse 42", "8001 Zürich"), ("Spitalgasse 9", "3011 Bern"), ("Rue du Rhône 65", "1204 Genève")]),
    "ie": dict(lang="en", rates=[23, 13.5], cur=["EUR"], num=["comma"], dates=["dmy/", "long", "en_dash"], vat=vat_ie,
               iban="IE", forms=["Ltd", "Limited", "DAC"], cities=[("14 Baggot Street Lower", "Dublin 2, D02 X658"), ("Unit 4, Eastgate Business Park", "Little Island, Co. Cork, T45 KH74"), ("22 Dock Road", "Galway, H91 E2K4")]),
    "lu": dict(lang="fr", rates=[17, 8, 3], cur=["EUR"], num=["dot", "space"], dates=["dmy/", "dmy.", "long"], vat=vat_lu,
               iban="LU", forms=["S.à r.l.", "S.A.", "SARL-S"], cities=[("12, rue de la Gare", "L-1611 Luxembourg"), ("45, avenue de la Liberté", "L-4601 Differdange"), ("3, route d'Arlon", "L-8009 Strassen")]),
}

STEMS = {
    "es": ["Suministros Iberia", "Talleres Garrido", "Logística Mediterránea", "Cerámicas del Turia", "Gráficas Alcázar"],
    "it": ["Tecnoplast", "Officine Bernardi", "Grafiche Lombarde", "Ceramiche Sassuolo Nord", "Studio Ferri & Associati"],
    "pt": ["Cortiças do Douro", "Têxteis Atlântico", "Metalúrgica Ribeiro", "Vinhos da Serra", "Soluções Lusas"],
    "pl": ["Meble Kowalski", "Drukarnia Wisła", "Przędzalnia Łódzka", "Zakład Mechaniczny Żuraw", "Sklejka Pomorze"],
    "se": ["Nordlys Design", "Trähus Dalarna", "Skärgårdens Tryckeri", "Bergström Verktyg", "Ljusteknik Öst"],
    "dk": ["Havnens Møbler", "Nørre Emballage", "Fjord Software", "Kærgaard Tekstil", "Øresund Trading"],
    "cz": ["Sklárny Vysočina", "Strojírna Černý", "Tiskárna Říčany", "Dřevovýroba Šumava", "Pivovarské Potřeby Žatec"],
    "at": ["Alpenholz", "Donau Druck", "Steirische Kellerei Pölzl", "Tiroler Metallbau", "Wiener Kaffeerösterei"],
    "ch": ["Uhrenatelier Brunner", "Alpina Präzision", "Imprimerie du Léman", "Käserei Emmental Gerber", "Helvetia Software"],
    "ie": ["Shannon Precision", "Liffey Print", "Atlantic Seafoods", "Burren Software", "Connacht Wool"],
    "lu": ["Moselle Logistique", "Ardennes Conseil", "Imprimerie Kirchberg", "Luxbuild Technique", "Bureau Schmit"],
}

ITEMS = {
    "es": ["Baldosa porcelánica 60x60", "Transporte y embalaje", "Servicio de consultoría", "Cajas de cartón reforzado", "Aceite de oliva virgen extra 5 L", "Mantenimiento anual"],
    "it": ["Consulenza tecnica", "Piastrelle gres 30x60", "Stampa cataloghi A4", "Trasporto merce", "Stampi in alluminio", "Assistenza software"],
    "pt": ["Rolhas de cortiça natural", "Tecido de algodão (m)", "Vinho tinto Douro DOC", "Serviço de transporte", "Consultoria informática", "Peças metálicas"],
    "pl": ["Krzesło dębowe", "Usługa transportowa", "Druk ulotek A5", "Sklejka brzozowa 18 mm", "Montaż i uruchomienie", "Przędza bawełniana"],
    "sv": ["Konsulttimmar", "Furubord 180 cm", "Trycksaker A4", "Frakt", "LED-armatur", "Licens årsvis"],
    "da": ["Konsulentbistand", "Egetræsbord", "Papkasser 40x30", "Fragt", "Softwarelicens", "Uldplaid"],
    "cs": ["Sklenice na víno", "Doprava", "Tisk katalogů", "Montážní práce", "Dřevěné palety", "Servisní zásah"],
    "de": ["Montagearbeiten", "Holzpaneele Lärche", "Druck Broschüren", "Versandkosten", "Kaffeebohnen 1 kg", "Wartungsvertrag"],
    "fr": ["Prestation de conseil", "Transport et livraison", "Impression de brochures", "Location de matériel", "Maintenance annuelle", "Fournitures de bureau"],
    "en": ["Consulting services", "Machined parts", "Printed brochures", "Shipping & handling", "Software licence (annual)", "Wool throws"],
}

BUYERS = [("Brasserie De Kroon BV", "Kerkstraat 12", "9000 Gent", "BE"), ("Atelier Lumière SRL", "Rue de Namur 45", "1000 Bruxelles", "BE"),
          ("Van Dijk Installaties B.V.", "Industrieweg 8", "3542 AD Utrecht", "NL"), ("Bakkerij Peeters BV", "Grote Markt 3", "2000 Antwerpen", "BE"),
          ("Studio Noord B.V.", "Prinsengracht 212", "1016 HE Amsterdam", "NL"), ("Menuiserie Dubois SRL", "Chaussée de Liège 77", "5000 Namur", "BE"),
          ("Groenhuis Hoveniers B.V.", "Dorpsstraat 41", "5611 AB Eindhoven", "NL"), ("Koffiebranderij Maes BV", "Stationsstraat 5", "3000 Leuven", "BE")]


# ---------------------------------------------------------------------------------------------
# The invoice model.

def ascii_word(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", s.split()[0].lower()) if c.isascii() and c.isalnum())


PHONE = dict(es=34, it=39, pt=351, pl=48, se=46, dk=45, cz=420, at=43, ch=41, ie=353, lu=352)


def make_parties(rng, fam, country):
    c = COUNTRY[country]
    stem = rng.choice(STEMS[country])
    name = f"{stem} {rng.choice(c['forms'])}"
    street, city = rng.choice(c["cities"])
    if country == "se":
        org = orgnr_se(rng)
        vat = "SE" + org + "01"
    else:
        org = None
        vat = c["vat"](rng)
    seller = dict(name=name, brand=stem.split()[0].upper(), street=street, city=city, vat=vat, org=org,
                  iban=make_iban(rng, c["iban"]), bic=rng.choice(["BANK", "CRED", "NORD", "POPU"]) + c["iban"] + rng.choice(["MM", "22", "2X"]),
                  phone=f"+{PHONE[country]} {digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}",
                  email=f"info@{ascii_word(stem)}.example")
    bname, bstreet, bcity, bc = rng.choice(BUYERS)
    buyer = dict(name=bname, street=bstreet, city=bcity, country={"BE": "Belgium", "NL": "Netherlands"}[bc], cc=bc,
                 vat=vat_be(rng) if bc == "BE" else vat_nl(rng))
    return seller, buyer


def make_lines(rng, lang, rates, n, second_rate):
    lines = []
    for i in range(n):
        qty = Decimal(rng.choice([1, 1, 2, 3, 5, 10, 12, 24, 50])) if rng.random() < 0.8 else Decimal(rng.choice(["2.5", "7.5", "16"]))
        price = q(Decimal(rng.randint(300, 90000)) / 100)
        rate = rates[1] if (second_rate and i % 2 == 1) else rates[0]
        lines.append(dict(desc=rng.choice(ITEMS[lang]), qty=qty, price=price, rate=Decimal(str(rate)), net=q(qty * price)))
    return lines


def make_invoice(rng, fam, k):
    """Draws one invoice of family `fam`: the printed blocks, the truth and own party."""
    country = rng.choice(["es", "it", "pt", "pl", "se", "dk", "cz", "at", "ch", "ie", "lu"]) if fam == "en-intl" else fam
    c = COUNTRY[country]
    lang = "en" if fam == "en-intl" else c["lang"]
    if country == "ch" and fam == "ch" and rng.random() < 0.4:
        lang = "fr"
    if country == "lu" and fam == "lu" and rng.random() < 0.25:
        lang = "de"
    lab = dict(L[lang])
    if country == "ch" and lang == "de":
        lab.update(vat="MWST {r} %", vat_pct="MWST", buyer_vat="MWST-Nr.", bd=("Satz", "Netto", "MWST"), subtotal="Total exkl. MWST",
                   total="Total inkl. MWST", due="Zahlbar bis")
    seller, buyer = make_parties(rng, fam, country)
    credit = k % 7 == 3
    cur = rng.choice(c["cur"])
    numstyle = rng.choice(c["num"]) if fam != "en-intl" else rng.choice(["comma", "comma", c["num"][0]])
    datestyle = rng.choice(c["dates"]) if fam != "en-intl" else rng.choice(["en_short", "en_us", "iso", "dmy/"])
    dlang = "dech" if (lang == "de" and country != "at") else lang
    reverse = country != "ch" and not credit and rng.random() < 0.2
    rates = c["rates"]
    second_rate = len(rates) > 1 and not reverse and rng.random() < 0.3
    lines = make_lines(rng, lang, rates, rng.randint(1, 5 if country == "ch" else 7), second_rate)
    if reverse:
        for ln in lines:
            ln["rate"] = Decimal(0)
    gross = sum((ln["net"] for ln in lines), Decimal(0))
    discount_pct = rng.choice([3, 5, 10]) if (not second_rate and not credit and rng.random() < 0.2) else 0
    discount = q(gross * discount_pct / 100)
    subtotal = gross - discount
    breakdown = []
    for r in sorted({ln["rate"] for ln in lines}, reverse=True):
        base = sum((ln["net"] for ln in lines if ln["rate"] == r), Decimal(0))
        if discount:
            base -= discount
        breakdown.append((r, base, q(base * r / 100)))
    vat_total = sum((b[2] for b in breakdown), Decimal(0))
    total = subtotal + vat_total
    extra_rows = []  # (label, amount) between VAT and total, e.g. bollo or rounding
    bollo = country == "it" and reverse and subtotal > Decimal("77.47")
    if bollo:
        total += Decimal("2.00")
        extra_rows.append(({"it": "Bollo virtuale", "en": "Stamp duty (bollo)"}[lang], Decimal("2.00")))
    if not credit and ((country == "se" and cur == "SEK") or (country == "cz" and cur == "CZK")) and rng.random() < 0.5:
        rounded = total.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if rounded != total:
            extra_rows.append(({"sv": "Öresavrundning", "cs": "Zaokrouhlení", "en": "Rounding"}[lang], rounded - total))
            total = rounded
    if country == "ch" and cur == "CHF":
        rounded = (total * 20).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 20
        rounded = q(rounded)
        if rounded != total:
            extra_rows.append(({"de": "Rundungsdifferenz", "fr": "Arrondi", "en": "Rounding"}[lang], rounded - total))
            total = rounded
    deposit = Decimal(0)
    withholding = Decimal(0)
    if not credit and rng.random() < 0.2:
        deposit = q(total * Decimal(rng.choice([20, 30, 50])) / 100)
        deposit = deposit.quantize(Decimal("1")) if rng.random() < 0.5 else deposit
    if country == "it" and lang == "it" and not credit and not reverse and rng.random() < 0.3:
        withholding = q(subtotal * Decimal("0.20"))
        seller["name"] = f"Studio {rng.choice(['Ferri', 'Colombo', 'Marchetti'])} - Dott. {rng.choice(['Luca', 'Giulia', 'Marco'])} {rng.choice(['Ferri', 'Colombo', 'Marchetti'])}"
        seller["brand"] = "STUDIO"
    due_amount = total - deposit - withholding

    year = rng.choice([2024, 2025])
    issue = date(year, rng.randint(1, 12), rng.randint(1, 28))
    days = rng.choice([14, 30, 30, 45, 60])
    due = issue + timedelta(days=days)
    if country == "it" and rng.random() < 0.5:  # "30 gg d.f.f.m.": end of the month after the days
        nxt = date(due.year + due.month // 12, due.month % 12 + 1, 1)
        due = nxt - timedelta(days=1)
    due_mode = "none" if credit else rng.choice(["meta", "meta", "meta", "text", "terms"])

    number = make_number(rng, country, issue, credit)
    D = lambda d: fmt_date(d, datestyle, dlang)  # noqa: E731
    sym = {"EUR": rng.choice(["€", "EUR"]), "PLN": rng.choice(["zł", "PLN"]), "SEK": rng.choice(["kr", "SEK"]),
           "DKK": rng.choice(["kr.", "DKK"]), "CZK": rng.choice(["Kč", "CZK"]), "CHF": "CHF"}[cur]
    sign = -1 if credit and rng.random() < 0.5 else 1
    prefix = (sym == "€" and numstyle == "comma") or (cur == "CHF" and rng.random() < 0.5)
    A = lambda x, s=True: money(x, numstyle, sym if s else "", prefix)  # noqa: E731

    # --- the printed blocks ---
    doc = dict(fam=fam, country=country, lang=lang, lab=lab, credit=credit)
    doc["title"] = lab["credit"] if credit else lab["title"]
    if country == "pl" and not credit and rng.random() < 0.3:
        doc["title"] = "Faktura"
    if country == "ch" and lang == "de" and credit:
        doc["title"] = "Gutschrift"
    if country == "at" and credit:
        doc["title"] = rng.choice(["Gutschrift", "Rechnungskorrektur"])
    doc["seller"] = seller_lines(seller, country, lang, rng)
    doc["seller_name"] = seller["name"]
    doc["brand"] = seller["brand"]
    doc["buyer_label"] = lab["bill_to"] if not (country == "it" and rng.random() < 0.5) else "Spett.le"
    if lang == "pl" and rng.random() < 0.4:
        doc["buyer_label"] = "Nabywca:"
    buyer_vat_label = "VAT" if country == "pl" and rng.random() < 0.5 else lab["buyer_vat"]
    doc["buyer"] = [buyer["name"], buyer["street"], buyer["city"], buyer["country"] if lang == "en" else local_country(lang, buyer["cc"]),
                    f"{buyer_vat_label}: {buyer['vat']}"]
    meta = [(lab["number"], number), (lab["date"], D(issue))]
    meta += country_meta(rng, country, lang, issue, D, number, seller)
    if rng.random() < 0.5:
        meta.append((lab["cust"], str(rng.randint(10000, 99999))))
    if rng.random() < 0.4:
        meta.append((lab["order"], f"PO-{rng.randint(1000, 9999)}"))
    if due_mode == "meta":
        meta.append((lab["due"], D(due)))
    doc["meta"] = meta
    notes = []
    if credit:
        orig = issue - timedelta(days=rng.randint(10, 60))
        notes.append(lab["corrects"].format(n=make_number(rng, country, orig, False), d=D(orig)))
    if reverse:
        notes.append(lab["rc"])
    if bollo:
        notes.append("Imposta di bollo assolta in modo virtuale ai sensi del D.M. 17/06/2014" if lang == "it" else "Stamp duty paid virtually (Italy)")
    if withholding:
        notes.append("Ritenuta d'acconto 20% su imponibile, da versare a cura del committente")
    doc["notes"] = notes
    # Lines table.
    cols = [lab["desc"], lab["qty"], lab["price"], lab["vat_pct"], lab["amount"]]
    rows = []
    for ln in lines:
        rate = f"{fmt_rate(ln['rate'], numstyle)} %" if not reverse else {"es": "ISP", "it": "N6.2", "pl": "np", "cs": "PDP"}.get(lang, "0 %")
        rows.append([ln["desc"], fmt_qty(ln["qty"], numstyle), A(sign * ln["price"], False), rate, A(sign * ln["net"], rng.random() < 0.2)])
    doc["cols"], doc["rows"] = cols, rows
    # Totals.
    tot = []
    if discount:
        tot.append((lab["gross"], A(sign * gross)))
        tot.append((lab["discount"].format(p=discount_pct), A(-discount)))
    tot.append((lab["subtotal"], A(sign * subtotal)))
    for r, base, v in breakdown:
        tot.append((lab["vat"].format(r=fmt_rate(r, numstyle)), A(sign * v)))
    if len(breakdown) > 1 and rng.random() < 0.5:
        tot.append((VAT_SUM[lang], A(sign * vat_total)))
    for label, x in extra_rows:
        tot.append((label, A(x)))
    total_label = lab["total"]
    if country == "cz" and not deposit:
        total_label = lab["due_amount"]
    if country == "dk" and rng.random() < 0.5:
        total_label = f"Total {cur}"
    tot.append((total_label, A(sign * total), "bold"))
    if withholding:
        tot.append(("Ritenuta d'acconto 20%", A(-withholding)))
    if deposit:
        tot.append((lab["deposit"], A(-deposit)))
    printed_due = bool(deposit or withholding or (not credit and rng.random() < 0.5 and country != "cz"))
    if printed_due:
        tot.append((lab["due_amount"] + (f" ({cur})" if rng.random() < 0.3 else ""), A(due_amount), "bold"))
    if credit and rng.random() < 0.5:
        tot.append((lab["refund"], A(total), "bold"))
        printed_due = True
    if country == "cz" and not deposit and not credit:
        printed_due = True
    doc["totals"] = tot
    doc["breakdown"] = None
    if len(breakdown) > 1 or rng.random() < 0.35:
        doc["breakdown"] = dict(head=list(lab["bd"]) + [{"pl": "Brutto", "cs": "Celkem", "de": "Brutto", "it": "Totale"}.get(lang, "Total")],
                                rows=[[fmt_rate(r, numstyle) + " %", A(sign * b, False), A(sign * v, False), A(sign * (b + v), False)] for r, b, v in breakdown])
    if cur == "EUR" and country in ("pl", "cz") and vat_total:
        rate_fx = Decimal(rng.choice(["4.3125", "4.2876", "4.3410"])) if country == "pl" else Decimal(rng.choice(["25.215", "24.960", "25.330"]))
        local = q(vat_total * rate_fx)
        if country == "pl":
            notes.append(f"Kwota VAT przeliczona na PLN wg kursu średniego NBP {fmt_num(rate_fx, 'plain').rstrip('0')} z dnia {D(issue - timedelta(days=1))}: {fmt_num(local, numstyle)} zł")
        else:
            notes.append(f"DPH v CZK dle kurzu ČNB {fmt_num(rate_fx, 'plain').rstrip('0')} ze dne {D(issue)}: {fmt_num(local, numstyle)} Kč")
    # Payment block.
    pay = [lab["pay"]]
    if country == "se":
        pay.append(f"Bankgiro: {digits(rng, 3, '5')}-{digits(rng, 4)}")
        if rng.random() < 0.5:
            pay.append(f"OCR-nummer: {digits(rng, 8, '1')}")
    iban_printed = not (country == "se" and rng.random() < 0.15)
    if iban_printed:
        pay.append(f"IBAN: {iban_print(seller['iban']) if rng.random() < 0.7 else seller['iban']}")
        pay.append(f"BIC/SWIFT: {seller['bic']}")
    if country == "cz":
        pay.append(f"Variabilní symbol: {number if number.isdigit() else digits(rng, 10, '2')}")
    if due_mode == "text":
        pay.append(due_text(lang, D(due), A(due_amount)))
    elif due_mode == "terms":
        pay.append(lab["terms"].format(n=days))
    doc["pay"] = pay
    doc["footer"] = footer_lines(seller, country, lang, rng)
    doc["thanks"] = lab["thanks"]
    doc["qr"] = None
    if country == "ch" and cur in ("CHF", "EUR") and not credit:
        doc["qr"] = dict(lang=lang if lang != "en" else "de", iban=iban_print(seller["iban"]), seller=[seller["name"], seller["street"], seller["city"]],
                         ref=" ".join(rf_reference(rng)[i:i + 4] for i in range(0, 16, 4)), info=f"{lab['title']} {number}",
                         buyer=[buyer["name"], buyer["street"], buyer["city"]], cur=cur, amount=fmt_num(due_amount, "space").replace(",", "."))

    truth = dict(invoice_number=number, issue_date=issue.isoformat(), currency=cur, subtotal=str(q(subtotal)),
                 vat_amount=str(q(vat_total)), total=str(q(total)), seller_name=seller["name"], seller_vat=seller["vat"],
                 buyer_name=buyer["name"], kind="credit_note" if credit else "invoice", lines=len(lines))
    if due_mode in ("meta", "text"):
        truth["due_date"] = due.isoformat()
    if printed_due:
        truth["amount_due"] = str(q(due_amount))
    if iban_printed:
        truth["iban"] = seller["iban"]
    own = dict(names=[buyer["name"]], vat_numbers=[buyer["vat"]], ibans=[])
    return doc, truth, own


VAT_SUM = dict(es="Total IVA", it="Totale IVA", pt="Total IVA", pl="Razem VAT", sv="Summa moms", da="Moms i alt", cs="DPH celkem",
               de="USt. gesamt", fr="Total TVA", en="Total VAT")


def money(x, style, sym, prefix=False):
    s = fmt_num(x, style)
    if not sym:
        return s
    if prefix:
        return f"-{sym}{s[1:]}" if s.startswith("-") else f"{sym}{s}" if sym == "€" else f"{sym} {s}"
    return f"{s} {sym}"


def fmt_rate(r, style):
    s = f"{r.normalize():f}" if r == r.to_integral() else f"{r:f}"
    return s if style in ("comma", "apos", "rsquo") else s.replace(".", ",")


def fmt_qty(x, style):
    s = f"{x.normalize():f}"
    return s if style in ("comma", "apos", "rsquo") else s.replace(".", ",")


def make_number(rng, country, d, credit):
    n = rng.randint(12, 2400)
    yy, y, m = d.strftime("%y"), d.year, d.month
    if credit:
        return rng.choice({"es": [f"R{y}-{n:04d}", f"FR/{y}/{n}"], "it": [f"NC {n}/{y}", f"{n}/NC"], "pt": [f"NC {y}/{n}", f"NC A{y}/{n}"],
                           "pl": [f"FK/{n}/{m:02d}/{y}", f"KOR {n}/{y}"], "se": [f"{70000 + n}"], "dk": [f"K-{y}{n:04d}"],
                           "cz": [f"{y}9{n:05d}", f"DB{y}-{n:04d}"], "at": [f"GS-{y}-{n:04d}"], "ch": [f"G-{yy}-{n:04d}"],
                           "ie": [f"CN-{n:05d}"], "lu": [f"NC{y}-{n:03d}"]}[country])
    return rng.choice({"es": [f"F{y}-{n:04d}", f"A/{y}/{n}", f"{y}-FV-{n:05d}"], "it": [f"{n}/{y}", f"FPR {n}/{yy}", f"{y}/{n:05d}"],
                       "pt": [f"FT {y}/{n}", f"FT A{y}/{n}", f"FR FA.{y}/{n}"], "pl": [f"FV/{n}/{m:02d}/{y}", f"{n}/{y}", f"FV {y}/{m:02d}/{n}"],
                       "se": [f"{10000 + n}", f"{y}-{n}"], "dk": [f"{y}{n:04d}", f"{n + 1000}"], "cz": [f"{y}0{n:05d}", f"FV{y}-{n:04d}"],
                       "at": [f"RE-{y}-{n:04d}", f"{y}/{n}", f"AR{yy}{n:05d}"], "ch": [f"R-{yy}-{n:04d}", f"{yy}{n:04d}"],
                       "ie": [f"INV-{10000 + n}", f"IE-{y}-{n}"], "lu": [f"FA{y}-{n:03d}", f"{y}/{n:04d}"]}[country])


def local_country(lang, cc):
    return {"es": ("Bélgica", "Países Bajos"), "it": ("Belgio", "Paesi Bassi"), "pt": ("Bélgica", "Países Baixos"), "pl": ("Belgia", "Holandia"),
            "sv": ("Belgien", "Nederländerna"), "da": ("Belgien", "Holland"), "cs": ("Belgie", "Nizozemsko"), "de": ("Belgien", "Niederlande"),
            "fr": ("Belgique", "Pays-Bas")}[lang][0 if cc == "BE" else 1]


def seller_vat_print(seller, country, rng):
    """The seller's VAT identifiers as the country prints them (prefixed or domestic form)."""
    v = seller["vat"]
    body = v[2:]
    org = seller.get("org") or ""
    choices = {
        "es": [f"CIF: {body}", f"NIF: {v}", f"N.I.F. {body[0]}-{body[1:]}"],
        "it": [f"P.IVA {body}", f"Partita IVA: {v}", f"C.F. e P.IVA {body}"],
        "pt": [f"NIF: {body}", f"Contribuinte n.º {body[:3]} {body[3:6]} {body[6:]}", f"NIF {v}"],
        "pl": [f"NIP: {body[:3]}-{body[3:6]}-{body[6:8]}-{body[8:]}", f"NIP: {v}", f"NIP {body}"],
        "se": [f"Momsreg.nr {v}\nOrg.nr {org[:6]}-{org[6:]}", f"Org.nr: {org[:6]}-{org[6:]}   Momsreg.nr: {v}"],
        "dk": [f"CVR-nr. {body}", f"CVR: {v}", f"CVR {body[:2]} {body[2:4]} {body[4:6]} {body[6:]}"],
        "cz": [f"IČO: {body}\nDIČ: {v}", f"IČ: {body}  DIČ: {v}"],
        "at": [f"UID: {v}", f"UID-Nr. {v}", f"USt-IdNr.: {v}"],
        "ch": [f"CHE-{v[3:6]}.{v[6:9]}.{v[9:]} MWST", f"MWST-Nr. CHE-{v[3:6]}.{v[6:9]}.{v[9:]}", f"N° TVA CHE-{v[3:6]}.{v[6:9]}.{v[9:]} TVA"],
        "ie": [f"VAT No. {v}", f"VAT Reg. No.: {body}", f"VAT Number: IE {body}"],
        "lu": [f"TVA: {v}", f"N° TVA LU {body[:4]} {body[4:]}", f"Matricule TVA: {v}"],
    }[country]
    return rng.choice(choices)


def seller_lines(seller, country, lang, rng):
    out = [seller["name"], seller["street"], seller["city"]]
    if lang == "en" or rng.random() < 0.3:
        out.append({"es": "España", "it": "Italia", "pt": "Portugal", "pl": "Polska", "se": "Sverige", "dk": "Danmark", "cz": "Česká republika",
                    "at": "Österreich", "ch": "Schweiz", "ie": "Ireland", "lu": "Luxembourg"}[country] if lang != "en" else
                   {"es": "Spain", "it": "Italy", "pt": "Portugal", "pl": "Poland", "se": "Sweden", "dk": "Denmark", "cz": "Czech Republic",
                    "at": "Austria", "ch": "Switzerland", "ie": "Ireland", "lu": "Luxembourg"}[country])
    vat = seller_vat_print(seller, country, rng)
    if lang == "en" and country not in ("ie", "ch"):
        vat = rng.choice([vat, f"VAT No.: {seller['vat']}"])
    out += vat.split("\n")
    out.append(f"Tel. {seller['phone']}")
    if rng.random() < 0.5:
        out.append(seller["email"])
    return out


def footer_lines(seller, country, lang, rng):
    reg = {
        "es": f"Inscrita en el Registro Mercantil de Madrid, Tomo {rng.randint(10000, 40000)}, Folio {rng.randint(1, 200)}, Hoja M-{rng.randint(100000, 700000)}",
        "it": f"Capitale sociale € {rng.choice(['10.000,00', '50.000,00'])} i.v. - REA MI-{rng.randint(1000000, 2500000)}",
        "pt": f"Capital social {rng.choice(['5 000', '50 000'])} € - Conservatória do Registo Comercial de Lisboa",
        "pl": f"Sąd Rejonowy dla m.st. Warszawy, XII Wydział Gospodarczy KRS, KRS 0000{digits(rng, 6)}, kapitał zakładowy {rng.choice(['5 000', '50 000'])} zł",
        "se": f"Styrelsens säte: {seller['city'].split()[-1]} - Godkänd för F-skatt",
        "dk": f"{seller['name']} - {seller['street']} - {seller['city']}",
        "cz": f"Společnost je zapsána v obchodním rejstříku vedeném Městským soudem v Praze, oddíl C, vložka {rng.randint(10000, 300000)}",
        "at": f"Firmenbuch FN {rng.randint(100000, 600000)}{rng.choice('abdfhikmpstvwxyz')} - Handelsgericht {seller['city'].split()[-1]}",
        "ch": f"Handelsregister des Kantons {rng.choice(['Zürich', 'Bern', 'Genf'])}",
        "ie": f"Registered in Ireland No. {rng.randint(100000, 700000)}. Registered office: {seller['street']}, {seller['city']}",
        "lu": f"RCS Luxembourg B{rng.randint(10000, 280000)} - Autorisation d'établissement n° 10{digits(rng, 6)}",
    }[country]
    return [reg]


def country_meta(rng, country, lang, issue, D, number, seller):
    """Extra header rows a country's invoices carry."""
    out = []
    if country == "pt" and lang == "pt":
        out.append(("ATCUD", f"{''.join(rng.choice('BCDFGHJKLMNPQRSTVWXZ23456789') for _ in range(8))}-{rng.randint(1, 2400)}"))
    if country == "pl" and lang == "pl":
        out.append(("Data sprzedaży", D(issue - timedelta(days=rng.choice([0, 0, 3])))))
        out.append(("Miejsce wystawienia", seller["city"].split()[-1]))
    if country == "cz" and lang == "cs":
        out.append(("DUZP", D(issue - timedelta(days=rng.choice([0, 2])))))
    if country == "it" and lang == "it" and rng.random() < 0.5:
        out.append(("Tipo documento", "TD01 Fattura"))
    if country == "at" and lang == "de":
        out.append(("Leistungszeitraum", f"{D(issue.replace(day=1))} - {D(issue)}"))
    if country == "es" and rng.random() < 0.4:
        out.append(("Serie", number.split("/")[0] if "/" in number else "A"))
    if country == "dk" and rng.random() < 0.5:
        out.append(("FI-kode", f"+71<{digits(rng, 15)}> +{digits(rng, 8)}<"))
    return out


def due_text(lang, d, a):
    return {"es": f"Vencimiento: {d} - importe {a}", "it": f"Scadenza pagamento: {d}", "pt": f"Pagamento até {d}",
            "pl": f"Termin płatności: {d}", "sv": f"Betalas senast {d}", "da": f"Betales senest {d}",
            "cs": f"Splatné do {d}", "de": f"Zahlbar bis {d} ohne Abzug", "fr": f"Payable au plus tard le {d}",
            "en": f"Payment due by {d}"}[lang]


# ---------------------------------------------------------------------------------------------
# HTML layouts (printed by Chromium or converted by LibreOffice). Tables only, so both render them.

CSS = """
@page { size: A4; margin: 14mm 15mm; }
body { font-family: %(font)s; font-size: %(size)spt; color: #1d1d1d; }
table { border-collapse: collapse; }
.lines { width: 100%%; margin-top: 6mm; }
.lines th { background: %(accent)s; color: #fff; text-align: left; padding: 4px 5px; font-weight: bold; }
.lines td { border-bottom: 1px solid #ccc; padding: 4px 5px; }
.r { text-align: right; }
.tot td { padding: 2px 6px; }
.b { font-weight: bold; }
.small { font-size: 7.5pt; color: #555; }
.title { font-size: 20pt; font-weight: bold; color: %(accent)s; }
.box { border: 1px solid #999; padding: 6px; vertical-align: top; }
.qr { border-top: 1px dashed #000; margin-top: 10mm; padding-top: 4mm; font-family: Liberation Sans, Arial, sans-serif; }
.qr h4 { margin: 0 0 3mm 0; font-size: 11pt; }
.qr .h { font-size: 6pt; font-weight: bold; margin-top: 2mm; }
.qr .v { font-size: 8pt; }
"""


def esc(s):
    return html.escape(str(s))


def lines_html(doc):
    head = "".join(f"<th{' class=r' if i else ''}>{esc(c)}</th>" for i, c in enumerate(doc["cols"]))
    body = "".join("<tr>" + "".join(f"<td{' class=r' if i else ''}>{esc(v)}</td>" for i, v in enumerate(r)) + "</tr>" for r in doc["rows"])
    return f'<table class="lines" width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def totals_html(doc):
    rows = "".join(f'<tr class="{"b" if len(t) > 2 else ""}"><td>{esc(t[0])}</td><td class="r">{esc(t[1])}</td></tr>' for t in doc["totals"])
    return f'<table class="tot" align="right" width="45%" style="margin-top:4mm; min-width:75mm">{rows}</table><div style="clear:both"></div>'


def breakdown_html(doc):
    bd = doc["breakdown"]
    if not bd:
        return ""
    head = "".join(f"<th class=r>{esc(h)}</th>" for h in bd["head"])
    body = "".join("<tr>" + "".join(f"<td class=r>{esc(v)}</td>" for v in r) + "</tr>" for r in bd["rows"])
    return f'<table class="lines" width="60%%" style="width:60%%; margin-top:4mm"><tr>{head}</tr>{body}</table>'.replace("%%", "%")


def block_html(lines, bold_first=True):
    return "<br>".join((f"<b>{esc(x)}</b>" if i == 0 and bold_first else esc(x)) for i, x in enumerate(lines))


def meta_rows_html(meta):
    return "<table>" + "".join(f'<tr><td style="padding:1px 8px 1px 0">{esc(k)}:</td><td class="b">{esc(v)}</td></tr>' for k, v in meta) + "</table>"


def meta_grid_html(meta):
    head = "".join(f'<td nowrap class="small" style="padding:2px 6px; border:1px solid #bbb">{esc(k)}</td>' for k, _ in meta)
    vals = "".join(f'<td nowrap style="padding:2px 6px; border:1px solid #bbb">{esc(v)}</td>' for _, v in meta)
    return f'<table width="100%" style="margin-top:3mm; width:100%"><tr>{head}</tr><tr>{vals}</tr></table>'


def tail_html(doc):
    notes = "".join(f"<p>{esc(n)}</p>" for n in doc["notes"])
    pay = block_html(doc["pay"], bold_first=False)
    return f'{notes}<p style="margin-top:5mm">{pay}</p><p>{esc(doc["thanks"])}</p>'


def qr_html(doc):
    qr = doc["qr"]
    if not qr:
        return ""
    w = QR_WORDS[qr["lang"]]
    cells = "".join(f'<rect x="{x}" y="{y}" width="1" height="1"/>' for x, y in qr_cells(qr["ref"]))
    svg = f'<svg width="46mm" height="46mm" viewBox="0 0 25 25"><g fill="#000">{cells}</g><rect x="10.5" y="10.5" width="4" height="4" fill="#000"/><rect x="11.9" y="11" width="1.2" height="3" fill="#fff"/><rect x="11" y="11.9" width="3" height="1.2" fill="#fff"/></svg>'

    def part(keys):
        return "".join(f'<div class="h">{esc(w[k])}</div><div class="v">{"<br>".join(esc(x) for x in v)}</div>' for k, v in keys)
    acct = [qr["iban"]] + qr["seller"]
    left = part([("account", acct), ("ref", [qr["ref"]]), ("payer", qr["buyer"])])
    left += f'<table style="margin-top:3mm"><tr><td class="h">{esc(w["cur"])}</td><td class="h" style="padding-left:6mm">{esc(w["amount"])}</td></tr><tr><td class="v">{qr["cur"]}</td><td class="v" style="padding-left:6mm">{esc(qr["amount"])}</td></tr></table>'
    right = part([("account", acct), ("ref", [qr["ref"]]), ("info", [qr["info"]]), ("payer", qr["buyer"])])
    mid = f'{svg}<table><tr><td class="h">{esc(w["cur"])}</td><td class="h" style="padding-left:6mm">{esc(w["amount"])}</td></tr><tr><td class="v">{qr["cur"]}</td><td class="v" style="padding-left:6mm">{esc(qr["amount"])}</td></tr></table>'
    return (f'<div class="qr"><table width="100%" style="width:100%"><tr><td style="width:30%; vertical-align:top; border-right:1px dashed #000"><h4>{esc(w["receipt"])}</h4>{left}'
            f'<div class="h" style="text-align:right">{esc(w["accept"])}</div></td><td style="width:30%; vertical-align:top; padding-left:4mm"><h4>{esc(w["payment"])}</h4>{mid}</td>'
            f'<td style="vertical-align:top">{right}</td></tr></table></div>')


QR_WORDS = {
    "de": dict(receipt="Empfangsschein", payment="Zahlteil", account="Konto / Zahlbar an", ref="Referenz", info="Zusätzliche Informationen",
               payer="Zahlbar durch", cur="Währung", amount="Betrag", accept="Annahmestelle"),
    "fr": dict(receipt="Récépissé", payment="Section paiement", account="Compte / Payable à", ref="Référence", info="Informations supplémentaires",
               payer="Payable par", cur="Monnaie", amount="Montant", accept="Point de dépôt"),
}


def qr_cells(seed):
    r = random.Random(seed)
    cells = [(x, y) for x in range(25) for y in range(25) if r.random() < 0.45 and not (x < 8 and y < 8) and not (x > 16 and y < 8) and not (x < 8 and y > 16)]
    for ox, oy in ((0, 0), (18, 0), (0, 18)):
        cells += [(ox + i, oy + j) for i in range(7) for j in range(7) if i in (0, 6) or j in (0, 6) or (2 <= i <= 4 and 2 <= j <= 4)]
    return cells


def html_letter(doc, rng):
    """Seller letterhead top left, title and label: value rows at the right, buyer under its label."""
    seller = block_html(doc["seller"])
    head = f'<table width="100%" style="width:100%"><tr><td style="vertical-align:top; width:55%">{seller}</td><td style="vertical-align:top"><div class="title">{esc(doc["title"])}</div>{meta_rows_html(doc["meta"])}</td></tr></table>'
    buyer = f'<div style="margin-top:8mm"><div class="small">{esc(doc["buyer_label"])}</div>{block_html(doc["buyer"])}</div>'
    foot = f'<p class="small" style="margin-top:8mm; border-top:1px solid #ccc; padding-top:2mm">{esc(doc["footer"][0])}</p>'
    return head + buyer + lines_html(doc) + totals_html(doc) + breakdown_html(doc) + tail_html(doc) + foot + qr_html(doc)


def html_boxed(doc, rng):
    """Title with number centred, header table (labels over values), seller and buyer boxes side by side."""
    number = doc["meta"][0][1]
    title = f'<div class="title" style="text-align:center">{esc(doc["title"])} {esc(number) if rng.random() < 0.5 else ""}</div>'
    meta = meta_grid_html(doc["meta"])
    lab = doc["lab"]
    seller_label = lab["seller"]
    buyer_label = lab.get("buyer_box", doc["buyer_label"])
    boxes = (f'<table width="100%" style="width:100%; margin-top:5mm"><tr><td class="box" style="width:50%"><div class="small">{esc(seller_label)}</div>{block_html(doc["seller"])}</td>'
             f'<td class="box"><div class="small">{esc(buyer_label)}</div>{block_html(doc["buyer"])}</td></tr></table>')
    foot = f'<p class="small" style="margin-top:8mm; text-align:center">{esc(doc["footer"][0])} — {esc(doc["lab"]["page"])}</p>'
    return title + meta + boxes + lines_html(doc) + breakdown_html(doc) + totals_html(doc) + tail_html(doc) + foot + qr_html(doc)


def html_footer(doc, rng):
    """Brand word on top, buyer in the address window, meta at the right, the seller only in the footer."""
    brand = f'<div style="font-size:26pt; font-weight:bold; letter-spacing:3px; color:#345">{esc(doc["brand"])}</div>'
    label = f'<div class="small">{esc(doc["buyer_label"])}</div>' if rng.random() < 0.6 else ""
    head = (f'{brand}<table width="100%" style="width:100%; margin-top:10mm"><tr><td style="vertical-align:top; width:55%">{label}{block_html(doc["buyer"])}</td>'
            f'<td style="vertical-align:top"><div class="title">{esc(doc["title"])}</div>{meta_rows_html(doc["meta"])}</td></tr></table>')
    sep = rng.choice([" · ", " | ", " – ", " • "])
    foot = f'<p class="small" style="margin-top:10mm; border-top:1px solid #ccc; padding-top:2mm; text-align:center">{esc(sep.join(doc["seller"]))}<br>{esc(doc["footer"][0])}</p>'
    return head + lines_html(doc) + totals_html(doc) + breakdown_html(doc) + tail_html(doc) + foot + qr_html(doc)


HTML_LAYOUTS = {"letter": html_letter, "boxed": html_boxed, "footer": html_footer}


def to_html(doc, rng, layout):
    font = rng.choice(["DejaVu Sans", "Liberation Sans", "Liberation Serif", "Arial, Helvetica, sans-serif"])
    css = CSS % dict(font=font, size=rng.choice([8.5, 9, 9.5]), accent=rng.choice(["#2a4d69", "#7a1f2b", "#333", "#1f6f50"]))
    body = HTML_LAYOUTS[layout](doc, rng)
    return f'<!DOCTYPE html><html lang="{doc["lang"]}"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


def render_chromium(html_text, out, tmp):
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html_text)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={out}", src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def render_libreoffice(html_text, out, tmp):
    src = os.path.join(tmp, "page.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(html_text)
    profile = "file://" + os.path.join(tmp, "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--infilter=HTML (StarWriter)",
                    "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    shutil.move(os.path.join(tmp, "page.pdf"), out)


# ---------------------------------------------------------------------------------------------
# Drawn layouts (ReportLab and fpdf2), on a pen measured in millimetres from the top left.

class ReportLabPen:
    def __init__(self, out, font):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
        reg, bold = FONTS[font]
        pdfmetrics.registerFont(TTFont(font, reg))
        pdfmetrics.registerFont(TTFont(font + "-B", bold))
        self.c = canvas.Canvas(out, pagesize=A4)
        self.font, self.h, self.mm = font, A4[1], 72 / 25.4
        self.width = pdfmetrics.stringWidth

    def text(self, x, y, s, size=9, bold=False, align="l"):
        f = self.font + ("-B" if bold else "")
        self.c.setFont(f, size)
        X, Y = x * self.mm, self.h - y * self.mm
        if align == "r":
            self.c.drawRightString(X, Y, s)
        elif align == "c":
            self.c.drawCentredString(X, Y, s)
        else:
            self.c.drawString(X, Y, s)

    def line(self, x1, y1, x2, y2, dash=False):
        self.c.setDash(2, 2) if dash else self.c.setDash()
        self.c.line(x1 * self.mm, self.h - y1 * self.mm, x2 * self.mm, self.h - y2 * self.mm)

    def square(self, x, y, s):
        self.c.rect(x * self.mm, self.h - (y + s) * self.mm, s * self.mm, s * self.mm, stroke=0, fill=1)

    def save(self):
        self.c.showPage()
        self.c.save()


class FpdfPen:
    def __init__(self, out, font):
        from fpdf import FPDF
        reg, bold = FONTS[font]
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.add_page()
        self.pdf.add_font(font, "", reg)
        self.pdf.add_font(font, "B", bold)
        self.font, self.out = font, out

    def text(self, x, y, s, size=9, bold=False, align="l"):
        self.pdf.set_font(self.font, "B" if bold else "", size)
        w = self.pdf.get_string_width(s)
        x = x - w if align == "r" else x - w / 2 if align == "c" else x
        self.pdf.text(x, y, s)

    def line(self, x1, y1, x2, y2, dash=False):
        if dash:
            self.pdf.set_dash_pattern(dash=1, gap=1)
        self.pdf.line(x1, y1, x2, y2)
        self.pdf.set_dash_pattern()

    def square(self, x, y, s):
        self.pdf.set_fill_color(0)
        self.pdf.rect(x, y, s, s, style="F")

    def save(self):
        self.pdf.output(self.out)


FONTS = {
    "DejaVu": (f"{FONT_DIR}/dejavu/DejaVuSans.ttf", f"{FONT_DIR}/dejavu/DejaVuSans-Bold.ttf"),
    "DejaVuSerif": (f"{FONT_DIR}/dejavu/DejaVuSerif.ttf", f"{FONT_DIR}/dejavu/DejaVuSerif-Bold.ttf"),
    "Liberation": (f"{FONT_DIR}/liberation/LiberationSans-Regular.ttf", f"{FONT_DIR}/liberation/LiberationSans-Bold.ttf"),
}


def wrap(s, n=105):
    import textwrap
    return textwrap.wrap(s, n) or [""]


def draw_block(pen, x, y, lines, size=9, bold_first=True, step=4.2):
    for i, s in enumerate(lines):
        pen.text(x, y + i * step, s, size, bold=(i == 0 and bold_first))
    return y + len(lines) * step


def draw_meta_rows(pen, x, y, meta, vx):
    for k, v in meta:
        pen.text(x, y, f"{k}:", 8.5)
        pen.text(vx, y, v, 8.5, bold=True)
        y += 4.4
    return y


def draw_meta_grid(pen, x, y, meta, width):
    w = width / len(meta)
    for i, (k, v) in enumerate(meta):
        pen.text(x + i * w + 1, y, k, 6.5)
        pen.text(x + i * w + 1, y + 4.5, v, 8)
    pen.line(x, y - 3.5, x + width, y - 3.5)
    pen.line(x, y + 6.5, x + width, y + 6.5)
    return y + 11


def draw_table(pen, y, doc):
    xs = [15, 112, 132, 160, 195]
    for i, c in enumerate(doc["cols"]):
        pen.text(xs[i], y, c, 8, bold=True, align="l" if i == 0 else "r")
    pen.line(15, y + 1.5, 195, y + 1.5)
    y += 6
    for r in doc["rows"]:
        for i, v in enumerate(r):
            pen.text(xs[i], y, v[:58] if i == 0 else v, 8.5, align="l" if i == 0 else "r")
        y += 5
    pen.line(15, y - 3, 195, y - 3)
    return y + 2


def draw_totals(pen, y, doc, lx=125):
    for t in doc["totals"]:
        pen.text(lx, y, t[0], 9, bold=len(t) > 2)
        pen.text(195, y, t[1], 9, bold=len(t) > 2, align="r")
        y += 5
    return y + 2


def draw_breakdown(pen, y, doc):
    bd = doc["breakdown"]
    if not bd:
        return y
    xs = [35, 65, 90, 115]
    for i, h in enumerate(bd["head"]):
        pen.text(xs[i], y, h, 7.5, bold=True, align="r")
    y += 4.5
    for r in bd["rows"]:
        for i, v in enumerate(r):
            pen.text(xs[i], y, v, 8, align="r")
        y += 4.3
    return y + 3


def draw_tail(pen, y, doc):
    for n in doc["notes"]:
        for s in wrap(n):
            pen.text(15, y, s, 8)
            y += 4
    y += 2
    for s in doc["pay"]:
        pen.text(15, y, s, 8.5)
        y += 4.3
    if doc["thanks"]:
        pen.text(15, y + 2, doc["thanks"], 8.5)
    return y + 6


def draw_qr(pen, doc):
    qr = doc["qr"]
    if not qr:
        return
    w = QR_WORDS[qr["lang"]]
    top = 192
    pen.line(0, top, 210, top, dash=True)
    pen.line(62, top, 62, 297, dash=True)
    pen.text(5, top + 7, w["receipt"], 11, bold=True)
    pen.text(67, top + 7, w["payment"], 11, bold=True)
    for x, y in qr_cells(qr["ref"]):
        pen.square(67 + x * 1.84, top + 12 + y * 1.84, 1.84)

    def col(x, y, items, hs=6, vs=8):
        for k, vals in items:
            pen.text(x, y, w[k], hs, bold=True)
            y += 3.5
            for v in vals:
                pen.text(x, y, v, vs)
                y += 3.5
            y += 1.5
        return y
    acct = [qr["iban"]] + qr["seller"]
    col(5, top + 14, [("account", acct), ("ref", [qr["ref"]]), ("payer", qr["buyer"])])
    for x, size in ((5, 8), (67, 10)):
        yy = top + 72 if x == 5 else top + 70
        pen.text(x, yy, w["cur"], 6 if x == 5 else 8, bold=True)
        pen.text(x + 14, yy, w["amount"], 6 if x == 5 else 8, bold=True)
        pen.text(x, yy + 4.5, qr["cur"], size)
        pen.text(x + 14, yy + 4.5, qr["amount"], size)
    pen.text(57, top + 90, w["accept"], 6, bold=True, align="r")
    col(118, top + 7, [("account", acct), ("ref", [qr["ref"]]), ("info", [qr["info"]]), ("payer", qr["buyer"])], 8, 10)


def draw_letter(pen, doc, rng):
    y = draw_block(pen, 15, 18, doc["seller"], 9)
    pen.text(120, 20, doc["title"], 16, bold=True)
    ym = draw_meta_rows(pen, 120, 28, doc["meta"], 158)
    y = max(y, ym) + 6
    pen.text(15, y, doc["buyer_label"], 7.5)
    y = draw_block(pen, 15, y + 4.5, doc["buyer"], 9) + 6
    y = draw_table(pen, y, doc)
    y = draw_totals(pen, y, doc)
    y = draw_breakdown(pen, y, doc)
    draw_tail(pen, y, doc)
    pen.text(105, 287 if not doc["qr"] else 188, doc["footer"][0][:150], 6.5, align="c")
    draw_qr(pen, doc)


def draw_boxed(pen, doc, rng):
    pen.text(105, 18, f'{doc["title"]} {doc["meta"][0][1]}' if rng.random() < 0.5 else doc["title"], 15, bold=True, align="c")
    y = draw_meta_grid(pen, 15, 28, doc["meta"][:6], 180)
    lab = doc["lab"]
    pen.text(15, y, lab["seller"], 7.5, bold=True)
    pen.text(108, y, lab.get("buyer_box", doc["buyer_label"]), 7.5, bold=True)
    y1 = draw_block(pen, 15, y + 5, doc["seller"], 8.5)
    y2 = draw_block(pen, 108, y + 5, doc["buyer"], 8.5)
    y = max(y1, y2) + 4
    y = draw_table(pen, y, doc)
    y = draw_breakdown(pen, y, doc)
    y = draw_totals(pen, y, doc)
    draw_tail(pen, y, doc)
    pen.text(105, 287 if not doc["qr"] else 188, f'{doc["footer"][0][:140]}  {lab["page"]}', 6.5, align="c")
    draw_qr(pen, doc)


def draw_footer(pen, doc, rng):
    pen.text(15, 20, doc["brand"], 22, bold=True)
    y = 40
    if rng.random() < 0.6:
        pen.text(15, y, doc["buyer_label"], 7.5)
        y += 4.5
    yb = draw_block(pen, 15, y, doc["buyer"], 9.5, step=4.6)
    pen.text(118, 40, doc["title"], 15, bold=True)
    ym = draw_meta_rows(pen, 118, 48, doc["meta"], 156)
    y = max(yb, ym) + 8
    y = draw_table(pen, y, doc)
    y = draw_totals(pen, y, doc)
    y = draw_breakdown(pen, y, doc)
    draw_tail(pen, y, doc)
    sep = rng.choice([" · ", " | ", " – "])
    base = 280 if not doc["qr"] else 182
    pen.line(15, base - 4, 195, base - 4)
    parts = doc["seller"]
    line1, line2 = sep.join(parts[:4]), sep.join(parts[4:])
    pen.text(105, base, line1, 7, align="c")
    pen.text(105, base + 3.5, line2, 7, align="c")
    pen.text(105, base + 7, doc["footer"][0][:150], 6.5, align="c")
    draw_qr(pen, doc)


DRAW_LAYOUTS = {"letter": draw_letter, "boxed": draw_boxed, "footer": draw_footer}


def render_drawn(doc, rng, layout, out, producer):
    font = rng.choice(["DejaVu", "DejaVu", "DejaVuSerif", "Liberation"])
    pen = ReportLabPen(out, font) if producer == "reportlab" else FpdfPen(out, font)
    DRAW_LAYOUTS[layout](pen, doc, rng)
    pen.save()


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=14, help="invoices per family")
    ap.add_argument("--seed", type=int, default=90)
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-intl-")
    try:
        for family in args.families.split(","):
            fi = FAMILIES.index(family)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{family}-{k}".encode()).hexdigest())
                doc, truth, own = make_invoice(rng, family, k)
                producer = PRODUCER_CYCLE[(k // 2 + fi) % len(PRODUCER_CYCLE)]
                layout = rng.choice(["letter", "boxed", "footer"])
                if family in ("pl", "cz", "it") and rng.random() < 0.4:
                    layout = "boxed"  # seller and buyer side by side is the norm there
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, doc_id + ".pdf")
                if producer == "chromium":
                    render_chromium(to_html(doc, rng, layout), out, tmp)
                elif producer == "libreoffice":
                    render_libreoffice(to_html(doc, rng, layout), out, tmp)
                else:
                    render_drawn(doc, rng, layout, out, producer)
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{doc_id}.pdf", producer=family, family=family, split=split, own=own, truth=truth,
                                     renderer=producer, layout=layout, language=doc["lang"], country=doc["country"]))
                print(f"{doc_id} {producer} {layout}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    os.makedirs(os.path.join(args.out, "by-renderer"), exist_ok=True)
    by_renderer = [dict(m, path="../" + m["path"], producer=m["renderer"]) for m in manifest]
    with open(os.path.join(args.out, "by-renderer", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(by_renderer, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
