using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Matching
{
    /// <summary>
    /// Seed 004: "A given contact might have several leads associated with it, each representing a different level of
    /// interest in a different product or offer." Strategies may therefore compare any field (a topic, a product
    /// lookup), not only the ten built-in ones.
    /// </summary>
    public sealed class CustomFieldStrategyTests
    {
        private static MatchStrategy Parse(string json) => MatchStrategyFile.Parse(JObject.Parse(json), "test.json", "test");

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => StrategyTests.Rec(type, id, fields);

        internal const string EmailAndTopic = @"{ ""schemaVersion"": 1, ""name"": ""EmailAndTopic"",
            ""fields"": { ""Topic"": [""subject"", ""Product_Interest__c""] },
            ""rules"": [ { ""name"": ""Email+Topic"", ""conditions"": [
                { ""field"": ""Email"", ""method"": ""Exact"" },
                { ""field"": ""Topic"", ""method"": ""Exact"" } ] } ] }";

        [Fact]
        public void Seed004_several_leads_per_contact_one_per_product_a_topic_field_keeps_them_apart()
        {
            // "each representing a different level of interest in a different product or offer"
            var s = Parse(EmailAndTopic);
            Assert.Equal(new[] { "Topic" }, s.CustomFields.ToArray());
            var productA = s.Normalise(Rec("lead", "a", ("emailaddress1", "ann@contoso.com"), ("subject", "Product A")));
            var productB = s.Normalise(Rec("lead", "b", ("emailaddress1", "ANN@contoso.com"), ("subject", "Product B")));
            var productAagain = s.Normalise(Rec("lead", "c", ("emailaddress1", "ann@contoso.com"), ("Product_Interest__c", "product  a")));
            Assert.Null(s.Match(productA, productB));
            Assert.Equal("Email+Topic", s.Match(productA, productAagain)!.Rule);

            // A blank topic never matches (as every blank value): a lead without a topic is not taken for a product's lead.
            var noTopic = s.Normalise(Rec("lead", "d", ("emailaddress1", "ann@contoso.com")));
            Assert.Null(s.Match(productA, noTopic));

            // Explanations name the custom field, not a slot number.
            var e = new MatchExplanation(s, productA, productB);
            Assert.Contains("Topic 'product a' vs 'product b'", e.Reason);
            Assert.Contains(e.Values, v => e.FieldName(v.Key) == "Topic" && v.Value.A == "product a");
        }

        [Fact]
        public void Custom_fields_work_programmatically_and_read_the_field_of_their_own_name_by_default()
        {
            var s = new MatchStrategy("x", new[]
            {
                new MatchRule("Email+Offer", new[] { new MatchCondition("Email", MatchMethod.Exact), new MatchCondition("offer_code", MatchMethod.Exact) }),
            });
            Assert.Equal(MatchField.Email, s.Rules[0].Conditions[0].Field);
            Assert.True(s.Rules[0].Conditions[1].IsCustomField);
            Assert.Equal("offer_code", s.FieldName(s.Rules[0].Conditions[1].Field));
            var a = s.Normalise(Rec("Lead", "1", ("Email", "x@y.com"), ("offer_code", "SPRING-24")));
            var b = s.Normalise(Rec("Lead", "2", ("Email", "x@y.com"), ("OFFER_CODE", "spring 24")));
            var c = s.Normalise(Rec("Lead", "3", ("Email", "x@y.com"), ("offer_code", "AUTUMN-24")));
            Assert.NotNull(s.Match(a, b));
            Assert.Null(s.Match(a, c));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Find_duplicates_groups_per_product_with_a_custom_field(bool retainRecords)
        {
            var s = Parse(EmailAndTopic);
            var records = new List<CrmRecord>
            {
                Rec("lead", "a1", ("emailaddress1", "ann@contoso.com"), ("subject", "Product A")),
                Rec("lead", "b1", ("emailaddress1", "ann@contoso.com"), ("subject", "Product B")),
                Rec("lead", "a2", ("emailaddress1", "ann@contoso.com"), ("subject", "product a")),
                Rec("lead", "b2", ("emailaddress1", "bo@contoso.com"), ("subject", "Product B")),
            };
            var groups = new DuplicateFinder(s) { RetainRecords = retainRecords }.Find(records);
            var g = Assert.Single(groups);
            Assert.Equal(new[] { "a1", "a2" }, g.Members.Select(m => m.Id).OrderBy(x => x).ToArray());
        }

        [Theory]
        // A condition on a name that is neither built in nor declared (a misspelt "Emial" would otherwise read a field that does not exist).
        [InlineData(@"{ ""schemaVersion"": 1, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" }, { ""field"": ""Emial"", ""method"": ""Exact"" } ] } ] }", "rules[0].conditions[1].field")]
        // Declared but compared by no rule.
        [InlineData(@"{ ""schemaVersion"": 1, ""fields"": { ""Topic"": ""subject"" }, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] } ] }", "fields.Topic")]
        // A built-in name in another case is not a custom field.
        [InlineData(@"{ ""schemaVersion"": 1, ""fields"": { ""email"": ""mail"" }, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] } ] }", "fields.email")]
        // Only custom fields: nothing to find candidates by.
        [InlineData(@"{ ""schemaVersion"": 1, ""fields"": { ""Topic"": ""subject"" }, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Topic"", ""method"": ""Exact"" } ] } ] }", "rules[0].conditions")]
        // Empty record field name list.
        [InlineData(@"{ ""schemaVersion"": 1, ""fields"": { ""Topic"": [] }, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" }, { ""field"": ""Topic"", ""method"": ""Exact"" } ] } ] }", "fields.Topic")]
        [InlineData(@"{ ""schemaVersion"": 1, ""fields"": { ""Topic"": ""subject"", ""topic"": ""x"" }, ""rules"": [ { ""name"": ""a"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" }, { ""field"": ""Topic"", ""method"": ""Exact"" } ] } ] }", "fields.topic")]
        public void Custom_field_mistakes_name_the_key(string json, string key)
        {
            var ex = Assert.Throws<ConfigurationException>(() => Parse(json));
            Assert.Equal(key, ex.Key);
            Assert.StartsWith("test.json: '" + key + "'", ex.Message);
        }

        [Fact]
        public void Built_in_strategies_have_no_custom_fields()
        {
            foreach (var name in MatchStrategy.BuiltInNames)
            {
                var s = MatchStrategy.BuiltIn(name)!;
                Assert.Empty(s.CustomFields);
                Assert.Equal(MatchStrategy.FieldCount, s.ValueCount);
            }
        }
    }
}
