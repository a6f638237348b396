"""The fixed vocabularies of the demo data: what makes generated demo programs read like real ones.

Demo data only, no code. The reference facts the seed document gives live in `iros.reference_data`; nothing here is
loaded by `seed_reference`.
"""

# Countries of each UN M49 leaf sub-region (ISO 3166-1 alpha-2; States only, territories left out).
COUNTRIES_BY_REGION: dict[str, tuple[str, ...]] = {
    "015": ("DZ", "EG", "LY", "MA", "SD", "TN"),
    "014": (
        "BI",
        "KM",
        "DJ",
        "ER",
        "ET",
        "KE",
        "MG",
        "MW",
        "MU",
        "MZ",
        "RW",
        "SC",
        "SO",
        "SS",
        "UG",
        "TZ",
        "ZM",
        "ZW",
    ),  # fmt: skip
    "017": ("AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"),
    "018": ("BW", "SZ", "LS", "NA", "ZA"),
    "011": ("BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL", "TG"),
    "029": ("AG", "BS", "BB", "CU", "DM", "DO", "GD", "HT", "JM", "KN", "LC", "VC", "TT"),
    "013": ("BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"),
    "005": ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE"),
    "021": ("CA", "US"),
    "143": ("KZ", "KG", "TJ", "TM", "UZ"),
    "030": ("CN", "JP", "KP", "KR", "MN"),
    "035": ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"),
    "034": ("AF", "BD", "BT", "IN", "IR", "MV", "NP", "PK", "LK"),
    "145": (
        "AM",
        "AZ",
        "BH",
        "CY",
        "GE",
        "IQ",
        "IL",
        "JO",
        "KW",
        "LB",
        "OM",
        "QA",
        "SA",
        "PS",
        "SY",
        "TR",
        "AE",
        "YE",
    ),  # fmt: skip
    "151": ("BY", "BG", "CZ", "HU", "PL", "MD", "RO", "RU", "SK", "UA"),
    "154": ("DK", "EE", "FI", "IS", "IE", "LV", "LT", "NO", "SE", "GB"),
    "039": ("AL", "AD", "BA", "HR", "GR", "IT", "MT", "ME", "MK", "PT", "SM", "RS", "SI", "ES"),
    "155": ("AT", "BE", "FR", "DE", "LI", "LU", "MC", "NL", "CH"),
    "053": ("AU", "NZ"),
    "054": ("FJ", "PG", "SB", "VU"),
    "057": ("KI", "MH", "FM", "NR", "PW"),
    "061": ("WS", "TO", "TV"),
}

# How a region reads in a title ("... in South-East Asia").
PLACE_NAMES: dict[str, str] = {
    "001": "several regions",
    "002": "Africa",
    "015": "North Africa",
    "202": "sub-Saharan Africa",
    "014": "East Africa",
    "017": "Central Africa",
    "018": "Southern Africa",
    "011": "West Africa",
    "019": "the Americas",
    "419": "Latin America and the Caribbean",
    "029": "the Caribbean",
    "013": "Central America",
    "005": "South America",
    "021": "North America",
    "142": "Asia",
    "143": "Central Asia",
    "030": "East Asia",
    "035": "South-East Asia",
    "034": "South Asia",
    "145": "the Middle East",
    "150": "Europe",
    "151": "Eastern Europe",
    "154": "Northern Europe",
    "039": "South-East Europe",
    "155": "Western Europe",
    "009": "the Pacific",
    "053": "Australia and New Zealand",
    "054": "Melanesia",
    "057": "Micronesia",
    "061": "Polynesia",
}

# What each thematic area is about, as it would appear in a program title.
TOPICS: dict[str, tuple[str, ...]] = {
    "nuclear": (
        "nuclear security culture",
        "security of radioactive sources",
        "detection of nuclear and other radioactive material",
        "nuclear forensics",
        "response to nuclear security events",
    ),
    "chemical": (
        "chemical safety and security",
        "management of toxic industrial chemicals",
        "chemical emergency response",
        "control of scheduled chemicals",
    ),
    "biological": (
        "laboratory biosafety and biosecurity",
        "disease surveillance and outbreak response",
        "oversight of dual-use research",
        "biological risk management",
    ),
    "delivery": (
        "missile technology controls",
        "ballistic missile transparency measures",
        "controls on unmanned aerial vehicle technology",
    ),
    "op1": ("preventing support to non-State actors", "countering CBRN terrorism"),
    "op2": ("criminalization of proliferation offences", "national legislation implementing resolution 1540"),
    "op3a": ("accounting for sensitive materials", "material control and accountancy"),
    "op3b": ("physical protection of nuclear facilities", "security of high-risk facilities"),
    "op3c": ("border control", "interdiction of illicit trafficking", "customs risk profiling", "port security"),
    "op3d": (
        "strategic trade controls",
        "export licensing",
        "trans-shipment and transit controls",
        "dual-use goods identification",
    ),
    "financing": ("countering proliferation financing", "targeted financial sanctions"),
    "legislative": ("legislative drafting on CBRN offences", "regulatory frameworks for dual-use goods"),
    "training": ("CBRN first response", "commodity identification"),
    "equipment": ("radiation detection equipment", "laboratory equipment maintenance"),
    "expertise": ("implementation gap analysis", "peer review of national measures"),
    "awareness": ("resolution 1540 awareness", "industry outreach on dual-use goods"),
    "action-plan": ("national 1540 implementation action plans", "voluntary national action plans"),
}

ACTIVITIES: tuple[str, ...] = (
    "Regional workshop",
    "Sub-regional seminar",
    "National training course",
    "Train-the-trainer programme",
    "Tabletop exercise",
    "Needs assessment mission",
    "Technical assistance project",
    "Capacity-building project",
    "Expert mission",
    "Study visit",
    "Peer review",
    "E-learning course",
    "Awareness-raising seminar",
    "Legislative assistance project",
)

BENEFICIARIES: tuple[str, ...] = (
    "customs officers",
    "border guards",
    "law enforcement officers",
    "legal drafters and legislators",
    "licensing officials",
    "laboratory staff",
    "first responders",
    "financial intelligence units",
    "prosecutors and judges",
    "port and airport authorities",
    "public health officials",
    "veterinary services",
    "national 1540 points of contact",
    "industry and academia",
    "regulatory authorities",
)

# Title patterns; fields: activity, topic, Topic (capitalized), beneficiaries, place.
TITLE_PATTERNS: tuple[str, ...] = (
    "{activity} on {topic} for {beneficiaries} in {place}",
    "{Topic} training for {beneficiaries} in {place}",
    "{activity} on {topic} in {place}",
    "Strengthening {topic} in {place}",
    "{Topic}: support to {beneficiaries} in {place}",
)

SUMMARY_OPENINGS: tuple[str, ...] = (
    "{activity} organized by {owner} to strengthen {topic} in {place}.",
    "{owner} supports {beneficiaries} in {place} on {topic}.",
    "This {activity_lower} helps authorities in {place} implement resolution 1540 (2004) in the area of {topic}.",
)

SUMMARY_DETAILS: tuple[str, ...] = (
    "Participants review national legislation and practice against the obligations of resolution 1540 (2004).",
    "The programme combines classroom sessions, practical exercises and a follow-up assessment.",
    "Trainers from the beneficiary States are certified to deliver the course nationally.",
    "Results feed into the beneficiary States' voluntary national implementation action plans.",
    "Sessions are delivered in English, French, Spanish and Russian as needed.",
    "The activity builds on earlier assessments and avoids duplication with other providers.",
    "Equipment delivered under the programme is accompanied by operator training and maintenance support.",
)

ASSISTANCE_SENTENCE = "Further assistance is available to States on request."

# Which thematic areas an organization's programs favour (its mandate); others draw from all areas.
FOCUS: dict[str, tuple[str, ...]] = {
    "IAEA": ("nuclear", "op3a", "op3b"),
    "ZC": ("nuclear", "op3d"),
    "GICNT": ("nuclear", "op3c"),
    "OPCW": ("chemical", "op2", "op3a"),
    "BWC-ISU": ("biological", "op2"),
    "WHO": ("biological",),
    "OIE": ("biological",),
    "FAO": ("biological",),
    "MTCR": ("delivery", "op3d"),
    "HCOC": ("delivery",),
    "WA": ("op3d",),
    "FATF": ("financing",),
    "WCO": ("op3c", "op3d"),
    "INTERPOL": ("op3c", "op1"),
    "ICAO": ("op3c", "delivery"),
    "UNODC": ("op2", "op1", "op3c"),
    "CTED": ("op1",),
    "CTITF": ("op1", "action-plan"),
    "UNODA": ("action-plan", "awareness", "op2"),
    "UNICRI": ("biological", "chemical", "nuclear"),
}

# How often an organization owns a demo program, relative to the default of 1 (busier organizations own more).
ACTIVITY_WEIGHTS: dict[str, int] = {
    "UNODC": 6,
    "IAEA": 6,
    "OSCE": 6,
    "EU": 6,
    "UNODA": 6,
    "OPCW": 4,
    "WCO": 4,
    "INTERPOL": 3,
    "WHO": 3,
    "AU": 3,
    "OAS": 3,
    "UNICRI": 3,
    "UNDP": 2,
    "NATO": 2,
    "UNREC": 2,
    "UNLIREC": 2,
    "UNRCPD": 2,
    "CARICOM": 2,
    "SICA": 2,
    "ASEAN": 2,
}

# When a demo program is shared with selected organizations, these pairs always see each other's: the demo
# focal points of OSCE and AU can then show the sharing from both sides.
DEMO_SHARING_PARTNERS: dict[str, str] = {"OSCE": "AU", "AU": "OSCE"}

# States that fund programs (ISO 3166-1 alpha-2).
DONOR_STATES: tuple[str, ...] = (
    "US", "GB", "DE", "FR", "JP", "CA", "NO", "NL", "SE", "AU", "CH", "FI", "DK", "IT", "KR", "NZ", "ES", "BE",
)  # fmt: skip

# (currency, weight, typical multiplier against a USD amount)
CURRENCIES: tuple[tuple[str, int, int], ...] = (
    ("USD", 55, 1),
    ("EUR", 30, 1),
    ("GBP", 5, 1),
    ("CHF", 4, 1),
    ("CAD", 3, 1),
    ("JPY", 3, 100),
)

TOPIC_TAGS: tuple[tuple[str, str], ...] = (
    ("CBRN", "cbrn"),
    ("Customs", "customs"),
    ("Biosecurity", "biosecurity"),
    ("Nuclear security", "nuclear-security"),
    ("Export control", "export-control"),
    ("Legislation", "legislation"),
    ("Tabletop exercise", "tabletop-exercise"),
    ("Train the trainer", "train-the-trainer"),
    ("Gender", "gender"),
    ("Border security", "border-security"),
    ("Public health", "public-health"),
    ("Counter-terrorism", "counter-terrorism"),
)

DEMO_TAG = ("Demo", "demo")
