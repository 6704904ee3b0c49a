using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Import;
using LeadTools.Core.Tags;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Tags
{
    /// <summary>SPEC 8, rule by rule, over an ActiveCampaign v3 export and Salesforce person accounts (tests/pester/data).</summary>
    public class TagReconcilerTests
    {
        private static string Data(string name) => Path.Combine(TestData.RepoRoot, "tests", "pester", "data", name);

        private static TagReconciler Reconciler(Action<JObject>? edit = null)
        {
            var json = JObject.Parse(TagConfig.ExampleJson);
            json["defaultRecordTypeId"] = "012PERSONACCOUNT0AA";
            edit?.Invoke(json);
            var r = new TagReconciler(TagConfig.Parse(json, "test"));
            foreach (var file in new[] { "ac-tags.json", "sf-person-accounts.json" })
            {
                var (records, issues) = TestData.Read(Data(file));
                Assert.Empty(issues);
                foreach (var record in records) r.Add(record);
            }
            return r;
        }

        private static TagDecision For(TagReconciler r, string contactId) => r.Decide().Single(d => d.ContactId == contactId);

        [Fact]
        public void PersonAccountTagsOnly_SyncsAsPersonAccountNothingRemoved()
        {
            var d = For(Reconciler(), "1");
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.False(d.Conflict);
            Assert.Empty(d.Operations);
        }

        [Fact]
        public void BothTagSets_PersonAccountIsTheSourceOfTruthAndContactTagsAreRemoved()
        {
            var d = For(Reconciler(), "2");
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.True(d.Conflict);
            Assert.Equal(new[] { "added-to-salesforce-contact" }, d.TagsToRemove);
            var op = Assert.Single(d.Operations);
            Assert.Equal("DeleteContactTag", op.Action);
            Assert.Equal("103", op.ContactTagId); // the contactTag link id, what DELETE /api/3/contactTags/{id} takes
            Assert.Contains("source of truth", d.Reason);
        }

        [Fact]
        public void ContactTagsOnly_SyncsAsContact()
        {
            var d = For(Reconciler(), "3");
            Assert.Equal(SyncMode.Contact, d.SyncMode);
            Assert.Empty(d.Operations);
        }

        [Fact]
        public void NoSyncTags_NotSynced()
        {
            var d = For(Reconciler(), "4");
            Assert.Equal(SyncMode.NotSynced, d.SyncMode);
            Assert.Null(d.PersonAccountToCreate);
        }

        [Fact]
        public void RequestTagWithoutAPersonAccount_CreatesOneWithTheDefaultRecordType()
        {
            var d = For(Reconciler(), "5");
            var pa = d.PersonAccountToCreate!;
            Assert.Equal("012PERSONACCOUNT0AA", pa["RecordTypeId"]);
            Assert.False(pa.Has("IsPersonAccount")); // the record type makes it a person account; the field is not writable on insert
            Assert.Equal("new.request@example.com", pa["PersonEmail"]);
            Assert.Equal("Quest", pa["LastName"]);
        }

        [Fact]
        public void RequestTagWithAnExistingPersonAccount_NothingCreatedAndTheCleanupStillRuns()
        {
            var d = For(Reconciler(), "6");
            Assert.Null(d.PersonAccountToCreate);
            Assert.True(d.Conflict);
            Assert.Equal(new[] { "salesforce-lead-converted-to-contact" }, d.TagsToRemove);
        }

        [Theory]
        [InlineData("AlwaysUpdate")]
        [InlineData("UpdateIfBlank")]
        [InlineData("Never")]
        public void UpdatePoliciesDecideWhatTheExistingPersonAccountGets(string policy)
        {
            var r = Reconciler(j =>
            {
                j["fieldMapping"] = JArray.Parse($"[{{\"from\":\"firstName\",\"to\":\"FirstName\",\"policy\":\"{policy}\"}},{{\"from\":\"phone\",\"to\":\"Phone\",\"policy\":\"{policy}\"}}]");
            });
            var update = For(r, "6").PersonAccountUpdate!;
            // The person account has FirstName "Eve" already (equal: nothing to write) and a blank Phone, which AlwaysUpdate
            // and UpdateIfBlank fill and Never leaves; the ActiveCampaign id field is filled in every case (it is the link).
            Assert.False(update.Has("FirstName"));
            Assert.Equal(policy == "Never" ? null : "555-0106", update["Phone"] as string);
            Assert.Equal("6", update["ActiveCampaign_Contact_Id__c"]);
        }

        [Fact]
        public void AlwaysUpdate_TheSideChangedLastWins_SalesforceIsNewerSoActiveCampaignGetsItsLastName()
        {
            // Contact 6 was last updated 2026-01-01 (udate), its person account 2026-10-01 (LastModifiedDate).
            var d = For(Reconciler(), "6");
            Assert.False(d.PersonAccountUpdate!.Has("LastName"));
            Assert.Equal("001000000000006AAA", d.PersonAccountUpdate.Id);
            Assert.Equal("Existing", d.ContactUpdate!["lastName"]);
            Assert.Single(d.Operations, o => o.Action == "UpdateContact" && o.Body == "{\"contact\":{\"lastName\":\"Existing\"}}");
        }

        [Fact]
        public void OutboundNone_SelectsNoPersonAccount()
        {
            var r = Reconciler();
            Assert.All(r.OutboundDecisions(), o => Assert.False(o.Selected));
            Assert.Equal(SyncMode.NotSynced, For(r, "7").SyncMode);
        }

        [Fact]
        public void OutboundFlagged_SelectsByTheFieldAndTagsTheMatchingContact()
        {
            var r = Reconciler(j => j["outbound"] = JObject.Parse("{\"mode\":\"Flagged\",\"field\":\"Sync_To_AC__c\",\"equals\":\"true\"}"));
            var outbound = r.OutboundDecisions().ToList();
            Assert.Equal(new[] { "001000000000007AAA" }, outbound.Where(o => o.Selected).Select(o => o.AccountId).ToArray());
            var d = For(r, "7");
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.Equal(new[] { "created-from-salesforce-person-account" }, d.TagsToAdd);
            var op = Assert.Single(d.Operations);
            Assert.Equal("AddContactTag", op.Action);
            Assert.Equal("1", op.TagId);
        }

        [Fact]
        public void OutboundSince_SelectsRecentlyCreatedOrUpdated()
        {
            var r = Reconciler(j => j["outbound"] = JObject.Parse("{\"mode\":\"CreatedOrUpdatedSince\",\"since\":\"2026-06-01T00:00:00Z\"}"));
            var selected = r.OutboundDecisions().Where(o => o.Selected).Select(o => o.AccountId).OrderBy(x => x).ToArray();
            Assert.Equal(new[] { "001000000000006AAA", "001000000000008AAA" }, selected);
            Assert.Equal(SyncMode.NotSynced, For(r, "7").SyncMode); // its person account was last updated in 2024
        }

        [Theory]
        [InlineData("{ \"outbound\": { \"mode\": \"Sometimes\" } }", "'outbound.mode'")]
        [InlineData("{ \"outbound\": { \"mode\": \"Flagged\" } }", "'outbound.field'")]
        [InlineData("{ \"outbound\": { \"mode\": \"CreatedOrUpdatedSince\", \"since\": \"soon\" } }", "'outbound.since'")]
        [InlineData("{ \"fieldMapping\": [ { \"from\": \"email\", \"to\": \"PersonEmail\", \"policy\": \"Maybe\" } ] }", "'fieldMapping[0].policy'")]
        [InlineData("{ \"createRequestTag\": \"please\" }", "'createRequestTag'")]
        [InlineData("{ \"contactTags\": [\"added-to-salesforce-person-account\"] }", "'contactTags'")]
        [InlineData("{ \"colour\": 1 }", "'colour'")]
        public void ConfigurationErrorsNameTheKey(string json, string key)
        {
            var path = Path.Combine(TestData.Scratch(), "tags.json");
            File.WriteAllText(path, json);
            var ex = Assert.Throws<ConfigurationException>(() => TagConfig.Load(path));
            Assert.Contains(key, ex.Message);
            Assert.Contains("tags.json", ex.Message);
        }
    }
}
