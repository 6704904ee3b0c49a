using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Funnel;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Merge
{
    public class MergeEngineTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static MergeEngine Engine(MergeRules? rules = null, FunnelConfig? funnel = null, AlternateKeyStore? keys = null) =>
            new MergeEngine(new MergeOptions { Rules = rules ?? new MergeRules(), Funnel = funnel, Now = Now, RunId = "run1" }, keys);

        [Fact]
        public void OldestCreatedSurvivesAndLosersPointAtIt()
        {
            var a = Rec("Lead", "00Q2", ("LastName", "Smith"), ("Phone", null), ("CreatedDate", "2025-03-01T00:00:00Z"));
            var b = Rec("Lead", "00Q1", ("LastName", "Smyth"), ("Phone", "555"), ("CreatedDate", "2024-01-01T00:00:00Z"));
            var keys = new AlternateKeyStore();
            var r = Engine(keys: keys).Merge(new MergeGroup(new[] { a, b }));
            Assert.Equal("00Q1", r.Survivor.Id);
            Assert.Contains("OldestCreated", r.SurvivorReason);
            Assert.Equal("Smyth", r.Survivor["LastName"]);
            var deleted = Assert.Single(r.Deleted);
            Assert.Equal("00Q2", deleted.Id);
            Assert.Equal("00Q1", deleted["MasterRecordId"]);
            Assert.Equal(true, deleted["IsDeleted"]);
            Assert.Equal("00Q1", keys.Resolve("00Q2"));
        }

        [Fact]
        public void FieldRulesChooseEachValueAndRecordWhereItCameFrom()
        {
            var rules = new MergeRules();
            rules.FieldRules["Phone"] = FieldRule.FillBlanks;
            rules.FieldRules["Title"] = FieldRule.Newest;
            rules.FieldRules["AnnualRevenue"] = FieldRule.Largest;
            rules.FieldRules["Interests__c"] = FieldRule.Union;
            var s = Rec("Lead", "00Q1", ("Phone", ""), ("Title", "Analyst"), ("AnnualRevenue", 10L), ("Interests__c", "Golf;Wine"), ("LastModifiedDate", "2025-01-01T00:00:00Z"), ("CreatedDate", "2020-01-01T00:00:00Z"));
            var l = Rec("Lead", "00Q2", ("Phone", "555-0100"), ("Title", "Director"), ("AnnualRevenue", 250L), ("Interests__c", "wine;Sailing"), ("LastModifiedDate", "2026-01-01T00:00:00Z"), ("CreatedDate", "2021-01-01T00:00:00Z"));
            var r = Engine(rules).Merge(new MergeGroup(new[] { s, l }, survivorId: "00Q1"));
            Assert.Equal("555-0100", r.Survivor["Phone"]);
            Assert.Equal("Director", r.Survivor["Title"]);
            Assert.Equal(250L, r.Survivor["AnnualRevenue"]);
            Assert.Equal("Golf;Wine;Sailing", r.Survivor["Interests__c"]);
            Assert.Equal("00Q2", r.FieldProvenance["Phone"]);
            Assert.False(r.FieldProvenance.ContainsKey("LastName"));
        }

        [Fact]
        public void ChildrenMoveToTheSurvivor()
        {
            var engine = Engine();
            engine.AddRelated(Rec("Task", "00T1", ("WhoId", "00Q2")));
            engine.AddRelated(Rec("et4ae5__IndividualEmailResult__c", "a0A1", ("et4ae5__Lead__c", "00Q2")));
            engine.AddRelated(Rec("Task", "00T2", ("WhoId", "00Q9")));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Lead", "00Q1"), Rec("Lead", "00Q2") }, "00Q1"));
            Assert.Equal(new[] { "00T1", "a0A1" }, r.ChildrenMoved.Select(c => c.Id).OrderBy(x => x).ToArray());
            Assert.All(r.ChildrenMoved, c => Assert.Contains(c, f => Equals(f.Value, "00Q1")));
        }

        [Fact]
        public void SameCampaignMembershipsKeepTheOlderAndJournalTheDestroyed()
        {
            var engine = Engine();
            engine.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("LeadId", "00Q1"), ("CreatedDate", "2026-01-01T00:00:00Z")));
            engine.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701A"), ("LeadId", "00Q2"), ("CreatedDate", "2025-01-01T00:00:00Z")));
            engine.AddRelated(Rec("CampaignMember", "00v3", ("CampaignId", "701B"), ("LeadId", "00Q2"), ("CreatedDate", "2025-01-01T00:00:00Z")));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Lead", "00Q1"), Rec("Lead", "00Q2") }, "00Q1"));
            Assert.Equal("00v1", Assert.Single(r.MembershipsDestroyed).Id);
            Assert.Contains("00v1", r.Journal.Destroyed);
            Assert.Contains(r.Journal.Before, b => b.Id == "00v1");
            var moved = r.ChildrenMoved.Select(c => c.Id).OrderBy(x => x).ToArray();
            Assert.Equal(new[] { "00v2", "00v3" }, moved);
            Assert.False(r.FunnelApplied);
        }

        [Fact]
        public void TheFunnelOutcomeIsAppliedWithAConfiguration()
        {
            var engine = Engine(funnel: FunnelConfig.Example());
            engine.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("LeadId", "00Q1"), ("FCRM__FCR_Response_Status__c", "Working"), ("FCRM__FCR_Response_Date__c", "2026-02-01T00:00:00Z")));
            engine.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701B"), ("LeadId", "00Q2"), ("FCRM__FCR_Response_Status__c", "Marketing Qualified"), ("FCRM__FCR_Response_Date__c", "2026-01-01T00:00:00Z")));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Lead", "00Q1", ("Status", "Working")), Rec("Lead", "00Q2", ("Status", "Marketing Qualified")) }, "00Q1"));
            Assert.True(r.FunnelApplied);
            Assert.Equal("5.3-3", r.Funnel.Row);
            Assert.Equal("Marketing Qualified", r.Survivor["Status"]);
            var resolved = r.ChildrenMoved.Single(c => c.Id == "00v1");
            Assert.Equal("Resolved - Merged", resolved["FCRM__FCR_Response_Status__c"]);
        }

        [Fact]
        public void OpportunityLinkedMembershipIsArchivedAndReinserted()
        {
            var json = JObject.Parse(FunnelConfig.ExampleJson);
            json["systemCampaignId"] = "701SYS";
            var engine = Engine(funnel: FunnelConfig.Parse(json, "t"));
            engine.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true)));
            engine.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("ContactId", "0031"), ("CreatedDate", "2025-01-01T00:00:00Z")));
            engine.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701A"), ("ContactId", "0032"), ("CreatedDate", "2026-01-01T00:00:00Z"), ("FCRM__FCR_Opportunity__c", "006A")));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            var opp = Assert.Single(r.OpportunitiesArchived);
            Assert.Contains("00v2", (string)opp["FCRM__FCR_Admin_CMArchive__c"]!);
            var re = Assert.Single(r.MembershipsReinserted);
            Assert.Equal("701SYS", re["CampaignId"]);
            Assert.Equal("0031", re["ContactId"]);
            Assert.Contains(re.Id!, r.Journal.Created);
        }

        [Fact]
        public void BadGroupsAreRefusedWithErrorIds()
        {
            var engine = Engine();
            Assert.Equal("GroupTooSmall", Assert.Throws<MergeException>(() => engine.Merge(new MergeGroup(new[] { Rec("Lead", "1") }))).ErrorId);
            Assert.Equal("MixedObjectTypes", Assert.Throws<MergeException>(() => engine.Merge(new MergeGroup(new[] { Rec("Lead", "1"), Rec("Account", "2") }))).ErrorId);
            Assert.Equal("ConversionMergeNotSupported", Assert.Throws<MergeException>(() => engine.Merge(new MergeGroup(new[] { Rec("Lead", "1"), Rec("Contact", "2") }))).ErrorId);
            Assert.Equal("UnknownSurvivor", Assert.Throws<MergeException>(() => engine.Merge(new MergeGroup(new[] { Rec("Lead", "1"), Rec("Lead", "2") }, "9"))).ErrorId);
            engine.Merge(new MergeGroup(new[] { Rec("Lead", "3"), Rec("Lead", "4") }));
            Assert.Equal("RecordInTwoGroups", Assert.Throws<MergeException>(() => engine.Merge(new MergeGroup(new[] { Rec("Lead", "4"), Rec("Lead", "5") }))).ErrorId);
        }

        [Fact]
        public void SurvivorRulesApplyInOrderWithATieBreak()
        {
            var rules = new MergeRules();
            rules.SurvivorRules.Clear();
            rules.SurvivorRules.Add(SurvivorRule.Parse("FieldValue:Status=Working"));
            rules.SurvivorRules.Add(SurvivorRule.Parse("MostComplete"));
            var r = Engine(rules).Merge(new MergeGroup(new[]
            {
                Rec("Lead", "00Q3", ("Status", "Working"), ("Email", "a@x")),
                Rec("Lead", "00Q1", ("Status", "Nurture"), ("Email", "a@x"), ("Phone", "1")),
                Rec("Lead", "00Q2", ("Status", "Working"), ("Email", "a@x")),
            }));
            Assert.Equal("00Q2", r.Survivor.Id); // Working, then equally complete, then the smallest id
            Assert.Contains("FieldValue:Status=Working", r.SurvivorReason);
        }

        [Fact]
        public void RulesFileErrorsNameTheKey()
        {
            var path = Path.Combine(TestData.Scratch(), "rules.json");
            File.WriteAllText(path, "{ \"schemaVersion\": 1, \"fieldRules\": { \"Phone\": \"Loudest\" } }");
            Assert.Contains("'fieldRules.Phone' must be one of", Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => MergeRules.Load(path)).Message);
            File.WriteAllText(path, "{ \"survivorRules\": [\"Tallest\"] }");
            Assert.Contains("'survivorRules[0]'", Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => MergeRules.Load(path)).Message);
        }

        /// <summary>Property: random merges, journalled to disk, then undone, give back the exact records and key store.</summary>
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        public void RandomMergesThenUndoGiveBackTheOriginals(int seed)
        {
            var random = new Random(seed);
            var fields = new[] { "FirstName", "LastName", "Email", "Phone", "Title", "Status", "AnnualRevenue", "Interests__c" };
            var people = new List<CrmRecord>();
            for (var i = 0; i < 30; i++)
            {
                var r = Rec("Lead", $"00Q{i:D3}");
                foreach (var f in fields)
                {
                    var roll = random.Next(4);
                    if (roll == 0) continue;
                    r.Add(f, roll == 1 ? null : f == "AnnualRevenue" ? (object)(long)random.Next(1000) : f == "Interests__c" ? "A;B;C".Split(';')[random.Next(3)] : f + random.Next(5));
                }
                r.Add("CreatedDate", $"2025-{random.Next(1, 12):D2}-01T00:00:00Z");
                people.Add(r);
            }
            var related = new List<CrmRecord>();
            for (var i = 0; i < 40; i++)
            {
                related.Add(Rec("CampaignMember", $"00v{i:D3}", ("CampaignId", "701" + random.Next(4)), ("LeadId", people[random.Next(people.Count)].Id), ("CreatedDate", $"2025-0{random.Next(1, 9)}-01T00:00:00Z"),
                    ("FCRM__FCR_Response_Status__c", random.Next(2) == 0 ? "Working" : null)));
                related.Add(Rec("Task", $"00T{i:D3}", ("WhoId", people[random.Next(people.Count)].Id), ("Subject", "Call " + i)));
            }
            var rules = new MergeRules { DefaultFieldRule = (FieldRule)random.Next(7) };
            var keys = new AlternateKeyStore();
            foreach (var p in people) keys.Register(p.Id!, "Lead", Now);
            var keysBefore = Snapshot(keys);
            var engine = new MergeEngine(new MergeOptions { Rules = rules, Funnel = FunnelConfig.Example(), Now = Now, RunId = "run" + seed }, keys);
            foreach (var r in related) engine.AddRelated(r);
            var originals = people.Concat(related).ToDictionary(r => r.Id!, r => r.Clone());
            var shuffled = people.OrderBy(_ => random.Next()).ToList();
            var entries = new List<JournalEntry>();
            for (var i = 0; i + 2 < shuffled.Count; i += 3)
            {
                var group = shuffled.Skip(i).Take(2 + random.Next(2)).ToList();
                try
                {
                    entries.Add(engine.Merge(new MergeGroup(group, random.Next(2) == 0 ? group[random.Next(group.Count)].Id : null)).Journal);
                }
                catch (MergeException)
                {
                }
            }
            Assert.NotEmpty(entries);
            var state = TestData.Scratch();
            var path = MergeJournal.Write(state, "run" + seed, entries);
            var undone = MergeJournal.Undo(MergeJournal.Read(path), keys);
            foreach (var restored in undone.SelectMany(u => u.Restored))
            {
                var original = originals[restored.Id!];
                Assert.Equal(original.Names.ToArray(), restored.Names.ToArray());
                foreach (var f in original) Assert.Equal(JToken.FromObject(f.Value ?? JValue.CreateNull()).ToString(), JToken.FromObject(restored[f.Key] ?? JValue.CreateNull()).ToString());
            }
            Assert.Equal(keysBefore, Snapshot(keys));
            foreach (var p in people) Assert.Equal(p.Id, keys.Resolve(p.Id!));
        }

        private static string Snapshot(AlternateKeyStore keys) =>
            string.Join("|", keys.Entries.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id}>{e.Parent}:{e.How}:{e.Deleted}"));
    }
}
