//! Country names as an address's last line prints them, in the languages the reader knows
//! (lower case, diacritics folded): a line holding only one is part of an address, never a
//! party's name.

/// Country names in English, Dutch, French, German and the country's own language. Names that
/// are also common given names or words ("Georgia", "Jordan", "Chad") are left out.
#[rustfmt::skip]
const COUNTRY_NAMES: &[&str] = &[
    "belgium", "belgie", "belgique", "belgien", "belgio", "belgica",
    "netherlands", "the netherlands", "nederland", "pays-bas", "niederlande", "holland", "paesi bassi", "paises bajos",
    "germany", "duitsland", "allemagne", "deutschland", "germania", "alemania",
    "france", "frankrijk", "frankreich", "francia",
    "luxembourg", "luxemburg", "lussemburgo", "luxemburgo", "grand-duche de luxembourg",
    "united kingdom", "uk", "great britain", "verenigd koninkrijk", "royaume-uni", "vereinigtes konigreich",
    "grossbritannien", "regno unito", "reino unido", "england", "scotland", "wales",
    "ireland", "ierland", "irlande", "irland", "irlanda",
    "switzerland", "zwitserland", "suisse", "schweiz", "svizzera", "suiza",
    "austria", "oostenrijk", "autriche", "osterreich",
    "italy", "italie", "italien", "italia",
    "spain", "spanje", "espagne", "spanien", "espana", "spagna",
    "portugal", "portogallo",
    "denmark", "denemarken", "danemark", "danmark", "dinamarca",
    "sweden", "zweden", "suede", "schweden", "sverige", "suecia",
    "norway", "noorwegen", "norvege", "norwegen", "norge",
    "finland", "finlande", "finnland", "suomi",
    "poland", "polen", "pologne", "polska", "polonia",
    "czech republic", "czechia", "tsjechie", "republique tcheque", "tschechien", "cesko",
    "slovakia", "slowakije", "slovaquie", "slowakei", "slovensko",
    "hungary", "hongarije", "hongrie", "ungarn", "magyarorszag",
    "greece", "griekenland", "grece", "griechenland",
    "romania", "roemenie", "roumanie", "rumanien",
    "bulgaria", "bulgarije", "bulgarie", "bulgarien",
    "croatia", "kroatie", "croatie", "kroatien", "hrvatska",
    "slovenia", "slovenie", "slowenien", "slovenija",
    "estonia", "estland", "estonie", "eesti",
    "latvia", "letland", "lettonie", "lettland", "latvija",
    "lithuania", "litouwen", "lituanie", "litauen", "lietuva",
    "united states", "united states of america", "usa", "u.s.a", "verenigde staten", "etats-unis",
    "vereinigte staaten",
    "canada", "kanada", "australia", "australie", "australien", "india", "inde", "indien",
    "china", "chine", "japan", "japon", "monaco", "liechtenstein", "malta", "cyprus", "iceland",
];

/// Whether `norm` (normalised text, see [`super::text::norm`]) is a country's name alone.
pub(super) fn is_country(norm: &str) -> bool {
    let t = norm.trim().trim_end_matches(['.', ',', ':']);
    COUNTRY_NAMES.contains(&t)
}
