using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Matching
{
    public sealed class StrategyFileTests
    {
        private static MatchStrategy Parse(string json) => MatchStrategyFile.Parse(JObject.Parse(json), "test.json", "test");

        private static CrmRecord Rec(string id, params (string, object?)[] fields) => StrategyTests.Rec("Lead", id, fields);

        [Fact]
        public void A_file_strategy_matches_like_the_rules_it_lists()
        {
            var s = Parse(@"{ ""schemaVersion"": 1, ""name"": ""Mine"", ""gmailRules"": true, ""defaultCountryCode"": 44,
                ""fields"": { ""Email"": ""mail"", ""Phone"": [""mobile"", ""Phone""] },
                ""rules"": [ { ""name"": ""E"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] },
                             { ""name"": ""NP"", ""allowTransposedNames"": true, ""conditions"": [
                                { ""field"": ""FirstName"", ""method"": ""SameFirstCharacters"", ""characters"": 3 },
                                { ""field"": ""LastName"", ""method"": ""Exact"" },
                                { ""field"": ""Phone"", ""method"": ""SameLastCharacters"", ""characters"": 7 } ] } ] }");
            Assert.Equal("Mine", s.Name);
            Assert.True(s.GmailRules);
            Assert.Equal("44", s.DefaultCountryCode);
            var a = s.Normalise(Rec("1", ("mail", "A.Lee+x@gmail.com"), ("FirstName", "Ann")));
            var b = s.Normalise(Rec("2", ("mail", "alee@gmail.com")));
            Assert.Equal("E", s.Match(a, b)!.Rule);
            Assert.Equal("+442079460018", s.Normalise(Rec("3", ("mobile", "020 7946 0018")))[MatchField.Phone]);
            var c = s.Normalise(Rec("4", ("FirstName", "Lee"), ("LastName", "Annabel"), ("Phone", "07946 0018 99")));
            var d = s.Normalise(Rec("5", ("FirstName", "Annabel"), ("LastName", "Lee"), ("mobile", "+44 7946 0018 99")));
            Assert.Equal("NP", s.Match(c, d)!.Rule); // names transposed
        }

        [Theory]
        [InlineData(@"{ ""name"": ""x"" }", "schemaVersion")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] }, { ""name"": ""A"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] } ] }", "rules")]
        [InlineData(@"{ ""schemaVersion"": 1, ""defaultCountryCode"": ""+44"", ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] } ] }", "defaultCountryCode")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"", ""characters"": 3 } ] } ] }", "rules[0].conditions[0].characters")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"" } ] } ] }", "rules[0].conditions[0].method")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [] } ] }", "rules[0].conditions")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""when"": 1, ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] } ] }", "rules[0].when")]
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"", ""matchBlank"": ""yes"" } ] } ] }", "rules[0].conditions[0].matchBlank")]
        public void Errors_name_the_key(string json, string key)
        {
            var ex = Assert.Throws<ConfigurationException>(() => Parse(json));
            Assert.Equal(key, ex.Key);
            Assert.Contains("'" + key + "'", ex.Message);
            Assert.StartsWith("test.json: ", ex.Message);
        }

        [Fact]
        public void A_missing_or_broken_file_is_a_configuration_error()
        {
            Assert.Throws<ConfigurationException>(() => MatchStrategyFile.Load("/no/such/strategy.json"));
            var path = System.IO.Path.GetTempFileName();
            System.IO.File.WriteAllText(path, "{ \"schemaVersion\": 1,\n  \"rules\": [ }");
            var ex = Assert.Throws<ConfigurationException>(() => MatchStrategyFile.Load(path));
            Assert.Contains("line 2", ex.Message);
            System.IO.File.Delete(path);
        }

        [Fact]
        public void Explanation_lists_every_rule_and_condition_and_says_why()
        {
            var s = MatchStrategy.SalesforceStandard();
            var a = s.Normalise(Rec("1", ("FirstName", "Jonathan"), ("LastName", "Meyer"), ("Phone", "(415) 555-0199")));
            var b = s.Normalise(Rec("2", ("FirstName", "J"), ("LastName", "Meyer"), ("Phone", "415.555.0199")));
            var e = new MatchExplanation(s, a, b);
            Assert.True(e.IsMatch);
            Assert.Equal("Name+Phone", e.Rule);
            Assert.Equal(s.Rules.Count, e.Rules.Count);
            Assert.Contains("FirstName 'jonathan' vs 'j' FuzzyFirstName 100 >= 85", e.Reason);
            Assert.False(e.Rules.Single(r => r.Rule == "Name+Email").Matched);
            var c = s.Normalise(Rec("3", ("FirstName", "Ada"), ("LastName", "Lovelace")));
            var no = new MatchExplanation(s, a, c);
            Assert.False(no.IsMatch);
            Assert.StartsWith("No match", no.Reason);
            Assert.Contains("Phone blank", no.Reason);
        }

        [Fact]
        public void Cached_scores_give_the_same_result_as_rule_by_rule_evaluation()
        {
            var s = MatchStrategy.SalesforceStandard();
            var records = new[]
            {
                Rec("1", ("FirstName", "Robert"), ("LastName", "Smith"), ("Email", "bob@x.com"), ("Title", "CTO"), ("Company", "Acme")),
                Rec("2", ("FirstName", "Smith"), ("LastName", "Bob"), ("Email", "BOB@x.com")),
                Rec("3", ("FirstName", "Rob"), ("LastName", "Smyth"), ("Title", "CTO"), ("Company", "ACME Inc")),
                Rec("4", ("FirstName", "Roberta"), ("LastName", "Smith"), ("Street", "1 Main Street"), ("City", "Leeds")),
                Rec("5", ("FirstName", "Robert"), ("LastName", "Smith"), ("Street", "1 Main St"), ("City", "leeds")),
            }.Select(s.Normalise).ToList();
            foreach (var a in records)
            {
                foreach (var b in records)
                {
                    var byRule = s.Rules.Select(r => (r.Name, Score: s.Evaluate(r, a, b, null))).Where(x => x.Score.HasValue).OrderByDescending(x => x.Score).FirstOrDefault();
                    var fast = s.Match(a, b);
                    Assert.Equal(byRule.Name, fast?.Rule);
                    if (fast != null) Assert.Equal(byRule.Score!.Value, fast.Score, 6);
                }
            }
        }

        [Fact]
        public void Name_blocks_are_split_by_a_field_every_remaining_rule_needs()
        {
            var s = MatchStrategy.SalesforceStandard();
            var finder = new DuplicateFinder(s);
            var keys = finder.BlockKeys(s.Normalise(Rec("1", ("FirstName", "Bob"), ("LastName", "Smith"), ("Street", "12 High Street"), ("Company", "Acme"), ("Title", "CEO")))).ToList();
            Assert.Contains("N:smit|r#0:12 ", keys);
            Assert.Contains("N:smit|r#1:c:a", keys);
            Assert.DoesNotContain("N:smit|r", keys);
            // A record with neither street nor company can only match through email or phone: no name block at all.
            Assert.DoesNotContain(finder.BlockKeys(s.Normalise(Rec("2", ("FirstName", "Bob"), ("LastName", "Smith"), ("Email", "b@x.com")))), k => k.StartsWith("N:"));
            // PersonRecords has a rule with names and an edit-distance birth date only partly keyed: plain name blocks.
            var p = MatchStrategy.PersonRecords();
            Assert.Contains("N:smit|r", new DuplicateFinder(p).BlockKeys(p.Normalise(Rec("3", ("FirstName", "Bob"), ("LastName", "Smith")))));
        }

        [Fact]
        public void Trimmed_records_keep_the_id_the_matched_fields_and_the_creation_date()
        {
            var s = MatchStrategy.EmailExact();
            var records = new List<CrmRecord>
            {
                Rec("00Q1", ("Email", "a@x.com"), ("Notes", "long text"), ("CreatedDate", "2024-02-01T00:00:00Z"), ("Extra", "1")),
                Rec("00Q2", ("Email", "A@x.com"), ("CreatedDate", "2024-01-01T00:00:00Z")),
            };
            var full = new DuplicateFinder(s).Find(records).Single();
            var trimmed = new DuplicateFinder(s) { RetainRecords = false }.Find(records).Single();
            Assert.Equal(full.SuggestedSurvivorId, trimmed.SuggestedSurvivorId);
            Assert.Equal("00Q2", trimmed.SuggestedSurvivorId);
            Assert.Equal(new[] { "Id", "Email", "CreatedDate" }, trimmed.Members[0].Names.ToArray());
            Assert.Equal(new[] { 0, 1 }, trimmed.MemberIndexes.ToArray());
        }
    }
}
