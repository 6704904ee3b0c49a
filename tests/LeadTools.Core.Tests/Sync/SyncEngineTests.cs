using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Records;
using LeadTools.Core.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace LeadTools.Core.Tests.Sync
{
    public class SyncEngineTests
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private const string Before = "2025-12-01T00:00:00.000Z";
        private const string Early = "2026-01-10T00:00:00.000Z";
        private const string Later = "2026-01-20T00:00:00.000Z";

        private static SyncState StateAfterLastSync()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, Last);
            return s;
        }

        private static CrmRecord R(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static SyncResult Run(IEnumerable<CrmRecord> local, IEnumerable<CrmRecord> sf, SyncProfile? profile = null, SyncState? state = null) =>
            SyncEngine.Run(local, sf, profile ?? SyncProfile.Default(), state ?? StateAfterLastSync(), Now);

        // ---- Profile ----------------------------------------------------------------------------------------

        // Seed 003: "Accounts | Pull from Salesforce; Campaigns | Two-way; Opportunities | Pull from Salesforce; Leads | Two-way; Contacts | Two-way; Custom Fields | Two-way; Lead Score | Push to Salesforce; Events | Push to Salesforce"
        [Fact]
        public void Default_profile_is_the_spec_7_table()
        {
            var p = SyncProfile.Default();
            Assert.Equal(SyncDirection.Pull, p.Object("Accounts").Direction);
            Assert.Equal(SyncDirection.TwoWay, p.Object("Campaigns").Direction);
            Assert.Equal(SyncDirection.Pull, p.Object("Opportunities").Direction);
            Assert.Equal(SyncDirection.TwoWay, p.Object("Leads").Direction);
            Assert.Equal(SyncDirection.TwoWay, p.Object("Contacts").Direction);
            Assert.Equal(SyncDirection.TwoWay, p.Object("CustomFields").Direction);
            Assert.Equal(SyncDirection.Push, p.Object("LeadScore").Direction);
            Assert.Equal(SyncDirection.Push, p.Object("Events").Direction);
            Assert.Equal(SyncDirection.Push, p.FieldDirection("Leads", "LeadScore"));
            Assert.Equal("Lead_Score__c", p.Object("Leads").SalesforceName("LeadScore"));
        }

        [Fact]
        public void Profile_json_overrides_fields_and_maps()
        {
            var p = SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""localModifiedField"": ""Updated"",
                ""objects"": { ""Leads"": { ""direction"": ""push"", ""fields"": { ""Rating"": ""pull"" }, ""map"": { ""Mobile"": ""MobilePhone"" } } } }"), "p.json");
            Assert.Equal("Updated", p.LocalModifiedField);
            Assert.Equal(SyncDirection.Push, p.FieldDirection("Leads", "Phone"));
            Assert.Equal(SyncDirection.Pull, p.FieldDirection("Leads", "Rating"));
            Assert.Equal("MobilePhone", p.Object("Leads").SalesforceName("Mobile"));
            Assert.Equal("Mobile", p.Object("Leads").LocalName("MobilePhone"));
        }

        [Theory]
        [InlineData(@"{ ""objects"": {} }", "schemaVersion")]
        [InlineData(@"{ ""schemaVersion"": 1, ""bogus"": 1 }", "bogus")]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Widgets"": {} } }", "objects.Widgets")]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""direction"": ""sideways"" } } }", "objects.Leads.direction")]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""fields"": { ""Phone"": 3 } } } }", "objects.Leads.fields.Phone")]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""map"": { ""Phone"": """" } } } }", "objects.Leads.map.Phone")]
        public void Profile_errors_name_the_key(string json, string key)
        {
            var ex = Assert.Throws<ConfigurationException>(() => SyncProfile.Parse(JObject.Parse(json), "p.json"));
            Assert.Equal(key, ex.Key);
            Assert.Contains("'" + key + "'", ex.Message);
        }

        [Fact]
        public void Profile_load_reads_a_file_and_reports_bad_json_with_position()
        {
            var dir = TestData.Scratch();
            var good = Path.Combine(dir, "good.json");
            File.WriteAllText(good, @"{ ""schemaVersion"": 1, ""objects"": { ""Campaigns"": { ""direction"": ""pull"" } } }");
            Assert.Equal(SyncDirection.Pull, SyncProfile.Load(good).Object("Campaigns").Direction);
            var bad = Path.Combine(dir, "bad.json");
            File.WriteAllText(bad, "{ \"schemaVersion\": 1,\n  \"objects\": ");
            var ex = Assert.Throws<ConfigurationException>(() => SyncProfile.Load(bad));
            Assert.Contains("line", ex.Message);
        }

        // ---- State ------------------------------------------------------------------------------------------

        [Fact]
        public void State_round_trips_through_the_state_folder_with_a_schema_version()
        {
            var dir = TestData.Scratch();
            using (var session = SyncStateSession.Open(dir, forWrite: true))
            {
                Assert.Empty(session.State.LastSyncTimes);
                var s = new SyncState();
                s.SetLastSync("Leads", Now);
                s.Link("Lead", "L1", "00Q1");
                session.Save(s);
            }
            var text = File.ReadAllText(Path.Combine(dir, SyncState.FileName));
            Assert.Contains("\"version\": 2", text);
            using var read = SyncStateSession.Open(dir, forWrite: false);
            Assert.Equal(Now, read.State.LastSync("Leads"));
            Assert.Equal("00Q1", read.State.SalesforceIdOf("Lead", "L1"));
            Assert.Equal("L1", read.State.LocalIdOf("Lead", "00Q1"));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }

        [Fact]
        public void State_is_locked_against_a_second_run_and_refuses_a_newer_schema()
        {
            var dir = TestData.Scratch();
            using (SyncStateSession.Open(dir, forWrite: true))
            {
                Assert.Throws<LeadTools.Core.State.StateLockedException>(() => SyncStateSession.Open(dir, forWrite: true));
            }
            File.WriteAllText(Path.Combine(dir, SyncState.FileName), @"{ ""schema"": ""LeadTools.SyncState"", ""version"": 9 }");
            Assert.Throws<InvalidDataException>(() => SyncStateSession.Open(dir, forWrite: false));
        }

        [Theory]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"", ""version"": 1, ""links"": { ""Lead"": { ""L1"": ""00Q1"" ", "not valid JSON")]
        [InlineData(@"[ 1, 2 ]", "not a LeadTools sync state file")]
        [InlineData(@"{ ""schema"": ""Other"", ""version"": 1 }", "not a LeadTools sync state file")]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"" }", "not a LeadTools sync state file")]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"", ""version"": 1, ""lastSync"": { ""Leads"": ""yesterday"" } }", "lastSync.Leads is not a date-time")]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"", ""version"": 1, ""links"": { ""Lead"": [ ""L1"" ] } }", "links.Lead must be an object")]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"", ""version"": 1, ""links"": { ""Lead"": { ""L1"": true } } }", "links.Lead.L1 is not an id")]
        [InlineData(@"{ ""schema"": ""LeadTools.SyncState"", ""version"": 1 } { }", "not valid JSON")]
        public void A_damaged_state_file_is_refused_with_what_is_wrong(string text, string message)
        {
            var dir = TestData.Scratch();
            var path = Path.Combine(dir, SyncState.FileName);
            File.WriteAllText(path, text);
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains(message, ex.Message);
            Assert.Contains(path, ex.Message);
        }

        [Fact]
        public void State_skips_unknown_properties_and_reads_keys_in_any_order()
        {
            var dir = TestData.Scratch();
            var path = Path.Combine(dir, SyncState.FileName);
            File.WriteAllText(path, @"{ ""links"": { ""Lead"": { ""L1"": ""00Q1"" } }, ""note"": { ""x"": [1, 2] }, ""lastSync"": { ""Leads"": ""2026-01-01T00:00:00.0000000Z"" }, ""version"": 1, ""schema"": ""LeadTools.SyncState"" }");
            var state = SyncState.Load(path);
            Assert.Equal("00Q1", state.SalesforceIdOf("Lead", "L1"));
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), state.LastSync("Leads"));
        }

        // ---- Campaigns ---------------------------------------------------------------------------------------

        // Seed 003: "Query campaigns edited on SalesForce since the last sync."
        [Fact]
        public void Campaigns_1_only_salesforce_campaigns_modified_since_last_sync_are_considered()
        {
            var sf = new[] { R("Campaign", "701A", ("Name", "Old"), ("LastModifiedDate", Before)) };
            var result = Run(Array.Empty<CrmRecord>(), sf);
            Assert.Empty(result.Changes);
        }

        // Seed 003: "Obtain a list of all Lead Gen & CRM campaigns, indexed by Salesforce ID. For every campaign in the Salesforce list, attempt to find a campaign in Lead Gen & CRM with the given Salesforce ID."
        [Fact]
        public void Campaigns_2_3_local_campaign_is_found_by_its_salesforce_id()
        {
            var local = new[] { R("Campaign", "C1", ("Name", "Spring"), ("CrmId", "701A"), ("ModifiedDate", Before)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring"), ("LastModifiedDate", Early)) };
            var result = Run(local, sf);
            Assert.Empty(result.Changes);
            Assert.Equal("701A", result.State.SalesforceIdOf("Campaign", "C1"));
        }

        // Seed 003: "If the campaign does not exist in Lead Gen & CRM, insert the campaign."
        [Fact]
        public void Campaigns_4_missing_campaign_is_inserted_locally()
        {
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring"), ("IsActive", true), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(Array.Empty<CrmRecord>(), sf).Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Insert, "Campaign"), (c.Side, c.Operation, c.ObjectType));
            Assert.StartsWith("Campaigns.4", c.Step);
            Assert.Equal("701A", c.FieldsAfter["CrmId"]);
            Assert.Equal("Spring", c.FieldsAfter["Name"]);
        }

        // Seed 003: "If the campaign was more recently modified in Salesforce, update it in Lead Gen & CRM."
        [Fact]
        public void Campaigns_5_salesforce_more_recently_modified_updates_local()
        {
            var local = new[] { R("Campaign", "C1", ("Name", "Spring"), ("CrmId", "701A"), ("ModifiedDate", Early)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring 2026"), ("LastModifiedDate", Later)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Update, "C1"), (c.Side, c.Operation, c.Id));
            Assert.Equal("Spring", c.FieldsBefore["Name"]);
            Assert.Equal("Spring 2026", c.FieldsAfter["Name"]);
            Assert.StartsWith("Campaigns.5", c.Step);
        }

        // Seed 003: "If the campaign was more recently modified in Lead Gen & CRM, update it in Salesforce."
        [Fact]
        public void Campaigns_5_local_more_recently_modified_updates_salesforce()
        {
            var local = new[] { R("Campaign", "C1", ("Name", "Spring local"), ("CrmId", "701A"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Update, "701A"), (c.Side, c.Operation, c.Id));
            Assert.Equal("Spring local", c.FieldsAfter["Name"]);
        }

        [Fact]
        public void Campaigns_5_tie_goes_to_salesforce()
        {
            var local = new[] { R("Campaign", "C1", ("Name", "Local"), ("CrmId", "701A"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Salesforce"), ("LastModifiedDate", Later)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal(SyncSide.Local, c.Side);
            Assert.Equal("Salesforce", c.FieldsAfter["Name"]);
            Assert.Contains("Salesforce wins ties", c.Reason);
        }

        [Fact]
        public void Campaigns_5_salesforce_rest_offsets_and_datetime_values_are_compared_as_instants()
        {
            // 2026-01-20T01:00+0100 is 00:00Z: a tie with the local time, so Salesforce wins.
            var local = new[] { R("Campaign", "C1", ("Name", "Local"), ("CrmId", "701A"), ("ModifiedDate", new DateTime(2026, 1, 20, 0, 0, 0, DateTimeKind.Utc))) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Salesforce"), ("LastModifiedDate", "2026-01-20T01:00:00.000+0100")) };
            Assert.Equal(SyncSide.Local, Assert.Single(Run(local, sf).Changes).Side);
            sf[0].Set("LastModifiedDate", "2026-01-19T23:00:00.000+0000");
            Assert.Equal(SyncSide.Salesforce, Assert.Single(Run(local, sf).Changes).Side);
        }

        // Seed 003: "For every campaign in the Lead Gen & CRM list, if the campaign is active and does not have a CRM Campaign ID, push it to Salesforce."
        [Fact]
        public void Campaigns_6_7_active_local_campaign_without_crm_id_modified_since_last_sync_is_pushed()
        {
            var local = new[]
            {
                R("Campaign", "C1", ("Name", "Active new"), ("IsActive", true), ("ModifiedDate", Early)),
                R("Campaign", "C2", ("Name", "Inactive new"), ("IsActive", false), ("ModifiedDate", Early)),
                R("Campaign", "C3", ("Name", "Linked"), ("IsActive", true), ("CrmId", "701C"), ("ModifiedDate", Early)),
                R("Campaign", "C4", ("Name", "Old"), ("IsActive", true), ("ModifiedDate", Before)),
            };
            var result = Run(local, Array.Empty<CrmRecord>());
            var c = Assert.Single(result.Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Insert, "Campaign"), (c.Side, c.Operation, c.ObjectType));
            Assert.Equal("C1", c.FieldsAfter["LeadGen_Id__c"]);
            Assert.StartsWith("Campaigns.7", c.Step);
            Assert.Contains(result.Skipped, s => s.Id == "C2");
        }

        // ---- Opportunities -----------------------------------------------------------------------------------

        private static CrmRecord[] OppLocal(params CrmRecord[] extra) => new[]
        {
            R("Campaign", "C1", ("Name", "Spring"), ("CrmId", "701A"), ("ModifiedDate", Before)),
            R("Account", "A1", ("Name", "Acme"), ("CrmId", "001A"), ("ModifiedDate", Before)),
            R("DealStage", "S1", ("Name", "Prospecting")),
        }.Concat(extra).ToArray();

        // Seed 003: "Obtain all opportunities modified in Salesforce since the last sync."
        [Fact]
        public void Opportunities_1_only_opportunities_modified_since_last_sync_are_pulled()
        {
            var sf = new[] { R("Opportunity", "006A", ("Name", "Deal"), ("StageName", "Prospecting"), ("LastModifiedDate", Before)) };
            Assert.Empty(Run(OppLocal(), sf).Changes);
        }

        // Seed 003: "Obtain the campaign attached to the Salesforce opportunity in Lead Gen & CRM. Obtain the account attached to the Salesforce opportunity in Lead Gen & CRM. Obtain the deal stage in Lead Gen & CRM for the Salesforce opportunity if the stage does not exist."
        [Fact]
        public void Opportunities_2_campaign_account_and_stage_resolved_locally_and_missing_stage_created()
        {
            var sf = new[] { R("Opportunity", "006A", ("Name", "Deal"), ("AccountId", "001A"), ("CampaignId", "701A"), ("StageName", "Negotiation"), ("LastModifiedDate", Early)) };
            var changes = Run(OppLocal(), sf).Changes;
            var stage = Assert.Single(changes, c => c.ObjectType == "DealStage");
            Assert.StartsWith("Opportunities.2", stage.Step);
            Assert.Equal("Negotiation", stage.FieldsAfter["Name"]);
            var opp = Assert.Single(changes, c => c.ObjectType == "Opportunity");
            Assert.Equal("A1", opp.FieldsAfter["AccountId"]);
            Assert.Equal("C1", opp.FieldsAfter["CampaignId"]);
            Assert.Equal(stage.Id, opp.FieldsAfter["DealStageId"]);
        }

        // Seed 003: "Update account, campaign, and deal stage association for the opportunity. Update the opportunity name with the Salesforce name."
        [Fact]
        public void Opportunities_3_existing_opportunity_gets_account_campaign_stage_and_name()
        {
            var local = OppLocal(R("Opportunity", "O1", ("Name", "Old name"), ("AccountId", "A1"), ("CampaignId", null), ("DealStageId", "S1"), ("CrmId", "006A"), ("ModifiedDate", Later)));
            var sf = new[] { R("Opportunity", "006A", ("Name", "New name"), ("AccountId", "001A"), ("CampaignId", "701A"), ("StageName", "Prospecting"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Update, "O1"), (c.Side, c.Operation, c.Id));
            Assert.StartsWith("Opportunities.3", c.Step);
            Assert.Equal(new[] { "CampaignId", "Name" }, c.FieldsAfter.Keys.OrderBy(k => k));
        }

        // Seed 003: "If the opportunity does not exist in Lead Gen & CRM, create a new opportunity in Lead Gen & CRM."
        [Fact]
        public void Opportunities_4_missing_opportunity_is_created_locally()
        {
            var sf = new[] { R("Opportunity", "006A", ("Name", "Deal"), ("AccountId", "001A"), ("StageName", "Prospecting"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(OppLocal(), sf).Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Insert, "Opportunity"), (c.Side, c.Operation, c.ObjectType));
            Assert.StartsWith("Opportunities.4", c.Step);
            Assert.Equal("006A", c.FieldsAfter["CrmId"]);
            Assert.Equal("S1", c.FieldsAfter["DealStageId"]);
        }

        // ---- Leads -------------------------------------------------------------------------------------------

        // Seed 003: "Obtain all leads modified in Salesforce since the last sync."
        [Fact]
        public void Leads_1_only_salesforce_leads_modified_since_last_sync_are_pulled()
        {
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Email", "ng@example.com"), ("LastModifiedDate", Before)) };
            Assert.Empty(Run(Array.Empty<CrmRecord>(), sf).Changes);
        }

        // Seed 003: "For every lead in the Salesforce list, attempt to find the lead in Lead Gen & CRM by CRM ID or email address."
        [Fact]
        public void Leads_2_local_lead_found_by_crm_id_or_by_email()
        {
            var local = new[]
            {
                R("Lead", "L1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("CrmId", "00QA"), ("ModifiedDate", Before)),
                R("Lead", "L2", ("LastName", "Ito"), ("Email", "ITO@example.com"), ("ModifiedDate", Before)),
            };
            var sf = new[]
            {
                R("Lead", "00QA", ("LastName", "Ng"), ("Email", "ng@example.com"), ("LastModifiedDate", Early)),
                R("Lead", "00QB", ("LastName", "Ito"), ("Email", "ito@example.com"), ("LastModifiedDate", Early)),
            };
            var result = Run(local, sf);
            var c = Assert.Single(result.Changes);
            Assert.Equal(("L2", SyncOperation.Update), (c.Id, c.Operation));
            Assert.Equal("00QB", c.FieldsAfter["CrmId"]);
            Assert.Equal("00QB", result.State.SalesforceIdOf("Lead", "L2"));
            Assert.Equal("00QA", result.State.SalesforceIdOf("Lead", "L1"));
        }

        // Seed 003: "If the lead exists, resolve field conflicts in every lead field in favor of pushing to Salesforce or pulling from Salesforce."
        [Fact]
        public void Leads_3_field_conflicts_resolved_per_field_direction()
        {
            var profile = SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""fields"": { ""Phone"": ""push"", ""Rating"": ""pull"" } } } }"), "p");
            var local = new[] { R("Lead", "L1", ("LastName", "Local"), ("Phone", "1"), ("Rating", "Hot"), ("LeadScore", 40), ("Title", "CEO"), ("CrmId", "00QA"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Sf"), ("Phone", "2"), ("Rating", "Cold"), ("Lead_Score__c", 10), ("Title", "CTO"), ("LastModifiedDate", Early)) };
            var changes = Run(local, sf, profile).Changes;
            var toLocal = Assert.Single(changes, c => c.Side == SyncSide.Local);
            var toSf = Assert.Single(changes, c => c.Side == SyncSide.Salesforce);
            Assert.Equal(new[] { "Rating" }, toLocal.FieldsAfter.Keys);              // pull
            Assert.Equal("Cold", toLocal.FieldsAfter["Rating"]);
            Assert.Equal(new[] { "LastName", "Lead_Score__c", "Phone", "Title" }, toSf.FieldsAfter.Keys.OrderBy(k => k, StringComparer.Ordinal)); // push + two-way, local newer
            Assert.StartsWith("Leads.3", toSf.Step);
        }

        // Seed 003: "Push-and-Pull is a smart override sync that will change fields; If a field is set to Push to Salesforce, the Salesforce field will [be overwritten]."
        [Fact]
        public void Leads_3_two_way_salesforce_newer_pulls_but_push_fields_still_push()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Local"), ("LeadScore", 40), ("CrmId", "00QA"), ("ModifiedDate", Early)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Sf"), ("Lead_Score__c", 10), ("LastModifiedDate", Later)) };
            var changes = Run(local, sf).Changes;
            Assert.Equal("Sf", Assert.Single(changes, c => c.Side == SyncSide.Local).FieldsAfter["LastName"]);
            Assert.Equal(40, Assert.Single(changes, c => c.Side == SyncSide.Salesforce).FieldsAfter["Lead_Score__c"]);
        }

        // Seed 003: "If the lead does not exist, create the lead in Lead Gen & CRM."
        [Fact]
        public void Leads_4_missing_lead_created_locally()
        {
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@example.com"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(Array.Empty<CrmRecord>(), sf).Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Insert, "Lead"), (c.Side, c.Operation, c.ObjectType));
            Assert.StartsWith("Leads.4", c.Step);
            Assert.Equal("Acme", c.FieldsAfter["Company"]);
        }

        // Seed 003: "If the lead is associated with the given opportunity in Salesforce, associate the lead with the given opportunity in Lead Gen & CRM."
        [Fact]
        public void Leads_5_lead_associated_with_its_opportunity()
        {
            var local = new[]
            {
                R("Opportunity", "O1", ("Name", "Deal"), ("CrmId", "006A"), ("ModifiedDate", Before)),
                R("Lead", "L1", ("LastName", "Ng"), ("CrmId", "00QA"), ("ModifiedDate", Before)),
            };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("ConvertedOpportunityId", "006A"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.StartsWith("Leads.5", c.Step);
            Assert.Equal("O1", c.FieldsAfter["OpportunityId"]);
        }

        // Seed 003: "Find all leads in Lead Gen & CRM modified since the last sync. Find all leads in the Lead Gen & CRM list that were not just pulled by Salesforce."
        [Fact]
        public void Leads_6_7_only_local_leads_modified_since_last_sync_and_not_just_pulled_are_pushed()
        {
            var local = new[]
            {
                R("Lead", "L1", ("LastName", "Old"), ("Company", "A"), ("Email", "old@example.com"), ("ModifiedDate", Before)),
                R("Lead", "L2", ("LastName", "Pulled"), ("Company", "A"), ("Email", "p@example.com"), ("ModifiedDate", Early)),
            };
            var sf = new[] { R("Lead", "00QB", ("LastName", "Pulled"), ("Company", "A"), ("Email", "p@example.com"), ("LastModifiedDate", Later)) };
            var result = Run(local, sf);
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Insert);
        }

        // Seed 003: "If the lead is a contact, do not push it."
        [Fact]
        public void Leads_8_a_contact_is_never_pushed()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("IsContact", true), ("ModifiedDate", Early)) };
            var result = Run(local, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.Contains("contact", Assert.Single(result.Skipped).Reason);
        }

        // Seed 003: "If the lead already has a CRM ID, do not push it."
        [Fact]
        public void Leads_8_a_lead_with_a_crm_id_is_never_pushed()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("CrmId", "00QA"), ("ModifiedDate", Early)) };
            var result = Run(local, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.Contains("CRM id", Assert.Single(result.Skipped).Reason);
        }

        // Seed 003: "If Last Name, Company, and Email are set, push it."
        [Theory]
        [InlineData(null, "A", "x@example.com", false)]
        [InlineData("Ng", "", "x@example.com", false)]
        [InlineData("Ng", "A", " ", false)]
        [InlineData("Ng", "A", "x@example.com", true)]
        public void Leads_8_pushed_only_with_last_name_company_and_email(string? lastName, string company, string email, bool pushed)
        {
            var local = new[] { R("Lead", "L1", ("LastName", lastName), ("Company", company), ("Email", email), ("ModifiedDate", Early)) };
            var result = Run(local, Array.Empty<CrmRecord>());
            if (pushed)
            {
                var c = Assert.Single(result.Changes);
                Assert.Equal((SyncSide.Salesforce, SyncOperation.Insert, "Lead"), (c.Side, c.Operation, c.ObjectType));
                Assert.Equal("L1", c.FieldsAfter["LeadGen_Id__c"]);
                Assert.False(c.FieldsAfter.ContainsKey("ModifiedDate"));
            }
            else
            {
                Assert.Empty(result.Changes);
                Assert.StartsWith("Leads.8", Assert.Single(result.Skipped).Step);
            }
        }

        // ---- Contacts, accounts, person accounts, lead score --------------------------------------------------

        [Fact]
        public void Contacts_two_way_like_leads_but_a_new_local_contact_is_not_pushed()
        {
            // Seed 003: Contacts "Two-way"; "If the lead is a contact, do not push it."
            var local = new[]
            {
                R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("Title", "Local"), ("ModifiedDate", Later)),
                R("Contact", "K2", ("LastName", "New"), ("Email", "new@example.com"), ("ModifiedDate", Early)),
            };
            var sf = new[] { R("Contact", "003A", ("LastName", "Ng"), ("Email", "ng@example.com"), ("Title", "Sf"), ("LastModifiedDate", Early)) };
            var result = Run(local, sf);
            Assert.Contains(result.Changes, c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Update && c.Id == "003A" && (string?)c.FieldsAfter["Title"] == "Local");
            Assert.DoesNotContain(result.Changes, c => c.Operation == SyncOperation.Insert);
            Assert.Contains(result.Skipped, c => c.Id == "K2" && c.Step == "Contacts.8 new local contact: not pushed");
            // pushNew in the profile is the explicit extension that pushes it.
            var profile = SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": { ""Contacts"": { ""pushNew"": true } } }"), "p.json");
            Assert.Contains(Run(local, sf, profile).Changes, c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Insert && (string?)c.FieldsAfter["LeadGen_Id__c"] == "K2");
        }

        // Seed 003: "Accounts | Pull from Salesforce; If Pull from Salesforce is selected, Salesforce will override"
        [Fact]
        public void Accounts_pull_even_when_local_is_newer()
        {
            var local = new[] { R("Account", "A1", ("Name", "Local"), ("CrmId", "001A"), ("ModifiedDate", Later)) };
            var sf = new[] { R("Account", "001A", ("Name", "Acme"), ("LastModifiedDate", Early)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Local, "Acme"), (c.Side, c.FieldsAfter["Name"]));
        }

        // Seed 003: "Lead Gen & CRM does not support personal accounts. You cannot sync accounts in Salesforce with contacts or leads in Lead Gen & CRM."
        [Fact]
        public void Person_accounts_are_skipped_and_reported_never_merged_into_contacts()
        {
            var local = new[] { R("Contact", "K1", ("LastName", "Ng"), ("Email", "ng@example.com"), ("ModifiedDate", Before)) };
            var sf = new[]
            {
                R("Account", "001P", ("Name", "Ng"), ("IsPersonAccount", true), ("LastModifiedDate", Early)),
                R("Contact", "003P", ("LastName", "Ng"), ("Email", "ng@example.com"), ("IsPersonAccount", true), ("LastModifiedDate", Early)),
            };
            var result = Run(local, sf);
            Assert.Empty(result.Changes);
            Assert.Equal(2, result.Skipped.Count);
            Assert.All(result.Skipped, s => Assert.StartsWith("PersonAccounts.1", s.Step));
        }

        // Seed 003: "Lead Score | Push to Salesforce"
        [Fact]
        public void LeadScore_pushes_to_salesforce_for_linked_leads_modified_locally()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("LeadScore", 75), ("CrmId", "00QA"), ("ModifiedDate", Early)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Lead_Score__c", 10), ("LastModifiedDate", Before)) };
            var c = Assert.Single(Run(local, sf).Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Update, "00QA", "LeadScore.1 push lead score"), (c.Side, c.Operation, c.Id, c.Step));
            Assert.Equal(75, c.FieldsAfter["Lead_Score__c"]);
        }

        [Fact]
        public void Object_direction_pull_never_pushes_new_records_and_push_never_creates_locally()
        {
            var profile = SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": { ""Campaigns"": { ""direction"": ""pull"" }, ""Leads"": { ""direction"": ""push"" } } }"), "p");
            var local = new[] { R("Campaign", "C1", ("Name", "New"), ("IsActive", true), ("ModifiedDate", Early)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Ng"), ("Email", "ng@example.com"), ("LastModifiedDate", Early)) };
            var result = Run(local, sf, profile);
            Assert.Empty(result.Changes);
            Assert.Equal(2, result.Skipped.Count);
        }

        [Fact]
        public void Inputs_are_not_changed_by_a_run()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Local"), ("CrmId", "00QA"), ("ModifiedDate", Early)) };
            var sf = new[] { R("Lead", "00QA", ("LastName", "Sf"), ("LastModifiedDate", Later)) };
            Assert.NotEmpty(Run(local, sf).Changes);
            Assert.Equal("Local", local[0]["LastName"]);
            Assert.Equal("Sf", sf[0]["LastName"]);
        }

        // ---- Events ------------------------------------------------------------------------------------------

        private static CrmRecord[] EventLocal(params CrmRecord[] events) => new[]
        {
            R("Lead", "L1", ("LastName", "Ng"), ("CrmId", "00QA"), ("ModifiedDate", Before)),
            R("Lead", "L2", ("LastName", "Ito"), ("ModifiedDate", Before)),
        }.Concat(events).ToArray();

        // Seed 003: "Pull down all Lead Gen & CRM events that have happened since the last sync."
        [Fact]
        public void Events_1_only_events_since_last_sync_are_pushed()
        {
            var local = EventLocal(R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("EventDate", Before)));
            Assert.Empty(Run(local, Array.Empty<CrmRecord>()).Changes);
        }

        [Fact]
        public void Events_1_an_event_without_a_time_is_reported_not_pushed()
        {
            var local = EventLocal(R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit")));
            var result = Run(local, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.StartsWith("Events.1", Assert.Single(result.Skipped).Step);
        }

        // Seed 003: "For every event, if the event's referenced lead has a Salesforce ID, do the following"
        [Fact]
        public void Events_2_only_events_whose_lead_has_a_salesforce_id_are_pushed()
        {
            var local = EventLocal(R("Event", "E1", ("LeadId", "L2"), ("Object", "PageVisit"), ("EventDate", Early)));
            var result = Run(local, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.StartsWith("Events.2", Assert.Single(result.Skipped).Step);
        }

        // Seed 003: "Grab the what object from the event. Create a description of the event, based on the object of the event. Push that event to Salesforce."
        [Theory]
        [InlineData("PageVisit", "https://example.com/pricing", "Visited page https://example.com/pricing")]
        [InlineData("Email Open", "Spring promo", "Opened email Spring promo")]
        [InlineData("form", "Contact us", "Submitted form Contact us")]
        [InlineData("Chat", "Sales", "Chat Sales")]
        public void Events_3_4_description_built_from_the_events_object_and_pushed(string what, string name, string description)
        {
            var local = EventLocal(R("Event", "E1", ("LeadId", "L1"), ("Object", what), ("Name", name), ("EventDate", Early)));
            var c = Assert.Single(Run(local, Array.Empty<CrmRecord>()).Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Event, "Task"), (c.Side, c.Operation, c.ObjectType));
            Assert.Equal("00QA", c.FieldsAfter["WhoId"]);
            Assert.Equal(description, c.FieldsAfter["Description"]);
            Assert.Equal("2026-01-10", c.FieldsAfter["ActivityDate"]);
            Assert.Equal("E1", c.FieldsAfter["LeadGen_Id__c"]);
        }

        // ---- Change sets and state -----------------------------------------------------------------------------

        [Fact]
        public void Change_sets_per_side_are_written_as_data_loader_files()
        {
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@example.com"), ("ModifiedDate", Early)) };
            var sf = new[] { R("Campaign", "701A", ("Name", "Spring"), ("LastModifiedDate", Early)) };
            var result = Run(local, sf);
            var dir = TestData.Scratch();
            var sfFiles = result.ToChangeSet(SyncSide.Salesforce).Write(Path.Combine(dir, "sf"));
            Assert.Contains(sfFiles, f => Path.GetFileName(f) == "Lead-insert.csv");
            var csv = File.ReadAllText(sfFiles.First(f => Path.GetFileName(f) == "Lead-insert.csv"));
            Assert.Contains("LeadGen_Id__c", csv);
            var localFiles = result.ToChangeSet(SyncSide.Local).Write(Path.Combine(dir, "local"));
            Assert.Contains(localFiles, f => Path.GetFileName(f) == "Campaign-insert.csv");
        }

        [Fact]
        public void New_state_has_now_as_last_sync_for_every_object_and_input_state_is_unchanged()
        {
            var state = StateAfterLastSync();
            var result = Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), state: state);
            Assert.All(SyncProfile.ObjectNames, n => Assert.Equal(Now, result.State.LastSync(n)));
            Assert.All(SyncProfile.ObjectNames, n => Assert.Equal(Last, state.LastSync(n)));
        }
    }
}
