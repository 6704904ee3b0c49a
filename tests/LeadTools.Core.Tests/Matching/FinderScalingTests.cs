using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Matching
{
    /// <summary>
    /// The duplicate finder's scaling machinery (hashed block keys, cached field positions per record shape, trimmed
    /// records, blocks compared on several threads) must give exactly what the plain route gives.
    /// </summary>
    public sealed class FinderScalingTests
    {
        private static CrmRecord Rec(string type, string id, params (string, object?)[] f) => StrategyTests.Rec(type, id, f);

        private static readonly string[] Firsts = { "Bob", "Robert", "Ann", "Anne", "Jon", "John", "Liz", "Elizabeth", "Wei", "Chen", "J", "" };
        private static readonly string[] Lasts = { "Smith", "Smyth", "Lee", "Leigh", "Baker", "Chen", "Wei", "O'Brien", "" };

        /// <summary>Seeded records with near-duplicates, blanks, transposed names and two field shapes (Salesforce and CSV names).</summary>
        internal static List<CrmRecord> Noisy(int count, int seed)
        {
            var random = new Random(seed);
            var list = new List<CrmRecord>();
            for (var i = 0; i < count; i++)
            {
                var first = Firsts[random.Next(Firsts.Length)];
                var last = Lasts[random.Next(Lasts.Length)];
                var email = random.Next(3) == 0 ? string.Empty : (first + "." + last + "@" + (random.Next(2) == 0 ? "acme.com" : "Globex.com")).ToLowerInvariant();
                var phone = random.Next(3) == 0 ? null : "+1415555" + random.Next(100, 130).ToString("D4");
                var company = random.Next(4) == 0 ? null : new[] { "Acme Inc", "ACME", "Globex Corp", "Initech" }[random.Next(4)];
                var street = random.Next(3) == 0 ? null : random.Next(1, 6) + " Main Street";
                if (random.Next(2) == 0)
                {
                    list.Add(Rec(random.Next(5) == 0 ? "Contact" : "Lead", "R" + i.ToString("D4"), ("FirstName", first), ("LastName", last), ("Email", email), ("Phone", phone),
                        ("Company", company), ("Title", random.Next(2) == 0 ? "CTO" : "VP Sales"), ("Street", street), ("City", "Springfield"), ("PostalCode", "12345"),
                        ("CreatedDate", "2024-01-" + (1 + random.Next(28)).ToString("D2") + "T00:00:00Z")));
                }
                else
                {
                    // A second shape: CSV names, another order, a missing field and no id.
                    var r = new CrmRecord("Lead");
                    r.Set("email", email);
                    r.Set("surname", last);
                    r.Set("first_name", first);
                    r.Set("phone_number", phone);
                    r.Set("address", street);
                    list.Add(r);
                }
            }
            return list;
        }

        private static string Describe(IEnumerable<DuplicateGroup> groups) => string.Join("\n", groups.Select(g =>
            string.Join(",", g.MemberIndexes) + " survivor " + g.SuggestedSurvivorId + " pairs " + string.Join(" ", g.Pairs.Select(p => p.A + "-" + p.B + ":" + p.Score + ":" + p.Rule))));

        public static IEnumerable<object[]> Strategies() => MatchStrategy.BuiltInNames.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Strategies))]
        public void HashedBlockKeysEqualTheHashesOfTheKeyStrings(string strategyName)
        {
            var strategy = MatchStrategy.BuiltIn(strategyName)!;
            var sites = MatchStrategyFile.Load(System.IO.Path.Combine(TestData.RepoRoot, "docs", "strategies", "sites.json"));
            var checkedKeys = 0;
            foreach (var s in new[] { strategy, sites })
            {
                var finder = new DuplicateFinder(s);
                foreach (var r in Noisy(300, 7))
                {
                    var key = s.Normalise(r);
                    var fromStrings = finder.BlockKeys(key).Select(Fnv).ToList();
                    Assert.Equal(fromStrings, finder.BlockHashes(key));
                    checkedKeys += fromStrings.Count;
                }
            }
            Assert.True(checkedKeys > 300, "too few block keys to prove anything: " + checkedKeys);
        }

        // The documented key hash (64-bit FNV-1a over the key's characters).
        private static long Fnv(string s)
        {
            var h = 14695981039346656037UL;
            foreach (var c in s) h = (h ^ c) * 1099511628211UL;
            return unchecked((long)h);
        }

        [Theory]
        [InlineData("SalesforceStandard")]
        [InlineData("PersonRecords")]
        [InlineData("DataverseDefault")]
        public void OneThreadAndSeveralThreadsFindTheSameGroupsAndPairs(string strategyName)
        {
            var records = Noisy(1500, 11);
            var one = new DuplicateFinder(MatchStrategy.BuiltIn(strategyName)!) { CompareThreads = 1 }.Find(records);
            var four = new DuplicateFinder(MatchStrategy.BuiltIn(strategyName)!) { CompareThreads = 4, StaticChunksForTests = true }.Find(records);
            Assert.NotEmpty(one);
            Assert.Equal(Describe(one), Describe(four));
        }

        [Fact]
        public void TrimmedRecordsKeepIdMatchedFieldsAndCreationDateAndGiveTheSameGroups()
        {
            var records = Noisy(800, 3);
            var whole = new DuplicateFinder(MatchStrategy.SalesforceStandard()).Find(records);
            var trimmedFinder = new DuplicateFinder(MatchStrategy.SalesforceStandard()) { RetainRecords = false };
            var trimmed = trimmedFinder.Find(records);
            Assert.Equal(Describe(whole), Describe(trimmed));

            var withId = trimmed.SelectMany(g => g.Members).First(m => m.Id != null);
            Assert.NotNull(withId.GetString("CreatedDate"));
            Assert.False(withId.Has("OwnerId"));
            Assert.Equal(new[] { "Id", "FirstName", "LastName", "Email", "Phone", "Company", "Title", "Street", "City", "PostalCode", "CreatedDate" }.OrderBy(n => n),
                withId.Names.OrderBy(n => n));
            var original = records[whole.SelectMany(g => g.MemberIndexes).First(i => records[i].Id == withId.Id)];
            Assert.Equal(original.GetString("Email"), withId.GetString("Email"));
            Assert.Equal(original.SourceRecordNumber, withId.SourceRecordNumber);

            var csvShaped = trimmed.SelectMany(g => g.Members).FirstOrDefault(m => m.Id == null);
            Assert.NotNull(csvShaped);
            Assert.True(csvShaped!.Has("surname"));
            Assert.False(csvShaped.Has("Id"));
        }

        [Fact]
        public void FieldsFoundByPositionFollowTheRecordsShape()
        {
            // Same names in another order, and a blank first candidate (Email) with a later one filled (email_address):
            // positions cached for one shape must not be used for the other.
            var s = MatchStrategy.EmailExact();
            var a = new CrmRecord("Lead");
            a.Set("Email", "x@y.com");
            a.Set("Other", "1");
            var b = new CrmRecord("Lead");
            b.Set("Other", "x@y.com");
            b.Set("Email", "z@y.com");
            var c = new CrmRecord("Lead");
            c.Set("Email", " ");
            c.Set("email_address", "X@Y.com");
            var groups = new DuplicateFinder(s) { RetainRecords = false }.Find(new[] { a, b, c });
            var g = Assert.Single(groups);
            Assert.Equal(new[] { 0, 2 }, g.MemberIndexes);
        }

        [Theory]
        [MemberData(nameof(Strategies))]
        public void CachedNormalisingGivesTheSameValues(string strategyName)
        {
            var s = MatchStrategy.BuiltIn(strategyName)!;
            var cache = new MatchStrategy.NormaliseCache();
            var records = Noisy(400, 9);
            records.Add(Rec("Lead", "X1", ("FirstName", "  JOSÉ "), ("LastName", "O'Brien-Smith"), ("Company", "The Acme Company, Inc."), ("Title", "VP, Sales"), ("City", "St. Louis"), ("PostalCode", "94105-1234")));
            for (var pass = 0; pass < 2; pass++) // the second pass reads every repeated value from the cache
            {
                foreach (var r in records)
                {
                    var expected = s.Normalise(r);
                    var actual = s.NormaliseAt(r, s.PositionsIn(r), cache);
                    foreach (MatchField f in Enum.GetValues(typeof(MatchField))) Assert.Equal(expected[f], actual[(int)f]);
                }
            }
        }

        [Fact]
        public void StageTimesAreReportedInOrder()
        {
            var finder = new DuplicateFinder(MatchStrategy.SalesforceStandard());
            finder.Find(Noisy(200, 5));
            Assert.Equal(new[] { "read+normalise+index", "sort blocks", "compare", "groups" }, finder.Stats.Stages.Select(s => s.Key));
            Assert.All(finder.Stats.Stages, s => Assert.True(s.Value >= TimeSpan.Zero));
        }

        [Fact]
        public void AlreadyNormalisedPhonesAreKeptAsTheyAre()
        {
            var phone = "+14155550100";
            Assert.Same(phone, Normalizers.Phone(phone));
            Assert.Equal("+14155550100", Normalizers.Phone("+1 415 555 0100"));
            Assert.Equal("+1234", Normalizers.Phone("+1234"));
            Assert.Equal(string.Empty, Normalizers.Phone("+123"));
        }
    }

    /// <summary>Organisation blocks: company-name prefix and street (+ postal code) keys for rules without person names.</summary>
    public sealed class OrganisationBlockingTests
    {
        private static MatchStrategy Sites(bool withPostal = false)
        {
            var conditions = new List<MatchCondition>
            {
                new MatchCondition(MatchField.Company, MatchMethod.JaroWinkler, 85),
                new MatchCondition(MatchField.Street, MatchMethod.JaroWinkler, 85),
            };
            if (withPostal) conditions.Add(new MatchCondition(MatchField.PostalCode, MatchMethod.Exact));
            return new MatchStrategy("Sites", new[] { new MatchRule("Name+Address", conditions) });
        }

        private static CrmRecord Site(string id, string company, string street, string? postal = null, string? phone = null)
        {
            var r = new CrmRecord("Account");
            r.Set("Id", id);
            r.Set("Company", company);
            r.Set("Street", street);
            if (postal != null) r.Set("PostalCode", postal);
            if (phone != null) r.Set("Phone", phone);
            return r;
        }

        [Fact]
        public void CompanyAndStreetKeysForARuleWithoutNames()
        {
            var s = Sites();
            var keys = new DuplicateFinder(s).BlockKeys(s.Normalise(Site("1", "The Precious Little Ones Inc", "221 E. 51st Street"))).ToList();
            Assert.Contains("C:preci", keys);
            Assert.Contains("A:221 e ", keys);
        }

        [Fact]
        public void StreetKeyCarriesThePostalCodeWhenTheRuleNeedsIt()
        {
            var s = Sites(withPostal: true);
            var finder = new DuplicateFinder(s);
            Assert.Contains("A:221 e |60615", finder.BlockKeys(s.Normalise(Site("1", "Precious", "221 E. 51st St", "60615"))));
            Assert.DoesNotContain(finder.BlockKeys(s.Normalise(Site("2", "Precious", "221 E. 51st St"))), k => k.StartsWith("A:", StringComparison.Ordinal));
        }

        [Fact]
        public void PersonStrategiesGetNoOrganisationKeys()
        {
            var s = MatchStrategy.SalesforceStandard();
            var r = Site("1", "Acme", "1 Main Street");
            r.Set("FirstName", "Ann");
            r.Set("LastName", "Lee");
            Assert.DoesNotContain(new DuplicateFinder(s).BlockKeys(s.Normalise(r)), k => k.StartsWith("C:", StringComparison.Ordinal) || k.StartsWith("A:", StringComparison.Ordinal));
        }

        [Fact]
        public void SitesWithoutAPhoneAreFoundThroughTheirNameAndAddress()
        {
            // No phone, email or person name: before organisation blocks these two were never compared.
            var records = new[]
            {
                Site("1", "Precious Little One's Learning Center, Inc.", "221 E. 51st St."),
                Site("2", "Precious Little Ones Learning Center", "221 E 51st Street"),
                Site("3", "Chicago Commons Association", "27 Washington"),
            };
            var g = Assert.Single(new DuplicateFinder(Sites()).Find(records));
            Assert.Equal(new[] { "1", "2" }, g.Members.Select(m => m.Id));
            Assert.Equal("Name+Address", g.Pairs[0].Rule);
        }
    }

    /// <summary>PersonRecords' email rules: the same email with a second piece of identity, for records with blank names.</summary>
    public sealed class PersonRecordsEmailRuleTests
    {
        private static CrmRecord P(string first, string last, string dob, string email)
        {
            var r = new CrmRecord("Lead");
            r.Set("first_name", first);
            r.Set("surname", last);
            r.Set("dob", dob);
            r.Set("email", email);
            return r;
        }

        private static MatchResult? M(CrmRecord a, CrmRecord b)
        {
            var s = MatchStrategy.PersonRecords();
            return s.Match(s.Normalise(a), s.Normalise(b));
        }

        [Fact]
        public void SameEmailAndFirstNameWithTheLastNameBlank()
        {
            var m = M(P("Oscar", "", "2026-01-08", "omoore64@randall.com"), P("Oscar", "Moore", "2016-01-12", "omoore64@randall.com"));
            Assert.Equal("Email+FirstName", m!.Rule);
        }

        [Fact]
        public void SameEmailAndFirstNameByNickname()
        {
            Assert.NotNull(M(P("Bob", "", "", "bob@x.com"), P("Robert", "", "", "bob@x.com")));
        }

        [Fact]
        public void SameEmailAndABirthDateOneTypoAwayWithNamesBlank()
        {
            var m = M(P("", "", "2005-08-20", "maisie.walsh@hodge.com"), P("Maisie", "Walsh", "2005-08-26", "maisie.walsh@hodge.com"));
            Assert.Equal("Email+BirthDate", m!.Rule);
        }

        [Fact]
        public void SameEmailAloneIsNotEnough()
        {
            // A shared mailbox (a family, an office): different first names and birth dates far apart.
            Assert.Null(M(P("Ann", "", "1970-01-01", "family@x.com"), P("Tom", "", "1999-12-31", "family@x.com")));
            Assert.Null(M(P("", "", "", "family@x.com"), P("", "", "", "family@x.com")));
        }

        [Fact]
        public void BirthDateAllowsTwoTypedDigitsNotThree()
        {
            // 1971-06-24 vs 1979-03-24: two digits differ (edit similarity 80 on "1971 06 24"), still within 75;
            // three digits differ (70) is not.
            Assert.NotNull(M(P("", "", "1971-06-24", "a@b.com"), P("", "", "1979-03-24", "a@b.com")));
            Assert.Null(M(P("", "", "1971-06-24", "a@b.com"), P("", "", "1989-03-24", "a@b.com")));
        }
    }
}
