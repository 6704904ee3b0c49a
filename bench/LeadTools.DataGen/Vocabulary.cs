using System;
using System.Collections.Generic;

namespace LeadTools.DataGen
{
    /// <summary>The word lists the generator draws from. Invented combinations; no real person's data.</summary>
    internal static class Vocabulary
    {
        // Formal name -> the short forms people give on forms (and the other way round for the noise).
        public static readonly Dictionary<string, string[]> Nicknames = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["Robert"] = new[] { "Bob", "Rob", "Bobby" }, ["William"] = new[] { "Bill", "Will", "Billy" },
            ["Elizabeth"] = new[] { "Liz", "Beth", "Betty", "Eliza" }, ["Richard"] = new[] { "Rick", "Rich", "Dick" },
            ["James"] = new[] { "Jim", "Jimmy", "Jamie" }, ["John"] = new[] { "Jack", "Johnny" },
            ["Michael"] = new[] { "Mike", "Mikey" }, ["Katherine"] = new[] { "Kate", "Kathy", "Katie" },
            ["Margaret"] = new[] { "Maggie", "Peggy", "Meg" }, ["Jennifer"] = new[] { "Jen", "Jenny" },
            ["Christopher"] = new[] { "Chris" }, ["Matthew"] = new[] { "Matt" }, ["Anthony"] = new[] { "Tony" },
            ["Daniel"] = new[] { "Dan", "Danny" }, ["Joseph"] = new[] { "Joe", "Joey" }, ["Thomas"] = new[] { "Tom", "Tommy" },
            ["Charles"] = new[] { "Charlie", "Chuck" }, ["Edward"] = new[] { "Ed", "Eddie", "Ted" },
            ["Alexander"] = new[] { "Alex" }, ["Andrew"] = new[] { "Andy", "Drew" }, ["Benjamin"] = new[] { "Ben" },
            ["Nicholas"] = new[] { "Nick" }, ["Patricia"] = new[] { "Pat", "Patty", "Trish" }, ["Susan"] = new[] { "Sue", "Susie" },
            ["Deborah"] = new[] { "Deb", "Debbie" }, ["Rebecca"] = new[] { "Becky" }, ["Samantha"] = new[] { "Sam" },
            ["Victoria"] = new[] { "Vicky", "Tori" }, ["Jessica"] = new[] { "Jess" }, ["Stephen"] = new[] { "Steve" },
            ["Timothy"] = new[] { "Tim" }, ["David"] = new[] { "Dave" }, ["Gregory"] = new[] { "Greg" },
            ["Jonathan"] = new[] { "Jon" }, ["Kenneth"] = new[] { "Ken" }, ["Ronald"] = new[] { "Ron" },
            ["Donald"] = new[] { "Don" }, ["Lawrence"] = new[] { "Larry" }, ["Gerald"] = new[] { "Jerry" },
            ["Peter"] = new[] { "Pete" }, ["Samuel"] = new[] { "Sam" }, ["Frederick"] = new[] { "Fred" },
            ["Theodore"] = new[] { "Ted", "Theo" }, ["Abigail"] = new[] { "Abby" }, ["Alexandra"] = new[] { "Alex", "Lexi" },
            ["Catherine"] = new[] { "Cathy", "Cat" }, ["Christina"] = new[] { "Tina", "Chris" }, ["Cynthia"] = new[] { "Cindy" },
            ["Jacqueline"] = new[] { "Jackie" }, ["Kimberly"] = new[] { "Kim" }, ["Pamela"] = new[] { "Pam" },
            ["Sandra"] = new[] { "Sandy" }, ["Teresa"] = new[] { "Terri" }, ["Zachary"] = new[] { "Zach" },
            ["Nathaniel"] = new[] { "Nate" }, ["Raymond"] = new[] { "Ray" }, ["Vincent"] = new[] { "Vince" },
            ["Leonard"] = new[] { "Leo", "Len" }, ["Phillip"] = new[] { "Phil" }, ["Jeffrey"] = new[] { "Jeff" },
            ["Douglas"] = new[] { "Doug" }, ["Gabriel"] = new[] { "Gabe" }, ["Madeline"] = new[] { "Maddie" },
            ["Josephine"] = new[] { "Jo", "Josie" }, ["Johannes"] = new[] { "Hans" }, ["Friedrich"] = new[] { "Fritz" },
            ["Francesca"] = new[] { "Fran" }, ["Frances"] = new[] { "Fran" }, ["Eleanor"] = new[] { "Ellie", "Nora" },
            ["Dorothy"] = new[] { "Dot", "Dottie" }, ["Harold"] = new[] { "Harry", "Hal" }, ["Henry"] = new[] { "Hank", "Harry" },
        };

        // Short form -> formal names, built from the table above.
        public static readonly Dictionary<string, string[]> Formal = BuildFormal();

        public static readonly string[] FirstNames =
        {
            "Robert", "William", "Elizabeth", "Richard", "James", "John", "Michael", "Katherine", "Margaret", "Jennifer",
            "Christopher", "Matthew", "Anthony", "Daniel", "Joseph", "Thomas", "Charles", "Edward", "Alexander", "Andrew",
            "Benjamin", "Nicholas", "Patricia", "Susan", "Deborah", "Rebecca", "Samantha", "Victoria", "Jessica", "Stephen",
            "Timothy", "David", "Gregory", "Jonathan", "Kenneth", "Ronald", "Donald", "Lawrence", "Gerald", "Peter",
            "Samuel", "Frederick", "Theodore", "Abigail", "Alexandra", "Catherine", "Christina", "Cynthia", "Jacqueline", "Kimberly",
            "Pamela", "Sandra", "Teresa", "Zachary", "Nathaniel", "Raymond", "Vincent", "Leonard", "Phillip", "Jeffrey",
            "Douglas", "Gabriel", "Madeline", "Josephine", "Johannes", "Friedrich", "Frances", "Eleanor", "Dorothy", "Harold",
            "Henry", "Mary", "Linda", "Barbara", "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Sharon",
            "Emily", "Michelle", "Amanda", "Melissa", "Laura", "Stephanie", "Rachel", "Carolyn", "Janet", "Maria",
            "Heather", "Diane", "Julie", "Joyce", "Evelyn", "Joan", "Christine", "Ashley", "Olivia", "Emma",
            "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Harper", "Ella", "Aria", "Chloe", "Grace",
            "Zoe", "Nora", "Lily", "Hannah", "Layla", "Priya", "Ananya", "Mei", "Yuki", "Fatima",
            "Aisha", "Sofia", "Lucia", "Camille", "Ingrid", "Astrid", "Freya", "Greta", "Leonie", "Anna",
            "Mark", "Paul", "Steven", "Kevin", "Brian", "George", "Edwin", "Jason", "Ryan", "Jacob",
            "Gary", "Eric", "Scott", "Brandon", "Frank", "Raj", "Arjun", "Wei", "Hiroshi", "Omar",
            "Ahmed", "Mateo", "Lucas", "Hugo", "Louis", "Felix", "Lukas", "Jonas", "Noah", "Liam",
            "Ethan", "Mason", "Logan", "Oliver", "Elijah", "Aiden", "Carlos", "Diego", "Javier", "Marco",
            "Luca", "Pierre", "Antoine", "Sven", "Lars", "Niklas", "Tobias", "Stefan", "Patrick", "Sean",
            "Connor", "Declan", "Ian", "Graham", "Rohan", "Vikram", "Kenji", "Tariq", "Yusuf", "Dmitri",
            "Bob", "Bill", "Liz", "Mike", "Jim", "Tom", "Kate", "Chris", "Alex", "Sam",
        };

        public static readonly string[] LastNames =
        {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
            "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
            "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
            "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
            "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
            "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
            "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
            "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
            "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
            "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
            "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
            "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
            "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
            "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
            "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
            "Arnold", "Pierce", "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott",
            "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray",
            "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis",
            "Carpenter", "Lawrence", "Sandoval", "Guerrero", "George", "Chapman", "Rios", "Estrada", "Ortega", "Watkins",
            "Greene", "Nunez", "Wheeler", "Valdez", "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison",
            "Franklin", "Carlson", "Austin", "Dominguez", "Carr", "Lawson", "Jacobs", "OBrien", "Lynch", "Singh",
            "Vega", "Bishop", "Montgomery", "Oliver", "Jensen", "Harvey", "Williamson", "Gilbert", "Dean", "Sims",
            "Espinoza", "Howell", "Li", "Wong", "Reid", "Hanson", "Le", "McCoy", "Garrett", "Burton",
            "Fuller", "Wang", "Weber", "Welch", "Rojas", "Lucas", "Marquez", "Fields", "Park", "Yang",
            "Little", "Banks", "Padilla", "Day", "Walsh", "Bowman", "Schultz", "Luna", "Fowler", "Mejia",
            "Mueller", "Schneider", "Fischer", "Becker", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann",
            "Dubois", "Moreau", "Laurent", "Lefebvre", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
            "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Yamamoto", "Sharma", "Gupta", "Kumar", "Reddy", "Iyer",
            "Okafor", "Mensah", "Nakamura", "Kowalski", "Nowak", "Novak", "Horvat", "Jansen", "de Vries", "van Dijk",
            "Andersson", "Johansson", "Larsen", "Nielsen", "Virtanen", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi",
            "O'Connor", "MacLeod", "St. John", "Van Buren", "Smith-Jones", "McAllister", "D'Angelo", "Da Silva", "Ng", "Cho",
        };

        public static readonly string[] CompanyStems =
        {
            "Acme", "Blue Ridge", "Summit", "Northwind", "Pioneer", "Granite", "Silverline", "Redwood", "Evergreen", "Harbor",
            "Cobalt", "Crescent", "Keystone", "Lakeside", "Meridian", "Orion", "Pinnacle", "Quantum", "Riverbend", "Sterling",
            "Tidewater", "Vertex", "Westfield", "Apex", "Beacon", "Cascade", "Driftwood", "Falcon", "Golden Gate", "Highland",
            "Ironwood", "Juniper", "Kingfisher", "Lighthouse", "Maple", "Nimbus", "Oakridge", "Polaris", "Quarry", "Rainier",
            "Sequoia", "Trident", "Unity", "Valley", "Willow", "Yellowstone", "Zenith", "Alpine", "Bayview", "Cedar",
            "Delta", "Eastgate", "Fairview", "Greenfield", "Horizon", "Insight", "Jetstream", "Kestrel", "Landmark", "Mosaic",
            "Nova", "Oasis", "Paragon", "Radiant", "Sapphire", "Titan", "Upland", "Vanguard", "Wavecrest", "Blackstone",
            "Brightwater", "Clearview", "Copperfield", "Eagle", "Foxglove", "Hawthorne", "Ivy", "Larkspur", "Millbrook", "Northstar",
        };

        public static readonly string[] CompanyNouns =
        {
            "Software", "Logistics", "Health", "Analytics", "Foods", "Manufacturing", "Partners", "Systems", "Labs", "Consulting",
            "Energy", "Financial", "Media", "Robotics", "Dynamics", "Solutions", "Technologies", "Networks", "Capital", "Retail",
            "Pharma", "Design", "Engineering", "Insurance", "Realty", "Marketing", "Biotech", "Aerospace", "Security", "Holdings",
            "Group", "Industries", "Ventures", "Digital", "Cloud", "Data", "Education", "Travel", "Motors", "Apparel",
            "Outfitters", "Brewing", "Construction", "Medical", "Telecom", "Instruments", "Materials", "Interactive", "Studios", "Supply",
        };

        public static readonly string[] TitleGroups =
        {
            // Variants of the same title are separated by '|': a duplicate may carry another spelling.
            "VP Marketing|Vice President, Marketing|VP of Marketing|V.P. Marketing",
            "Marketing Manager|Mgr, Marketing|Manager, Marketing",
            "Director of Sales|Sales Director|Dir. Sales",
            "CEO|Chief Executive Officer|C.E.O.",
            "CFO|Chief Financial Officer",
            "CTO|Chief Technology Officer",
            "Chief Marketing Officer|CMO",
            "IT Manager|Manager, IT|IT Mgr",
            "Software Engineer|Software Developer|Sr. Software Engineer",
            "Account Executive|AE|Acct Executive",
            "Operations Manager|Ops Manager",
            "Purchasing Manager|Procurement Manager",
            "Office Manager",
            "Marketing Operations Specialist|Marketing Ops Specialist",
            "Demand Generation Manager|Demand Gen Manager",
            "Head of Growth",
            "Product Manager|PM",
            "Data Analyst|Analyst",
            "Owner|Founder|Co-Founder",
            "President",
            "Consultant|Senior Consultant",
            "HR Director|Director, Human Resources",
            "Administrative Assistant|Admin Assistant|Executive Assistant",
            "Salesforce Administrator|SFDC Admin|CRM Administrator",
        };

        public static readonly string[] StreetNames =
        {
            "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
            "Market", "Mission", "Broadway", "Sunset", "Highland", "River", "Church", "Mill", "Spring", "Center",
            "Union", "Walnut", "Chestnut", "Franklin", "Jefferson", "Madison", "Lincoln", "Jackson", "Ridge", "Valley",
        };

        // Full form, then the abbreviations a copy may use.
        public static readonly string[][] StreetTypes =
        {
            new[] { "Street", "St", "St." }, new[] { "Avenue", "Ave", "Ave." }, new[] { "Road", "Rd", "Rd." },
            new[] { "Boulevard", "Blvd", "Blvd." }, new[] { "Drive", "Dr", "Dr." }, new[] { "Lane", "Ln" },
            new[] { "Way" }, new[] { "Court", "Ct" }, new[] { "Place", "Pl" },
        };

        public static readonly string[] PersonalDomains =
        {
            "gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com",
            "icloud.com", "comcast.net", "protonmail.com", "live.com",
        };

        public static readonly string[] LeadSources =
        {
            "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Trade Show", "Webinar", "Employee Referral",
            "Advertisement", "Other", "Content Syndication",
        };

        public static readonly double[] LeadSourceWeights = { 30, 6, 8, 10, 9, 14, 4, 7, 3, 9 };

        public static readonly string[] LeadStatuses = { "Open - Not Contacted", "Working - Contacted", "Closed - Not Converted", "Nurturing" };

        public static readonly double[] LeadStatusWeights = { 45, 25, 20, 10 };

        public static readonly string[] Industries =
        {
            "Technology", "Healthcare", "Finance", "Manufacturing", "Retail", "Education", "Media", "Energy", "Hospitality", "Transportation",
        };

        public static readonly Country[] Countries =
        {
            new Country("US", new[] { "United States", "USA", "US", "United States of America", "U.S." }, 70, "1",
                new[]
                {
                    new City("San Francisco", "CA", "California", "415", "941"), new City("Los Angeles", "CA", "California", "213", "900"),
                    new City("San Diego", "CA", "California", "619", "921"), new City("San Jose", "CA", "California", "408", "951"),
                    new City("Seattle", "WA", "Washington", "206", "981"), new City("Portland", "OR", "Oregon", "503", "972"),
                    new City("Austin", "TX", "Texas", "512", "787"), new City("Dallas", "TX", "Texas", "214", "752"),
                    new City("Houston", "TX", "Texas", "713", "770"), new City("Denver", "CO", "Colorado", "303", "802"),
                    new City("Phoenix", "AZ", "Arizona", "602", "850"), new City("Chicago", "IL", "Illinois", "312", "606"),
                    new City("Minneapolis", "MN", "Minnesota", "612", "554"), new City("Detroit", "MI", "Michigan", "313", "482"),
                    new City("Columbus", "OH", "Ohio", "614", "432"), new City("Atlanta", "GA", "Georgia", "404", "303"),
                    new City("Miami", "FL", "Florida", "305", "331"), new City("Orlando", "FL", "Florida", "407", "328"),
                    new City("Charlotte", "NC", "North Carolina", "704", "282"), new City("Raleigh", "NC", "North Carolina", "919", "276"),
                    new City("Nashville", "TN", "Tennessee", "615", "372"), new City("Washington", "DC", "District of Columbia", "202", "200"),
                    new City("Philadelphia", "PA", "Pennsylvania", "215", "191"), new City("Pittsburgh", "PA", "Pennsylvania", "412", "152"),
                    new City("New York", "NY", "New York", "212", "100"), new City("Brooklyn", "NY", "New York", "718", "112"),
                    new City("Boston", "MA", "Massachusetts", "617", "021"), new City("Cambridge", "MA", "Massachusetts", "617", "021"),
                    new City("Salt Lake City", "UT", "Utah", "801", "841"), new City("Las Vegas", "NV", "Nevada", "702", "891"),
                }),
            new Country("CA", new[] { "Canada", "CA", "CAN" }, 6, "1",
                new[]
                {
                    new City("Toronto", "ON", "Ontario", "416", "M5V"), new City("Vancouver", "BC", "British Columbia", "604", "V6B"),
                    new City("Montreal", "QC", "Quebec", "514", "H3B"), new City("Calgary", "AB", "Alberta", "403", "T2P"),
                    new City("Ottawa", "ON", "Ontario", "613", "K1P"),
                }),
            new Country("GB", new[] { "United Kingdom", "UK", "GB", "England", "Great Britain" }, 10, "44",
                new[]
                {
                    new City("London", null, null, "20", "EC1A"), new City("Manchester", null, null, "161", "M1"),
                    new City("Birmingham", null, null, "121", "B1"), new City("Edinburgh", "Scotland", "Scotland", "131", "EH1"),
                    new City("Bristol", null, null, "117", "BS1"), new City("Leeds", null, null, "113", "LS1"),
                }),
            new Country("DE", new[] { "Germany", "DE", "Deutschland", "GER" }, 7, "49",
                new[]
                {
                    new City("Berlin", "BE", "Berlin", "30", "101"), new City("München", "BY", "Bayern", "89", "803"),
                    new City("Hamburg", "HH", "Hamburg", "40", "203"), new City("Frankfurt am Main", "HE", "Hessen", "69", "603"),
                    new City("Köln", "NW", "Nordrhein-Westfalen", "221", "506"),
                }),
            new Country("FR", new[] { "France", "FR", "FRA" }, 3, "33",
                new[] { new City("Paris", null, null, "1", "750"), new City("Lyon", null, null, "4", "690"), new City("Toulouse", null, null, "5", "310") }),
            new Country("AU", new[] { "Australia", "AU", "AUS" }, 4, "61",
                new[]
                {
                    new City("Sydney", "NSW", "New South Wales", "2", "20"), new City("Melbourne", "VIC", "Victoria", "3", "30"),
                    new City("Brisbane", "QLD", "Queensland", "7", "40"),
                }),
        };

        public static readonly double[] CountryWeights = BuildCountryWeights();

        public static readonly string[] CampaignTypes = { "Webinar", "Email", "Trade Show", "Conference", "Advertisement", "Direct Mail", "Content Syndication" };

        public static readonly string[] CampaignTopics =
        {
            "Data Quality", "Pipeline Acceleration", "Product Launch", "Customer Summit", "Spring Promo", "Partner Roadshow",
            "ABM Tier 1", "Nurture Track", "Newsletter", "Free Trial", "Analyst Report", "Year-End Offer",
        };

        public static readonly string[] OpportunityStages =
        {
            "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost",
        };

        public static readonly int[] StageProbabilities = { 10, 10, 20, 50, 75, 90, 100, 0 };

        public static readonly string[] Products = { "Platform License", "Professional Services", "Renewal", "Upsell", "Add-on Seats", "Training" };

        public static readonly string[] TaskSubjects = { "Call", "Email: Follow up", "Send Quote", "Demo", "Send Letter", "Intro meeting", "Other" };

        // Full Circle CRM response statuses (FCRM__FCR_Response_Status__c).
        public static readonly string[] ResponseStatuses =
        {
            "Open - Not Contacted", "Working - Contacted", "Resolved - Already Engaged", "Resolved - No Action Required",
            "Resolved - Not Ready", "Resolved - Converted to Opportunity",
        };

        public static readonly string[] EmailSubjects =
        {
            "Your monthly product digest", "You're invited: live webinar", "Last chance: early-bird pricing", "New report inside",
            "Welcome aboard", "We miss you", "Event reminder", "Quarterly newsletter",
        };

        private static Dictionary<string, string[]> BuildFormal()
        {
            var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var kv in Nicknames)
            {
                foreach (var nick in kv.Value)
                {
                    if (!lists.TryGetValue(nick, out var l)) lists[nick] = l = new List<string>();
                    l.Add(kv.Key);
                }
            }
            var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var kv in lists) result[kv.Key] = kv.Value.ToArray();
            return result;
        }

        private static double[] BuildCountryWeights()
        {
            var w = new double[Countries.Length];
            for (var i = 0; i < w.Length; i++) w[i] = Countries[i].Weight;
            return w;
        }
    }

    /// <summary>A country: ISO code, the spellings it is exported with, weight, dialling code, cities.</summary>
    internal sealed class Country
    {
        public Country(string code, string[] names, double weight, string dialCode, City[] cities)
        {
            Code = code;
            Names = names;
            Weight = weight;
            DialCode = dialCode;
            Cities = cities;
        }

        public string Code { get; }
        public string[] Names { get; }
        public double Weight { get; }
        public string DialCode { get; }
        public City[] Cities { get; }
        public bool IsNanp => DialCode == "1";
    }

    /// <summary>A city with its state (code and name), area code and postal-code prefix.</summary>
    internal sealed class City
    {
        public City(string name, string? stateCode, string? stateName, string areaCode, string postalPrefix)
        {
            Name = name;
            StateCode = stateCode;
            StateName = stateName;
            AreaCode = areaCode;
            PostalPrefix = postalPrefix;
        }

        public string Name { get; }
        public string? StateCode { get; }
        public string? StateName { get; }
        public string AreaCode { get; }
        public string PostalPrefix { get; }
    }
}
