using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Matching
{
    public sealed class NormalizerTests
    {
        [Theory]
        [InlineData("  John.Smith@Example.COM ", false, "john.smith@example.com")]
        [InlineData("John.Smith+news@gmail.com", true, "johnsmith@gmail.com")]
        [InlineData("j.smith+x@googlemail.com", true, "jsmith@gmail.com")]
        [InlineData("John.Smith+news@gmail.com", false, "john.smith+news@gmail.com")]
        [InlineData("a.b+c@example.com", true, "a.b+c@example.com")]
        [InlineData("   ", false, "")]
        public void Email(string raw, bool gmail, string expected) => Assert.Equal(expected, Normalizers.Email(raw, gmail));

        [Theory]
        [InlineData("(415) 555-0100", "1", "+14155550100")]
        [InlineData("1-415-555-0100", "1", "+14155550100")]
        [InlineData("+1 415 555 0100 ext. 12", "1", "+14155550100")]
        [InlineData("+44 20 7946 0018", "1", "+442079460018")]
        [InlineData("0044 20 7946 0018", "1", "+442079460018")]
        [InlineData("020 7946 0018", "44", "+442079460018")]
        [InlineData("12", "1", "")]
        [InlineData(null, "1", "")]
        public void Phone(string? raw, string country, string expected) => Assert.Equal(expected, Normalizers.Phone(raw, country));

        [Theory]
        [InlineData("José  Álvarez-O'Brien", "jose alvarez obrien")]
        [InlineData("STRAßE", "strasse")]
        [InlineData("J.", "j")]
        public void Names(string raw, string expected) => Assert.Equal(expected, Normalizers.PersonName(raw));

        [Theory]
        [InlineData("The Acme Company, Inc.", "acme")]
        [InlineData("Müller GmbH", "muller")]
        [InlineData("Globex Corp", "globex")]
        [InlineData("Initech LLC", "initech")]
        [InlineData("Smith & Sons Ltd", "smith and sons")]
        [InlineData("Philips N.V.", "philips n v")]
        [InlineData("Co", "co")]
        public void Company(string raw, string expected) => Assert.Equal(expected, Normalizers.Company(raw));

        [Fact]
        public void StreetAndPostal()
        {
            Assert.Equal(Normalizers.Street("12 North Main Street"), Normalizers.Street("12 N. Main St"));
            Assert.Equal("SW1A1AA", Normalizers.PostalCode("sw1a 1aa"));
            Assert.Equal("94105", Normalizers.PostalCode("94105-1234"));
        }

        [Theory]
        [InlineData("bob", "robert")]
        [InlineData("bill", "william")]
        [InlineData("liz", "elizabeth")]
        [InlineData("jim", "james")]
        [InlineData("peggy", "margaret")]
        [InlineData("zelda", "zelda")]
        public void NicknameTable(string nick, string formal) => Assert.Equal(formal, Nicknames.Canonical(nick));

        [Fact]
        public void NicknameTableIsSizeable() => Assert.True(Nicknames.Count > 300);
    }

    public sealed class ComparatorTests
    {
        [Fact]
        public void JaroWinklerKnownValues()
        {
            Assert.Equal(96.1, Comparators.JaroWinkler("martha", "marhta"), 1);
            Assert.Equal(81.3, Comparators.JaroWinkler("dixon", "dicksonx"), 1);
            Assert.Equal(100, Comparators.JaroWinkler("same", "same"));
            Assert.Equal(0, Comparators.JaroWinkler("", "x"));
        }

        [Fact]
        public void EditDistance()
        {
            Assert.Equal(3, Comparators.DamerauDistance("kitten", "sitting"));
            Assert.Equal(1, Comparators.DamerauDistance("ab", "ba"));
            Assert.Equal(80, Comparators.EditSimilarity("smith", "smiht"), 0);
        }

        [Fact]
        public void SalesforceExamples()
        {
            // Initials: Jonathan vs J
            Assert.Equal(100, Comparators.Initials("jonathan", "j"));
            Assert.Equal(0, Comparators.Initials("jonathan", "k"));
            Assert.True(Comparators.FirstName("jonathan", Normalizers.PersonName("J.")) >= 85);
            // Nicknames
            Assert.Equal(100, Comparators.Nickname("bob", "robert"));
            Assert.True(Comparators.FirstName("bill", "william") >= 85);
            // Company acronyms and suffixes
            Assert.Equal(100, Comparators.Company(Normalizers.Company("IBM"), Normalizers.Company("International Business Machines Corp")));
            Assert.True(Comparators.Company(Normalizers.Company("Acme Inc"), Normalizers.Company("The Acme Corporation")) >= 70);
            // Phone sections: same number, same area, different country formatting
            Assert.Equal(100, Comparators.Phone(Normalizers.Phone("(415) 555-0100"), Normalizers.Phone("+1 415.555.0100")));
            Assert.True(Comparators.Phone("+14155550100", "+16505550100") < 80);
            Assert.True(Comparators.Phone("+14155550100", "+14155550199") < 80);
        }

        [Fact]
        public void DataverseCharacters()
        {
            Assert.Equal(100, Comparators.SameFirst("jonathan", "jonas", 3));
            Assert.Equal(0, Comparators.SameFirst("jonathan", "jim", 3));
            Assert.Equal(100, Comparators.SameLast("+14155550100", "4155550100", 7));
            Assert.Equal(0, Comparators.SameLast("", "", 3));
        }
    }

    public sealed class StrategyTests
    {
        internal static CrmRecord Rec(string type, string id, params (string, object?)[] fields)
        {
            var r = new CrmRecord(type);
            r.Set("Id", id);
            foreach (var (k, v) in fields) r.Set(k, v);
            return r;
        }

        private static MatchResult? M(MatchStrategy s, CrmRecord a, CrmRecord b) => s.Match(s.Normalise(a), s.Normalise(b));

        [Fact]
        public void SalesforceNameAndEmail()
        {
            var s = MatchStrategy.SalesforceStandard();
            var a = Rec("Lead", "00Q1", ("FirstName", "Bob"), ("LastName", "Smith"), ("Email", "BOB@acme.com"));
            var b = Rec("Contact", "0031", ("FirstName", "Robert"), ("LastName", "Smith"), ("Email", "bob@acme.com "));
            Assert.Equal("Name+Email", M(s, a, b)!.Rule);
        }

        [Fact]
        public void SalesforceNeedsBothNamesAndACombination()
        {
            var s = MatchStrategy.SalesforceStandard();
            var a = Rec("Lead", "1", ("FirstName", "Ann"), ("LastName", "Lee"), ("Email", "ann@x.com"));
            Assert.Null(M(s, a, Rec("Lead", "2", ("FirstName", "Tom"), ("LastName", "Lee"), ("Email", "ann@x.com"))));
            Assert.Null(M(s, a, Rec("Lead", "3", ("FirstName", "Ann"), ("LastName", "Lee"), ("Email", "other@x.com"))));
            // blanks don't match: no email and no phone on either side
            Assert.Null(M(s, Rec("Lead", "4", ("FirstName", "Ann"), ("LastName", "Lee")), Rec("Lead", "5", ("FirstName", "Ann"), ("LastName", "Lee"))));
        }

        [Fact]
        public void SalesforceTransposedNames()
        {
            var s = MatchStrategy.SalesforceStandard();
            var a = Rec("Lead", "1", ("FirstName", "Chen"), ("LastName", "Wei"), ("Phone", "415-555-0100"));
            var b = Rec("Lead", "2", ("FirstName", "Wei"), ("LastName", "Chen"), ("Phone", "(415) 555 0100"));
            Assert.Equal("Name+Phone", M(s, a, b)!.Rule);
        }

        [Theory]
        [InlineData("Title", "VP Sales", "Company", "Acme Inc", "Title", "VP Sales", "Company", "ACME", "Name+Title+Company")]
        [InlineData("Street", "1 Main Street", "City", "Springfield", "Street", "1 Main St", "City", "springfield", "Name+Street+City")]
        [InlineData("Street", "1 Main Street", "PostalCode", "12345", "Street", "1 Main St.", "PostalCode", "12345", "Name+Street+PostalCode")]
        [InlineData("Street", "1 Main Street", "Title", "CTO", "Street", "1 Main St", "Title", "cto", "Name+Street+Title")]
        public void SalesforceCombinations(string f1, string v1, string f2, string v2, string g1, string w1, string g2, string w2, string rule)
        {
            var s = MatchStrategy.SalesforceStandard();
            var a = Rec("Lead", "1", ("FirstName", "Jonathan"), ("LastName", "Baker"), (f1, v1), (f2, v2));
            var b = Rec("Contact", "2", ("FirstName", "J"), ("LastName", "Baker"), (g1, w1), (g2, w2));
            Assert.Equal(rule, M(s, a, b)!.Rule);
        }

        [Fact]
        public void FieldNamesFromDataverseAndCsv()
        {
            var s = MatchStrategy.SalesforceStandard();
            var dv = Rec("lead", "a", ("firstname", "Liz"), ("lastname", "Taylor"), ("emailaddress1", "liz@t.com"));
            var csv = Rec(null!, "b", ("first_name", "Elizabeth"), ("surname", "Taylor"), ("email", "LIZ@t.com"));
            Assert.NotNull(M(s, dv, csv));
        }

        [Fact]
        public void DataverseDefaultRules()
        {
            var s = MatchStrategy.DataverseDefault();
            Assert.Equal("EmailAddress", M(s, Rec("lead", "1", ("emailaddress1", "a@b.com")), Rec("lead", "2", ("emailaddress1", "A@B.com")))!.Rule);
            var a = Rec("lead", "3", ("firstname", "Jonathan"), ("lastname", "Ng"), ("telephone1", "555-0100"));
            var b = Rec("lead", "4", ("firstname", "Jonas"), ("lastname", "ng"), ("telephone1", "+1 (650) 555-0100"));
            Assert.Equal("Name+Phone", M(s, a, b)!.Rule);
        }

        [Fact]
        public void ExplainTracesEveryCondition()
        {
            var s = MatchStrategy.EmailExact();
            var trace = new List<ConditionOutcome>();
            var score = s.Evaluate(s.Rules[0], s.Normalise(Rec("Lead", "1", ("Email", "x@y.com"))), s.Normalise(Rec("Lead", "2", ("Email", "z@y.com"))), trace);
            Assert.Null(score);
            Assert.Single(trace);
            Assert.False(trace[0].Passed);
            Assert.Equal("x@y.com", trace[0].ValueA);
        }
    }

    public sealed class DuplicateFinderTests
    {
        private static CrmRecord Rec(string type, string id, params (string, object?)[] f) => StrategyTests.Rec(type, id, f);

        [Fact]
        public void TransitiveClustersWithSurvivor()
        {
            var records = new[]
            {
                Rec("Lead", "00Q3", ("FirstName", "Bob"), ("LastName", "Smith"), ("Email", "bob@acme.com"), ("CreatedDate", "2024-03-01T00:00:00Z")),
                Rec("Lead", "00Q1", ("FirstName", "Robert"), ("LastName", "Smith"), ("Email", "bob@acme.com"), ("Phone", "415 555 0100"), ("CreatedDate", "2023-01-01T00:00:00Z")),
                Rec("Contact", "0032", ("FirstName", "Rob"), ("LastName", "Smith"), ("Phone", "(415) 555-0100")),
                Rec("Lead", "00Q9", ("FirstName", "Alice"), ("LastName", "Jones"), ("Email", "alice@x.com")),
            };
            var finder = new DuplicateFinder(MatchStrategy.SalesforceStandard());
            var groups = finder.Find(records);
            var g = Assert.Single(groups);
            Assert.Equal(new[] { "00Q3", "00Q1", "0032" }, g.Members.Select(m => m.Id));
            Assert.Equal(2, g.Pairs.Count);
            Assert.Equal("00Q1", g.SuggestedSurvivorId);
            Assert.Contains(g.Pairs, p => p.Rule == "Name+Email");
            Assert.Contains(g.Pairs, p => p.Rule == "Name+Phone");
        }

        [Fact]
        public void SameTypeOnlySkipsLeadContactPairs()
        {
            var records = new[]
            {
                Rec("Lead", "1", ("Email", "a@b.com")),
                Rec("Contact", "2", ("Email", "a@b.com")),
            };
            Assert.Single(new DuplicateFinder(MatchStrategy.EmailExact()).Find(records));
            Assert.Empty(new DuplicateFinder(MatchStrategy.EmailExact()) { SameTypeOnly = true }.Find(records));
        }

        [Fact]
        public void OversizedBlocksAreCutAndReported()
        {
            var records = Enumerable.Range(0, 30).Select(i => Rec("Lead", "L" + i.ToString("D3"), ("Email", "same@x.com"))).ToList();
            var finder = new DuplicateFinder(MatchStrategy.EmailExact()) { MaxBlockSize = 10 };
            var g = Assert.Single(finder.Find(records));
            Assert.Equal(10, g.Count);
            Assert.Single(finder.Stats.CutBlocks);
        }

        [Fact]
        public void SurvivorTieBreaks()
        {
            var a = Rec("Lead", "B", ("Email", "x"));
            var b = Rec("Lead", "A", ("Email", "x"));
            var c = Rec("Lead", "C", ("Email", "x"), ("Phone", "1"));
            Assert.Equal("C", DuplicateFinder.SuggestSurvivor(new[] { a, b, c })!.Id);
            Assert.Equal("A", DuplicateFinder.SuggestSurvivor(new[] { a, b })!.Id);
        }
    }
}

namespace LeadTools.Core.Tests.Matching
{
    public sealed class BlockingTests
    {
        [Theory]
        [InlineData("robert", "R163")]
        [InlineData("rupert", "R163")]
        [InlineData("ashcraft", "A261")]
        [InlineData("tymczak", "T522")]
        [InlineData("lee", "L000")]
        [InlineData("", "")]
        public void Soundex(string name, string expected) => Assert.Equal(expected, DuplicateFinder.Soundex(name));
    }
}
