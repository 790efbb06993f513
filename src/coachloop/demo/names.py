"""Invented people and places for the demo. Pools avoid names that are also everyday words, so a
test can check that no drop-in text ever contains a name.
"""

from coachloop.people.models import School

FIRST_NAMES = (
    "Aaron", "Abdul", "Adam", "Agnieszka", "Ahmed", "Aisha", "Alice", "Alistair", "Amelia",
    "Amir", "Andrew", "Anika", "Beatrice", "Bethan", "Callum", "Caitlin", "Chidinma", "Chinedu",
    "Chloe", "Claire", "Daniel", "David", "Deborah", "Declan", "Dominic", "Eilidh", "Eleanor",
    "Emeka", "Euan", "Ewan", "Farhan", "Fatima", "Fiona", "Freya", "Gemma", "George", "Hamza",
    "Hannah", "Harriet", "Imogen", "Imran", "Isaac", "Isla", "Jamal", "James", "Joanna",
    "Jonathan", "Katherine", "Kavita", "Kofi", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Luke",
    "Marcus", "Maryam", "Matthew", "Megan", "Mei", "Mohammed", "Nadia", "Naomi", "Nathan",
    "Niamh", "Olivia", "Oliver", "Owen", "Patrick", "Priya", "Rachel", "Rebecca", "Rhiannon",
    "Rhys", "Rohan", "Ruth", "Ryan", "Sadia", "Samuel", "Sanjay", "Sarah", "Shreya", "Simon",
    "Siobhan", "Sophie", "Stephen", "Tamsin", "Thomas", "Tomasz", "Usman", "Vikram", "Yasmin",
    "Yusuf", "Zainab", "Zoe",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Adeyemi", "Akhtar", "Allen", "Anderson", "Ashworth", "Bailey", "Begum", "Bhatt",
    "Brennan", "Campbell", "Carter", "Chaudhry", "Chen", "Clarke", "Coleman", "Davies", "Doyle",
    "Edwards", "Ellison", "Evans", "Farrell", "Fernandes", "Fitzgerald", "Fletcher", "Foster",
    "Fraser", "Gallagher", "Goldberg", "Gordon", "Griffiths", "Harrison", "Hayes", "Hollis",
    "Hughes", "Hussain", "Iqbal", "Jenkins", "Johal", "Kaur", "Kelly", "Khan", "Kowalski",
    "Lambert", "Lawson", "Lloyd", "MacDonald", "Mahmood", "Malik", "Mensah", "Mistry", "Morgan",
    "Murphy", "Nowak", "Nwosu", "O'Connor", "Okafor", "Osei", "Owusu", "Parry", "Patel",
    "Pereira", "Phillips", "Pryce", "Quinn", "Rahman", "Reid", "Richards", "Roberts",
    "Robinson", "Sharma", "Singh", "Sutherland", "Thornton", "Townsend", "Vaughan", "Walsh",
    "Wilson", "Wong", "Yilmaz", "Zielinski",
)  # fmt: skip

NAMED_SCHOOLS = (
    ("Willow Brook Primary", "willow-brook", School.Phase.PRIMARY, 14),
    ("Castle Hill Academy", "castle-hill", School.Phase.SECONDARY, 23),
    ("Northgate School", "northgate", School.Phase.SECONDARY, 23),
)
PLACES = (
    "Ashcombe", "Brackenfield", "Coldharbour", "Dunmore", "Elmstead", "Fairholme", "Greywell",
    "Hatherley", "Ivybridge Lane", "Kestrel Park", "Larkfield", "Marlpit", "Netherby",
    "Orchard Vale", "Penhallow", "Quarry Bank", "Redmoor", "Saltings", "Thistledown",
    "Upton Fields", "Vicarage Lane", "Wrenfield", "Yewtree", "Alderbrook", "Bramblecote",
    "Copperfield", "Deanscroft", "Eastwick", "Foxlea", "Gorsebrook", "Heathmere", "Kingsmoor",
    "Linthorpe", "Millbrook", "Oakenshaw", "Riverbank", "Stonebridge", "Tanners Green",
)  # fmt: skip
SECONDARY_SUFFIXES = ("Academy", "School", "High School", "Community College")

SUBJECTS = (
    "English", "Maths", "Biology", "Chemistry", "Physics", "History", "Geography", "French",
    "Spanish", "Art", "Music", "Computing", "PE", "RE", "Drama", "Psychology", "Sociology",
    "Design and Technology",
)  # fmt: skip
PRIMARY_YEARS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
PRIMARY_FORMS = ("Oak", "Elm", "Birch", "Cedar", "Maple", "Beech")
PRIMARY_GROUPS = (
    "{year} phonics group", "{year} reading group", "{year} maths group",
    "{year} booster group", "{year} writing group",
)  # fmt: skip
SECONDARY_FORM_LETTERS = "ABCDEHKLMNPRSTWXY"
