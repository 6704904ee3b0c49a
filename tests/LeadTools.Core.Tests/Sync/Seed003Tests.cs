using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Records;
using LeadTools.Core.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>
    /// Seed 003 (Lead Gen &amp; CRM &lt;-&gt; Salesforce sync), the sentences issue 15 found the engine departing from,
    /// each test written from the seed's own sentence (quoted). The other sentences' tests are in SyncEngineTests and
    /// SyncWatermarkTests; docs/seed-rules.md maps every sentence to its test.
    /// </summary>
    public class Seed003Tests
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private const string Before = "2025-12-01T00:00:00.000Z";
        private const string Early = "2026-01-10T00:00:00.000Z";
        private const string Later = "2026-01-20T00:00:00.000Z";

        private static CrmRecord R(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static SyncState State()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, Last);
            return s;
        }

        private static SyncProfile Profile(string objects) => SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": " + objects + " }"), "p.json");

        private static SyncResult Run(IEnumerable<CrmRecord> local, IEnumerable<CrmRecord> sf, SyncProfile? profile = null, SyncState? state = null, SyncRunOptions? options = null) =>
            SyncEngine.Run(local, sf, profile ?? SyncProfile.Default(), state ?? State(), Now, options ?? new SyncRunOptions());

        // ---- Rule L8 -------------------------------------------------------------------------------------------

        [Fact]
        public void L8a_If_the_lead_is_a_contact_do_not_push_it_not_even_an_update_of_a_linked_one()
        {
            // "If the lead is a contact, do not push it."
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("Title", "CEO"), ("LeadScore", 90), ("IsContact", true), ("CrmId", "00QA"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("Title", "VP"), ("Lead_Score__c", 10), ("LastModifiedDate", Before)) };
            foreach (var profile in new[] { SyncProfile.Default(), Profile(@"{ ""Leads"": { ""pushLinkedEdits"": true } }") })
            {
                var result = Run(local, sf, profile);
                Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Salesforce);
                Assert.Equal("Leads.8a the lead is a contact: not pushed", Assert.Single(result.Skipped).Step);
            }
        }

        [Fact]
        public void L8a_a_new_local_contact_is_not_pushed_unless_the_profile_says_pushNew()
        {
            // "If the lead is a contact, do not push it."
            var local = new[] { R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("ModifiedDate", Early)) };
            var result = Run(local, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.Equal("Contacts.8 new local contact: not pushed", Assert.Single(result.Skipped).Step);
            var pushed = Assert.Single(Run(local, Array.Empty<CrmRecord>(), Profile(@"{ ""Contacts"": { ""pushNew"": true } }")).Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Insert), (pushed.Side, pushed.Operation));
        }

        [Fact]
        public void L8b_If_the_lead_already_has_a_CRM_ID_do_not_push_it_its_held_back_edit_is_named()
        {
            // "If the lead already has a CRM ID, do not push it."
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("Title", "CEO"), ("CrmId", "00QA"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("Title", "VP"), ("LastModifiedDate", Before)) };
            var result = Run(local, sf);
            Assert.Empty(result.Changes);
            var skip = Assert.Single(result.Skipped);
            Assert.Equal("Leads.8b has a CRM id: not pushed", skip.Step);
            Assert.Contains("local edits not sent to Salesforce: Title", skip.Reason);
            // The extension is explicit, and its step label says so.
            var c = Assert.Single(Run(local, sf, Profile(@"{ ""Leads"": { ""pushLinkedEdits"": true } }")).Changes);
            Assert.Equal((SyncSide.Salesforce, "00QA", "CEO"), (c.Side, c.Id, c.FieldsAfter["Title"]));
            Assert.StartsWith("Leads.8b+ pushLinkedEdits (profile)", c.Step);
        }

        [Fact]
        public void L8b_a_lead_score_push_does_not_stamp_salesforce_over_held_back_edits()
        {
            // "Lead Score | Push to Salesforce" and "If the lead already has a CRM ID, do not push it": the score alone
            // is pushed; with a held-back edit it waits, so the stamp cannot make stale Salesforce values win next run.
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Title", "VP"), ("Lead_Score__c", 10), ("LastModifiedDate", Before)) };
            var scoreOnly = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Title", "VP"), ("LeadScore", 90), ("CrmId", "00QA"), ("ModifiedDate", Later)) };
            var c = Assert.Single(Run(scoreOnly, sf).Changes);
            Assert.Equal(("LeadScore.1 push lead score", 90), (c.Step, (int)Convert.ToInt64(c.FieldsAfter["Lead_Score__c"])));
            var withEdit = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Title", "CEO"), ("LeadScore", 90), ("CrmId", "00QA"), ("ModifiedDate", Later)) };
            var result = Run(withEdit, sf);
            Assert.Empty(result.Changes);
            Assert.Contains(result.Skipped, s => s.Step == "LeadScore.1 push lead score" && s.Reason.Contains("Title"));
        }

        [Theory]
        [InlineData(@"{ ""Opportunities"": { ""direction"": ""push"" } }", "objects.Opportunities.direction")]
        [InlineData(@"{ ""Opportunities"": { ""direction"": ""two-way"" } }", "objects.Opportunities.direction")]
        [InlineData(@"{ ""Accounts"": { ""direction"": ""two-way"" } }", "objects.Accounts.direction")]
        [InlineData(@"{ ""Events"": { ""direction"": ""pull"" } }", "objects.Events.direction")]
        [InlineData(@"{ ""Campaigns"": { ""pushNew"": true } }", "objects.Campaigns.pushNew")]
        [InlineData(@"{ ""Leads"": { ""pushLinkedEdits"": ""yes"" } }", "objects.Leads.pushLinkedEdits")]
        [InlineData(@"{ ""Leads"": { ""pullAll"": true } }", "objects.Leads.pullAll")]
        public void Opportunities_Pull_from_Salesforce_a_direction_the_seed_has_no_algorithm_for_is_refused_never_ignored(string objects, string key)
        {
            // "Opportunities | Pull from Salesforce"; "Accounts | Pull from Salesforce"; "Events | Push to Salesforce".
            var ex = Assert.Throws<ConfigurationException>(() => Profile(objects));
            Assert.Equal(key, ex.Key);
        }

        // ---- Opportunities -------------------------------------------------------------------------------------

        [Fact]
        public void Opportunity_Update_account_campaign_association_never_blanks_one_that_cannot_be_found_locally()
        {
            // "Obtain the campaign attached to the Salesforce opportunity in Lead Gen & CRM." / "Update account, campaign,
            // and deal stage association for the opportunity." A campaign not found locally is not a reason to blank it.
            var local = new[]
            {
                R("Account", "A1", ("Name", "Acme"), ("CrmId", "001A"), ("ModifiedDate", Before)),
                R("Campaign", "C1", ("Name", "Spring"), ("CrmId", "701A"), ("ModifiedDate", Before)),
                R("DealStage", "S1", ("Name", "Prospecting")),
                R("Opportunity", "O1", ("Name", "Deal"), ("AccountId", "A1"), ("CampaignId", "C1"), ("DealStageId", "S1"), ("CrmId", "006A"), ("ModifiedDate", Before)),
            };
            var sf = new[] { R("Opportunity", "006A", ("Name", "Deal 2"), ("AccountId", "001Z"), ("CampaignId", "701Z"), ("StageName", "Prospecting"), ("LastModifiedDate", Early)) };
            var result = Run(local, sf);
            var c = Assert.Single(result.Changes);
            Assert.Equal(new[] { "Name" }, c.FieldsAfter.Keys.ToArray());
            var report = Assert.Single(result.Skipped);
            Assert.Contains("account 001Z and campaign 701Z not found locally", report.Reason);
            Assert.Contains("kept, not blanked", report.Reason);
        }

        [Fact]
        public void Opportunity_a_field_missing_from_the_export_changes_nothing()
        {
            var local = new[]
            {
                R("DealStage", "S1", ("Name", "Prospecting")),
                R("Opportunity", "O1", ("Name", "Deal"), ("AccountId", "A1"), ("DealStageId", "S1"), ("CrmId", "006A"), ("ModifiedDate", Before)),
            };
            var sf = new[] { R("Opportunity", "006A", ("Name", "Deal"), ("LastModifiedDate", Early)) };
            Assert.Empty(Run(local, sf).Changes);
        }

        // ---- Campaigns -----------------------------------------------------------------------------------------

        [Fact]
        public void Campaigns_6_Obtain_a_list_of_campaigns_modified_in_Lead_Gen_and_CRM_since_the_last_sync_a_linked_one_is_compared_field_by_field()
        {
            // "Obtain a list of campaigns modified in Lead Gen & CRM since the last sync." and "If the campaign was more
            // recently modified in Lead Gen & CRM, update it in Salesforce." - even when Salesforce did not change it.
            var local = new[] { R("Campaign", "C1", ("Name", "Spring 2026"), ("IsActive", true), ("CrmId", "701A"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring"), ("IsActive", true), ("LastModifiedDate", Before)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Update, "701A", "Spring 2026"), (c.Side, c.Operation, c.Id, c.FieldsAfter["Name"]));
            Assert.StartsWith("Campaigns.6", c.Step);
        }

        // ---- Lookups through the links ---------------------------------------------------------------------------

        [Fact]
        public void A_pushed_contact_carries_the_salesforce_account_id_never_the_local_one()
        {
            var local = new[]
            {
                R("Account", "A1", ("Name", "Acme"), ("CrmId", "001A"), ("ModifiedDate", Before)),
                R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("AccountId", "A1"), ("ModifiedDate", Early)),
            };
            var c = Assert.Single(Run(local, Array.Empty<CrmRecord>(), Profile(@"{ ""Contacts"": { ""pushNew"": true } }")).Changes);
            Assert.Equal("001A", c.FieldsAfter["AccountId"]);
        }

        [Fact]
        public void A_pushed_lead_whose_account_has_no_salesforce_id_yet_is_held_back_pending_then_pushed()
        {
            var profile = Profile(@"{ ""Contacts"": { ""pushNew"": true } }");
            var local = new List<CrmRecord>
            {
                R("Account", "A7", ("Name", "New Co"), ("ModifiedDate", Before)),
                R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("AccountId", "A7"), ("ModifiedDate", Early)),
            };
            var first = Run(local, Array.Empty<CrmRecord>(), profile);
            Assert.Empty(first.Changes);
            Assert.Contains("AccountId A7 has no Salesforce id yet", Assert.Single(first.Skipped).Reason);
            Assert.Contains(SyncState.PendingKey(SyncSide.Local, "Contact", "K1"), first.State.PendingRecords);
            // The account gets its Salesforce id; the contact, unchanged since, is pushed by the next run.
            local[0].Set("CrmId", "001N");
            var second = SyncEngine.Run(local, Array.Empty<CrmRecord>(), profile, first.State, Now.AddDays(1));
            var c = Assert.Single(second.Changes);
            Assert.Equal((SyncOperation.Insert, "001N"), (c.Operation, c.FieldsAfter["AccountId"]));
            Assert.Empty(second.State.PendingRecords);
        }

        [Fact]
        public void A_pulled_contact_points_to_the_local_account_created_in_the_same_run()
        {
            // "While the sync can pull account name data from Salesforce into Lead Gen & CRM, it is only to be associated with a linked contact or lead."
            var sf = new[]
            {
                R("Account", "001A", ("Name", "Acme"), ("LastModifiedDate", Early)),
                R("Contact", "003A", ("LastName", "Ng"), ("Email", "ng@example.com"), ("AccountId", "001A"), ("LastModifiedDate", Early)),
            };
            var changes = Run(Array.Empty<CrmRecord>(), sf).Changes;
            var account = Assert.Single(changes, c => c.ObjectType == "Account");
            var contact = Assert.Single(changes, c => c.ObjectType == "Contact");
            Assert.Equal(account.Id, contact.FieldsAfter["AccountId"]);
            Assert.Equal("sf:001A", account.Id);
        }

        [Fact]
        public void Accounts_are_pulled_only_to_be_associated_with_a_linked_contact_or_lead_unless_the_profile_says_pullAll()
        {
            // "it is only to be associated with a linked contact or lead."
            var sf = new[] { R("Account", "001B", ("Name", "Lonely Co"), ("LastModifiedDate", Early)) };
            var result = Run(Array.Empty<CrmRecord>(), sf);
            Assert.Empty(result.Changes);
            Assert.StartsWith("Accounts.1", Assert.Single(result.Skipped).Step);
            Assert.Single(Run(Array.Empty<CrmRecord>(), sf, Profile(@"{ ""Accounts"": { ""pullAll"": true } }")).Changes);
        }

        [Fact]
        public void A_linked_contact_whose_account_ids_differ_only_as_text_is_not_changed()
        {
            var local = new[]
            {
                R("Account", "A1", ("Name", "Acme"), ("CrmId", "001A"), ("ModifiedDate", Before)),
                R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("AccountId", "A1"), ("CrmId", "003A"), ("ModifiedDate", Before)),
            };
            var sf = new[] { R("Contact", "003A", ("LastName", "Ng"), ("Email", "ng@example.com"), ("AccountId", "001A"), ("LastModifiedDate", Early)) };
            Assert.Empty(Run(local, sf).Changes);
        }

        // ---- Opportunity names on contacts ----------------------------------------------------------------------------

        [Fact]
        public void The_Salesforce_opportunity_name_will_be_displayed_on_the_associated_contacts_record()
        {
            // "Once the integration is complete, the Salesforce opportunity name will be displayed in the Memberships tab
            // of the associated Lead Gen & CRM contact's record." Associated: through the opportunity's contact roles.
            var local = new[]
            {
                R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("CrmId", "003A"), ("ModifiedDate", Before)),
                R("DealStage", "S1", ("Name", "Prospecting")),
            };
            var sf = new[]
            {
                R("Contact", "003A", ("LastName", "Ng"), ("Email", "ng@example.com"), ("LastModifiedDate", Before)),
                R("Opportunity", "006A", ("Name", "Acme renewal"), ("StageName", "Prospecting"), ("LastModifiedDate", Early)),
                R("Opportunity", "006B", ("Name", "Acme expansion"), ("StageName", "Prospecting"), ("LastModifiedDate", Before)),
                R("OpportunityContactRole", "00KA", ("OpportunityId", "006A"), ("ContactId", "003A"), ("LastModifiedDate", Early)),
                R("OpportunityContactRole", "00KB", ("OpportunityId", "006B"), ("ContactId", "003A"), ("LastModifiedDate", Before)),
            };
            var result = Run(local, sf);
            var c = Assert.Single(result.Changes, x => x.ObjectType == "Contact");
            Assert.Equal(("K1", "Acme expansion; Acme renewal"), (c.Id, c.FieldsAfter["OpportunityNames"]));
            Assert.StartsWith("Opportunities.5", c.Step);
            // Nothing modified since: nothing to show again.
            Assert.DoesNotContain(SyncEngine.Run(local, sf, SyncProfile.Default(), result.State, Now).Changes, x => x.ObjectType == "Contact");
        }

        // ---- One to one -------------------------------------------------------------------------------------------

        [Fact]
        public void You_can_only_connect_one_instance_of_Salesforce_to_one_instance_of_Lead_Gen_and_CRM()
        {
            // "The sync between Salesforce and Lead Gen & CRM is one-to-one, meaning you can only connect one instance of
            // Salesforce to one instance of Lead Gen & CRM."
            var first = Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), options: new SyncRunOptions { SalesforceOrg = "00D000000000001", LocalInstance = "eu" });
            Assert.Equal(("00D000000000001", "eu"), (first.State.SalesforceOrg, first.State.LocalInstance));
            var ex = Assert.Throws<SyncStateMismatchException>(() => SyncEngine.Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), SyncProfile.Default(), first.State, Now, new SyncRunOptions { SalesforceOrg = "00D000000000002" }));
            Assert.Contains("00D000000000001", ex.Message);
            Assert.Throws<SyncStateMismatchException>(() => SyncEngine.Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), SyncProfile.Default(), first.State, Now, new SyncRunOptions { LocalInstance = "us" }));
            // The same pair again is fine, and a run that does not say keeps the pair.
            Assert.Equal("eu", SyncEngine.Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), SyncProfile.Default(), first.State, Now, new SyncRunOptions { SalesforceOrg = "00D000000000001" }).State.LocalInstance);
        }
    }
}
