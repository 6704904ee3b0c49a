using System;
using System.Collections.Generic;
using System.Globalization;
using LeadTools.Core.Records;

namespace LeadTools.DataGen
{
    /// <summary>
    /// The second generator ("crowded"): leads of a large org where distinct people often look alike, so that matching
    /// is not tuned to <see cref="SyntheticCrm"/>'s well-spread names. First and last names are drawn from skewed
    /// (Zipf) frequency distributions, so namesakes are common; companies too (a few employ many of the people), and a
    /// person works at the company's office (street, city, switchboard phone) more often than not; each company has a
    /// few "family" surnames that many of its people share; near first names (Donald/Donna, Daniel/Danielle) are
    /// frequent. Every person has their own work email (the second John Smith at a domain gets john.smith2, as mail
    /// administrators do), their own direct line and mobile. Duplicates are noisy copies (the same <see cref="Noise"/> as
    /// the first generator) of an earlier lead's person. Generated in order (the people are kept): meant for quality
    /// runs up to a few hundred thousand leads. The same seed gives the same leads.
    /// </summary>
    internal sealed class CrowdedCrm
    {
        private const ulong PersonStream = 41, LayoutStream = 42, RenderStream = 43, CompanyStream = 44;

        /// <summary>First names, most frequent first; near pairs (Donald/Donna) sit next to each other in frequency.</summary>
        internal static readonly string[] FirstNames =
        {
            "John", "Michael", "David", "James", "Robert", "Maria", "Daniel", "Danielle", "Donald", "Donna",
            "Jennifer", "Mary", "William", "Christopher", "Chris", "Christina", "Christine", "Paul", "Paula", "Eric",
            "Erica", "Mark", "Sarah", "Joseph", "Josephine", "Thomas", "Richard", "Linda", "Patricia", "Patrick",
            "Steven", "Stephanie", "Brian", "Kevin", "Jason", "Laura", "Lauren", "Anthony", "Andrew", "Andrea",
            "Joan", "Joanna", "Jean", "Jeanne", "Gary", "Karen", "Nancy", "Susan", "Lisa", "Betty",
            "Matthew", "Emily", "Amanda", "Melissa", "Michelle", "Kimberly", "Jessica", "George", "Edward", "Ronald",
            "Timothy", "Jeffrey", "Ryan", "Jacob", "Nicholas", "Nicole", "Samuel", "Samantha", "Alexander", "Alexandra",
            "Frank", "Frances", "Francis", "Raymond", "Gregory", "Benjamin", "Rachel", "Heather", "Diane", "Julie",
            "Carlos", "Carla", "Luis", "Luisa", "Wei", "Priya", "Raj", "Mei", "Ahmed", "Fatima",
            "Olivia", "Emma", "Sophia", "Noah", "Liam", "Lucas", "Lukas", "Sven", "Ingrid", "Hiroshi",
        };

        /// <summary>Last names, most frequent first.</summary>
        internal static readonly string[] LastNames =
        {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Chen", "Wang", "Kim", "Patel", "Singh", "Kumar", "Mueller", "Schmidt", "Dubois", "Rossi",
            "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
            "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
            "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Cox", "Ward", "Richardson", "Watson",
            "O'Connor", "McDonald", "Van Buren", "Smith-Jones", "Okafor", "Nakamura", "Kowalski", "Andersson", "Ferrari", "Novak",
        };

        private static readonly double[] FirstWeights = Zipf(FirstNames.Length, 0.7);
        private static readonly double[] LastWeights = Zipf(LastNames.Length, 0.6);

        private readonly int _seed;
        private readonly double _duplicateRate;
        private readonly int _companyCount;
        private readonly double[] _companyWeights;
        private readonly long _idBase;
        private readonly List<Person> _people = new List<Person>();
        private readonly List<long> _origins = new List<long>();
        private readonly Dictionary<string, int> _mailboxes = new Dictionary<string, int>(StringComparer.Ordinal);
        private long _next;

        public CrowdedCrm(int seed, long leadCount, double duplicateRate)
        {
            if (leadCount < 0) throw new ArgumentOutOfRangeException(nameof(leadCount));
            if (duplicateRate < 0 || duplicateRate >= 1) throw new ArgumentOutOfRangeException(nameof(duplicateRate), "The duplicate rate is a fraction in [0, 1).");
            _seed = seed;
            _duplicateRate = duplicateRate;
            // About 25 people per company on average; the largest employ a few percent of everyone.
            _companyCount = (int)Math.Max(20, Math.Min(Person.CompanyCount, leadCount / 25));
            _companyWeights = Zipf(_companyCount, 0.8);
            _idBase = (long)((uint)seed % 1_000_000u) * 10_000_000_000L + 7_000_000_000L;
        }

        public string LeadId(long p) => SalesforceIds.Make("00Q", _idBase + p);

        /// <summary>The next lead (call in order from 0); <paramref name="originId"/> is the id of its person's first lead.</summary>
        public CrmRecord NextLead(out string originId)
        {
            var p = _next++;
            var layout = SeededRandom.For(_seed, LayoutStream, p);
            Person person;
            bool copy;
            if (_people.Count > 0 && layout.Chance(_duplicateRate))
            {
                var who = (int)layout.NextLong(_people.Count);
                person = _people[who];
                originId = LeadId(_origins[who]);
                copy = true;
            }
            else
            {
                person = CreatePerson(p);
                _people.Add(person);
                _origins.Add(p);
                originId = LeadId(p);
                copy = false;
            }
            var r = SeededRandom.For(_seed, RenderStream, p);
            var v = PersonView.Render(person, r, copy);
            var created = copy ? person.Created.AddSeconds(r.NextLong(900L * 24 * 3600)) : person.Created;
            var rec = new CrmRecord("Lead", 18);
            rec.Add("Id", LeadId(p));
            rec.Add("FirstName", v.First);
            rec.Add("LastName", v.Last);
            rec.Add("Email", v.Email);
            rec.Add("Phone", v.Phone);
            rec.Add("Company", v.Company);
            rec.Add("Title", v.Title);
            rec.Add("Street", v.Street);
            rec.Add("City", v.City);
            rec.Add("State", v.State);
            rec.Add("PostalCode", v.Postal);
            rec.Add("Country", v.Country);
            rec.Add("LeadSource", Vocabulary.LeadSources[r.PickWeighted(Vocabulary.LeadSourceWeights)]);
            rec.Add("Status", Vocabulary.LeadStatuses[r.PickWeighted(Vocabulary.LeadStatusWeights)]);
            rec.Add("NumberOfEmployees", person.Employees);
            rec.Add("CreatedDate", created.ToString("yyyy-MM-dd'T'HH:mm:ss'.000+0000'", CultureInfo.InvariantCulture));
            rec.Add("OwnerId", SalesforceIds.Make("005", _idBase + person.Owner));
            return rec;
        }

        private Person CreatePerson(long p)
        {
            var r = SeededRandom.For(_seed, PersonStream, p);
            var person = Person.Create(_seed, PersonStream, p);
            var company = Pick(_companyWeights, r);
            var office = SeededRandom.For(_seed, CompanyStream, company);
            // The company's country, office and switchboard (every person of it shares them).
            person.Country = Vocabulary.Countries[office.PickWeighted(Vocabulary.CountryWeights)];
            person.City = office.Pick(person.Country.Cities);
            Person.SetCompany(person, company, _seed);
            var officeNumber = office.Chance(0.7) ? office.Next(1, 3000) : office.Next(3000, 99999);
            var officeStreet = office.Pick(Vocabulary.StreetNames);
            var officeType = office.Pick(Vocabulary.StreetTypes);
            var officePostal = Person.PostalCode(person.Country, person.City, office);
            var switchboard = Person.PhoneDigits(person.Country, office);
            var family = new[] { LastNames[Pick(LastWeights, office)], LastNames[Pick(LastWeights, office)], office.Pick(LastNames) };

            person.First = FirstNames[Pick(FirstWeights, r)];
            person.Last = r.Chance(0.2) ? family[r.Next(family.Length)] : LastNames[Pick(LastWeights, r)];
            person.PhoneArea = person.City.AreaCode;
            person.PhoneLocal = r.Chance(0.3) ? switchboard : Person.PhoneDigits(person.Country, r);
            person.MobileLocal = Person.PhoneDigits(person.Country, r);
            if (r.Chance(0.7))
            {
                person.StreetNumber = officeNumber;
                person.StreetName = officeStreet;
                person.StreetType = officeType;
                person.Suite = null;
                person.Postal = officePostal;
            }
            else
            {
                person.Postal = Person.PostalCode(person.Country, person.City, r);
            }
            // Everyone's own mailbox: a second john.smith at a domain is john.smith2.
            person.WorkEmail = Mailbox(Person.EmailLocal(person.First, person.Last, (int)(SeededRandom.Mix((ulong)company) % 5), r, false), person.CompanyDomain);
            var personal = person.PersonalEmail;
            var at = personal.IndexOf('@');
            person.PersonalEmail = Mailbox(Person.EmailLocal(person.First, person.Last, r.Next(7), r, true), personal.Substring(at + 1));
            return person;
        }

        private string Mailbox(string local, string domain)
        {
            var key = local + "@" + domain;
            if (!_mailboxes.TryGetValue(key, out var n))
            {
                _mailboxes[key] = 1;
                return key;
            }
            _mailboxes[key] = n + 1;
            return local + (n + 1).ToString(CultureInfo.InvariantCulture) + "@" + domain;
        }

        private static double[] Zipf(int n, double s)
        {
            var cumulative = new double[n];
            double total = 0;
            for (var i = 0; i < n; i++)
            {
                total += 1.0 / Math.Pow(i + 1, s);
                cumulative[i] = total;
            }
            for (var i = 0; i < n; i++) cumulative[i] /= total;
            return cumulative;
        }

        private static int Pick(double[] cumulative, SeededRandom r)
        {
            var x = r.NextDouble();
            var i = Array.BinarySearch(cumulative, x);
            if (i < 0) i = ~i;
            return Math.Min(i, cumulative.Length - 1);
        }
    }
}
