using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;
using LeadTools.Core.Sync;
using Xunit;

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>
    /// Idempotency as a property over generated snapshots: run, apply both change sets in memory (each touched record
    /// gets a modification time just after the run, as the real systems would stamp it; Salesforce ids of pushed records
    /// are written back to the local records, as an integration does with the upsert result), run again with the new
    /// state: no inserts or updates, and no events but those held back until their lead, pushed by the first run, had a
    /// Salesforce id; a third run: nothing.
    /// </summary>
    public class SyncIdempotencyTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly string[] Times = { "2025-12-01T00:00:00.000Z", "2026-01-10T00:00:00.000Z", "2026-01-20T00:00:00.000Z", "2026-01-20T00:00:00.000Z" };
        private static readonly string[] Names = { "Ng", "Ito", "Silva", "Okafor", null! };
        private static readonly string[] Stages = { "Prospecting", "Negotiation", "Closed Won" };

        public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 300).Select(i => new object[] { i });

        [Theory]
        [MemberData(nameof(Seeds))]
        public void Applying_the_change_sets_and_syncing_again_yields_no_changes(int seed)
        {
            var rnd = new Random(seed);
            var (local, sf) = Generate(rnd);
            var state = new SyncState();
            if (rnd.Next(2) == 0)
            {
                foreach (var n in SyncProfile.ObjectNames) state.SetLastSync(n, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            }
            // Half the runs use a profile with per-field and per-object overrides.
            // A third of them with the explicit extensions of rule L8 (pushLinkedEdits, pushNew for contacts).
            var pick = rnd.Next(3);
            var profile = pick == 2 ? SyncProfile.Parse(Newtonsoft.Json.Linq.JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": {
                ""Leads"": { ""pushLinkedEdits"": true }, ""Contacts"": { ""pushLinkedEdits"": true, ""pushNew"": true } } }"), "test")
                : pick == 0 ? SyncProfile.Default() : SyncProfile.Parse(Newtonsoft.Json.Linq.JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": {
                ""Leads"": { ""fields"": { ""Title"": ""pull"", ""LastName"": ""push"" } }, ""Contacts"": { ""direction"": ""push"" }, ""Campaigns"": { ""direction"": ""pull"" } } }"), "test");
            var first = SyncEngine.Run(local, sf, profile, state, Now);
            Apply(first, local, sf, profile, Now.AddSeconds(1));
            var second = SyncEngine.Run(local, sf, profile, first.State, Now.AddMinutes(1));
            // The one kind of change a second run may make: events held back because their lead had no Salesforce id,
            // whose lead got one from the first run (pushed, and its id written back). Each is pushed once.
            var pushedLeads = new HashSet<string>(first.Changes.Where(c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Insert && c.FieldsAfter.ContainsKey(profile.ExternalIdField))
                .Select(c => (string)c.FieldsAfter[profile.ExternalIdField]!), StringComparer.Ordinal);
            var unexpected = second.Changes.Where(c => !(c.Operation == SyncOperation.Event && first.State.PendingEvents.Contains((string)c.FieldsAfter[profile.ExternalIdField]!)
                && pushedLeads.Contains(local.Single(e => e.ObjectType == "Event" && e.Id == (string)c.FieldsAfter[profile.ExternalIdField]!).GetString("LeadId")!))).ToList();
            Assert.True(unexpected.Count == 0, $"seed {seed}: {first.Changes.Count} changes first, then:\n" + string.Join("\n", unexpected.Select(c => c + " " + string.Join(",", c.FieldsBefore.Select(f => f.Key + "=" + f.Value)) + " -> " + string.Join(",", c.FieldsAfter.Select(f => f.Key + "=" + f.Value)))) + "\nFIRST:\n" + string.Join("\n", first.Changes.Select(c => c + " -> " + string.Join(",", c.FieldsAfter.Select(f => f.Key + "=" + f.Value)))));
            Apply(second, local, sf, profile, Now.AddMinutes(1).AddSeconds(1));
            // And a third run changes nothing (the state is stable).
            var third = SyncEngine.Run(local, sf, profile, second.State, Now.AddMinutes(2));
            Assert.True(third.Changes.Count == 0, $"seed {seed}: third run: " + string.Join("\n", third.Changes));
            Assert.Empty(SyncEngine.Run(local, sf, profile, third.State, Now.AddMinutes(3)).Changes);
        }

        private static (List<CrmRecord> Local, List<CrmRecord> Sf) Generate(Random rnd)
        {
            var local = new List<CrmRecord>();
            var sf = new List<CrmRecord>();
            string T() => Times[rnd.Next(Times.Length)];
            string? Pick(string[] values) => values[rnd.Next(values.Length)];
            string Email() => "p" + rnd.Next(12) + "@example.com";
            CrmRecord Rec(string type, string id, params (string, object?)[] f) => TestData.Record(type, id, f);

            for (var i = 0; i < rnd.Next(1, 5); i++)
            {
                local.Add(Rec("Account", "A" + i, ("Name", Pick(Names)), ("CrmId", rnd.Next(2) == 0 ? "001" + i : null), ("ModifiedDate", T())));
                sf.Add(Rec("Account", "001" + i, ("Name", Pick(Names)), ("IsPersonAccount", rnd.Next(5) == 0), ("LastModifiedDate", T())));
            }
            for (var i = 0; i < rnd.Next(1, 6); i++)
            {
                local.Add(Rec("Campaign", "C" + i, ("Name", Pick(Names)), ("IsActive", rnd.Next(2) == 0), ("CrmId", rnd.Next(2) == 0 ? "701" + rnd.Next(6) : null), ("ModifiedDate", T())));
                sf.Add(Rec("Campaign", "701" + i, ("Name", Pick(Names)), ("IsActive", rnd.Next(2) == 0), ("LastModifiedDate", T())));
            }
            local.Add(Rec("DealStage", "S0", ("Name", "Prospecting")));
            for (var i = 0; i < rnd.Next(0, 4); i++)
            {
                if (rnd.Next(2) == 0) local.Add(Rec("Opportunity", "O" + i, ("Name", Pick(Names)), ("CrmId", "006" + i), ("ModifiedDate", T())));
                sf.Add(Rec("Opportunity", "006" + i, ("Name", Pick(Names)), ("AccountId", "001" + rnd.Next(4)), ("CampaignId", "701" + rnd.Next(6)), ("StageName", Pick(Stages)), ("LastModifiedDate", T())));
            }
            foreach (var (type, prefix, sfPrefix) in new[] { ("Lead", "L", "00Q"), ("Contact", "K", "003") })
            {
                for (var i = 0; i < rnd.Next(0, 10); i++)
                {
                    local.Add(Rec(type, prefix + i, ("LastName", Pick(Names)), ("Company", type == "Lead" ? Pick(Names) : null), ("Email", rnd.Next(6) == 0 ? null : Email()),
                        ("Title", Pick(Names)), ("LeadScore", rnd.Next(3) * 10), ("IsContact", type == "Lead" && rnd.Next(6) == 0),
                        ("CrmId", rnd.Next(3) == 0 ? sfPrefix + rnd.Next(10) : null), ("ModifiedDate", T())));
                }
                for (var i = 0; i < rnd.Next(0, 10); i++)
                {
                    sf.Add(Rec(type, sfPrefix + i, ("LastName", Pick(Names)), ("Company", type == "Lead" ? Pick(Names) : null), ("Email", Email()), ("Title", Pick(Names)),
                        ("Lead_Score__c", rnd.Next(3) * 10), ("IsPersonAccount", type == "Contact" && rnd.Next(6) == 0),
                        ("ConvertedOpportunityId", type == "Lead" && rnd.Next(3) == 0 ? "006" + rnd.Next(4) : null), ("LastModifiedDate", T())));
                }
            }
            for (var i = 0; i < rnd.Next(0, 6); i++)
            {
                local.Add(Rec("Event", "E" + i, ("LeadId", "L" + rnd.Next(10)), ("Object", Pick(new[] { "PageVisit", "EmailOpen", "Form" })), ("Name", "x"), ("EventDate", T())));
            }
            return (local, sf);
        }

        private static void Apply(SyncResult result, List<CrmRecord> local, List<CrmRecord> sf, SyncProfile profile, DateTimeOffset stamp)
        {
            var time = stamp.UtcDateTime.ToString(RecordValue.UtcDateTimeFormat);
            var newId = 0;
            foreach (var c in result.Changes)
            {
                var side = c.Side == SyncSide.Local ? local : sf;
                var modified = c.Side == SyncSide.Local ? profile.LocalModifiedField : profile.SalesforceModifiedField;
                if (c.Operation == SyncOperation.Update)
                {
                    var r = side.Single(x => x.ObjectType == c.ObjectType && x.Id == c.Id);
                    foreach (var f in c.FieldsAfter) r.Set(f.Key, f.Value);
                    r.Set(modified, time);
                    continue;
                }
                var id = c.Side == SyncSide.Local ? c.Id! : "NEW" + newId++;
                var rec = new CrmRecord(c.ObjectType);
                rec.Add("Id", id);
                foreach (var f in c.FieldsAfter) rec.Set(f.Key, f.Value);
                rec.Set(modified, time);
                side.Add(rec);
                if (c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Insert)
                {
                    // The integration writes the new Salesforce id back to the pushed local record.
                    var pushed = local.Single(x => x.ObjectType == c.ObjectType && x.Id == (string?)c.FieldsAfter[profile.ExternalIdField]);
                    pushed.Set(profile.CrmIdField, id);
                    pushed.Set(profile.LocalModifiedField, time);
                }
            }
        }
    }
}
