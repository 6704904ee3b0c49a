using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Funnel;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Merge
{
    public class MergePlanTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        [Fact]
        public void LargeGroupsSplitIntoMasterPlusTwoWithTheWinningValuesOnTheFirst()
        {
            var rules = new MergeRules();
            rules.FieldRules["Phone"] = FieldRule.FillBlanks;
            var group = new MergeGroup(new[]
            {
                Rec("Lead", "00Q1", ("CreatedDate", "2020-01-01"), ("Phone", null)),
                Rec("Lead", "00Q2", ("CreatedDate", "2021-01-01"), ("Phone", "555")),
                Rec("Lead", "00Q3", ("CreatedDate", "2022-01-01")),
                Rec("Lead", "00Q4", ("CreatedDate", "2023-01-01")),
                Rec("Lead", "00Q5", ("CreatedDate", "2024-01-01")),
            }, groupId: "g");
            var plan = MergePlan.Build(new[] { group }, new MergeOptions { Rules = rules }, null, 90, "Nurture", Now);
            Assert.Equal(2, plan.Requests.Count);
            Assert.All(plan.Requests, r => Assert.Equal("00Q1", r.MasterId));
            Assert.Equal(new[] { "00Q2", "00Q3" }, plan.Requests[0].MergeIds);
            Assert.Equal(new[] { "00Q4", "00Q5" }, plan.Requests[1].MergeIds);
            Assert.Equal("555", plan.Requests[0].MasterFields["Phone"]);
            Assert.Empty(plan.Requests[1].MasterFields);
        }

        [Fact]
        public void AtMost200RequestsPerCallAndConversionsAfter()
        {
            var groups = Enumerable.Range(0, 250).Select(i => new MergeGroup(new[] { Rec("Lead", $"L{i}a"), Rec("Lead", $"L{i}b") })).ToList();
            groups.Add(new MergeGroup(new[] { Rec("Contact", "C1"), Rec("Lead", "X1"), Rec("Lead", "X2") }, groupId: "conv"));
            var plan = MergePlan.Build(groups, new MergeOptions(), null, 90, "Nurture", Now);
            Assert.Equal(252, plan.Requests.Count);
            Assert.Equal(200, plan.Requests.Count(r => r.Batch == 1));
            Assert.Equal(50, plan.Requests.Count(r => r.Batch == 2));
            var conversions = plan.Requests.Where(r => r.Kind == "ConvertLead").ToList();
            Assert.Equal(2, conversions.Count);
            Assert.All(conversions, c => Assert.Equal(3, c.Batch));
            Assert.Equal(plan.Requests.Count - 2, plan.Requests.FindIndex(r => r.Kind == "ConvertLead")); // same-type merges first
        }

        [Fact]
        public void StaleActiveStatusesAreListedToDeactivateFirst()
        {
            var group = new MergeGroup(new[]
            {
                Rec("Lead", "00Q1", ("Status", "Working"), ("LastModifiedDate", "2025-01-01T00:00:00Z")),
                Rec("Lead", "00Q2", ("Status", "Working"), ("LastModifiedDate", "2026-11-01T00:00:00Z")),
                Rec("Lead", "00Q3", ("Status", "Nurture"), ("LastModifiedDate", "2020-01-01T00:00:00Z")),
            });
            var plan = MergePlan.Build(new[] { group }, new MergeOptions(), FunnelConfig.Example(), 90, "Nurture", Now);
            var stale = Assert.Single(plan.Stale);
            Assert.Equal("00Q1", stale.Id);
            var folder = TestData.Scratch();
            var files = plan.Write(folder).Select(Path.GetFileName).ToArray();
            Assert.Equal(new[] { "1-deactivate-stale.csv", "2-merge-requests.json" }, files);
            var calls = JArray.Parse(File.ReadAllText(Path.Combine(folder, "2-merge-requests.json")));
            Assert.Equal("Lead", (string)calls[0]!["requests"]![0]!["masterRecord"]!["attributes"]!["type"]!);
            Assert.Equal(2, ((JArray)calls[0]!["requests"]![0]!["recordToMergeIds"]!).Count);
        }

        [Fact]
        public void BadGroupsAreReportedNotPlanned()
        {
            var plan = MergePlan.Build(new[] { new MergeGroup(new[] { Rec("Lead", "1"), Rec("Account", "2") }) }, new MergeOptions(), null, 90, "Nurture", Now);
            Assert.Empty(plan.Requests);
            Assert.StartsWith("MixedObjectTypes", Assert.Single(plan.Problems));
        }
    }
}
