//! Countries: ISO 3166-1 alpha-2 codes from alpha-2, alpha-3, English or Russian names (and, for
//! the region's countries and those of the return routes, their names in the region's languages,
//! Turkish, Arabic, German and French), as the import format allows. The table is data; add a
//! row to add a country or a name.
//!
//! Names are compared after folding: Unicode decomposition with accents and stress marks dropped
//! (so `Türkiye` = `turkiye`, `Соединённое` = `соединенное`), lower case, apostrophes dropped,
//! every other run of punctuation or space read as one space, `&` read as `and`, `St` as `Saint`
//! and a leading `the` ignored. Codes are compared without case. A bare name that could mean
//! two countries is not guessed: `Korea` matches nothing; `Congo` and `Guinea` mean what ISO
//! means by them (CG, GN).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One country per line: `alpha-2 | alpha-3 | English short name (ISO) | other English and local
/// names | Russian names`, names separated by `;`. The first Russian name is the usual one.
/// Records of the region often answer "nationality" with a people (*Uzbek*, *узбечка*): the
/// countries of the region and of the return routes also take their demonyms, read as the
/// country.
/// `XK`/`XKX` (Kosovo) are user-assigned codes, not ISO 3166-1, but widely used (EU, World
/// Bank); Kosovo too has brought nationals home from the same camps.
const TABLE: &str = r"
AD | AND | Andorra | Principality of Andorra | Андорра; Княжество Андорра
AE | ARE | United Arab Emirates | UAE; Emirates | Объединённые Арабские Эмираты; ОАЭ; Эмираты
AF | AFG | Afghanistan | Islamic Republic of Afghanistan; Afghan; Afgʻoniston; Афғонистон; Ауғанстан; Auğanstan; Owganystan; Afganistan; أفغانستان | Афганистан; Исламская Республика Афганистан; афганец; афганка
AG | ATG | Antigua and Barbuda |  | Антигуа и Барбуда
AI | AIA | Anguilla |  | Ангвилла
AL | ALB | Albania | Republic of Albania | Албания; Республика Албания
AM | ARM | Armenia | Republic of Armenia | Армения; Республика Армения
AO | AGO | Angola | Republic of Angola | Ангола; Республика Ангола
AQ | ATA | Antarctica |  | Антарктика
AR | ARG | Argentina | Argentine Republic | Аргентина; Аргентинская Республика
AS | ASM | American Samoa |  | Американские Самоа
AT | AUT | Austria | Republic of Austria | Австрия; Австрийская Республика
AU | AUS | Australia |  | Австралия
AW | ABW | Aruba |  | Аруба
AX | ALA | Åland Islands | Aland Islands | Аландские острова
AZ | AZE | Azerbaijan | Republic of Azerbaijan; Azerbaycan; Azerbaijani; Azeri | Азербайджан; Республика Азербайджан; азербайджанец; азербайджанка
BA | BIH | Bosnia and Herzegovina | Republic of Bosnia and Herzegovina; Bosnia | Босния и Герцеговина; Республика Босния и Герцеговина; Босния
BB | BRB | Barbados |  | Барбадос
BD | BGD | Bangladesh | People's Republic of Bangladesh | Бангладеш; Народная Республика Бангладеш
BE | BEL | Belgium | Kingdom of Belgium | Бельгия; Королевство Бельгия
BF | BFA | Burkina Faso |  | Буркина-Фасо
BG | BGR | Bulgaria | Republic of Bulgaria | Болгария; Республика Болгария
BH | BHR | Bahrain | Kingdom of Bahrain | Бахрейн; Королевство Бахрейн
BI | BDI | Burundi | Republic of Burundi | Бурунди; Республика Бурунди
BJ | BEN | Benin | Republic of Benin | Бенин; Республика Бенин
BL | BLM | Saint Barthélemy |  | Сен-Бартельми
BM | BMU | Bermuda |  | Бермуды
BN | BRN | Brunei Darussalam | Brunei | Бруней Даруссалам; Бруней
BO | BOL | Bolivia, Plurinational State of | Bolivia; Plurinational State of Bolivia | Боливия; Многонациональное Государство Боливия
BQ | BES | Bonaire, Sint Eustatius and Saba | Caribbean Netherlands | Бонайре, Синт-Эстатиус и Саба
BR | BRA | Brazil | Federative Republic of Brazil | Бразилия; Федеративная Республика Бразилия
BS | BHS | Bahamas | Commonwealth of the Bahamas; The Bahamas | Багамы; Содружество Багамских Островов; Багамские Острова
BT | BTN | Bhutan | Kingdom of Bhutan | Бутан; Королевство Бутан
BV | BVT | Bouvet Island |  | Остров Буве
BW | BWA | Botswana | Republic of Botswana | Ботсвана; Республика Ботсвана
BY | BLR | Belarus | Republic of Belarus; Belorussia; Byelorussia | Беларусь; Республика Беларусь; Белоруссия
BZ | BLZ | Belize |  | Белиз
CA | CAN | Canada |  | Канада
CC | CCK | Cocos (Keeling) Islands | Cocos Islands; Keeling Islands | Кокосовые острова
CD | COD | Congo, The Democratic Republic of the | Democratic Republic of the Congo; DR Congo; DRC; Congo-Kinshasa | Демократическая Республика Конго; ДР Конго; ДРК; Конго-Киншаса
CF | CAF | Central African Republic | CAR | Центрально-африканская республика; Центральноафриканская Республика; ЦАР
CG | COG | Congo | Republic of the Congo; Congo-Brazzaville | Конго; Республика Конго; Конго-Браззавиль
CH | CHE | Switzerland | Swiss Confederation | Швейцария; Швейцарская Конфедерация
CI | CIV | Côte d'Ivoire | Republic of Côte d'Ivoire; Ivory Coast | Кот-д'Ивуар; Республика Кот-д'Ивуар; Берег Слоновой Кости
CK | COK | Cook Islands |  | Острова Кука
CL | CHL | Chile | Republic of Chile | Чили; Республика Чили
CM | CMR | Cameroon | Republic of Cameroon | Камерун; Республика Камерун
CN | CHN | China | People's Republic of China; PRC | Китай; Китайская Народная Республика; КНР
CO | COL | Colombia | Republic of Colombia | Колумбия; Республика Колумбия
CR | CRI | Costa Rica | Republic of Costa Rica | Коста-Рика; Республика Коста-Рика
CU | CUB | Cuba | Republic of Cuba | Куба; Республика Куба
CV | CPV | Cabo Verde | Republic of Cabo Verde; Cape Verde | Кабо-Верде; Республика Кабо-Верде; Острова Зелёного Мыса
CW | CUW | Curaçao |  | Кюрасао
CX | CXR | Christmas Island |  | Остров Рождества
CY | CYP | Cyprus | Republic of Cyprus | Кипр; Республика Кипр
CZ | CZE | Czechia | Czech Republic | Чехия; Чешская Республика
DE | DEU | Germany | Federal Republic of Germany; FRG | Германия; Федеративная Республика Германия; ФРГ
DJ | DJI | Djibouti | Republic of Djibouti | Джибути; Республика Джибути
DK | DNK | Denmark | Kingdom of Denmark | Дания; Королевство Дания
DM | DMA | Dominica | Commonwealth of Dominica | Доминика; Содружество Доминики
DO | DOM | Dominican Republic |  | Доминиканская республика
DZ | DZA | Algeria | People's Democratic Republic of Algeria | Алжир; Алжирская Народная Демократическая Республика
EC | ECU | Ecuador | Republic of Ecuador | Эквадор; Республика Эквадор
EE | EST | Estonia | Republic of Estonia | Эстония; Эстонская Республика
EG | EGY | Egypt | Arab Republic of Egypt | Египет; Арабская Республика Египет
EH | ESH | Western Sahara | Sahrawi Arab Democratic Republic | Западная Сахара
ER | ERI | Eritrea | the State of Eritrea | Эритрея; Государство Эритрея
ES | ESP | Spain | Kingdom of Spain | Испания; Королевство Испания
ET | ETH | Ethiopia | Federal Democratic Republic of Ethiopia | Эфиопия; Федеративная Демократическая Республика Эфиопия
FI | FIN | Finland | Republic of Finland | Финляндия; Финляндская Республика
FJ | FJI | Fiji | Republic of Fiji | Фиджи; Республика Фиджи
FK | FLK | Falkland Islands (Malvinas) | Falkland Islands; Malvinas | Фолклендские (Мальвинские) острова; Фолклендские острова; Мальвинские острова
FM | FSM | Micronesia, Federated States of | Federated States of Micronesia; Micronesia | Федеративные Штаты Микронезии; Микронезия
FO | FRO | Faroe Islands |  | Фарерские острова
FR | FRA | France | French Republic | Франция; Французская Республика
GA | GAB | Gabon | Gabonese Republic | Габон; Габонская Республика
GB | GBR | United Kingdom | United Kingdom of Great Britain and Northern Ireland; UK; U.K.; Great Britain; Britain; England; Scotland; Wales; Northern Ireland | Соединённое Королевство; Соединённое Королевство Великобритании и Северной Ирландии; Великобритания; Англия; Британия
GD | GRD | Grenada |  | Гренада
GE | GEO | Georgia | Sakartvelo | Грузия
GF | GUF | French Guiana |  | Французская Гвиана
GG | GGY | Guernsey |  | Гернси
GH | GHA | Ghana | Republic of Ghana | Гана; Республика Гана
GI | GIB | Gibraltar |  | Гибралтар
GL | GRL | Greenland |  | Гренландия
GM | GMB | Gambia | Republic of the Gambia; The Gambia | Гамбия; Республика Гамбия
GN | GIN | Guinea | Republic of Guinea | Гвинея; Гвинейская Республика
GP | GLP | Guadeloupe |  | Гваделупа
GQ | GNQ | Equatorial Guinea | Republic of Equatorial Guinea | Экваториальная Гвинея; Республика Экваториальная Гвинея
GR | GRC | Greece | Hellenic Republic | Греция; Греческая Республика
GS | SGS | South Georgia and the South Sandwich Islands | South Georgia | Южная Джорджия и Южные Сандвичевы острова
GT | GTM | Guatemala | Republic of Guatemala | Гватемала; Республика Гватемала
GU | GUM | Guam |  | Гуам
GW | GNB | Guinea-Bissau | Republic of Guinea-Bissau | Гвинея-Бисау; Республика Гвинея-Бисау
GY | GUY | Guyana | Republic of Guyana | Гайана; Республика Гайана
HK | HKG | Hong Kong | Hong Kong Special Administrative Region of China; Hong Kong SAR | Гонконг; Осо́бый административный район Гонконг; Сянган
HM | HMD | Heard Island and McDonald Islands | Heard and McDonald Islands | Остров Херд и острова МакДональд
HN | HND | Honduras | Republic of Honduras | Гондурас; Республика Гондурас
HR | HRV | Croatia | Republic of Croatia | Хорватия; Республика Хорватия
HT | HTI | Haiti | Republic of Haiti | Гаити; Республика Гаити
HU | HUN | Hungary |  | Венгрия
ID | IDN | Indonesia | Republic of Indonesia | Индонезия; Республика Индонезия
IE | IRL | Ireland | Republic of Ireland; Eire | Ирландия
IL | ISR | Israel | State of Israel | Израиль; Государство Израиль
IM | IMN | Isle of Man |  | Остров Мэн
IN | IND | India | Republic of India | Индия; Республика Индия
IO | IOT | British Indian Ocean Territory | Chagos Islands | Британская территория Индийского океана
IQ | IRQ | Iraq | Republic of Iraq; Iraqi; Iroq; Ироқ; Irak; العراق; عراق | Ирак; Иракская Республика; иракец; иракка
IR | IRN | Iran, Islamic Republic of | Iran; Islamic Republic of Iran; Persia | Иран; Исламская Республика Иран; Персия
IS | ISL | Iceland | Republic of Iceland | Исландия; Республика Исландия
IT | ITA | Italy | Italian Republic | Италия; Итальянская Республика
JE | JEY | Jersey |  | Джерси
JM | JAM | Jamaica |  | Ямайка
JO | JOR | Jordan | Hashemite Kingdom of Jordan | Иордания; Иорданское Хашимитское Королевство
JP | JPN | Japan |  | Япония
KE | KEN | Kenya | Republic of Kenya | Кения; Республика Кения
KG | KGZ | Kyrgyzstan | Kyrgyz Republic; Kirghizia; Kirgizia; Kyrgyzia; Kirgizstan; Кыргызстан; Кыргыз Республикасы; Kyrgyz; Kirghiz; Kirgiz; Kyrgyzstani; Qirgʻiziston; Қирғизистон; Қирғизстон; Қырғызстан; Qyrğyzstan; Qyrgyzstan; Gyrgyzystan; Kırgızistan; قيرغيزستان; قرغيزستان; Kirgisistan; Kirghizistan; qirgʻiz; қирғиз; қырғыз; gyrgyz; kırgız | Киргизия; Республика Кыргызстан; Кыргызстан; Кыргызская Республика; Киргизская Республика; Киргизстан; кыргыз; кыргызка; киргиз; киргизка
KH | KHM | Cambodia | Kingdom of Cambodia | Камбоджа; Королевство Камбоджа
KI | KIR | Kiribati | Republic of Kiribati | Кирибати; Республика Кирибати
KM | COM | Comoros | Union of the Comoros | Коморы; Союз Коморских Островов; Коморские Острова
KN | KNA | Saint Kitts and Nevis | Saint Kitts; St Kitts and Nevis | Сент-Китс и Невис
KP | PRK | Korea, Democratic People's Republic of | North Korea; Democratic People's Republic of Korea; DPRK; DPR Korea | Северная Корея; Корейская Народно-Демократическая Республика; КНДР
KR | KOR | Korea, Republic of | South Korea; Republic of Korea; ROK | Южная Корея; Республика Корея; Корея, Республика
KW | KWT | Kuwait | State of Kuwait | Кувейт; Государство Кувейт
KY | CYM | Cayman Islands |  | Каймановы острова
KZ | KAZ | Kazakhstan | Republic of Kazakhstan; Kazakstan; Qazaqstan; Қазақстан; Қазақстан Республикасы; Kazakh; Qazaq; Kazakhstani; қазақ; Qozogʻiston; Қозоғистон; Казакстан; Қазоқистон; Gazagystan; Kazakistan; كازاخستان; Kasachstan; qozoq; қозоқ; казак; қазоқ; gazak; kazak | Казахстан; Республика Казахстан; казах; казашка
LA | LAO | Lao People's Democratic Republic | Laos; Lao PDR | Лаос; Лаосская Народно-Демократическая Республика
LB | LBN | Lebanon | Lebanese Republic | Ливан; Ливанская Республика
LC | LCA | Saint Lucia |  | Сент-Люсия
LI | LIE | Liechtenstein | Principality of Liechtenstein | Лихтенштейн; Княжество Лихтенштейн
LK | LKA | Sri Lanka | Democratic Socialist Republic of Sri Lanka; Ceylon | Шри-Ланка; Демократическая Социалистическая Республика Шри-Ланка; Цейлон
LR | LBR | Liberia | Republic of Liberia | Либерия; Республика Либерия
LS | LSO | Lesotho | Kingdom of Lesotho | Лесото; Королевство Лесото
LT | LTU | Lithuania | Republic of Lithuania | Литва; Литовская Республика
LU | LUX | Luxembourg | Grand Duchy of Luxembourg | Люксембург; Великое Герцогство Люксембург
LV | LVA | Latvia | Republic of Latvia | Латвия; Латвийская Республика
LY | LBY | Libya |  | Ливия
MA | MAR | Morocco | Kingdom of Morocco | Марокко; Королевство Марокко
MC | MCO | Monaco | Principality of Monaco | Монако; Княжество Монако
MD | MDA | Moldova, Republic of | Moldova; Republic of Moldova; Moldavia | Молдавия; Республика Молдова; Молдова
ME | MNE | Montenegro |  | Черногория
MF | MAF | Saint Martin (French part) | Saint Martin | Сен-Мартен (Франция)
MG | MDG | Madagascar | Republic of Madagascar | Мадагаскар; Республика Мадагаскар
MH | MHL | Marshall Islands | Republic of the Marshall Islands | Маршалловы острова; Респу́блика Маршалловы Острова; Маршалловы Острова
MK | MKD | North Macedonia | Republic of North Macedonia; Macedonia; Republic of Macedonia; FYROM | Северная Македония; Республика Северная Македония; Македония
ML | MLI | Mali | Republic of Mali | Мали; Республика Мали
MM | MMR | Myanmar | Republic of Myanmar; Burma | Мьянма; Республика Мьянма; Бирма
MN | MNG | Mongolia |  | Монголия
MO | MAC | Macao | Macao Special Administrative Region of China; Macau; Macao SAR | Макао; Специальный Административный район Макао; Аомынь; Макау
MP | MNP | Northern Mariana Islands | Commonwealth of the Northern Mariana Islands | Острова северной Марианы; Содружество Северных Марианских островов; Северные Марианские Острова
MQ | MTQ | Martinique |  | Мартиника
MR | MRT | Mauritania | Islamic Republic of Mauritania | Мавритания; Исламская Республика Мавритания
MS | MSR | Montserrat |  | Монтсеррат
MT | MLT | Malta | Republic of Malta | Мальта; Республика Мальта
MU | MUS | Mauritius | Republic of Mauritius | Маврикий; Республика Маврикий
MV | MDV | Maldives | Republic of Maldives | Мальдивы; Мальдивская Республика
MW | MWI | Malawi | Republic of Malawi | Малави; Республика Малави
MX | MEX | Mexico | United Mexican States | Мексика; Мексиканские Соединённые Штаты
MY | MYS | Malaysia |  | Малайзия
MZ | MOZ | Mozambique | Republic of Mozambique | Мозамбик; Республика Мозамбик
NA | NAM | Namibia | Republic of Namibia | Намибия; Республика Намибия
NC | NCL | New Caledonia |  | Новая Каледония
NE | NER | Niger | Republic of the Niger | Нигер; Республика Нигер
NF | NFK | Norfolk Island |  | Остров Норфолк
NG | NGA | Nigeria | Federal Republic of Nigeria | Нигерия; Федеративная Республика Нигерия
NI | NIC | Nicaragua | Republic of Nicaragua | Никарагуа; Республика Никарагуа
NL | NLD | Netherlands | Kingdom of the Netherlands; Holland; The Netherlands | Нидерланды; Королевство Нидерландов; Голландия
NO | NOR | Norway | Kingdom of Norway | Норвегия; Королевство Норвегия
NP | NPL | Nepal | Federal Democratic Republic of Nepal | Непал; Федеративная Демократическая Республика Непал
NR | NRU | Nauru | Republic of Nauru | Науру; Республика Науру
NU | NIU | Niue |  | Ниуэ
NZ | NZL | New Zealand |  | Новая Зеландия
OM | OMN | Oman | Sultanate of Oman | Оман; Султанат Оман
PA | PAN | Panama | Republic of Panama | Панама; Республика Панама
PE | PER | Peru | Republic of Peru | Перу; Республика Перу
PF | PYF | French Polynesia |  | Французская Полинезия
PG | PNG | Papua New Guinea | Independent State of Papua New Guinea | Папуа — Новая Гвинея; Независимое Государство Папуа — Новая Гвинея; Папуа Новая Гвинея
PH | PHL | Philippines | Republic of the Philippines; The Philippines | Филиппины; Республика Филиппины
PK | PAK | Pakistan | Islamic Republic of Pakistan | Пакистан; Исламская Республика Пакистан
PL | POL | Poland | Republic of Poland | Польша; Республика Польша
PM | SPM | Saint Pierre and Miquelon |  | Сен-Пьер и Микелон
PN | PCN | Pitcairn | Pitcairn Islands | Питкэрн
PR | PRI | Puerto Rico |  | Пуэрто-Рико
PS | PSE | Palestine, State of | the State of Palestine; Palestine; State of Palestine; Palestinian Territories | Палестина; Государство Палестина; Палестинские территории
PT | PRT | Portugal | Portuguese Republic | Португалия; Португальская Республика
PW | PLW | Palau | Republic of Palau | Палау; Республика Палау
PY | PRY | Paraguay | Republic of Paraguay | Парагвай; Республика Парагвай
QA | QAT | Qatar | State of Qatar | Катар; Государство Катар
RE | REU | Réunion |  | Реюньон
RO | ROU | Romania |  | Румыния
RS | SRB | Serbia | Republic of Serbia | Сербия; Республика Сербия
RU | RUS | Russian Federation | Russia; Russian; Rossiya; Ресей; Resei; Русия; Russiýa; Rusya; روسيا; Russland; Russie | Российская Федерация; Россия; РФ; русский; русская; россиянин; россиянка
RW | RWA | Rwanda | Rwandese Republic | Руанда; Руандийская Республика
SA | SAU | Saudi Arabia | Kingdom of Saudi Arabia; KSA | Саудовская Аравия; Королевство Саудовская Аравия
SB | SLB | Solomon Islands |  | Соломоновы Острова; Соломоновы острова
SC | SYC | Seychelles | Republic of Seychelles | Сейшелы; Республика Сейшельские Острова; Сейшельские Острова
SD | SDN | Sudan | Republic of the Sudan | Судан; Республика Судан
SE | SWE | Sweden | Kingdom of Sweden | Швеция; Королевство Швеция
SG | SGP | Singapore | Republic of Singapore | Сингапур; Республика Сингапур
SH | SHN | Saint Helena, Ascension and Tristan da Cunha | Saint Helena | Остров Святой Елены, Остров Вознесения и Тристан-да-Кунья
SI | SVN | Slovenia | Republic of Slovenia | Словения; Республика Словения
SJ | SJM | Svalbard and Jan Mayen | Svalbard | Шпицберген и Ян-Майен
SK | SVK | Slovakia | Slovak Republic | Словакия; Словацкая Республика
SL | SLE | Sierra Leone | Republic of Sierra Leone | Сьерра-Леоне; Республика Сьерра-Леоне
SM | SMR | San Marino | Republic of San Marino | Сан-Марино; Республика Сан-Марино
SN | SEN | Senegal | Republic of Senegal | Сенегал; Республика Сенегал
SO | SOM | Somalia | Federal Republic of Somalia | Сомали; Федеративная Республика Сомали
SR | SUR | Suriname | Republic of Suriname | Суринам; Республика Суринам
SS | SSD | South Sudan | Republic of South Sudan | Южный Судан; Республика Южный Судан
ST | STP | Sao Tome and Principe | Democratic Republic of Sao Tome and Principe; São Tomé and Príncipe | Сан-Томе и Принсипи; Демократическая Республика Сан-Томе и Принсипи
SV | SLV | El Salvador | Republic of El Salvador | Сальвадор; Республика Эль-Сальвадор; Эль-Сальвадор
SX | SXM | Sint Maarten (Dutch part) | Sint Maarten | Синт-Мартен (голландская часть)
SY | SYR | Syrian Arab Republic | Syria; Syrian; Suriya; Сурия; Siriýa; Suriye; سوريا; سورية; Syrie; Syrien | Сирия; Сирийская Арабская Республика; сириец; сирийка
SZ | SWZ | Eswatini | Kingdom of Eswatini; Swaziland | Эсватини; Королевство Эсватини; Свазиленд
TC | TCA | Turks and Caicos Islands |  | Острова Туркс и Каикос
TD | TCD | Chad | Republic of Chad | Чад; Республика Чад
TF | ATF | French Southern Territories | French Southern and Antarctic Lands | Французские южные территории
TG | TGO | Togo | Togolese Republic | Того; Тоголезская Республика
TH | THA | Thailand | Kingdom of Thailand | Таиланд; Королевство Таиланд
TJ | TJK | Tajikistan | Republic of Tajikistan; Tadjikistan; Tadzhikistan; Tojikiston; Тоҷикистон; Тоджикистон; Точикистон; Ҷумҳурии Тоҷикистон; Tajik; Tadjik; Tadzhik; Tojik; тоҷик; Тожикистон; Тәжікстан; Täjıkstan; Tajikstan; Тажикстан; Täjigistan; Tacikistan; طاجيكستان; Tadschikistan; тожик; тәжік; тажик; täjik; tacik | Таджикистан; Республика Таджикистан; таджик; таджичка
TK | TKL | Tokelau |  | Токелау
TL | TLS | Timor-Leste | Democratic Republic of Timor-Leste; East Timor | Восточный Тимор; Демократическая Республика Восточный Тимор; Тимор-Лесте
TM | TKM | Turkmenistan | Turkmenia; Türkmenistan; Turkmen; Türkmen; Turkmaniston; Туркманистон; Түрікменстан; Türıkmenstan; Түркмөнстан; تركمانستان; turkman; туркман; түрікмен; түркмөн | Туркменистан; Туркмения; туркмен; туркменка
TN | TUN | Tunisia | Republic of Tunisia | Тунис; Тунисская Республика
TO | TON | Tonga | Kingdom of Tonga | Тонга; Королевство Тонга
TR | TUR | Türkiye | Republic of Türkiye; Turkey; Republic of Turkey; Turkish; Turkiya; Туркия; Түркия; Türkiya; Türkiýe; تركيا | Турция; Турецкая Республика; Республика Турция; турок; турчанка
TT | TTO | Trinidad and Tobago | Republic of Trinidad and Tobago | Тринидад и Тобаго; Республика Тринидад и Тобаго
TV | TUV | Tuvalu |  | Тувалу
TW | TWN | Taiwan, Province of China | Taiwan | Тайвань; Китайская провинция Тайвань
TZ | TZA | Tanzania, United Republic of | Tanzania; United Republic of Tanzania | Танзания; Объединённая Республика Танзания
UA | UKR | Ukraine | Ukrainian | Украина; украинец; украинка
UG | UGA | Uganda | Republic of Uganda | Уганда; Республика Уганда
UM | UMI | United States Minor Outlying Islands | US Minor Outlying Islands | Соединенные штаты Малых Удаленных островов; Внешние малые острова США
US | USA | United States | United States of America; USA; U.S.A.; U.S.; America | Соединённые штаты; Соединённые Штаты Америки; США; Америка
UY | URY | Uruguay | Eastern Republic of Uruguay | Уругвай; Восточная республика Уругвай
UZ | UZB | Uzbekistan | Republic of Uzbekistan; Oʻzbekiston; Uzbekiston; Ўзбекистон; Oʻzbekiston Respublikasi; Uzbek; Oʻzbek; Uzbekistani; ўзбек; Өзбекстан; Özbekstan; Ӯзбекистон; Узбекистон; Özbegistan; Özbekistan; أوزبكستان; Usbekistan; Ouzbékistan; өзбек; ӯзбек | Узбекистан; Республика Узбекистан; узбек; узбечка
VA | VAT | Holy See (Vatican City State) | Vatican; Vatican City; Holy See | Государство-город Ватикан; Ватикан; Святой Престол
VC | VCT | Saint Vincent and the Grenadines |  | Сент-Винсент и Гренадины
VE | VEN | Venezuela, Bolivarian Republic of | Venezuela; Bolivarian Republic of Venezuela | Венесуэла; Боливарианская Республика Венесуэла
VG | VGB | Virgin Islands, British | British Virgin Islands | Виргинские острова (Британия); Британские Виргинские Острова
VI | VIR | Virgin Islands, U.S. | Virgin Islands of the United States; US Virgin Islands; U.S. Virgin Islands | Виргинские острова (США); Американские Виргинские острова
VN | VNM | Viet Nam | Vietnam; Socialist Republic of Viet Nam | Вьетнам; Социалистическая Республика Вьетнам
VU | VUT | Vanuatu | Republic of Vanuatu | Вануату; Республика Вануату
WF | WLF | Wallis and Futuna | Wallis and Futuna Islands | Уоллес и Футана
WS | WSM | Samoa | Independent State of Samoa | Самоа; Независимое Государство Самоа
XK | XKX | Kosovo | Republic of Kosovo | Косово; Республика Косово
YE | YEM | Yemen | Republic of Yemen | Йемен; Йеменская Республика
YT | MYT | Mayotte |  | Майот
ZA | ZAF | South Africa | Republic of South Africa | Южная Африка; Южно-Африканская Республика
ZM | ZMB | Zambia | Republic of Zambia | Замбия; Республика Замбия
ZW | ZWE | Zimbabwe | Republic of Zimbabwe | Зимбабве; Республика Зимбабве
";

/// One parsed row of [`TABLE`].
struct Country {
    alpha2: &'static str,
    alpha3: &'static str,
    english: &'static str,
    russian: &'static str,
    /// Every name of the row, English short name included.
    names: Vec<&'static str>,
}

struct Index {
    countries: Vec<Country>,
    /// Upper-case alpha-2 or alpha-3 code → position in `countries`.
    by_code: HashMap<&'static str, usize>,
    /// Folded name → position in `countries`.
    by_name: HashMap<String, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let countries: Vec<Country> = TABLE.lines().filter(|l| !l.trim().is_empty()).map(parse_row).collect();
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            by_code.insert(c.alpha2, i);
            by_code.insert(c.alpha3, i);
            for name in &c.names {
                by_name.entry(fold(name)).or_insert(i);
            }
        }
        Index { countries, by_code, by_name }
    })
}

fn parse_row(line: &'static str) -> Country {
    let cols: Vec<&'static str> = line.split('|').map(str::trim).collect();
    assert!(cols.len() == 5, "country table row needs 5 columns: {line}");
    let list = |col: &'static str| col.split(';').map(str::trim).filter(|n| !n.is_empty());
    let mut names = vec![cols[2]];
    names.extend(list(cols[3]));
    names.extend(list(cols[4]));
    Country { alpha2: cols[0], alpha3: cols[1], english: cols[2], russian: list(cols[4]).next().unwrap_or(""), names }
}

/// The comparison form of a country name (see the module documentation).
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut spaced = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            _ if is_combining_mark(c) => {}
            '\'' | '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | '`' | '\u{00B4}' => {}
            '&' => spaced.push_str(" and "),
            _ if c.is_alphanumeric() => spaced.extend(c.to_lowercase()),
            _ => spaced.push(' '),
        }
    }
    let mut words = spaced.split_whitespace().peekable();
    if words.peek() == Some(&"the") {
        words.next();
    }
    let words: Vec<&str> = words.map(|w| if w == "st" { "saint" } else { w }).collect();
    words.join(" ")
}

fn find(text: &str) -> Option<&'static Country> {
    let index = index();
    let trimmed = text.trim();
    let looks_like_code = (2..=3).contains(&trimmed.len()) && trimmed.bytes().all(|b| b.is_ascii_alphabetic());
    let by_code = || index.by_code.get(trimmed.to_ascii_uppercase().as_str()).copied();
    let by_name = || index.by_name.get(&fold(trimmed)).copied().or_else(|| by_core_name(index, &fold(trimmed)));
    let found = if looks_like_code { by_code().or_else(by_name) } else { by_name() };
    found.map(|i| &index.countries[i])
}

/// Words that nationality fields write around a country's name: the state's form in another
/// order or language than the table's (*Tajikistan Republic*, *Respublika Kazakhstan*) and
/// citizenship (*гражданин Узбекистана*, *citizen of Kyrgyzstan*). Folded.
const STATE_WORDS: &[&str] = &[
    "republic",
    "rep",
    "of",
    "citizen",
    "citizenship",
    "national",
    "respublika",
    "respublikasi",
    "respublikasy",
    "республика",
    "республики",
    "республикасы",
    "гражданин",
    "гражданка",
    "гражданство",
    "подданный",
    "подданная",
    // The region's languages and Turkish: Uzbek *fuqarosi*, Kazakh *азаматы*, Kyrgyz *жараны*,
    // Tajik *шаҳрванди*, Turkmen *raýaty*, Turkish *vatandaşı*, and the republic's genitive
    // (*Кыргыз Республикасынын жараны*, *Қазақстан Республикасының азаматы*).
    "fuqarosi",
    "fuqaroligi",
    "фукароси",
    "фуқароси",
    "азаматы",
    "азаматшасы",
    "азаматтыгы",
    "жараны",
    "жарандыгы",
    "шаҳрванди",
    "шахрванди",
    "rayaty",
    "rayatlygy",
    "vatandası",
    "vatandasi",
    "uyruklu",
    "respublikasining",
    "республикаси",
    "республикасининг",
    "республикасының",
    "республикасынын",
    "respublikasynyn",
];

/// A name the table lacks as written: without [`STATE_WORDS`], and with a Russian genitive read
/// as the nominative (*Узбекистана* → *Узбекистан*, *России* → *Россия*, *Турции* → *Турция*).
/// Only one word may remain, so that no two names are merged into one.
fn by_core_name(index: &Index, folded: &str) -> Option<usize> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !STATE_WORDS.contains(w)).collect();
    let [word] = words.as_slice() else { return None };
    // Russian genitives, and the Kazakh, Kyrgyz and Turkmen genitive endings (*Қазақстанның*,
    // *Türkmenistanyň* = `turkmenistanyn`), tried in turn: only a name the table holds counts.
    let genitive = [
        ("стана", "стан"),
        ("ии", "ия"),
        ("ака", "ак"),
        ("ана", "ан"),
        ("ины", "ина"),
        ("ның", ""),
        ("нің", ""),
        ("нын", ""),
        ("yn", ""),
        ("in", ""),
    ];
    let nominative = || {
        genitive.iter().find_map(|(ending, nominative)| {
            let stem = word.strip_suffix(ending)?;
            index.by_name.get(&format!("{stem}{nominative}")).copied()
        })
    };
    (words.len() < folded.split(' ').count()).then(|| index.by_name.get(*word).copied()).flatten().or_else(nominative)
}

/// The alpha-2 code for an alpha-2 or alpha-3 code or an English or Russian name, or `None` if
/// the text names no known country. Case, surrounding space, accents and punctuation do not
/// matter.
pub fn parse(text: &str) -> Option<&'static str> {
    find(text).map(|c| c.alpha2)
}

/// Whether a nationality field says that there is none or that it is not known: *stateless*,
/// *без гражданства*, the ICAO 9303 codes XXA (stateless), XXB and XXC (refugees) and XXX
/// (unspecified), the Soviet Union (*USSR*, *СССР*: no state of today), or a word for
/// *unknown* ([`crate::person::means_unknown`]: *unknown*, *неизвестно*, *nomaʼlum*,
/// *белгісіз* …, or only punctuation: `-`, `?`). An import reads these as no nationality
/// rather than as an unknown country.
pub fn means_no_nationality(text: &str) -> bool {
    const NONE: &[&str] = &[
        "",
        "stateless",
        "stateless person",
        "apatride",
        "refugee",
        "none",
        "без гражданства",
        "лицо без гражданства",
        "лбг",
        "беженец",
        "беженка",
        "нет",
        // Stateless in the region's languages, Turkish and Arabic.
        "fuqaroligi yoq",
        "fuqaroligi bolmagan shaxs",
        "фукаролиги йук",
        "фуқаролиги йўқ",
        "азаматтығы жоқ",
        "азаматтыгы жок",
        "жарандыгы жок",
        "бешаҳрванд",
        "бешахрванд",
        "rayatlygy yok",
        "vatansız",
        "vatansiz",
        "عديم الجنسية",
        "xxa",
        "xxb",
        "xxc",
        "xxx",
        // A state that no longer exists names no nationality today: an old Soviet passport's
        // "USSR" / "СССР" (ISO 3166-3 SUHH, formerly SU / SUN).
        "ussr",
        "u s s r",
        "soviet union",
        "su",
        "sun",
        "ссср",
        "с с с р",
        "советский союз",
    ];
    NONE.contains(&fold(text).as_str()) || crate::person::means_unknown(text)
}

/// The countries one written nationality names, as alpha-2 codes: one country; none (a word of
/// [`means_no_nationality`]); or, when the whole names no country, each part of `UZ/RU` or
/// `Uzbekistan, Russia` (*Korea, Republic of* stays one country). `None` when the text, and some
/// part of it, names no country. The CSV import and the Registry API read nationalities through
/// this one function, so that a record reads the same whichever way it came.
pub fn nationality_codes(text: &str) -> Option<Vec<&'static str>> {
    // `Some(None)`: no nationality; `None`: no country at all.
    let read = |text: &str| match means_no_nationality(text) {
        true => Some(None),
        false => parse(text).map(Some),
    };
    if let Some(code) = read(text) {
        return Some(code.into_iter().collect());
    }
    let parts: Vec<&str> = text.split([',', '/']).map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.len() < 2 {
        return None;
    }
    let codes = parts.iter().map(|part| read(part)).collect::<Option<Vec<_>>>()?;
    Some(codes.into_iter().flatten().collect())
}

/// The English short name (as ISO writes it) of an alpha-2 code.
pub fn english_name(alpha2: &str) -> Option<&'static str> {
    by_alpha2(alpha2).map(|c| c.english)
}

/// The usual Russian name of an alpha-2 code.
pub fn russian_name(alpha2: &str) -> Option<&'static str> {
    by_alpha2(alpha2).map(|c| c.russian)
}

/// The alpha-3 code of an alpha-2 code.
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    by_alpha2(alpha2).map(|c| c.alpha3)
}

/// Every alpha-2 code in the table, in alphabetical order.
pub fn all_alpha2() -> impl Iterator<Item = &'static str> {
    index().countries.iter().map(|c| c.alpha2)
}

fn by_alpha2(alpha2: &str) -> Option<&'static Country> {
    let alpha2 = alpha2.trim();
    if alpha2.len() != 2 {
        return None;
    }
    let index = index();
    index.by_code.get(alpha2.to_ascii_uppercase().as_str()).map(|&i| &index.countries[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn parses_codes_and_names_in_both_languages() {
        let cases: &[(&str, Option<&str>)] = &[
            ("KZ", Some("KZ")),
            ("kz", Some("KZ")),
            (" uzb ", Some("UZ")),
            ("Kazakhstan", Some("KZ")),
            ("KAZAKHSTAN", Some("KZ")),
            ("Казахстан", Some("KZ")),
            ("Қазақстан", Some("KZ")),
            ("Kyrgyz Republic", Some("KG")),
            ("Киргизия", Some("KG")),
            ("Кыргызстан", Some("KG")),
            ("Tajikistan", Some("TJ")),
            ("Таджикистан", Some("TJ")),
            ("Turkmenistan", Some("TM")),
            ("Туркмения", Some("TM")),
            ("Oʻzbekiston", Some("UZ")),
            ("O'zbekiston", Some("UZ")),
            ("Узбекистан", Some("UZ")),
            ("Russia", Some("RU")),
            ("Российская Федерация", Some("RU")),
            ("Syria", Some("SY")),
            ("Syrian Arab Republic", Some("SY")),
            ("Сирия", Some("SY")),
            ("Iraq", Some("IQ")),
            ("Ирак", Some("IQ")),
            ("Turkey", Some("TR")),
            ("Türkiye", Some("TR")),
            ("turkiye", Some("TR")),
            ("Турция", Some("TR")),
            ("Afghanistan", Some("AF")),
            ("Афганистан", Some("AF")),
            ("Côte d'Ivoire", Some("CI")),
            ("Cote d’Ivoire", Some("CI")),
            ("Ivory Coast", Some("CI")),
            ("Кот-д’Ивуар", Some("CI")),
            ("The Gambia", Some("GM")),
            ("Gambia", Some("GM")),
            ("Bosnia & Herzegovina", Some("BA")),
            ("St Lucia", Some("LC")),
            ("St. Kitts and Nevis", Some("KN")),
            ("Korea, Republic of", Some("KR")),
            ("South Korea", Some("KR")),
            ("North Korea", Some("KP")),
            ("КНДР", Some("KP")),
            ("United Kingdom", Some("GB")),
            ("UK", Some("GB")),
            ("Великобритания", Some("GB")),
            ("USA", Some("US")),
            ("Соединённые Штаты Америки", Some("US")),
            ("Соединенные Штаты Америки", Some("US")),
            ("США", Some("US")),
            ("Congo", Some("CG")),
            ("Democratic Republic of the Congo", Some("CD")),
            ("Demokratic", None),
            ("Atlantis", None),
            ("Korea", None),
            ("", None),
            ("XX", None),
            ("ZZZ", None),
            ("Kosovo", Some("XK")),
        ];
        for &(text, expected) in cases {
            assert_eq!(parse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn demonyms_read_as_their_country_and_no_nationality_is_none() {
        for (text, code) in [
            ("Uzbek", "UZ"),
            ("узбечка", "UZ"),
            ("Oʻzbek", "UZ"),
            ("Kazakh", "KZ"),
            ("казах", "KZ"),
            ("Қазақ", "KZ"),
            ("Kyrgyz", "KG"),
            ("киргизка", "KG"),
            ("Tajik", "TJ"),
            ("таджичка", "TJ"),
            ("Turkmen", "TM"),
            ("туркменка", "TM"),
            ("Russian", "RU"),
            ("русская", "RU"),
            ("Afghan", "AF"),
            ("Syrian", "SY"),
        ] {
            assert_eq!(parse(text), Some(code), "{text}");
        }
        for text in [
            "Stateless",
            "лицо без гражданства",
            "XXA",
            "xxx",
            "Unknown",
            "неизвестно",
            "-",
            "?",
            "n/a",
            "номаълум",
            "Näbelli",
            "не указано",
            "Fuqaroligi yoʻq",
            "Азаматтығы жоқ",
            "Жарандыгы жок",
            "бешаҳрванд",
            "Raýatlygy ýok",
            "Vatansız",
            "عديم الجنسية",
        ] {
            assert!(means_no_nationality(text), "{text}");
            assert_eq!(parse(text), None, "{text}");
        }
        // Namibia's code is a country, not "n/a"; a real name is no marker.
        for text in ["NA", "Uzbek", "Xyzland"] {
            assert!(!means_no_nationality(text), "{text}");
        }
    }

    #[test]
    fn state_forms_citizenship_and_russian_genitives_read_as_the_country() {
        for (text, code) in [
            ("Tajikistan Republic", Some("TJ")),
            ("Kazakhstan, Republic", Some("KZ")),
            ("Respublika Kazakhstan", Some("KZ")),
            ("citizen of Kyrgyzstan", Some("KG")),
            ("гражданин Узбекистана", Some("UZ")),
            ("гражданка России", Some("RU")),
            ("Республики Таджикистан", Some("TJ")),
            ("Турции", Some("TR")),
            ("Сирии", Some("SY")),
            ("Ирака", Some("IQ")),
            ("Украины", Some("UA")),
            ("Тоджикистон", Some("TJ")),
            // Directly known names are not touched; two names are not merged; words alone name
            // nothing.
            ("Dominican Republic", Some("DO")),
            ("Republic of Korea", Some("KR")),
            ("Korea Republic", None),
            ("Kazakhstan Uzbekistan", None),
            ("гражданин", None),
            ("Republic", None),
            ("Atlantisa", None),
        ] {
            assert_eq!(parse(text), code, "{text}");
        }
    }

    /// The five countries, and those of the return routes, as each other's languages, Turkish,
    /// Arabic, German and French write them, with the region's words for citizen.
    #[test]
    fn the_regions_languages_name_each_others_countries() {
        for (text, code) in [
            ("Qozogʻiston", "KZ"),
            ("Қазоқистон", "KZ"),
            ("Gazagystan", "KZ"),
            ("Kazakistan", "KZ"),
            ("Казакстан", "KZ"),
            ("Qirgʻiziston", "KG"),
            ("Қырғызстан", "KG"),
            ("Gyrgyzystan", "KG"),
            ("Kırgızistan", "KG"),
            ("Тәжікстан", "TJ"),
            ("Тажикстан", "TJ"),
            ("Täjigistan", "TJ"),
            ("Tacikistan", "TJ"),
            ("Turkmaniston", "TM"),
            ("Түрікменстан", "TM"),
            ("Түркмөнстан", "TM"),
            ("Өзбекстан", "UZ"),
            ("Özbegistan", "UZ"),
            ("Ӯзбекистон", "UZ"),
            ("أوزبكستان", "UZ"),
            ("Suriya", "SY"),
            ("Suriye", "SY"),
            ("سوريا", "SY"),
            ("Iroq", "IQ"),
            ("العراق", "IQ"),
            ("Irak", "IQ"),
            ("Rossiya", "RU"),
            ("Ресей", "RU"),
            ("Turkiya", "TR"),
            ("Afgʻoniston", "AF"),
            ("Ауғанстан", "AF"),
            ("qozoq", "KZ"),
            ("тәжік", "TJ"),
            ("Oʻzbekiston fuqarosi", "UZ"),
            ("Қазақстан Республикасының азаматы", "KZ"),
            ("Кыргыз Республикасынын жараны", "KG"),
            ("шаҳрванди Тоҷикистон", "TJ"),
            ("Türkmenistanyň raýaty", "TM"),
            ("Özbekistan vatandaşı", "UZ"),
        ] {
            assert_eq!(parse(text), Some(code), "{text}");
        }
        // A word for citizen alone, or a genitive of no country, names nothing.
        assert_eq!(parse("fuqarosi"), None);
        assert_eq!(parse("Atlantisyň raýaty"), None);
    }

    #[test]
    fn a_written_nationality_names_one_country_none_or_each_of_its_parts() {
        let read = |text: &str| nationality_codes(text);
        assert_eq!(read("Uzbekistan"), Some(vec!["UZ"]));
        assert_eq!(read("UZ/RU"), Some(vec!["UZ", "RU"]));
        assert_eq!(read("Uzbekistan, Russia"), Some(vec!["UZ", "RU"]));
        assert_eq!(read("узбек / русский"), Some(vec!["UZ", "RU"]));
        // A name with a comma in it is one country, not two parts.
        assert_eq!(read("Korea, Republic of"), Some(vec!["KR"]));
        // No nationality, whole or as a part.
        assert_eq!(read("stateless"), Some(vec![]));
        assert_eq!(read("USSR"), Some(vec![]));
        assert_eq!(read("n/a"), Some(vec![]));
        assert_eq!(read("UZ/USSR"), Some(vec!["UZ"]));
        // A part that names no country refuses the whole.
        assert_eq!(read("UZ/XX"), None);
        assert_eq!(read("Xyzland"), None);
        assert_eq!(read("UZ/"), None);
    }

    #[test]
    fn names_and_codes_go_both_ways() {
        assert_eq!(english_name("kz"), Some("Kazakhstan"));
        assert_eq!(english_name("UZ"), Some("Uzbekistan"));
        assert_eq!(russian_name("UZ"), Some("Узбекистан"));
        assert_eq!(russian_name("TR"), Some("Турция"));
        assert_eq!(alpha3("TJ"), Some("TJK"));
        assert_eq!(english_name("KAZ"), None);
        assert_eq!(english_name("QQ"), None);
    }

    #[test]
    fn table_covers_iso_3166_1_without_clashes() {
        let index = index();
        // 249 ISO 3166-1 entries plus Kosovo.
        assert_eq!(index.countries.len(), 250);
        let mut codes = HashSet::new();
        for c in &index.countries {
            assert!(c.alpha2.len() == 2 && c.alpha2.bytes().all(|b| b.is_ascii_uppercase()), "{}", c.alpha2);
            assert!(c.alpha3.len() == 3 && c.alpha3.bytes().all(|b| b.is_ascii_uppercase()), "{}", c.alpha3);
            assert!(codes.insert(c.alpha2), "duplicate code {}", c.alpha2);
            assert!(codes.insert(c.alpha3), "duplicate code {}", c.alpha3);
            assert!(!c.english.is_empty() && !c.russian.is_empty(), "{} lacks a name", c.alpha2);
            assert!(!c.russian.is_ascii(), "{}: Russian name {:?} is not Cyrillic", c.alpha2, c.russian);
            assert_eq!(parse(c.alpha2), Some(c.alpha2));
            assert_eq!(parse(c.alpha3), Some(c.alpha2));
        }
        // Every name finds its own country, so no folded name is shared by two rows.
        for c in &index.countries {
            for name in &c.names {
                assert_eq!(parse(name), Some(c.alpha2), "{name:?} in row {}", c.alpha2);
            }
        }
        let mut sorted: Vec<&str> = all_alpha2().collect();
        sorted.sort_unstable();
        assert_eq!(sorted, all_alpha2().collect::<Vec<_>>());
    }
}
