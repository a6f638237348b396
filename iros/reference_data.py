"""The portal's reference data: codes, regions, and what the seed document names.

Source: slides of a 1540 Committee expert to the Global Partnership Working Group, Paris, 10 October 2011, as
summarised in the project's reference list. Plain constants, loaded by `manage.py seed_reference`; the project
never reads them from outside its own tree at run time.

Nothing here is invented: where the seed gives no person, participant, date or member state, the field stays
blank. Dates known only to the month are stored on the first of the month with `month` precision.
"""

from datetime import date

# --- Thematic areas: (code, family, name), in display order within each family -------------------------------

THEMATIC_AREAS: tuple[tuple[str, str, str], ...] = (
    ("nuclear", "weapon", "Nuclear weapons and related materials"),
    ("chemical", "weapon", "Chemical weapons and related materials"),
    ("biological", "weapon", "Biological weapons and related materials"),
    ("delivery", "weapon", "Means of delivery"),
    ("op1", "resolution", "OP1 — no support to non-State actors"),
    ("op2", "resolution", "OP2 — prohibitions in national law"),
    ("op3a", "resolution", "OP3(a) — accounting for and securing items"),
    ("op3b", "resolution", "OP3(b) — physical protection"),
    ("op3c", "resolution", "OP3(c) — border controls and law enforcement"),
    ("op3d", "resolution", "OP3(d) — export and trans-shipment controls"),
    ("financing", "resolution", "Proliferation financing"),
    ("legislative", "assistance", "Legislative and regulatory drafting"),
    ("training", "assistance", "Training and capacity building"),
    ("equipment", "assistance", "Equipment"),
    ("expertise", "assistance", "Expert advice and missions"),
    ("awareness", "assistance", "Awareness raising and outreach"),
    ("action-plan", "assistance", "National implementation action plans"),
)

# --- UN M49 regions: (code, name, parent code), parents listed before their children -------------------------

REGIONS: tuple[tuple[str, str, str | None], ...] = (
    ("001", "World", None),
    ("002", "Africa", "001"),
    ("015", "Northern Africa", "002"),
    ("202", "Sub-Saharan Africa", "002"),
    ("014", "Eastern Africa", "202"),
    ("017", "Middle Africa", "202"),
    ("018", "Southern Africa", "202"),
    ("011", "Western Africa", "202"),
    ("019", "Americas", "001"),
    ("419", "Latin America and the Caribbean", "019"),
    ("029", "Caribbean", "419"),
    ("013", "Central America", "419"),
    ("005", "South America", "419"),
    ("021", "Northern America", "019"),
    ("142", "Asia", "001"),
    ("143", "Central Asia", "142"),
    ("030", "Eastern Asia", "142"),
    ("035", "South-eastern Asia", "142"),
    ("034", "Southern Asia", "142"),
    ("145", "Western Asia", "142"),
    ("150", "Europe", "001"),
    ("151", "Eastern Europe", "150"),
    ("154", "Northern Europe", "150"),
    ("039", "Southern Europe", "150"),
    ("155", "Western Europe", "150"),
    ("009", "Oceania", "001"),
    ("053", "Australia and New Zealand", "009"),
    ("054", "Melanesia", "009"),
    ("057", "Micronesia", "009"),
    ("061", "Polynesia", "009"),
)

# --- Countries: the ISO 3166-1 alpha-2 codes of each smallest M49 region above (a country lies in exactly one) ----
# Source: UN Statistics Division, "Standard country or area codes for statistical use (M49)"
# (unstats.un.org/unsd/methodology/m49/), read at the intermediate region where M49 has one in REGIONS (Eastern
# Africa, Caribbean...) and at the sub-region otherwise. M49 lists neither Antarctica (AQ) nor Taiwan (TW) in a
# region: they lie in none here either. The cooperation map's gaps and duplication read them (one country, one
# region; a region's countries are those of the regions inside it).
REGION_COUNTRIES: dict[str, tuple[str, ...]] = {
    code: tuple(countries.split())
    for code, countries in {
        "015": "DZ EG EH LY MA SD TN",  # Northern Africa
        "014": "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",  # Eastern Africa
        "017": "AO CD CF CG CM GA GQ ST TD",  # Middle Africa
        "018": "BW LS NA SZ ZA",  # Southern Africa
        "011": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",  # Western Africa
        "029": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",  # Caribbean
        "013": "BZ CR GT HN MX NI PA SV",  # Central America
        "005": "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",  # South America
        "021": "BM CA GL PM US",  # Northern America
        "143": "KG KZ TJ TM UZ",  # Central Asia
        "030": "CN HK JP KP KR MN MO",  # Eastern Asia
        "035": "BN ID KH LA MM MY PH SG TH TL VN",  # South-eastern Asia
        "034": "AF BD BT IN IR LK MV NP PK",  # Southern Asia
        "145": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",  # Western Asia
        "151": "BG BY CZ HU MD PL RO RU SK UA",  # Eastern Europe
        "154": "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",  # Northern Europe
        "039": "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA",  # Southern Europe
        "155": "AT BE CH DE FR LI LU MC NL",  # Western Europe
        "053": "AU CC CX HM NF NZ",  # Australia and New Zealand
        "054": "FJ NC PG SB VU",  # Melanesia
        "057": "FM GU KI MH MP NR PW UM",  # Micronesia
        "061": "AS CK NU PF PN TK TO TV WF WS",  # Polynesia
    }.items()
}

# --- The same names in the portal's other languages (`name_translations` of each row) ---------------------------
# Regions: the names the UN Statistics Division gives in its six-language M49 standard ("Standard country or area
# codes for statistical use"). Thematic areas: written for the portal, in the words of resolution 1540 (2004) in
# each official language (non-State actors, related materials, means of delivery, account for and secure…);
# operative paragraph codes (OP1, OP3(c)) stay in Latin script, as in UN documents of every language.

THEMATIC_AREA_NAMES: dict[str, dict[str, str]] = {
    "nuclear": {
        "ar": "الأسلحة النووية والمواد ذات الصلة",
        "es": "Armas nucleares y materiales conexos",
        "fr": "Armes nucléaires et éléments connexes",
        "ru": "Ядерное оружие и связанные с ним материалы",
        "zh-hans": "核武器及相关材料",
    },
    "chemical": {
        "ar": "الأسلحة الكيميائية والمواد ذات الصلة",
        "es": "Armas químicas y materiales conexos",
        "fr": "Armes chimiques et éléments connexes",
        "ru": "Химическое оружие и связанные с ним материалы",
        "zh-hans": "化学武器及相关材料",
    },
    "biological": {
        "ar": "الأسلحة البيولوجية والمواد ذات الصلة",
        "es": "Armas biológicas y materiales conexos",
        "fr": "Armes biologiques et éléments connexes",
        "ru": "Биологическое оружие и связанные с ним материалы",
        "zh-hans": "生物武器及相关材料",
    },
    "delivery": {
        "ar": "وسائل الإيصال",
        "es": "Sistemas vectores",
        "fr": "Vecteurs",
        "ru": "Средства доставки",
        "zh-hans": "运载工具",
    },
    "op1": {
        "ar": "OP1 — عدم تقديم أي دعم إلى الجهات من غير الدول",
        "es": "OP1 — ningún apoyo a agentes no estatales",
        "fr": "OP1 — aucun appui aux acteurs non étatiques",
        "ru": "OP1 — отказ от поддержки негосударственных субъектов",
        "zh-hans": "OP1 — 不向非国家行为者提供支持",
    },
    "op2": {
        "ar": "OP2 — أحكام الحظر في القانون الوطني",
        "es": "OP2 — prohibiciones en la legislación nacional",
        "fr": "OP2 — interdictions dans la législation nationale",
        "ru": "OP2 — запреты в национальном законодательстве",
        "zh-hans": "OP2 — 国内法中的禁止性规定",
    },
    "op3a": {
        "ar": "OP3(a) — حصر الأصناف وتأمينها",
        "es": "OP3(a) — contabilización y seguridad de los artículos",
        "fr": "OP3(a) — comptabilité et sécurisation des éléments",
        "ru": "OP3(a) — учет и обеспечение сохранности предметов",
        "zh-hans": "OP3(a) — 物项的衡算和保安",
    },
    "op3b": {
        "ar": "OP3(b) — الحماية المادية",
        "es": "OP3(b) — protección física",
        "fr": "OP3(b) — protection physique",
        "ru": "OP3(b) — физическая защита",
        "zh-hans": "OP3(b) — 实物保护",
    },
    "op3c": {
        "ar": "OP3(c) — الضوابط الحدودية وإنفاذ القانون",
        "es": "OP3(c) — controles fronterizos y aplicación de la ley",
        "fr": "OP3(c) — contrôles aux frontières et application de la loi",
        "ru": "OP3(c) — пограничный контроль и правоохранительная деятельность",
        "zh-hans": "OP3(c) — 边境管制和执法",
    },
    "op3d": {
        "ar": "OP3(d) — ضوابط التصدير والشحن العابر",
        "es": "OP3(d) — controles de exportación y transbordo",
        "fr": "OP3(d) — contrôles à l’exportation et au transbordement",
        "ru": "OP3(d) — контроль за экспортом и перевалкой",
        "zh-hans": "OP3(d) — 出口和转运管制",
    },
    "financing": {
        "ar": "تمويل الانتشار",
        "es": "Financiación de la proliferación",
        "fr": "Financement de la prolifération",
        "ru": "Финансирование распространения",
        "zh-hans": "扩散融资",
    },
    "legislative": {
        "ar": "الصياغة التشريعية والتنظيمية",
        "es": "Redacción legislativa y reglamentaria",
        "fr": "Rédaction législative et réglementaire",
        "ru": "Разработка законодательных и нормативных актов",
        "zh-hans": "法律和法规起草",
    },
    "training": {
        "ar": "التدريب وبناء القدرات",
        "es": "Capacitación y fomento de la capacidad",
        "fr": "Formation et renforcement des capacités",
        "ru": "Подготовка кадров и наращивание потенциала",
        "zh-hans": "培训和能力建设",
    },
    "equipment": {
        "ar": "المعدات",
        "es": "Equipo",
        "fr": "Équipement",
        "ru": "Оборудование",
        "zh-hans": "设备",
    },
    "expertise": {
        "ar": "مشورة الخبراء وبعثاتهم",
        "es": "Asesoramiento y misiones de expertos",
        "fr": "Conseils et missions d’experts",
        "ru": "Консультации и миссии экспертов",
        "zh-hans": "专家咨询和专家访问",
    },
    "awareness": {
        "ar": "التوعية والتواصل",
        "es": "Sensibilización y divulgación",
        "fr": "Sensibilisation et communication",
        "ru": "Повышение осведомленности и информационно-просветительская работа",
        "zh-hans": "提高认识和外联",
    },
    "action-plan": {
        "ar": "خطط العمل الوطنية للتنفيذ",
        "es": "Planes de acción nacionales de aplicación",
        "fr": "Plans d’action nationaux de mise en œuvre",
        "ru": "Национальные планы действий по осуществлению",
        "zh-hans": "国家执行行动计划",
    },
}

REGION_NAMES: dict[str, dict[str, str]] = {
    "001": {"ar": "العالم", "es": "Mundo", "fr": "Monde", "ru": "Мир", "zh-hans": "世界"},
    "002": {"ar": "أفريقيا", "es": "África", "fr": "Afrique", "ru": "Африка", "zh-hans": "非洲"},
    "015": {
        "ar": "شمال أفريقيا",
        "es": "África septentrional",
        "fr": "Afrique septentrionale",
        "ru": "Северная Африка",
        "zh-hans": "北非",
    },
    "202": {
        "ar": "أفريقيا جنوب الصحراء الكبرى",
        "es": "África subsahariana",
        "fr": "Afrique subsaharienne",
        "ru": "Африка к югу от Сахары",
        "zh-hans": "撒哈拉以南非洲",
    },
    "014": {
        "ar": "شرق أفريقيا",
        "es": "África oriental",
        "fr": "Afrique orientale",
        "ru": "Восточная Африка",
        "zh-hans": "东非",
    },
    "017": {
        "ar": "وسط أفريقيا",
        "es": "África central",
        "fr": "Afrique centrale",
        "ru": "Центральная Африка",
        "zh-hans": "中部非洲",
    },
    "018": {
        "ar": "الجنوب الأفريقي",
        "es": "África meridional",
        "fr": "Afrique australe",
        "ru": "Южная часть Африки",
        "zh-hans": "南部非洲",
    },
    "011": {
        "ar": "غرب أفريقيا",
        "es": "África occidental",
        "fr": "Afrique occidentale",
        "ru": "Западная Африка",
        "zh-hans": "西非",
    },
    "019": {"ar": "الأمريكتان", "es": "Américas", "fr": "Amériques", "ru": "Америка", "zh-hans": "美洲"},
    "419": {
        "ar": "أمريكا اللاتينية ومنطقة البحر الكاريبي",
        "es": "América Latina y el Caribe",
        "fr": "Amérique latine et Caraïbes",
        "ru": "Латинская Америка и Карибский бассейн",
        "zh-hans": "拉丁美洲和加勒比",
    },
    "029": {
        "ar": "منطقة البحر الكاريبي",
        "es": "Caribe",
        "fr": "Caraïbes",
        "ru": "Карибский бассейн",
        "zh-hans": "加勒比",
    },
    "013": {
        "ar": "أمريكا الوسطى",
        "es": "Centroamérica",
        "fr": "Amérique centrale",
        "ru": "Центральная Америка",
        "zh-hans": "中美洲",
    },
    "005": {
        "ar": "أمريكا الجنوبية",
        "es": "América del Sur",
        "fr": "Amérique du Sud",
        "ru": "Южная Америка",
        "zh-hans": "南美洲",
    },
    "021": {
        "ar": "أمريكا الشمالية",
        "es": "América septentrional",
        "fr": "Amérique septentrionale",
        "ru": "Северная Америка",
        "zh-hans": "北美洲",
    },
    "142": {"ar": "آسيا", "es": "Asia", "fr": "Asie", "ru": "Азия", "zh-hans": "亚洲"},
    "143": {
        "ar": "آسيا الوسطى",
        "es": "Asia central",
        "fr": "Asie centrale",
        "ru": "Центральная Азия",
        "zh-hans": "中亚",
    },
    "030": {
        "ar": "شرق آسيا",
        "es": "Asia oriental",
        "fr": "Asie orientale",
        "ru": "Восточная Азия",
        "zh-hans": "东亚",
    },
    "035": {
        "ar": "جنوب شرق آسيا",
        "es": "Asia sudoriental",
        "fr": "Asie du Sud-Est",
        "ru": "Юго-Восточная Азия",
        "zh-hans": "东南亚",
    },
    "034": {
        "ar": "جنوب آسيا",
        "es": "Asia meridional",
        "fr": "Asie du Sud",
        "ru": "Южная Азия",
        "zh-hans": "南亚",
    },
    "145": {
        "ar": "غرب آسيا",
        "es": "Asia occidental",
        "fr": "Asie occidentale",
        "ru": "Западная Азия",
        "zh-hans": "西亚",
    },
    "150": {"ar": "أوروبا", "es": "Europa", "fr": "Europe", "ru": "Европа", "zh-hans": "欧洲"},
    "151": {
        "ar": "أوروبا الشرقية",
        "es": "Europa oriental",
        "fr": "Europe orientale",
        "ru": "Восточная Европа",
        "zh-hans": "东欧",
    },
    "154": {
        "ar": "أوروبا الشمالية",
        "es": "Europa septentrional",
        "fr": "Europe septentrionale",
        "ru": "Северная Европа",
        "zh-hans": "北欧",
    },
    "039": {
        "ar": "أوروبا الجنوبية",
        "es": "Europa meridional",
        "fr": "Europe méridionale",
        "ru": "Южная Европа",
        "zh-hans": "南欧",
    },
    "155": {
        "ar": "أوروبا الغربية",
        "es": "Europa occidental",
        "fr": "Europe occidentale",
        "ru": "Западная Европа",
        "zh-hans": "西欧",
    },
    "009": {"ar": "أوقيانوسيا", "es": "Oceanía", "fr": "Océanie", "ru": "Океания", "zh-hans": "大洋洲"},
    "053": {
        "ar": "أستراليا ونيوزيلندا",
        "es": "Australia y Nueva Zelandia",
        "fr": "Australie et Nouvelle-Zélande",
        "ru": "Австралия и Новая Зеландия",
        "zh-hans": "澳大利亚和新西兰",
    },
    "054": {"ar": "ميلانيزيا", "es": "Melanesia", "fr": "Mélanésie", "ru": "Меланезия", "zh-hans": "美拉尼西亚"},
    "057": {
        "ar": "ميكرونيزيا",
        "es": "Micronesia",
        "fr": "Micronésie",
        "ru": "Микронезия",
        "zh-hans": "密克罗尼西亚",
    },
    "061": {"ar": "بولينيزيا", "es": "Polinesia", "fr": "Polynésie", "ru": "Полинезия", "zh-hans": "波利尼西亚"},
}

# --- Scopes: how each scope of the reference list maps to M49 regions ----------------------------------------
# Choices worth knowing:
# - "Eurasia" (CIS, CSTO, SCO) → Eastern Europe + Central Asia: every one of the three has members in both, and
#   the two sub-regions say more on a map than "Europe + Asia" would.
# - "Euro-Atlantic" (NATO) → Europe + Northern America.
# - "Middle East and North Africa" (LAS) → Western Asia + Northern Africa.
# - "Asia-Pacific" (UNRCPD) → Asia + Oceania.
# - The OSCE's "Europe, Central Asia, North America" → Europe + Central Asia + Northern America.

SCOPES: dict[str, tuple[str, ...]] = {
    "Global": ("001",),
    "Africa": ("002",),
    "Americas": ("019",),
    "Asia": ("142",),
    "Asia-Pacific": ("142", "009"),
    "Caribbean": ("029",),
    "Central America": ("013",),
    "Central Asia": ("143",),
    "Eurasia": ("151", "143"),
    "Euro-Atlantic": ("150", "021"),
    "Europe": ("150",),
    "Europe, Central Asia, North America": ("150", "143", "021"),
    "Latin America and the Caribbean": ("419",),
    "Middle East and North Africa": ("145", "015"),
    "Pacific": ("009",),
    "South-East Asia": ("035",),
}

# --- Organizations: (acronym, name, kind, scope, seat); seat "" where the reference list has "—" --------------

INTERNATIONAL = "international"
REGIONAL = "regional"
SUBREGIONAL = "subregional"
ARRANGEMENT = "arrangement"
UN_ENTITY = "un_entity"

ORGANIZATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("ASEAN", "Association of Southeast Asian Nations", REGIONAL, "South-East Asia", "Jakarta"),
    ("AU", "African Union", REGIONAL, "Africa", "Addis Ababa"),
    (
        "BWC-ISU",
        "Biological Weapons Convention Implementation Support Unit",
        UN_ENTITY,
        "Global",
        "Geneva",
    ),
    ("CARICOM", "Caribbean Community", SUBREGIONAL, "Caribbean", "Georgetown"),
    ("CICA", "Conference on Interaction and Confidence-Building Measures in Asia", REGIONAL, "Asia", "Astana"),
    ("CIS", "Commonwealth of Independent States", REGIONAL, "Eurasia", "Minsk"),
    ("CSTO", "Collective Security Treaty Organization", REGIONAL, "Eurasia", "Moscow"),
    ("CTED", "Counter-Terrorism Committee Executive Directorate", UN_ENTITY, "Global", "New York"),
    ("CTITF", "Counter-Terrorism Implementation Task Force", UN_ENTITY, "Global", "New York"),
    ("EU", "European Union", REGIONAL, "Europe", "Brussels"),
    ("FAO", "Food and Agriculture Organization of the United Nations", INTERNATIONAL, "Global", "Rome"),
    ("FATF", "Financial Action Task Force", INTERNATIONAL, "Global", "Paris"),
    (
        "GP",
        "G8 Global Partnership against the Spread of Weapons and Materials of Mass Destruction",
        ARRANGEMENT,
        "Global",
        "",
    ),
    ("GICNT", "Global Initiative to Combat Nuclear Terrorism", ARRANGEMENT, "Global", ""),
    (
        "HCOC",
        "Hague Code of Conduct against Ballistic Missile Proliferation",
        ARRANGEMENT,
        "Global",
        "Vienna (Immediate Central Contact)",
    ),
    ("IAEA", "International Atomic Energy Agency", INTERNATIONAL, "Global", "Vienna"),
    ("ICAO", "International Civil Aviation Organization", INTERNATIONAL, "Global", "Montreal"),
    ("INTERPOL", "International Criminal Police Organization", INTERNATIONAL, "Global", "Lyon"),
    ("LAS", "League of Arab States", REGIONAL, "Middle East and North Africa", "Cairo"),
    ("MTCR", "Missile Technology Control Regime", ARRANGEMENT, "Global", "Paris (point of contact)"),
    ("NATO", "North Atlantic Treaty Organization", REGIONAL, "Euro-Atlantic", "Brussels"),
    ("OAS", "Organization of American States", REGIONAL, "Americas", "Washington, DC"),
    (
        "OIE",
        "World Organisation for Animal Health (formerly Office International des Epizooties; now WOAH)",
        INTERNATIONAL,
        "Global",
        "Paris",
    ),
    ("OPCW", "Organisation for the Prohibition of Chemical Weapons", INTERNATIONAL, "Global", "The Hague"),
    (
        "OSCE",
        "Organization for Security and Co-operation in Europe",
        REGIONAL,
        "Europe, Central Asia, North America",
        "Vienna",
    ),
    ("PIF", "Pacific Islands Forum", SUBREGIONAL, "Pacific", "Suva"),
    ("SCO", "Shanghai Cooperation Organisation", REGIONAL, "Eurasia", "Beijing"),
    ("SICA", "Central American Integration System", SUBREGIONAL, "Central America", "San Salvador"),
    ("UNDP", "United Nations Development Programme", UN_ENTITY, "Global", "New York"),
    ("UNDPA", "United Nations Department of Political Affairs", UN_ENTITY, "Global", "New York"),
    ("UNDPI", "United Nations Department of Public Information", UN_ENTITY, "Global", "New York"),
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees", UN_ENTITY, "Global", "Geneva"),
    (
        "UNICRI",
        "United Nations Interregional Crime and Justice Research Institute",
        UN_ENTITY,
        "Global",
        "Turin",
    ),
    ("UNODA", "United Nations Office for Disarmament Affairs", UN_ENTITY, "Global", "New York"),
    ("UNODC", "United Nations Office on Drugs and Crime", UN_ENTITY, "Global", "Vienna"),
    (
        "UNRCCA",
        "United Nations Regional Centre for Preventive Diplomacy for Central Asia",
        UN_ENTITY,
        "Central Asia",
        "Ashgabat",
    ),
    (
        "UNRCPD",
        "United Nations Regional Centre for Peace and Disarmament in Asia and the Pacific",
        UN_ENTITY,
        "Asia-Pacific",
        "Kathmandu",
    ),
    (
        "UNREC",
        "United Nations Regional Centre for Peace and Disarmament in Africa",
        UN_ENTITY,
        "Africa",
        "Lomé",
    ),
    (
        "UNLIREC",
        "United Nations Regional Centre for Peace, Disarmament and Development in Latin America and the Caribbean",
        UN_ENTITY,
        "Latin America and the Caribbean",
        "Lima",
    ),
    ("WA", "Wassenaar Arrangement", ARRANGEMENT, "Global", "Vienna"),
    ("WCO", "World Customs Organization", INTERNATIONAL, "Global", "Brussels"),
    ("WHO", "World Health Organization", INTERNATIONAL, "Global", "Geneva"),
    ("ZC", "Zangger Committee", ARRANGEMENT, "Global", "Vienna"),
)

# --- Regional coordinators (seed, "Achievements and progress") -------------------------------------------------
# Natural key (host, area). No coordinator is named in the seed, so `person` stays blank. The two "discussed"
# coordinators have no date: the seed gives only where and when the idea was discussed, kept in `notes`.

REGIONAL_COORDINATORS: tuple[dict, ...] = (
    {
        "host": "CARICOM",
        "area": "Caribbean",
        "regions": ("029",),
        "title": "Regional coordinator",
        "status": "appointed",
        "since": date(2009, 11, 1),
        "since_precision": "month",
        "notes": "Caribbean region: regional coordinator for CARICOM (November 2009).",
    },
    {
        "host": "SICA",
        "area": "Central America",
        "regions": ("013",),
        "title": "Regional coordinator for SICA States",
        "status": "appointed",
        "since": date(2011, 6, 1),
        "since_precision": "month",
        "notes": "Central America: regional coordinator for SICA States (June 2011).",
    },
    {
        "host": "OSCE",
        "area": "OSCE region",
        "regions": SCOPES["Europe, Central Asia, North America"],
        "title": "1540 Adviser",
        "status": "appointed",
        "since": date(2010, 9, 1),
        "since_precision": "month",
        "notes": "OSCE region: 1540 Adviser (September 2010).",
    },
    {
        "host": "ASEAN",
        "area": "South-East Asia",
        "regions": ("035",),
        "title": "",
        "status": "discussed",
        "since": None,
        "since_precision": "month",
        "notes": (
            "A regional focal point was discussed by ASEAN States at the 1540 regional workshop in Hanoi, "
            "Viet Nam, October 2010."
        ),
    },
    {
        "host": "CIS",
        "area": "CIS region",
        "regions": SCOPES["Eurasia"],
        "title": "",
        "status": "discussed",
        "since": None,
        "since_precision": "month",
        "notes": "A regional focal point was discussed at the OSCE workshop, Vienna, Austria, 27–28 January 2011.",
    },
)

# --- Events: natural key (title, start_date) -------------------------------------------------------------------
# Only events the seed dates to the day. The ASEAN regional workshop in Hanoi (October 2010) and the Vancouver
# meeting (October 2010) are dated to the month only and Event has no date precision, so they are not recorded
# as events; the Hanoi workshop is kept in the ASEAN coordinator's notes.

VIENNA_MEETING_TITLE = "Meeting for IROs on Cooperation in Promoting the Implementation of Resolution 1540"

EVENTS: tuple[dict, ...] = (
    {
        "title": VIENNA_MEETING_TITLE,
        "start_date": date(2010, 12, 15),
        "end_date": date(2010, 12, 16),
        "place": "Vienna",
        "country": "AT",
        "organizer": "",
        "theme": "Cooperation of international, regional and sub-regional organizations on resolution 1540 (2004)",
        # The seed counts 25 attending IROs without naming them: the count is recorded, participants are not.
        "attendance_count": 25,
        "participants": (),
        "description": (
            "Prepared with the involvement of the 1540 Committee's working group on international cooperation. "
            "Attended by 25 IROs (not named in the source)."
        ),
    },
    {
        "title": "OSCE workshop on resolution 1540 (2004)",
        "start_date": date(2011, 1, 27),
        "end_date": date(2011, 1, 28),
        "place": "Vienna",
        "country": "AT",
        "organizer": "OSCE",
        "theme": "Implementation of resolution 1540 (2004) in the OSCE region",
        "attendance_count": None,
        "participants": ("OSCE",),
        "description": "The idea of a regional focal point for the CIS was discussed at this workshop.",
    },
    {
        "title": "Global Partnership — Assessment and Options for Future Programming",
        "start_date": date(2011, 5, 26),
        "end_date": date(2011, 5, 28),
        "place": "Deauville",
        "country": "FR",
        "organizer": "G8 Global Partnership",
        "theme": "Assessment and options for future programming",
        "attendance_count": None,
        "participants": ("GP",),
        "description": (
            "Called for identifying opportunities for cooperation with and programming through relevant regional "
            "and international organizations (e.g. the UN and in particular the 1540 Committee, IAEA, WHO, FAO, "
            "OIE, the BWC Implementation Support Unit, OPCW, GICNT), to ensure complementarity and avoid "
            "duplication and gaps."
        ),
    },
    {
        "title": "Global Partnership Working Group",
        "start_date": date(2011, 10, 10),
        "end_date": None,
        "place": "Paris",
        "country": "FR",
        "organizer": "G8 Global Partnership",
        "theme": "International, regional and sub-regional organizations: interactions and potential for further "
        "engagement",
        "attendance_count": None,
        "participants": ("GP",),
        "description": "Presentation by a 1540 Committee expert on the Committee's interactions with IROs.",
    },
)

# --- Agreements: natural key title ------------------------------------------------------------------------------

UNODA_OSCE_MOU_TITLE = "Memorandum of Understanding between UNODA and the OSCE"

AGREEMENTS: tuple[dict, ...] = (
    {
        "title": UNODA_OSCE_MOU_TITLE,
        "kind": "mou",
        "parties": ("UNODA", "OSCE"),
        "committee_is_party": False,
        "signed_on": date(2011, 9, 1),
        "signed_on_precision": "month",
        "summary": "Institutionalizes the working relationship between UNODA and the OSCE on resolution 1540 (2004).",
    },
)

# --- Interactions (IGO tables) ----------------------------------------------------------------------------------
# Interaction has no natural key of its own: each row here is identified by its kind, date and linked
# agreement or event. Both are public: the seed is a public presentation. The Vienna meeting is not an
# interaction here because its participants are unknown.

INTERACTIONS: tuple[dict, ...] = (
    {
        "kind": "mou",
        "date": date(2011, 9, 1),
        "date_precision": "month",
        "organizations": ("UNODA", "OSCE"),
        "agreement": UNODA_OSCE_MOU_TITLE,
        "event": None,
        "summary": "Memorandum of Understanding between UNODA and the OSCE (September 2011).",
        "public": True,
    },
    {
        "kind": "outreach",
        "date": date(2011, 10, 10),
        "date_precision": "day",
        "organizations": ("GP",),
        "agreement": None,
        "event": ("Global Partnership Working Group", date(2011, 10, 10)),
        "summary": (
            "A 1540 Committee expert presented the Committee's interactions with IROs and options for further "
            "engagement to the Global Partnership Working Group, Paris."
        ),
        "public": True,
    },
)

# --- Programs the seed names: natural key (owner, title); submitted and public (public knowledge) -------------
# Status is as presented in the seed (October 2011); dates and budgets are not given and stay blank.

PROGRAMS: tuple[dict, ...] = (
    {
        "owner": "UNODC",
        "title": "UNODC–WCO Container Control Programme",
        "summary": (
            "Joint UNODC–WCO programme; named in the seed as the known case of a 1540-relevant program run "
            "between IROs."
        ),
        "status": "ongoing",
        "thematic_areas": ("op3c", "op3d"),
        "regions": (),
        "beneficiary_countries": (),
        "funding_states": (),
        "partners": (("UNODC", "lead"), ("WCO", "partner")),
    },
    {
        "owner": "UNRCCA",
        "title": "CTITF project for Central Asia: regional action plan to implement the UN Counter-Terrorism Strategy",
        "summary": (
            "Coordinated by UNRCCA and funded by the EU and Norway, the project assists Central Asian States in "
            "devising a regional action plan to implement the UN Global Counter-Terrorism Strategy, which includes "
            "1540-related issues. It is to be followed by similar projects in other regions."
        ),
        "status": "ongoing",
        "thematic_areas": ("action-plan", "op1"),
        "regions": ("143",),
        # The Central Asian States of UN M49 region 143.
        "beneficiary_countries": ("KZ", "KG", "TJ", "TM", "UZ"),
        "funding_states": ("NO",),
        # The EU is not a State: it funds as a partner organization.
        "partners": (("UNRCCA", "lead"), ("CTITF", "partner"), ("EU", "funder")),
    },
    {
        "owner": "UNICRI",
        "title": "EU Centres of Excellence",
        "summary": "EU Centres of Excellence implemented by UNICRI, of specific significance for resolution 1540.",
        "status": "ongoing",
        "thematic_areas": (),
        "regions": (),
        "beneficiary_countries": (),
        "funding_states": (),
        "partners": (("UNICRI", "implementer"), ("EU", "funder")),
    },
)
