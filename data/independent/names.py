# -*- coding: utf-8 -*-
"""Hand-written name and place tables for the independent evaluation set.

Each given-name line is  native|russian|concept  where
  native  = the name in the person's own national orthography
            (Kazakh/Kyrgyz/Tajik Cyrillic, Uzbek/Turkmen Latin, Russian for
            Russian/Tatar/Uyghur/Chechen, English Latin for Arab fathers)
  russian = how the same name is written in Russian-language documents
  concept = optional id of an Arabic-origin name (for foreign spellings).
Order in a list = rough frequency order (earlier = more frequent).
"""

# ---------------------------------------------------------------- Arabic-origin names as written
# in camp lists / foreign papers: English/Arabic-style variants, French-style, Turkish.
ARABIC = {
    'muhammad':   (['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Mohamad'], 'Mohamed', 'Muhammet'),
    'abdullah':   (['Abdullah', 'Abdallah', 'Abdulla'], 'Abdallah', 'Abdullah'),
    'ibrahim':    (['Ibrahim', 'Ibraheem', 'Ebrahim'], 'Brahim', 'İbrahim'),
    'yusuf':      (['Yusuf', 'Youssef', 'Yousef', 'Yousuf'], 'Youssouf', 'Yusuf'),
    'umar':       (['Omar', 'Umar', 'Omer'], 'Omar', 'Ömer'),
    'abubakr':    (['Abu Bakr', 'Abubakar', 'Abubakr'], 'Aboubakr', 'Ebubekir'),
    'ahmad':      (['Ahmed', 'Ahmad'], 'Ahmed', 'Ahmet'),
    'islam':      (['Islam'], 'Islam', 'İslam'),
    'ali':        (['Ali'], 'Ali', 'Ali'),
    'hamza':      (['Hamza', 'Hamzah'], 'Hamza', 'Hamza'),
    'ilyas':      (['Ilyas', 'Ilias', 'Elias'], 'Ilyes', 'İlyas'),
    'musa':       (['Musa', 'Mousa', 'Moussa'], 'Moussa', 'Musa'),
    'isa':        (['Isa', 'Issa'], 'Issa', 'İsa'),
    'abdurrahman': (['Abdulrahman', 'Abdurrahman', 'Abdul Rahman'], 'Abderrahmane', 'Abdurrahman'),
    'saifullah':  (['Saifullah', 'Sayfullah', 'Saif Allah'], 'Seifallah', 'Seyfullah'),
    'nuriddin':   (['Nuriddin', 'Nur al-Din', 'Nuruddin'], 'Noureddine', 'Nurettin'),
    'ismail':     (['Ismail', 'Ismael'], 'Smail', 'İsmail'),
    'abdulaziz':  (['Abdulaziz', 'Abdul Aziz'], 'Abdelaziz', 'Abdülaziz'),
    'hasan':      (['Hassan', 'Hasan'], 'Hassan', 'Hasan'),
    'husayn':     (['Hussein', 'Husain', 'Hussain'], 'Houssein', 'Hüseyin'),
    'khalid':     (['Khalid', 'Khaled'], 'Khaled', 'Halit'),
    'bilal':      (['Bilal', 'Belal'], 'Bilel', 'Bilal'),
    'khadija':    (['Khadija', 'Khadijah', 'Khadeeja'], 'Khadidja', 'Hatice'),
    'fatima':     (['Fatima', 'Fatimah', 'Fatma'], 'Fatima', 'Fatma'),
    'aisha':      (['Aisha', 'Aysha', 'Aishah', 'Ayesha'], 'Aïcha', 'Ayşe'),
    'zaynab':     (['Zaynab', 'Zainab', 'Zeinab'], 'Zineb', 'Zeynep'),
    'maryam':     (['Maryam', 'Mariam', 'Meryem'], 'Meriem', 'Meryem'),
    'asiya':      (['Asiya', 'Asia', 'Assiya'], 'Assia', 'Asiye'),
    'safiya':     (['Safiya', 'Safia', 'Safiyyah'], 'Safia', 'Safiye'),
    'amina':      (['Amina', 'Aminah', 'Ameena'], 'Amina', 'Emine'),
    'halima':     (['Halima', 'Halimah'], 'Halima', 'Halime'),
    'hafsa':      (['Hafsa', 'Hafsah'], 'Hafsa', 'Hafsa'),
    'sumayya':    (['Sumayya', 'Sumaya', 'Somaya'], 'Soumaya', 'Sümeyye'),
    'rahima':     (['Rahima', 'Raheema'], 'Rahima', 'Rahime'),
    'madina':     (['Madina', 'Medina'], 'Madina', 'Medine'),
    'ruqayya':    (['Ruqayya', 'Roqaya', 'Ruqaiya'], 'Roqia', 'Rukiye'),
}

# ---------------------------------------------------------------- Kazakh (Kazakh Cyrillic | Russian)
KK_M = """
Нұрлан|Нурлан
Ерлан|Ерлан
Қайрат|Кайрат
Асхат|Асхат
Бауыржан|Бауыржан
Ержан|Ержан
Дәурен|Даурен
Нұрсұлтан|Нурсултан
Ерасыл|Ерасыл
Мейірбек|Мейирбек
Ақжол|Акжол
Әлихан|Алихан
Дархан|Дархан
Жандос|Жандос
Ермек|Ермек
Серік|Серик
Талғат|Талгат
Мұрат|Мурат
Арман|Арман
Бекзат|Бекзат
Ғалымжан|Галымжан
Дамир|Дамир
Азамат|Азамат
Еркебұлан|Еркебулан
Абылай|Абылай
Санжар|Санжар
Жанболат|Жанболат
Мұхаммед|Мухаммед|muhammad
Абдолла|Абдулла|abdullah
Ибраһим|Ибрагим|ibrahim
Жүсіп|Жусуп|yusuf
Омар|Омар|umar
Әбубәкір|Абубакир|abubakr
Ахмет|Ахмет|ahmad
Ислам|Ислам|islam
Әли|Али|ali
Хамза|Хамза|hamza
Ілияс|Ильяс|ilyas
Мұса|Муса|musa
Иса|Иса|isa
Әбдірахман|Абдрахман|abdurrahman
Сайфулла|Сайфулла|saifullah
"""
KK_F = """
Айгүл|Айгуль
Гүлнар|Гульнар
Әсел|Асель
Жанар|Жанар
Динара|Динара
Ақерке|Акерке
Аружан|Аружан
Айдана|Айдана
Назерке|Назерке
Нәзира|Назира
Сәуле|Сауле
Ботагөз|Ботагоз
Гүлжан|Гульжан
Әйгерім|Айгерим
Салтанат|Салтанат
Балжан|Балжан
Мөлдір|Мольдир
Жансая|Жансая
Ләззат|Ляззат
Мадина|Мадина|madina
Хадиша|Хадиша|khadija
Фатима|Фатима|fatima
Айша|Айша|aisha
Зейнеп|Зейнеп|zaynab
Мәриям|Мариям|maryam
Асия|Асия|asiya
Сафия|Сафия|safiya
Әмина|Амина|amina
Халима|Халима|halima
Хафса|Хафса|hafsa
Сұмая|Сумая|sumayya
Рахима|Рахима|rahima
"""
KK_S = """
Нұрланов|Нурланов
Қасымов|Касымов
Ахметов|Ахметов
Сейітов|Сеитов
Жұмабаев|Жумабаев
Тоқтаров|Токтаров
Әбдірахманов|Абдрахманов
Оспанов|Оспанов
Серікбаев|Серикбаев
Исабеков|Исабеков
Байжанов|Байжанов
Есенов|Есенов
Мұхамеджанов|Мухамеджанов
Сәрсенбаев|Сарсенбаев
Төлеуов|Тулеуов
Ержанов|Ержанов
Омаров|Омаров
Қуанышев|Куанышев
Ибраев|Ибраев
Жақсылықов|Жаксылыков
Әлиев|Алиев
Бекмұратов|Бекмуратов
Құрманов|Курманов
Дәулетов|Даулетов
Мамыров|Мамыров
Смағұлов|Смагулов
Иманғалиев|Имангалиев
Шәріпов|Шарипов
Байтұрсынов|Байтурсынов
Сұлтанов|Султанов
Мұсаев|Мусаев
Қожахметов|Кожахметов
Тұрсынов|Турсынов
"""

# ---------------------------------------------------------------- Kyrgyz (Kyrgyz Cyrillic | Russian)
KY_M = """
Бакыт|Бакыт
Азамат|Азамат
Нурбек|Нурбек
Эрлан|Эрлан
Улан|Улан
Талант|Талант
Бектур|Бектур
Эрмек|Эрмек
Адилет|Адилет
Алмаз|Алмаз
Жыргалбек|Жыргалбек
Мирлан|Мирлан
Нурлан|Нурлан
Тилек|Тилек
Чыңгыз|Чингиз
Айбек|Айбек
Канат|Канат
Марат|Марат
Сүйүнбек|Суюнбек
Өмүрбек|Омурбек
Үсөн|Усен
Бактыбек|Бактыбек
Элдияр|Элдияр
Мухаммед|Мухаммед|muhammad
Абдулла|Абдулла|abdullah
Ибрахим|Ибрагим|ibrahim
Жусуп|Жусуп|yusuf
Умар|Умар|umar
Али|Али|ali
Исмаил|Исмаил|ismail
Абдурахман|Абдурахман|abdurrahman
Муса|Муса|musa
Хамза|Хамза|hamza
Абубакир|Абубакир|abubakr
Нуриддин|Нуриддин|nuriddin
"""
KY_F = """
Айгүл|Айгуль
Гүлзат|Гульзат
Нурзат|Нурзат
Айпери|Айпери
Жылдыз|Жылдыз
Бермет|Бермет
Асель|Асель
Чолпон|Чолпон
Айнура|Айнура
Мээрим|Мээрим
Нургүл|Нургуль
Бүбүсара|Бубусара
Гүлмира|Гульмира
Канышай|Канышай
Динара|Динара
Салтанат|Салтанат
Назира|Назира
Фатима|Фатима|fatima
Айша|Айша|aisha
Хадича|Хадича|khadija
Зейнеп|Зейнеп|zaynab
Марьям|Марьям|maryam
Асия|Асия|asiya
Амина|Амина|amina
Сафия|Сафия|safiya
Хафса|Хафса|hafsa
Халима|Халима|halima
"""
KY_S = """
Асанов|Асанов
Жээнбеков|Жээнбеков
Токтогулов|Токтогулов
Мамытов|Мамытов
Осмонов|Осмонов
Султанов|Султанов
Абдыкадыров|Абдыкадыров
Бакиев|Бакиев
Ташиев|Ташиев
Жумабеков|Жумабеков
Карыпов|Карыпов
Эсенгулов|Эсенгулов
Мамбетов|Мамбетов
Токтосунов|Токтосунов
Сыдыков|Сыдыков
Кубанычбеков|Кубанычбеков
Өмүрзаков|Омурзаков
Үсөнов|Усенов
Бейшеналиев|Бейшеналиев
Курманалиев|Курманалиев
Абдраимов|Абдраимов
Жолдошев|Джолдошев
Турдубаев|Турдубаев
Муратов|Муратов
Садыков|Садыков
Алыбаев|Алыбаев
"""

# ---------------------------------------------------------------- Tajik (Tajik Cyrillic | Russian)
TG_M = """
Фаррух|Фаррух
Ҷамшед|Джамшед
Фирдавс|Фирдавс
Баҳром|Бахром
Фарҳод|Фарход
Шаҳром|Шахром
Парвиз|Парвиз
Далер|Далер
Раҷаб|Раджаб
Суҳроб|Сухроб
Зафар|Зафар
Комрон|Комрон
Хуршед|Хуршед
Бобоҷон|Бободжон
Ризо|Ризо
Неъмат|Немат
Қурбон|Курбон
Шамсиддин|Шамсиддин
Дилшод|Дилшод
Рустам|Рустам
Сино|Сино
Муҳаммад|Мухаммад|muhammad
Абдуллоҳ|Абдулло|abdullah
Нуриддин|Нуриддин|nuriddin
Сайфуллоҳ|Сайфулло|saifullah
Абдураҳмон|Абдурахмон|abdurrahman
Юсуф|Юсуф|yusuf
Иброҳим|Иброхим|ibrahim
Умар|Умар|umar
Абубакр|Абубакр|abubakr
Алӣ|Али|ali
Ҳамза|Хамза|hamza
Исмоил|Исмоил|ismail
Ҳасан|Хасан|hasan
Ҳусейн|Хусейн|husayn
"""
TG_F = """
Мадина|Мадина|madina
Нилуфар|Нилуфар
Шаҳноза|Шахноза
Гулчеҳра|Гулчехра
Манижа|Манижа
Зарина|Зарина
Дилноза|Дилноза
Мавзуна|Мавзуна
Парвина|Парвина
Сарвиноз|Сарвиноз
Ситора|Ситора
Таҳмина|Тахмина
Мунира|Мунира
Фарзона|Фарзона
Гулнора|Гулнора
Ҳабиба|Хабиба
Саодат|Саодат
Рухшона|Рухшона
Нигина|Нигина
Фотима|Фатима|fatima
Ойша|Ойша|aisha
Зайнаб|Зайнаб|zaynab
Хадиҷа|Хадиджа|khadija
Марям|Марям|maryam
Осиё|Осиё|asiya
Сумайя|Сумайя|sumayya
Амина|Амина|amina
Руқия|Рукия|ruqayya
"""
# tajik ov-form | russian ov-form | base used for the new -zoda/-zod/-ӣ surnames
TG_S = """
Раҳимов|Рахимов|Раҳим
Каримов|Каримов|Карим
Назаров|Назаров|Назар
Саидов|Саидов|Саид
Шарипов|Шарипов|Шариф
Сафаров|Сафаров|Сафар
Ҳасанов|Хасанов|Ҳасан
Раҷабов|Раджабов|Раҷаб
Мирзоев|Мирзоев|Мирзо
Қурбонов|Курбанов|Қурбон
Раҳмонов|Рахмонов|Раҳмон
Иброҳимов|Ибрагимов|Иброҳим
Давлатов|Давлатов|Давлат
Ҷалолов|Джалолов|Ҷалол
Одинаев|Одинаев|Одина
Юсуфов|Юсуфов|Юсуф
Ашуров|Ашуров|Ашур
Маҳмадов|Махмадов|Маҳмад
Файзуллоев|Файзуллоев|Файзулло
Абдуллоев|Абдуллоев|Абдулло
Солиев|Солиев|Солеҳ
Нуров|Нуров|Нур
Умаров|Умаров|Умар
Бобоев|Бобоев|Бобо
Исмоилов|Исмоилов|Исмоил
Зиёев|Зиёев|Зиё
Қодиров|Кодиров|Қодир
Шарифов|Шарифов|Шариф
"""

# ---------------------------------------------------------------- Turkmen (Turkmen Latin | Russian)
TK_M = """
Merdan|Мердан
Serdar|Сердар
Döwlet|Довлет
Myrat|Мурат
Batyr|Батыр
Arslan|Арслан
Rüstem|Рустем
Kerim|Керим
Begenç|Бегенч
Maksat|Максат
Atamyrat|Атамурад
Gurbanguly|Гурбангулы
Orazgeldi|Оразгельды
Annamyrat|Аннамурад
Baýramgeldi|Байрамгельды
Aýdogdy|Айдогды
Jeýhun|Джейхун
Şatlyk|Шатлык
Kakajan|Какаджан
Muhammet|Мухаммед|muhammad
Abdylla|Абдулла|abdullah
Ybraýym|Ибрагим|ibrahim
Ýusup|Юсуп|yusuf
Omar|Омар|umar
Ahmet|Ахмед|ahmad
Yslam|Ислам|islam
Aly|Али|ali
Hamza|Хамза|hamza
Ysmaýyl|Исмаил|ismail
Abdyrahman|Абдурахман|abdurrahman
Musa|Муса|musa
"""
TK_F = """
Ogulgerek|Огулгерек
Aýna|Айна
Maýsa|Майса
Jeren|Джерен
Bägül|Багуль
Gülnar|Гульнар
Enejan|Энеджан
Aýgül|Айгуль
Gülälek|Гулялек
Ogulşat|Огулшат
Leýli|Лейли
Nurjemal|Нурджемал
Sona|Сона
Aýjemal|Айджемал
Mähri|Мяхри
Şirin|Ширин
Selbi|Сельби
Maral|Марал
Fatma|Фатма|fatima
Aýşe|Айше|aisha
Hatyja|Хатиджа|khadija
Zeýnep|Зейнеп|zaynab
Merýem|Мерьем|maryam
Amine|Амине|amina
"""
TK_S = """
Orazow|Оразов
Berdiýew|Бердыев
Ataýew|Атаев
Myradow|Мурадов
Gurbanow|Курбанов
Annaýew|Аннаев
Nurmuhammedow|Нурмухаммедов
Amanow|Аманов
Hojaýew|Ходжаев
Rejepow|Реджепов
Saparow|Сапаров
Durdyýew|Дурдыев
Gylyjow|Гылыджов
Öwezow|Овезов
Hallyýew|Халлыев
Çaryýew|Чарыев
Meredow|Мередов
Babaýew|Бабаев
Garaýew|Караев
Täçmyradow|Тачмурадов
Allaberdiýew|Аллабердыев
Jumaýew|Джумаев
Begmyradow|Бегмурадов
Hudaýberdiýew|Худайбердыев
Geldiýew|Гельдыев
"""

# ---------------------------------------------------------------- Uzbek (Uzbek Latin with ʻ | Russian)
UZ_M = """
Otabek|Отабек
Sardor|Сардор
Jasur|Жасур
Bekzod|Бекзод
Shoxrux|Шохрух
Doniyor|Дониёр
Sanjar|Санжар
Akmal|Акмал
Dilshod|Дилшод
Oʻtkir|Уткир
Jahongir|Джахонгир
Rustam|Рустам
Shavkat|Шавкат
Ulugʻbek|Улугбек
Farrux|Фаррух
Sherzod|Шерзод
Ravshan|Равшан
Bobur|Бабур
Anvar|Анвар
Ilhom|Ильхом
Oybek|Ойбек
Murod|Мурад
Xurshid|Хуршид
Zafar|Зафар
Baxtiyor|Бахтиёр
Shamsiddin|Шамсиддин
Muhammad|Мухаммад|muhammad
Muhammadali|Мухаммадали
Abdulloh|Абдулла|abdullah
Abdurahmon|Абдурахман|abdurrahman
Nuriddin|Нуриддин|nuriddin
Sayfulla|Сайфулла|saifullah
Yusuf|Юсуф|yusuf
Ibrohim|Ибрагим|ibrahim
Umar|Умар|umar
Abubakr|Абубакр|abubakr
Ali|Али|ali
Hamza|Хамза|hamza
Ismoil|Исмаил|ismail
Iso|Иса|isa
Muso|Муса|musa
Abdulaziz|Абдулазиз|abdulaziz
Hasan|Хасан|hasan
Husan|Хусан|husayn
"""
UZ_F = """
Dilnoza|Дилноза
Nilufar|Нилуфар
Gulnora|Гульнора
Shahnoza|Шахноза
Zarina|Зарина
Feruza|Феруза
Mohira|Мохира
Nodira|Нодира
Malika|Малика
Dildora|Дилдора
Sevara|Севара
Maftuna|Мафтуна
Gulchehra|Гульчехра
Xurshida|Хуршида
Munisa|Муниса
Shoira|Шоира
Umida|Умида
Zulfiya|Зульфия
Oʻgʻiloy|Угилой
Gulbahor|Гулбахор
Oydin|Ойдин
Hilola|Хилола
Mohinur|Мохинур
Madina|Мадина|madina
Oysha|Ойша|aisha
Fotima|Фатима|fatima
Xadicha|Хадича|khadija
Zaynab|Зайнаб|zaynab
Maryam|Марьям|maryam
Robiya|Робия
Muslima|Муслима
Sumayya|Сумайя|sumayya
Osiyo|Осиё|asiya
Ruqiya|Рукия|ruqayya
"""
UZ_S = """
Karimov|Каримов
Yoʻldoshev|Юлдашев
Toshmatov|Ташматов
Rahimov|Рахимов
Xolmatov|Холматов
Qodirov|Кадыров
Gʻaniyev|Ганиев
Ismoilov|Исмаилов
Abdullayev|Абдуллаев
Mirzayev|Мирзаев
Usmonov|Усманов
Nazarov|Назаров
Sobirov|Сабиров
Hasanov|Хасанов
Yusupov|Юсупов
Ergashev|Эргашев
Tursunov|Турсунов
Umarov|Умаров
Saidov|Саидов
Boboyev|Бабаев
Normatov|Норматов
Qosimov|Касымов
Joʻrayev|Жураев
Oʻrinboyev|Уринбаев
Ahmedov|Ахмедов
Xudoyberdiyev|Худайбердиев
Alimov|Алимов
Sultonov|Султанов
Islomov|Исламов
Tojiboyev|Таджибаев
Mahmudov|Махмудов
Najmiddinov|Наджмиддинов
Rahmatullayev|Рахматуллаев
Toʻxtasinov|Тухтасинов
"""

# ---------------------------------------------------------------- Russian, Tatar, Uyghur, Chechen (Russian Cyrillic)
RU_M = "Александр|Сергей|Дмитрий|Андрей|Максим|Евгений|Владимир|Никита|Артём|Денис|Павел"
RU_F = "Елена|Ольга|Татьяна|Анастасия|Екатерина|Юлия|Наталья|Ирина|Кристина|Анна|Алёна"
RU_S = "Иванов|Смирнов|Кузнецов|Попов|Васильев|Петров|Соколов|Морозов|Волков|Лебедев|Козлов|Новиков|Фёдоров|Ткаченко|Ким"
TT_M = "Ринат|Рустем|Ильдар|Марат|Айдар|Рамиль|Тимур|Азат|Ильнур|Ренат|Ислам:islam|Юсуф:yusuf|Ибрагим:ibrahim"
TT_F = "Гульназ|Альфия|Лейсан|Гузель|Резеда|Эльмира|Алсу|Динара|Зульфия|Асия:asiya|Амина:amina|Хадича:khadija|Сафия:safiya"
TT_S = "Хайруллин|Галиуллин|Сафин|Гарипов|Ахметзянов|Шарафутдинов|Мухаметшин|Валиев|Хабибуллин|Нуриев|Гильмутдинов|Зарипов|Файзуллин"
UG_M = "Ильхам|Нурмамат|Махмут|Алимжан|Адиль|Дильмурат|Эркин|Абдурашид|Ибрахим:ibrahim|Абдулла:abdullah|Алим"
UG_F = "Гулнара|Рейхан|Патигуль|Шахида|Зульфия|Айнур|Гулжамал|Мадина:madina|Мерьем:maryam|Хадича:khadija"
UG_S = "Нурахунов|Абдукеримов|Сабитов|Хасанов|Юнусов|Масимов|Исламов|Ахмедов|Касымов|Мусаев|Турдиев|Ниязов"
CE_M = "Магомед:muhammad|Ахмед:ahmad|Рамзан|Ислам:islam|Адам|Хамзат:hamza|Шамиль|Аслан|Муслим|Умар:umar|Абдулла:abdullah|Мансур|Хасан:hasan|Ибрагим:ibrahim|Юсуп:yusuf"
CE_F = "Хеда|Зарема|Лейла|Марьям:maryam|Хава|Седа|Амина:amina|Малика|Айшат:aisha|Петимат|Залина|Хадижат:khadija|Фатима:fatima|Зайнап:zaynab"
CE_S = "Мусаев|Дудаев|Кадыров|Умаров|Алиев|Исмаилов|Магомадов|Хасанов|Исаев|Джабраилов|Эльмурзаев|Асхабов"

# ---------------------------------------------------------------- Arab fathers (English Latin | Russian)
AR_M = """
Muhammad|Мухаммад|muhammad
Ahmad|Ахмад|ahmad
Abdullah|Абдулла|abdullah
Omar|Омар|umar
Yusuf|Юсуф|yusuf
Ibrahim|Ибрагим|ibrahim
Khalid|Халид|khalid
Hamza|Хамза|hamza
Ali|Али|ali
Hasan|Хасан|hasan
Bilal|Билял|bilal
"""
# native | russian | english variants | turkish
AR_S = [
    ('Al-Hassan', 'Аль-Хасан', ['Al-Hassan', 'Al Hassan', 'Alhassan', 'El Hassan'], 'El-Hasan'),
    ('Al-Ahmad', 'Аль-Ахмад', ['Al-Ahmad', 'Al Ahmad', 'Alahmad'], 'El-Ahmed'),
    ('Al-Ali', 'Аль-Али', ['Al-Ali', 'Al Ali', 'El Ali'], 'El-Ali'),
    ('Al-Shami', 'Аш-Шами', ['Al-Shami', 'Ash-Shami', 'Al Shami'], 'Şami'),
    ('Al-Masri', 'Аль-Масри', ['Al-Masri', 'Al Masri', 'El Masri'], 'Mısri'),
    ('Al-Tunisi', 'Ат-Туниси', ['Al-Tunisi', 'Tounsi', 'At-Tunisi'], 'Tunusi'),
    ('Al-Iraqi', 'Аль-Ираки', ['Al-Iraqi', 'Al Iraqi', 'Iraqi'], 'Iraki'),
    ('Hamdan', 'Хамдан', ['Hamdan', 'Hamdane'], 'Hamdan'),
    ('Khalil', 'Халиль', ['Khalil', 'Khaleel', 'Khelil'], 'Halil'),
    ('Saleh', 'Салех', ['Saleh', 'Salih'], 'Salih'),
    ('Al-Jubouri', 'Аль-Джубури', ['Al-Jubouri', 'Al-Jabouri', 'Jubouri'], 'Cuburi'),
    ('Al-Obeidi', 'Аль-Обейди', ['Al-Obeidi', 'Al-Obaidi', 'Obeidi'], 'Ubeydi'),
]

# ---------------------------------------------------------------- places
# id: country, ru, ru_old, en-variants, kk, ky, tg, tk, uz, tr
PLACES = {
    # Kazakhstan
    'almaty':     ('KZ', 'Алматы', 'Алма-Ата', ['Almaty', 'Alma-Ata'], 'Алматы', 'Алматы', 'Алмаато', 'Almaty', 'Olmaota', 'Almatı'),
    'astana':     ('KZ', 'Астана', 'Целиноград', ['Astana', 'Nur-Sultan'], 'Астана', 'Астана', 'Остона', 'Astana', 'Ostona', 'Astana'),
    'shymkent':   ('KZ', 'Шымкент', 'Чимкент', ['Shymkent', 'Chimkent'], 'Шымкент', 'Чымкент', 'Чимкент', 'Çimkent', 'Chimkent', 'Çimkent'),
    'karaganda':  ('KZ', 'Караганда', None, ['Karaganda', 'Qaraghandy'], 'Қарағанды', 'Караганды', 'Қарағанда', 'Garagandy', 'Qarag‘andi', 'Karaganda'),
    'aktobe':     ('KZ', 'Актобе', 'Актюбинск', ['Aktobe', 'Aqtobe'], 'Ақтөбе', 'Актөбө', 'Актобе', 'Aktöbe', 'Oqtoʻba', 'Aktöbe'),
    'atyrau':     ('KZ', 'Атырау', 'Гурьев', ['Atyrau'], 'Атырау', 'Атырау', 'Атирау', 'Atyrau', 'Atirau', 'Atırav'),
    'taraz':      ('KZ', 'Тараз', 'Джамбул', ['Taraz'], 'Тараз', 'Талас', 'Тароз', 'Taraz', 'Taroz', 'Taraz'),
    'turkestan':  ('KZ', 'Туркестан', None, ['Turkestan', 'Turkistan'], 'Түркістан', 'Түркстан', 'Туркистон', 'Türküstan', 'Turkiston', 'Türkistan'),
    'zhanaozen':  ('KZ', 'Жанаозен', 'Новый Узень', ['Zhanaozen', 'Janaozen'], 'Жаңаөзен', 'Жаңаөзөн', 'Жанаозен', 'Žanaozen', 'Janaozen', 'Janaözen'),
    'kyzylorda':  ('KZ', 'Кызылорда', 'Кзыл-Орда', ['Kyzylorda', 'Qyzylorda'], 'Қызылорда', 'Кызылорда', 'Қизилӯрда', 'Gyzylorda', 'Qizilo‘rda', 'Kızılorda'),
    'aktau':      ('KZ', 'Актау', 'Шевченко', ['Aktau', 'Aqtau'], 'Ақтау', 'Актоо', 'Актау', 'Aktau', 'Oqtov', 'Aktav'),
    'uralsk':     ('KZ', 'Уральск', None, ['Uralsk', 'Oral'], 'Орал', 'Орал', 'Уралск', 'Uralsk', 'Uralsk', 'Oral'),
    # Kyrgyzstan
    'bishkek':    ('KG', 'Бишкек', 'Фрунзе', ['Bishkek', 'Frunze'], 'Бішкек', 'Бишкек', 'Бишкек', 'Bişkek', 'Bishkek', 'Bişkek'),
    'osh':        ('KG', 'Ош', None, ['Osh'], 'Ош', 'Ош', 'Ӯш', 'Oş', 'Oʻsh', 'Oş'),
    'jalalabad':  ('KG', 'Джалал-Абад', None, ['Jalal-Abad', 'Dzhalal-Abad', 'Jalalabad'], 'Жалалабад', 'Жалал-Абад', 'Ҷалолобод', 'Jalalabat', 'Jalolobod', 'Celalabad'),
    'karakol':    ('KG', 'Каракол', 'Пржевальск', ['Karakol'], 'Қарақол', 'Каракол', 'Қароқул', 'Garagol', 'Qoraqoʻl', 'Karakol'),
    'uzgen':      ('KG', 'Узген', None, ['Uzgen', 'Ozgon'], 'Өзген', 'Өзгөн', 'Ӯзган', 'Özgen', 'Oʻzgan', 'Özgen'),
    'karasuu':    ('KG', 'Кара-Суу', None, ['Kara-Suu', 'Karasuu'], 'Қарасу', 'Кара-Суу', 'Қорасу', 'Garasuw', 'Qorasuv', 'Karasu'),
    'batken':     ('KG', 'Баткен', None, ['Batken'], 'Баткен', 'Баткен', 'Ботканд', 'Batken', 'Botkent', 'Batken'),
    'tokmok':     ('KG', 'Токмак', None, ['Tokmok', 'Tokmak'], 'Тоқмақ', 'Токмок', 'Тоқмоқ', 'Tokmak', 'Toʻqmoq', 'Tokmak'),
    'naryn':      ('KG', 'Нарын', None, ['Naryn'], 'Нарын', 'Нарын', 'Норин', 'Naryn', 'Norin', 'Narın'),
    # Tajikistan
    'dushanbe':   ('TJ', 'Душанбе', 'Сталинабад', ['Dushanbe'], 'Душанбе', 'Душанбе', 'Душанбе', 'Duşenbe', 'Dushanbe', 'Duşanbe'),
    'khujand':    ('TJ', 'Худжанд', 'Ленинабад', ['Khujand', 'Khodjent', 'Khujant'], 'Ходжент', 'Кожент', 'Хуҷанд', 'Hojent', 'Xoʻjand', 'Hucend'),
    'kulob':      ('TJ', 'Куляб', None, ['Kulob', 'Kulyab'], 'Күләб', 'Куляб', 'Кӯлоб', 'Külab', 'Koʻlob', 'Kulob'),
    'bokhtar':    ('TJ', 'Бохтар', 'Курган-Тюбе', ['Bokhtar', 'Kurgan-Tyube', 'Qurghonteppa'], 'Бохтар', 'Бохтар', 'Бохтар', 'Bohtar', 'Boxtar', 'Bohtar'),
    'istaravshan': ('TJ', 'Истаравшан', 'Ура-Тюбе', ['Istaravshan', 'Ura-Tyube'], 'Истаравшан', 'Истаравшан', 'Истаравшан', 'Istarawşan', 'Oʻratepa', 'İstaravşan'),
    'vahdat':     ('TJ', 'Вахдат', 'Орджоникидзеабад', ['Vahdat', 'Vakhdat'], 'Вахдат', 'Вахдат', 'Ваҳдат', 'Wahdat', 'Vahdat', 'Vahdet'),
    'isfara':     ('TJ', 'Исфара', None, ['Isfara'], 'Исфара', 'Исфара', 'Исфара', 'Isfara', 'Isfara', 'İsfara'),
    'panjakent':  ('TJ', 'Пенджикент', None, ['Panjakent', 'Penjikent'], 'Пенджикент', 'Пенжикент', 'Панҷакент', 'Penjikent', 'Panjikent', 'Pencikent'),
    'tursunzoda': ('TJ', 'Турсунзаде', 'Регар', ['Tursunzoda', 'Tursunzade'], 'Турсынзаде', 'Турсунзаде', 'Турсунзода', 'Tursunzade', 'Tursunzoda', 'Tursunzade'),
    # Turkmenistan
    'ashgabat':   ('TM', 'Ашхабад', None, ['Ashgabat', 'Ashkhabad'], 'Ашхабад', 'Ашхабад', 'Ашқобод', 'Aşgabat', 'Ashxobod', 'Aşkabat'),
    'mary':       ('TM', 'Мары', None, ['Mary', 'Merv'], 'Мары', 'Мары', 'Марв', 'Mary', 'Marv', 'Merv'),
    'dashoguz':   ('TM', 'Дашогуз', 'Ташауз', ['Dashoguz', 'Dashoguz'], 'Дашоғыз', 'Дашогуз', 'Тошҳовуз', 'Daşoguz', 'Toshhovuz', 'Daşoğuz'),
    'turkmenabat': ('TM', 'Туркменабат', 'Чарджоу', ['Turkmenabat', 'Chardzhou'], 'Түрікменабат', 'Түркмөнабат', 'Туркманобод', 'Türkmenabat', 'Turkmanobod', 'Türkmenabat'),
    'balkanabat': ('TM', 'Балканабат', 'Небит-Даг', ['Balkanabat', 'Nebit-Dag'], 'Балқанабат', 'Балканабат', 'Балканобод', 'Balkanabat', 'Balkanobod', 'Balkanabat'),
    'turkmenbashi': ('TM', 'Туркменбаши', 'Красноводск', ['Turkmenbashi', 'Krasnovodsk'], 'Түрікменбашы', 'Түркмөнбашы', 'Туркманбошӣ', 'Türkmenbaşy', 'Turkmanboshi', 'Türkmenbaşı'),
    'tejen':      ('TM', 'Теджен', None, ['Tejen', 'Tedzhen'], 'Теджен', 'Теджен', 'Таҷан', 'Tejen', 'Tajan', 'Tecen'),
    'bayramaly':  ('TM', 'Байрам-Али', None, ['Bayramaly', 'Bayram-Ali'], 'Байрамалы', 'Байрам-Али', 'Байрамалӣ', 'Baýramaly', 'Bayramali', 'Bayramali'),
    # Uzbekistan
    'tashkent':   ('UZ', 'Ташкент', None, ['Tashkent', 'Toshkent'], 'Ташкент', 'Ташкент', 'Тошканд', 'Daşkent', 'Toshkent', 'Taşkent'),
    'andijan':    ('UZ', 'Андижан', None, ['Andijan', 'Andijon'], 'Әндіжан', 'Анжиян', 'Андиҷон', 'Andijan', 'Andijon', 'Andican'),
    'namangan':   ('UZ', 'Наманган', None, ['Namangan'], 'Наманган', 'Наманган', 'Намангон', 'Namangan', 'Namangan', 'Namangan'),
    'fergana':    ('UZ', 'Фергана', None, ['Fergana', 'Ferghana', 'Fargona'], 'Ферғана', 'Фергана', 'Фарғона', 'Fergana', 'Fargʻona', 'Fergana'),
    'samarkand':  ('UZ', 'Самарканд', None, ['Samarkand', 'Samarqand'], 'Самарқанд', 'Самарканд', 'Самарқанд', 'Samarkant', 'Samarqand', 'Semerkant'),
    'bukhara':    ('UZ', 'Бухара', None, ['Bukhara', 'Buxoro'], 'Бұхара', 'Бухара', 'Бухоро', 'Buhara', 'Buxoro', 'Buhara'),
    'kokand':     ('UZ', 'Коканд', None, ['Kokand', 'Qoqon'], 'Қоқан', 'Кокон', 'Хӯқанд', 'Kokand', 'Qoʻqon', 'Hokand'),
    'margilan':   ('UZ', 'Маргилан', None, ['Margilan', 'Margilon'], 'Марғылан', 'Маргалаң', 'Марғилон', 'Margylan', 'Margʻilon', 'Merginan'),
    'nukus':      ('UZ', 'Нукус', None, ['Nukus'], 'Нөкіс', 'Нукус', 'Нукус', 'Nökis', 'Nukus', 'Nukus'),
    'karshi':     ('UZ', 'Карши', None, ['Karshi', 'Qarshi'], 'Қарсы', 'Карши', 'Қарши', 'Garşy', 'Qarshi', 'Karşi'),
    'termez':     ('UZ', 'Термез', None, ['Termez', 'Termiz'], 'Термез', 'Термез', 'Тирмиз', 'Termez', 'Termiz', 'Tirmiz'),
    # Syria / Iraq (births in the conflict zone and camps)
    'raqqa':      ('SY', 'Ракка', None, ['Raqqa', 'Ar-Raqqah', 'Al-Raqqa', 'Rakka'], 'Ракка', 'Ракка', 'Ракка', 'Rakka', 'Raqqa', 'Rakka'),
    'alhol':      ('SY', 'Аль-Холь', None, ['Al-Hol', 'al-Hawl', 'Hol'], 'Әл-Хол', 'Аль-Хол', 'Ал-Ҳол', 'Al-Hol', 'Al-Hol', 'El Hol'),
    'deirezzor':  ('SY', 'Дейр-эз-Зор', None, ['Deir ez-Zor', 'Deir Ezzor', 'Dayr az-Zawr'], 'Дейр-эз-Зор', 'Дейр-эз-Зор', 'Дайр-уз-Зур', 'Deýr-ez-Zor', 'Dayr az-Zavr', 'Deyrizor'),
    'idlib':      ('SY', 'Идлиб', None, ['Idlib', 'Idleb'], 'Идлиб', 'Идлиб', 'Идлиб', 'Idlib', 'Idlib', 'İdlib'),
    'hasakah':    ('SY', 'Эль-Хасака', None, ['Al-Hasakah', 'Hasakah', 'Hassakeh'], 'Әл-Хасака', 'Эль-Хасака', 'Ал-Ҳасака', 'El-Hasaka', 'Al-Hasaka', 'Haseke'),
    'tabqa':      ('SY', 'Табка', None, ['Tabqa', 'At-Tabqah'], 'Табқа', 'Табка', 'Табқа', 'Tabka', 'Tabqa', 'Tabka'),
    'mayadin':    ('SY', 'Эль-Маядин', None, ['Al-Mayadin', 'Mayadeen'], 'Әл-Маядин', 'Эль-Маядин', 'Ал-Маёдин', 'El-Maýadin', 'Al-Mayadin', 'Meyadin'),
    'baghuz':     ('SY', 'Багуз', None, ['Baghuz', 'Al-Baghuz'], 'Бағуз', 'Багуз', 'Бағуз', 'Baguz', 'Bagʻuz', 'Bağuz'),
    'mosul':      ('IQ', 'Мосул', None, ['Mosul', 'Al-Mawsil'], 'Мосул', 'Мосул', 'Мосул', 'Mosul', 'Mosul', 'Musul'),
    'talafar':    ('IQ', 'Телль-Афар', None, ['Tal Afar', 'Tall Afar'], 'Тәл-Афар', 'Тал-Афар', 'Талл-Афар', 'Tal-Afar', 'Tal Afar', 'Telafer'),
    'syria':      ('SY', 'Сирия', None, ['Syria', 'Syrian Arab Republic'], 'Сирия', 'Сирия', 'Сурия', 'Siriýa', 'Suriya', 'Suriye'),
    'iraq':       ('IQ', 'Ирак', None, ['Iraq'], 'Ирак', 'Ирак', 'Ироқ', 'Yrak', 'Iroq', 'Irak'),
}

COUNTRY = {
    # iso2, iso3, english variants, russian variants, native
    'KZ': ('KZ', 'KAZ', ['Kazakhstan', 'Republic of Kazakhstan'], ['Казахстан', 'Республика Казахстан'], 'Қазақстан'),
    'KG': ('KG', 'KGZ', ['Kyrgyzstan', 'Kyrgyz Republic'], ['Кыргызстан', 'Киргизия', 'Кыргызская Республика'], 'Кыргызстан'),
    'TJ': ('TJ', 'TJK', ['Tajikistan', 'Republic of Tajikistan'], ['Таджикистан', 'Республика Таджикистан'], 'Тоҷикистон'),
    'TM': ('TM', 'TKM', ['Turkmenistan'], ['Туркменистан', 'Туркмения'], 'Türkmenistan'),
    'UZ': ('UZ', 'UZB', ['Uzbekistan', 'Republic of Uzbekistan'], ['Узбекистан', 'Республика Узбекистан'], 'Oʻzbekiston'),
}

CAMP_LOCALITIES = ['Al-Hol camp', 'al-Hol, Annex', 'Roj camp', 'Camp Roj', 'Al-Hawl camp, phase 5',
                   'Hol camp (foreigners annex)', 'Roj', 'Al-Hol']
