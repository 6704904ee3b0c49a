using System;
using System.Globalization;
using System.Text;

namespace LeadTools.DataGen
{
    /// <summary>
    /// One real-world person, clean: the entity behind a lead, a contact or a person account. Records
    /// are renderings of a person (<see cref="PersonView"/>); duplicates are several noisy renderings of
    /// the same person. A person is a pure function of (seed, stream, key), so a duplicate far down a
    /// file regenerates its person instead of remembering it.
    /// </summary>
    internal sealed class Person
    {
        // Company suffix families per country: the first spelling is canonical, the others are how copies write it.
        private static readonly string[][] NanpSuffixes = { new[] { "Inc", "Inc.", ", Inc.", "Incorporated" }, new[] { "LLC", "L.L.C.", ", LLC" }, new[] { "Corp", "Corp.", "Corporation" }, new[] { "Co.", "Company" } };
        private static readonly string[][] GbSuffixes = { new[] { "Ltd", "Ltd.", "Limited" }, new[] { "PLC", "plc" } };
        private static readonly string[][] DeSuffixes = { new[] { "GmbH", "Gmbh", "G.m.b.H." }, new[] { "AG" } };
        private static readonly string[][] FrSuffixes = { new[] { "SA", "S.A." }, new[] { "SARL" } };
        private static readonly string[][] AuSuffixes = { new[] { "Pty Ltd", "Pty. Ltd.", "Pty Limited" } };

        public string First = "";
        public string Last = "";
        public Country Country = Vocabulary.Countries[0];
        public City City = Vocabulary.Countries[0].Cities[0];
        public int CompanyIndex;
        public string CompanyName = "";
        public string[]? CompanySuffixes;
        public bool CompanyHasThe;
        public string CompanyDomain = "";
        public long Employees;
        public string Industry = "";
        public string WorkEmail = "";
        public string PersonalEmail = "";
        public bool UsesWorkEmail;
        public string PhoneArea = "";
        public string PhoneLocal = "";
        public string MobileLocal = "";
        public string[] Titles = Array.Empty<string>();
        public int StreetNumber;
        public string StreetName = "";
        public string[] StreetType = Array.Empty<string>();
        public string? Suite;
        public string Postal = "";
        public DateTime Created;
        public int Owner;

        public string Email => UsesWorkEmail ? WorkEmail : PersonalEmail;

        /// <summary>How many distinct companies people work for.</summary>
        public static readonly int CompanyCount = Vocabulary.CompanyStems.Length * Vocabulary.CompanyNouns.Length * 3;

        /// <summary>A person working for company <paramref name="companyIndex"/> (accounts are companies).</summary>
        public static Person CreateAt(int seed, ulong stream, long key, int companyIndex)
        {
            var p = Create(seed, stream, key);
            SetCompany(p, companyIndex % CompanyCount, seed);
            return p;
        }

        public static Person Create(int seed, ulong stream, long key)
        {
            var r = SeededRandom.For(seed, stream, key);
            var p = new Person();
            p.First = r.Pick(Vocabulary.FirstNames);
            p.Last = r.Pick(Vocabulary.LastNames);
            p.Country = Vocabulary.Countries[r.PickWeighted(Vocabulary.CountryWeights)];
            p.City = r.Pick(p.Country.Cities);
            SetCompany(p, r.Next(CompanyCount), seed);
            p.UsesWorkEmail = r.Chance(0.6);
            p.WorkEmail = EmailLocal(p.First, p.Last, (int)(SeededRandom.Mix((ulong)p.CompanyIndex) % 5), r, false) + "@" + p.CompanyDomain;
            p.PersonalEmail = EmailLocal(p.First, p.Last, r.Next(7), r, true) + "@" + r.Pick(Vocabulary.PersonalDomains);
            p.PhoneArea = p.City.AreaCode;
            p.PhoneLocal = PhoneDigits(p.Country, r);
            p.MobileLocal = PhoneDigits(p.Country, r);
            p.Titles = r.Pick(Vocabulary.TitleGroups).Split('|');
            p.StreetNumber = r.Chance(0.7) ? r.Next(1, 3000) : r.Next(3000, 99999);
            p.StreetName = r.Pick(Vocabulary.StreetNames);
            p.StreetType = r.Pick(Vocabulary.StreetTypes);
            p.Suite = r.Chance(0.25) ? "Suite " + (r.Next(1, 40) * 10) : null;
            p.Postal = PostalCode(p.Country, p.City, r);
            p.Created = new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.NextLong(7L * 365 * 24 * 3600));
            p.Owner = r.Next(40);
            return p;
        }

        internal static void SetCompany(Person p, int index, int seed)
        {
            p.CompanyIndex = index;
            var h = SeededRandom.Mix((ulong)index ^ ((ulong)(uint)seed << 32));
            var stem = Vocabulary.CompanyStems[index % Vocabulary.CompanyStems.Length];
            var noun = Vocabulary.CompanyNouns[(index / Vocabulary.CompanyStems.Length) % Vocabulary.CompanyNouns.Length];
            var variant = index / (Vocabulary.CompanyStems.Length * Vocabulary.CompanyNouns.Length);
            // Variant 0: "Stem Noun"; 1: "Stem" alone with the noun in the domain; 2: "Stem Noun" of a second region.
            p.CompanyName = variant == 1 ? stem : stem + " " + noun;
            var families = p.Country.Code switch
            {
                "GB" => GbSuffixes,
                "DE" => DeSuffixes,
                "FR" => FrSuffixes,
                "AU" => AuSuffixes,
                _ => NanpSuffixes,
            };
            p.CompanySuffixes = (h % 5) == 0 ? null : families[(int)((h >> 8) % (ulong)families.Length)];
            p.CompanyHasThe = (h >> 16) % 25 == 0;
            var tld = p.Country.Code switch
            {
                "GB" => ".co.uk",
                "DE" => ".de",
                "FR" => ".fr",
                "AU" => ".com.au",
                "CA" => ".ca",
                _ => variant == 2 ? ".io" : ".com",
            };
            p.CompanyDomain = Letters(stem + noun) + (variant == 2 ? "hq" : "") + tld;
            p.Employees = new long[] { 5, 12, 25, 50, 120, 250, 500, 1200, 5000, 25000 }[(h >> 24) % 10] + (long)((h >> 40) % 7);
            p.Industry = Vocabulary.Industries[(int)((h >> 32) % (ulong)Vocabulary.Industries.Length)];
        }

        /// <summary>The canonical company name (stem, noun, suffix) the way its own records spell it.</summary>
        public string CanonicalCompany => (CompanyHasThe ? "The " : "") + CompanyName + (CompanySuffixes == null ? "" : Join(CompanyName, CompanySuffixes[0]));

        internal static string Join(string name, string suffix) => suffix.StartsWith(",", StringComparison.Ordinal) ? suffix : " " + suffix;

        internal static string EmailLocal(string first, string last, int pattern, SeededRandom r, bool personal)
        {
            var f = Letters(first);
            var l = Letters(last);
            string local;
            switch (pattern)
            {
                case 0: local = f + "." + l; break;
                case 1: local = f.Substring(0, 1) + l; break;
                case 2: local = f + l; break;
                case 3: local = f + "_" + l; break;
                case 4: local = f + "." + l.Substring(0, 1); break;
                case 5: local = l + "." + f; break;
                default: local = f.Substring(0, 1) + "." + l; break;
            }
            if (personal && r.Chance(0.75))
            {
                local += r.Chance(0.4) ? (r.Next(50, 100)).ToString(CultureInfo.InvariantCulture) : r.Next(1, 10000).ToString(CultureInfo.InvariantCulture);
            }
            return local;
        }

        /// <summary>Lower-case ASCII letters of a name (umlauts folded, punctuation and spaces dropped).</summary>
        internal static string Letters(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var ch in s.ToLowerInvariant())
            {
                switch (ch)
                {
                    case 'ä': sb.Append("ae"); break;
                    case 'ö': sb.Append("oe"); break;
                    case 'ü': sb.Append("ue"); break;
                    case 'ß': sb.Append("ss"); break;
                    case 'é': case 'è': sb.Append('e'); break;
                    default:
                        if (ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9') sb.Append(ch);
                        break;
                }
            }
            return sb.ToString();
        }

        internal static string PhoneDigits(Country c, SeededRandom r)
        {
            if (c.IsNanp)
            {
                // Exchange 2xx-9xx, then four digits.
                return r.Next(2, 10).ToString(CultureInfo.InvariantCulture) + r.Next(0, 100).ToString("00", CultureInfo.InvariantCulture) + r.Next(0, 10000).ToString("0000", CultureInfo.InvariantCulture);
            }
            return r.Next(2, 10).ToString(CultureInfo.InvariantCulture) + r.Next(0, 10000000).ToString("0000000", CultureInfo.InvariantCulture);
        }

        internal static string PostalCode(Country c, City city, SeededRandom r)
        {
            switch (c.Code)
            {
                case "US":
                    return city.PostalPrefix + r.Next(0, 100).ToString("00", CultureInfo.InvariantCulture);
                case "CA":
                    return city.PostalPrefix + " " + r.Next(1, 10).ToString(CultureInfo.InvariantCulture) + (char)('A' + r.Next(26)) + r.Next(1, 10).ToString(CultureInfo.InvariantCulture);
                case "GB":
                    return city.PostalPrefix + " " + r.Next(1, 10).ToString(CultureInfo.InvariantCulture) + (char)('A' + r.Next(26)) + (char)('A' + r.Next(26));
                case "AU":
                    return city.PostalPrefix + r.Next(0, 100).ToString("00", CultureInfo.InvariantCulture);
                default:
                    return city.PostalPrefix + r.Next(0, 100).ToString("00", CultureInfo.InvariantCulture);
            }
        }
    }
}
