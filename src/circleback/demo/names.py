"""Word lists the demo network is made from: names, organisations, titles, places, phrases.

Names come from many cultures and keep their accents and letters (Chloé, José, Zoë, Nguyễn,
Łukasz, Søren), because real networks look like that and search has to cope with it. Every
organisation is invented; every address uses the reserved `.example` domain and every phone
number a range set aside for fiction, so demo data can never reach a real person.
"""

from __future__ import annotations

# (weight, given names, family names). Weights are a cosmopolitan city's mix, not a census.
_CULTURES: list[tuple[int, str, str]] = [
    (
        14,
        "James Olivia Liam Emma Noah Ava Oliver Sophia Ethan Isabella Lucas Mia Henry Amelia "
        "Jack Harper Samuel Abigail Grace Daniel Ella Matthew Lily Ruth Owen Hannah Caleb "
        "Nora Zoë Ada Bart Margaret Theo",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore "
        "Martin Jackson White Harris Clark Lewis Walker Hall Young King Wright Scott Green "
        "Baker Adams Nelson Carter Mitchell Quill Roberts Turner Phillips Campbell Parker",
    ),
    (
        6,
        "Chloé Léa Amélie Hélène Inès Maëlle Océane Loïc Gaëlle Jérôme Stéphane Benoît "
        "François Thérèse Éric Anaïs Noémie Zoé Raphaël Mathéo Céline Émile Héloïse",
        "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Rousseau Mercier Fournier Lambert "
        "Bonnet Faure Chevalier Gérard Dupré Lemaître Roché Bézier Boucher Garnier",
    ),
    (
        7,
        "José María Lucía Sofía Martín Andrés Camila Valentina Joaquín Inés Álvaro Begoña "
        "Ramón Jesús Ángel Iñaki Raúl Óscar Mónica Verónica Adrián Dolores Nuria",
        "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
        "Flores Gómez Díaz Núñez Ibáñez Muñoz Jiménez Álvarez Ortiz Peña Castañeda",
    ),
    (
        4,
        "João Conceição Gonçalo Inês Sebastião Vitória Letícia Antônio Júlia Mário Cecília "
        "Luís Thiago Beatriz Rafaela",
        "Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Nascimento Araújo Simões "
        "Gonçalves Magalhães Brandão Conceição Falcão",
    ),
    (
        5,
        "Jürgen Jörg Lukas Lena Anja Sönke Björn Günter Katharina Maximilian Käthe Uwe Jonas "
        "Leonie Felix Sophie Tobias Hannelore Ulrich",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schäfer Schröder Köhler "
        "Krüger Hoffmann Weiß Groß Böhm Jäger Vogt Schulze",
    ),
    (
        3,
        "Søren Åsa Bjørn Ingrid Sigrún Jón Freyja Astrid Lars Mette Kåre Sigríður Øystein "
        "Emil Linnéa Saga",
        "Jensen Nielsen Hansen Pedersen Andersen Larsen Sørensen Ødegaard Lindqvist Åberg "
        "Johansson Nyström Sigurðardóttir Jónsson Björk",
    ),
    (
        3,
        "Łukasz Małgorzata Paweł Zofia Wojciech Agnieszka Jiří Tomáš Petra Zuzana Dušan "
        "Kateřina Magdalena Bartosz Ondřej",
        "Nowak Kowalski Wiśniewski Wójcik Kamińska Lewandowski Zieliński Dvořák Novotný "
        "Černý Procházka Kučera Horváth Szabó",
    ),
    (
        4,
        "Giulia Francesco Chiara Alessandro Niccolò Martina Lorenzo Federica Matteo Gianluca "
        "Beatrice Riccardo Ilaria",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
        "Conti De_Luca Mancini Fontana",
    ),
    (
        3,
        "Siobhán Aoife Seán Niamh Caoimhe Pádraig Róisín Eoin Ciarán Orla Declan Saoirse",
        "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor Ó_Súilleabháin Gallagher "
        "Doyle McCarthy",
    ),
    (
        2,
        "Sanne Daan Lotte Bram Femke Joost Anouk Maarten Ilse Ruud",
        "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer Mulder",
    ),
    (
        3,
        "Emre Elif Zeynep Mehmet Ayşe Burak Çağla Gökhan Şule Ömer Büşra İlker",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın Özdemir Arslan Doğan Kılıç",  # noqa: RUF001
    ),
    (
        4,
        "Omar Layla Yusuf Fatima Karim Nour Hassan Amira Tariq Salma Rania Khalid Mariam Ziad",
        "Haddad Khoury Nasser Saleh Mansour Farouk Hamdan Aziz Darwish Khalil Barakat El-Amin",
    ),
    (
        2,
        "Darius Shirin Arash Leila Navid Parisa Kian Roya Babak",
        "Hosseini Rahimi Karimi Moradi Tehrani Jafari Ahmadi Sadeghi",
    ),
    (
        7,
        "Priya Arjun Ananya Rohan Aditi Vikram Kavya Rahul Deepika Sanjay Lakshmi Karthik "
        "Meera Aarav Ishaan Divya Nikhil Sneha",
        "Sharma Patel Gupta Iyer Reddy Nair Menon Krishnan Rao Desai Mehta Chatterjee "
        "Banerjee Subramanian Venkatesan Kapoor Joshi",
    ),
    (
        7,
        "Wei Li Jing Hao Xiu Ying Min Jun Yan Mei Lei Chen Xiaoling Zhiwei Yuxin Haoran Ling",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin",
    ),
    (
        3,
        "Haruto Yui Sota Aoi Ren Hina Yuto Sakura Kaito Mei Riku Yuna Shōta Kōji",
        "Satō Suzuki Takahashi Tanaka Watanabe Itō Yamamoto Nakamura Kobayashi Katō "
        "Yoshida Yamada Sasaki Ōno",
    ),
    (
        3,
        "Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Soo-ah Jae-won Ye-jin Hyun-woo",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim",
    ),
    (
        3,
        "Anh Linh Minh Thảo Hương Quang Trang Tuấn Phương Đức Hải Ngọc",
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ",
    ),
    (
        4,
        "Chiamaka Oluwaseun Adébáyọ̀ Ngozi Chinedu Funmilayo Emeka Tolúwalàṣẹ Ifeoma "
        "Obinna Yetunde Kelechi Adaeze Tunde",
        "Okafor Adeyemi Okonkwo Balogun Nwosu Eze Adebayo Oyelaran Chukwu Ogunleye Obi "
        "Afolabi Okeke",
    ),
    (
        2,
        "Kwame Ama Kofi Akosua Yaw Esi Kwabena Abena",
        "Mensah Owusu Boateng Asante Osei Appiah Darko Agyeman",
    ),
    (
        2,
        "Wanjiru Otieno Achieng Kamau Njeri Baraka Amani Zawadi Juma",
        "Mwangi Odhiambo Kariuki Wambui Kiprono Mutua Ochieng Njoroge",
    ),
    (
        1,
        "Abebe Meron Tigist Dawit Hiwot Selam",
        "Tesfaye Bekele Haile Girma Alemu Mekonnen",
    ),
    (
        2,
        "Dimitris Eleni Nikos Katerina Giorgos Sofia Yannis Athanasia",
        "Papadopoulos Georgiou Nikolaidis Papadakis Konstantinou Oikonomou Vlachos",
    ),
    (
        3,
        "Olga Dmitri Natalia Sergei Anastasia Yevgeny Oksana Andriy Iryna Mykola Yulia",
        "Ivanova Petrov Smirnova Kuznetsov Shevchenko Kovalenko Bondarenko Popova Sokolov "
        "Tkachenko",
    ),
    (
        2,
        "Noa Yael Eitan Tamar Avi Shira Itai Maya Roni",
        "Cohen Levi Mizrahi Peretz Biton Friedman Rosen Avraham Shapiro",
    ),
    (
        2,
        "Maricel Jose Rizalina Liza Carlo Bea Paolo Jasmine Ramon",
        "Santos Reyes Cruz Bautista Dela_Cruz Mendoza Villanueva Aquino Castillo",
    ),
    (
        1,
        "Zoltán Erzsébet Ágnes Gábor Réka Balázs Krisztina Dániel",
        "Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh",
    ),
    (
        2,
        "Tiago Renée Ximena Santiago Guadalupe Matías Ximena Renata Emilio",
        "Hernández Castro Vargas Rojas Morales Gutiérrez Mendoza Aguilar Cárdenas",
    ),
]


def _words(text: str) -> list[str]:
    """Words of a list written as one string; "_" joins a name of several words (de_Jong)."""
    return [w.replace("_", " ") for w in text.split()]


CULTURES: list[tuple[int, list[str], list[str]]] = [
    (weight, _words(given), _words(family)) for weight, given, family in _CULTURES
]

# Industries with role families that fit them, so titles look right for the organisation.
INDUSTRIES: list[str] = [
    "Software",
    "Financial services",
    "Healthcare",
    "Education",
    "Retail",
    "Manufacturing",
    "Consulting",
    "Media",
    "Energy",
    "Logistics",
    "Public sector",
    "Non-profit",
    "Biotech",
    "Telecommunications",
    "Hospitality",
    "Real estate",
    "Legal services",
    "Games",
]

_ORG_ROOTS = (
    "Northwind Globex Initech Hooli Umbrella Vandelay Stark Wayne Acme Tyrell Cyberdyne "
    "Soylent Oscorp Wonka Pied_Piper Massive_Dynamic Aperture Black_Mesa Blue_Sun Gringotts "
    "Monarch Nakatomi Virtucon Zorg Brightwater Cedar Harbor Lumen Meridian Nimbus Orchard "
    "Quarry Riverbend Sable Tidewater Juniper Kestrel Larkspur Marigold Solstice Halcyon "
    "Ironwood Foxglove Bluebell Saltmarsh Copperleaf Greystone Wildflower Stonebridge Lighthouse "
    "Redwood Silverline Ashgrove Beacon Cobalt Driftwood Ember Fernhill Granite Highland "
    "Inkwell Jadeport Keystone Lodestar Moonrise Northstar Oakmont Pinecrest Quillon Rosewater "
    "Summit Thornbury Upland Vantage Westbrook Yellowpine Zephyr Alder Birchwood Canopy "
    "Dovetail Evergreen Fairway Goldcrest Hollowtree Isleworth Kingfisher Longbow Millbrook"
)
ORG_ROOTS: list[str] = [w.replace("_", " ") for w in _ORG_ROOTS.split()]
# Invented names with accents, so organisation search must fold them too.
ORG_ACCENTED: list[str] = [
    "Crédit Lumière",
    "Müller & Söhne",
    "Ñandú Labs",
    "Café Océan",
    "Björkström Group",
    "Société Étoile",
    "Zürcher Rückversicherung",
    "Ångström Instruments",
    "São Vicente Logística",
    "Kraków Żagiel",
    "Élan Santé",
    "Fjördur Seafood",
    "Doğa Enerji",
    "Hà Nội Digital",
    "Montréal Médias",
    "Málaga Turismo",
]
ORG_NOUNS: dict[str, list[str]] = {
    "Software": ["Software", "Labs", "Systems", "Cloud", "Analytics", "AI"],
    "Financial services": ["Capital", "Bank", "Partners", "Insurance", "Payments"],
    "Healthcare": ["Health", "Clinics", "Medical", "Care"],
    "Education": ["Academy", "University", "Learning", "School of Business"],
    "Retail": ["Stores", "Market", "Outfitters", "Goods"],
    "Manufacturing": ["Industries", "Works", "Manufacturing", "Robotics"],
    "Consulting": ["Consulting", "Advisory", "Group", "Associates"],
    "Media": ["Media", "Studios", "Press", "Broadcasting"],
    "Energy": ["Energy", "Power", "Renewables", "Solar"],
    "Logistics": ["Logistics", "Freight", "Shipping", "Transport"],
    "Public sector": ["Council", "Agency", "Authority"],
    "Non-profit": ["Foundation", "Trust", "Alliance"],
    "Biotech": ["Bio", "Therapeutics", "Genomics", "Pharma"],
    "Telecommunications": ["Telecom", "Networks", "Mobile"],
    "Hospitality": ["Hotels", "Hospitality", "Kitchens"],
    "Real estate": ["Properties", "Estates", "Realty"],
    "Legal services": ["Law", "Legal", "Chambers"],
    "Games": ["Games", "Interactive", "Entertainment"],
}
LEGAL_SUFFIXES = ["", "", "", "", "Inc.", "Ltd", "GmbH", "LLC", "S.A.", "plc", "AG", "B.V."]
TLDS = ["example"]

CITIES: list[str] = [
    "London",
    "New York",
    "San Francisco",
    "Toronto",
    "Montréal",
    "Paris",
    "Lyon",
    "Berlin",
    "München",
    "Düsseldorf",
    "Zürich",
    "Amsterdam",
    "Stockholm",
    "Malmö",
    "København",
    "Reykjavík",
    "Kraków",
    "Praha",
    "Madrid",
    "Barcelona",
    "Lisboa",
    "São Paulo",
    "Bogotá",
    "Ciudad de México",
    "Buenos Aires",
    "Dublin",
    "Istanbul",
    "Dubai",
    "Bengaluru",
    "Mumbai",
    "Singapore",
    "Shanghai",
    "Tokyo",
    "Seoul",
    "Hà Nội",
    "Lagos",
    "Nairobi",
    "Accra",
    "Cape Town",
    "Sydney",
    "Melbourne",
    "Tel Aviv",
    "Athína",
    "Besançon",
    "Chicago",
    "Austin",
    "Seattle",
    "Boston",
    "Manchester",
    "Edinburgh",
]

# Role families; a title is an optional level, then a role ("Senior Data Analyst").
ROLES: list[str] = [
    "Software Engineer",
    "Data Analyst",
    "Data Scientist",
    "Product Manager",
    "Product Designer",
    "UX Researcher",
    "Account Executive",
    "Customer Success Manager",
    "Marketing Manager",
    "Content Strategist",
    "Financial Analyst",
    "Accountant",
    "Operations Manager",
    "Project Manager",
    "Recruiter",
    "Talent Partner",
    "HR Business Partner",
    "Consultant",
    "Nurse",
    "Physician",
    "Teacher",
    "Lecturer",
    "Researcher",
    "Solicitor",
    "Paralegal",
    "Supply Chain Planner",
    "Mechanical Engineer",
    "Electrical Engineer",
    "Sales Manager",
    "Business Analyst",
    "Policy Advisor",
    "Programme Officer",
    "Journalist",
    "Editor",
    "Chef",
    "Site Reliability Engineer",
    "Security Engineer",
    "QA Engineer",
]
LEVELS = ["", "", "", "Junior", "Senior", "Senior", "Lead"]
# Engineering and data ladders go higher, with their own words.
TECH_LEVELS = [*LEVELS, "Staff", "Principal"]
AREAS: list[str] = [
    "Engineering",
    "Product",
    "Design",
    "Data",
    "Sales",
    "Marketing",
    "Finance",
    "Operations",
    "Talent",
    "People",
    "Research",
    "Partnerships",
    "Customer Success",
    "Strategy",
    "Legal",
]
# Titles of people who can say yes: the articles' decision makers.
DECISION_TITLES: list[str] = [
    "Director of {area}",
    "Director of {area}",
    "VP {area}",
    "VP of {area}",
    "Head of {area}",
    "Head of {area}",
    "Hiring Manager, {area}",
    "Chief Technology Officer",
    "Chief Operating Officer",
    "Chief Executive Officer",
    "Founder & CEO",
    "Managing Director",
    "General Counsel",
]
MANAGER_TITLES = ["Engineering Manager", "{area} Manager", "Team Lead, {area}"]

SCHOOLS: list[str] = [
    "Université de Montréal",
    "University of Manchester",
    "Universidad de los Andes",
    "Technische Universität München",
    "ETH Zürich",
    "University of Lagos",
    "IIT Bombay",
    "Tsinghua University",
    "Universidade de São Paulo",
    "Sciences Po",
    "University of Toronto",
    "Trinity College Dublin",
    "Boğaziçi University",
    "University of Nairobi",
    "Seoul National University",
    "Københavns Universitet",
    "Uniwersytet Jagielloński",
    "Northwind State University",
    "Kestrel Business School",
    "Riverbend Community College",
]

EVENTS: list[str] = [
    "the Fintech Forum",
    "a product meetup",
    "the Women in Data breakfast",
    "PyCon",
    "the alumni reunion",
    "the Design Systems conference",
    "a careers fair",
    "the job club",
    "an open house at {org}",
    "a trade show",
    "the Climate Tech summit",
    "a LinkedIn group call",
    "the Toastmasters club",
    "a hackathon",
    "the chamber of commerce mixer",
]

TAGS: list[str] = [
    "mentor",
    "recruiter",
    "alumni",
    "hiring",
    "former manager",
    "conference",
    "fintech",
    "design",
    "data",
    "sales",
    "referral source",
    "job club",
    "volunteer",
    "book club",
    "climate",
    "startup",
    "public speaking",
    "python",
    "healthcare",
    "coach",
    "board member",
    "investor",
    "neighbour",
    "running club",
]

TOPICS: list[str] = [
    "the product role at {org}",
    "moving into data science",
    "salary ranges in {industry}",
    "their team's hiring plans",
    "the reorganisation at {org}",
    "a career change into {industry}",
    "my two-minute pitch",
    "remote work",
    "the new certification programme",
    "an article on {industry}",
    "open roles at {org}",
    "their move to {city}",
    "the merger news",
    "a board seat",
    "mentoring juniors",
]

# (direction, template): an empty direction is drawn at random (meetings and calls go both ways).
SUMMARIES: dict[str, list[tuple[str, str]]] = {
    "meeting": [
        ("", "Information meeting with {first}"),
        ("", "Referral meeting with {first} at {org}"),
        ("", "Coffee with {first}"),
        ("", "Lunch with {first}"),
        ("", "Advice session with {first} about {topic}"),
        ("", "Met {first} to talk about {topic}"),
    ],
    "call": [
        ("", "Call with {first} about {topic}"),
        ("", "Quick call with {first}"),
        ("", "Caught up with {first} by phone"),
        ("incoming", "{first} called about {topic}"),
    ],
    "email": [
        ("outgoing", "Emailed {first} about {topic}"),
        ("outgoing", "Sent {first} the article on {topic}"),
        ("outgoing", "Thank-you email to {first}"),
        ("outgoing", "Followed up with {first}"),
        ("outgoing", "Asked {first} for an introduction"),
        ("outgoing", "Told {first} what came of the lead"),
        ("incoming", "{first} emailed about {topic}"),
        ("incoming", "{first} sent a referral"),
        ("incoming", "Reply from {first} about {topic}"),
    ],
    "message": [
        ("outgoing", "LinkedIn message to {first}"),
        ("outgoing", "Messaged {first} about {topic}"),
        ("outgoing", "Congratulated {first} on the new role"),
        ("outgoing", "Said hello to {first}"),
        ("incoming", "{first} messaged about {topic}"),
        ("incoming", "{first} asked for advice on {topic}"),
    ],
    "event": [
        ("mutual", "Met {first} at {event}"),
        ("mutual", "Saw {first} at {event}"),
        ("mutual", "{event}: talked with {first}"),
    ],
    "social": [
        ("mutual", "Dinner with {first}"),
        ("mutual", "Drinks with {first}"),
        ("mutual", "Walk with {first}"),
        ("mutual", "Birthday party at {first}'s"),
    ],
    "card": [
        ("outgoing", "Thank-you card to {first}"),
        ("outgoing", "Holiday card to {first}"),
        ("outgoing", "Congratulations card to {first}"),
        ("incoming", "Thank-you card from {first}"),
    ],
    "note": [
        ("outgoing", "Note about {first}"),
        ("outgoing", "Reminder: follow up with {first}"),
        ("outgoing", "Heard news about {first}'s team"),
    ],
}

NOTE_SENTENCES: list[str] = [
    "Validated my idea of moving into {industry}.",
    "Suggested I talk to someone on the {area} team at {org}.",
    "Offered to introduce me to the hiring manager.",
    "Gave me two referrals; I will contact both this week.",
    "Asked who I could help: they need a {role}.",
    "Passed on an invitation to {event}.",
    "Shared an article about {topic}.",
    "Said their team is hiring in the spring.",
    "Not able to meet this month; follow up in six weeks.",
    "Practised my two-minute pitch; tighten the opening.",
    "Listened more than I talked; learned a lot about {org}.",
    "Promised to send my notes from {event}.",
    "Told them to expect a call from a friend.",
    "Thanked them for the introduction.",
    "They mentioned budget cuts in {area}.",
    "Recommended the certification course at {school}.",
    "Reconnected after a long time; no ask, just hello.",
    "Checked back on the lead they gave me.",
    "Their manager may be the decision maker.",
    "Wants to hear how the interview at {org} goes.",
]

PERSON_NOTES: list[str] = [
    "Loves cycling and long-distance running.",
    "Two kids; prefers calls after 6 pm.",
    "Moving to {city} next year.",
    "Knows everyone in {industry}.",
    "Volunteers at the job club.",
    "Writes a newsletter about {industry}.",
    "Studied at {school}.",
    "Speaks four languages.",
    "Prefers email to calls.",
    "Mentors career changers.",
    "Was on the hiring panel for {org}.",
    "Interested in climate tech.",
]
