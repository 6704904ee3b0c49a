using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;
using Newtonsoft.Json.Linq;
using static LeadTools.Core.Tests.Funnel.FunnelTestKit;

namespace LeadTools.Core.Tests.Funnel
{
    public class FunnelConfigAndIntegrityTests
    {
        [Fact]
        public void TheBuiltInExampleIsValid()
        {
            var c = FunnelConfig.Example();
            Assert.True(c.Status("Lead", "Working")!.Active);
            Assert.False(c.Status("Contact", "Nurture")!.Active);
            Assert.Equal("Working", c.StatusForResponse("Contact", "Working")!.Value);
            Assert.Equal("Resolved - Merged", c.ResolvedMerged);
        }

        [Theory]
        [InlineData("leadStatuses[1].active", "leadStatuses[1].active")]
        [InlineData("unknownSetting", "'unknownSetting': is not a setting")]
        [InlineData("badOverride", "'leadConversionStatusOverrides.Nurture': must name one of the contactStatuses")]
        [InlineData("activeOverride", "'leadConversionStatusOverrides.Working': 'Working' is an active lead status")]
        [InlineData("missingResolution", "'resolution.merged': is missing")]
        [InlineData("unknownCswo", "'contactStatusWhenConvertedWithOpportunity': 'Won' is not one of the contactStatuses")]
        [InlineData("badEnum", "'additionalResponse': must be one of Never, Always, ResponsePromptOnly")]
        [InlineData("duplicate", "'leadStatuses[1].value': 'open - not contacted' is listed twice")]
        [InlineData("badField", "'fields.responseStatus': must be a field API name")]
        public void ValidationErrorsNameTheKey(string breakage, string expected)
        {
            var json = JObject.Parse(FunnelConfig.ExampleJson);
            switch (breakage)
            {
                case "leadStatuses[1].active": ((JObject)json["leadStatuses"]![1]!).Remove("active"); break;
                case "unknownSetting": json["unknownSetting"] = 1; break;
                case "badOverride": json["leadConversionStatusOverrides"]!["Nurture"] = "Sleeping"; break;
                case "activeOverride": json["leadConversionStatusOverrides"]!["Working"] = "Nurture"; break;
                case "missingResolution": json["resolution"]!["merged"] = ""; break;
                case "unknownCswo": json["contactStatusWhenConvertedWithOpportunity"] = "Won"; break;
                case "badEnum": json["additionalResponse"] = "Sometimes"; break;
                case "duplicate": json["leadStatuses"]![1]!["value"] = "open - not contacted"; break;
                case "badField": json["fields"]!["responseStatus"] = "Response Status"; break;
            }
            var path = Path.Combine(TestData.Scratch(), "funnel.json");
            File.WriteAllText(path, json.ToString());
            var ex = Assert.Throws<ConfigurationException>(() => FunnelConfig.Load(path));
            Assert.Contains(expected, ex.Message);
            Assert.Contains("funnel.json", ex.Message);
        }

        [Fact]
        public void ActiveResponseAndOpportunityActiveResponses()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Working");
            kit.Opportunity("006A").Opportunity("006B", closed: true);
            kit.Member("CM1", c, "701A", "Working", "2026-01-01T00:00:00Z");
            kit.Member("CM2", c, "701B", "Working", "2025-01-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM3", c, "701C", "Working", "2024-01-01T00:00:00Z", opportunity: "006B");
            var p = kit.Analyzer.Analyze(c, kit.Members);
            Assert.Equal("CM1", p.ActiveResponse!.Id);
            Assert.Equal("CM2", Assert.Single(p.OpportunityActiveResponses).Id);
            Assert.Empty(p.Violations);
        }

        [Fact]
        public void IntegrityReportsEveryViolation()
        {
            var kit = new FunnelTestKit();
            var twice = Lead("L1", "Working");
            var noResponse = Lead("L2", "Working");
            var mismatch = Lead("L3", "Working");
            var inactive = Lead("L4", "Nurture");
            var unknown = Lead("L5", "Sleeping");
            kit.Member("CM1", twice, "701A", "Working", "2026-01-01T00:00:00Z").Member("CM2", twice, "701B", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM3", mismatch, "701A", "Attempting Contact", "2026-01-01T00:00:00Z");
            kit.Member("CM4", inactive, "701A", "Marketing Qualified", "2026-01-01T00:00:00Z");
            var people = kit.Analyzer.AnalyzeAll(new[] { twice, noResponse, mismatch, inactive, unknown }, kit.Members).ToList();
            Assert.Equal(new[] { "MultipleActiveResponses" }, people[0].Violations.Select(v => v.Kind).ToArray());
            Assert.Equal(new[] { "ActiveStatusWithoutResponse" }, people[1].Violations.Select(v => v.Kind).ToArray());
            Assert.Equal(new[] { "ResponseStatusMismatch" }, people[2].Violations.Select(v => v.Kind).ToArray());
            Assert.Equal(new[] { "ActiveResponseOnInactiveRecord" }, people[3].Violations.Select(v => v.Kind).ToArray());
            Assert.Equal(new[] { "UnknownStatus" }, people[4].Violations.Select(v => v.Kind).ToArray());
            Assert.Equal("CM1", people[0].ActiveResponse!.Id); // the oldest
        }

        [Fact]
        public void PassiveModeAllowsActiveStatusWithoutResponse()
        {
            var kit = new FunnelTestKit(j => j["passive"]!["users"] = new JArray("005PASSIVE"));
            var lead = Lead("L1", "Working");
            lead.Add("OwnerId", "005PASSIVE");
            Assert.Empty(kit.Analyzer.Analyze(lead, kit.Members).Violations);
        }
    }
}
