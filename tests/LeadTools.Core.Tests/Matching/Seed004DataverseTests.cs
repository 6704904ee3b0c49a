using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Matching
{
    /// <summary>
    /// Seed 004 (Dynamics 365 Customer Insights - Journeys, "Manage leads"), rule by rule, on records in the Dataverse
    /// Web API shape: the lead and contact exports below are written as the Web API returns them (the documented
    /// <c>@odata.context</c>/<c>value</c> envelope, <c>@odata.etag</c>, lookups as <c>_x_value</c> with their
    /// <c>lookuplogicalname</c> and formatted-value annotations; shared/data/exports/dataverse holds the documentation's
    /// own samples, used where they fit).
    /// </summary>
    public sealed class Seed004DataverseTests
    {
        // Account GUIDs from the Web API documentation sample (query-data-web-api.md__01_basic_accounts.json).
        private const string FourthCoffee = "89390c24-9c72-e511-80d4-00155d2a68d1";
        private const string Litware = "8b390c24-9c72-e511-80d4-00155d2a68d1";
        private const string AdventureWorks = "8d390c24-9c72-e511-80d4-00155d2a68d1";

        private const string Contacts = @"{
  ""@odata.context"": ""[Organization URI]/api/data/v9.2/$metadata#contacts(firstname,lastname,emailaddress1,_parentcustomerid_value)"",
  ""value"": [
    { ""@odata.etag"": ""W/\""600001\"""", ""contactid"": ""c1000000-0000-0000-0000-000000000001"", ""firstname"": ""Yvonne"", ""lastname"": ""McKay"", ""emailaddress1"": ""yvonne@fourthcoffee.com"",
      ""_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""account"", ""_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"": ""Fourth Coffee (sample)"",
      ""_parentcustomerid_value"": """ + FourthCoffee + @""" },
    { ""@odata.etag"": ""W/\""600002\"""", ""contactid"": ""c1000000-0000-0000-0000-000000000002"", ""firstname"": ""Susanna"", ""lastname"": ""Stubberod"", ""emailaddress1"": ""susanna@litware.com"",
      ""_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""contact"",
      ""_parentcustomerid_value"": ""c1000000-0000-0000-0000-000000000001"" }
  ]
}";

        private const string Leads = @"{
  ""@odata.context"": ""[Organization URI]/api/data/v9.2/$metadata#leads(subject,firstname,lastname,emailaddress1,_parentcontactid_value,_parentaccountid_value)"",
  ""value"": [
    { ""@odata.etag"": ""W/\""700001\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000001"", ""subject"": ""Product A"", ""firstname"": ""Yvonne"", ""lastname"": ""McKay"", ""emailaddress1"": ""yvonne@fourthcoffee.com"",
      ""_parentcontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""contact"", ""_parentcontactid_value@OData.Community.Display.V1.FormattedValue"": ""Yvonne McKay"",
      ""_parentcontactid_value"": ""c1000000-0000-0000-0000-000000000001"", ""_parentaccountid_value"": null },
    { ""@odata.etag"": ""W/\""700002\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000002"", ""subject"": ""Coffee machines"", ""firstname"": ""Nancy"", ""lastname"": ""Anderson"", ""emailaddress1"": ""nancy@adventure-works.com"",
      ""_parentcontactid_value"": null,
      ""_parentaccountid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""account"", ""_parentaccountid_value"": """ + AdventureWorks + @""" },
    { ""@odata.etag"": ""W/\""700003\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000003"", ""subject"": ""Licences"", ""firstname"": ""Ana"", ""lastname"": ""Trujillo"", ""emailaddress1"": ""ana@litware.com"",
      ""_parentcontactid_value"": ""c1000000-0000-0000-0000-000000000002"", ""_parentaccountid_value"": """ + Litware + @""" },
    { ""@odata.etag"": ""W/\""700004\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000004"", ""subject"": ""Refill"", ""firstname"": ""Yvonne"", ""lastname"": ""McKay"", ""emailaddress1"": ""YVONNE@fourthcoffee.com"",
      ""_parentcontactid_value"": null, ""_parentaccountid_value"": null }
  ]
}";

        private static (List<CrmRecord> Leads, List<CrmRecord> Contacts) Export()
        {
            var (leads, issues) = TestData.ReadText("leads.json", Leads);
            Assert.Empty(issues);
            var (contacts, issues2) = TestData.ReadText("contacts.json", Contacts);
            Assert.Empty(issues2);
            return (leads, contacts);
        }

        private static OrphanedLeadLinker Linker(List<CrmRecord> contacts, bool dataverse = true)
        {
            // The cmdlet's defaults: parentcontactid, msdyncrm_marketingonly, parentaccountid.
            var linker = new OrphanedLeadLinker(MatchStrategy.EmailExact(), dataverse: dataverse);
            foreach (var c in contacts) linker.AddContact(c);
            return linker;
        }

        [Fact]
        public void The_documentation_samples_are_recognised_as_Web_API_records_and_their_lookups_read()
        {
            // query-data-web-api.md: "_customerid_value" with lookuplogicalname "contact"; an expanded primarycontactid.
            var (incident, _) = TestData.Read(TestData.Export("dataverse/query-data-web-api.md__06_lookup_annotations_incident_contact.json"));
            Assert.True(DataverseWebApi.IsWebApiRecord(incident.Single()));
            Assert.Equal("7ddd0b31-ed8b-e511-80d2-00155d2a68d4", DataverseWebApi.GetLookup(incident.Single(), "customerid"));
            Assert.Equal("contact", DataverseWebApi.LookupTable(incident.Single(), "customerid"));
            var (accounts, _) = TestData.Read(TestData.Export("dataverse/query-data-web-api.md__07_expand_primarycontact_accounts.json"));
            Assert.Equal("c19648c3-68f7-e511-80d3-00155db53318", DataverseWebApi.GetLookup(accounts[0], "primarycontactid"));
            var (contacts, _) = TestData.Read(TestData.Export("dataverse/multi-select-picklist.md__01_contacts_containvalues.json"));
            Assert.Equal(CrmTarget.Dataverse, DataverseWebApi.Resolve(CrmTarget.Auto, contacts));
            // A Salesforce export stays Salesforce.
            var (sf, _) = TestData.Read(TestData.Export("salesforce/trailheadapps_easy-spaces-lwc/Leads.json"));
            Assert.Equal(CrmTarget.Salesforce, DataverseWebApi.Resolve(CrmTarget.Auto, sf));
        }

        [Fact]
        public void Seed004_each_lead_has_a_contact_an_already_linked_Web_API_lead_is_not_relinked()
        {
            // "Segments, customer journeys, and other Dynamics 365 Customer Insights - Journeys features require that each
            // lead has a contact associated with it." Lead 1 has one (as _parentcontactid_value): nothing to do for it.
            var (leads, contacts) = Export();
            var outcomes = Linker(contacts).ProcessAll(leads);
            Assert.DoesNotContain(outcomes, o => o.Lead.Id == "1ead0000-0000-0000-0000-000000000001");
            // Lead 4 has none but its email matches Yvonne's contact: linked to it, in the Web API's own field.
            var linked = outcomes.Single(o => o.Lead.Id == "1ead0000-0000-0000-0000-000000000004");
            Assert.Equal(OrphanAction.LinkedToContact, linked.Action);
            Assert.Equal("c1000000-0000-0000-0000-000000000001", linked.Lead["_parentcontactid_value"]);
            var patch = Assert.Single(linked.Requests);
            Assert.Equal("PATCH", patch.Method);
            Assert.Equal("leads(1ead0000-0000-0000-0000-000000000004)", patch.Url);
            Assert.Equal("W/\"700004\"", patch.IfMatch);
            Assert.Equal(@"{""parentcontactid@odata.bind"":""/contacts(c1000000-0000-0000-0000-000000000001)""}", patch.Body.ToString(Newtonsoft.Json.Formatting.None));
        }

        [Fact]
        public void A_linked_lead_is_recognised_in_every_Web_API_form_of_the_lookup()
        {
            var linker = new OrphanedLeadLinker(MatchStrategy.EmailExact(), dataverse: true);
            linker.AddContact(TestData.Record("contact", "c9", ("emailaddress1", "x@y.com")));
            var expanded = new CrmRecord("lead");
            expanded.Add("leadid", "1ead0000-0000-0000-0000-0000000000a1");
            expanded.Add("emailaddress1", "x@y.com");
            expanded.Add("parentcontactid", JObject.Parse(@"{ ""contactid"": ""c1000000-0000-0000-0000-000000000001"", ""fullname"": ""Yvonne McKay"" }"));
            var bound = new CrmRecord("lead");
            bound.Add("leadid", "1ead0000-0000-0000-0000-0000000000a2");
            bound.Add("emailaddress1", "x@y.com");
            bound.Add("parentcontactid@odata.bind", "/contacts(c1000000-0000-0000-0000-000000000001)");
            Assert.Empty(linker.ProcessAll(new[] { expanded, bound }));
        }

        [Fact]
        public void Seed004_account_based_lead_the_generated_contact_is_attached_to_the_account_so_it_is_not_reported()
        {
            // "If you choose to create account-based leads, then each account must be associated with one or more contact
            // records because your segments and customer journeys still need to include and target contacts, not accounts."
            var (leads, contacts) = Export();
            var outcomes = Linker(contacts).ProcessAll(leads);
            var nancy = outcomes.Where(o => o.Lead.Id == "1ead0000-0000-0000-0000-000000000002").ToList();
            var created = Assert.Single(nancy); // no AccountWithoutContact: the new contact covers Adventure Works
            Assert.Equal(OrphanAction.CreatedMarketingContact, created.Action);
            Assert.Equal(AdventureWorks, created.Contact!["_parentcustomerid_value"]);
            // "You can also use the marketingonly flag on the contact entity to differentiate the automatically generated
            // (marketing-only) contacts from other types of contacts."
            Assert.Equal(true, created.Contact["msdyncrm_marketingonly"]);

            // No Salesforce-style provisional id for a Dataverse record: a GUID, the same on every run for the same lead.
            Assert.True(Guid.TryParse(created.Contact.Id, out _));
            Assert.DoesNotContain("LT", created.Contact.Id);
            Assert.Equal("contactid", created.Contact.IdField);
            var again = Linker(Export().Contacts).ProcessAll(Export().Leads).Single(o => o.Action == OrphanAction.CreatedMarketingContact);
            Assert.Equal(created.Contact.Id, again.Contact!.Id);

            // The Web API requests: create the contact (bound to the account and its originating lead), then link the lead.
            Assert.Equal(new[] { "POST contacts", "PATCH leads(1ead0000-0000-0000-0000-000000000002)" }, created.Requests.Select(r => r.Method + " " + r.Url).ToArray());
            var post = created.Requests[0].Body;
            Assert.Equal(created.Contact.Id, (string?)post["contactid"]);
            Assert.Equal("Nancy", (string?)post["firstname"]);
            Assert.Equal("nancy@adventure-works.com", (string?)post["emailaddress1"]);
            Assert.True((bool)post["msdyncrm_marketingonly"]!);
            Assert.Equal("/accounts(" + AdventureWorks + ")", (string?)post["parentcustomerid_account@odata.bind"]);
            Assert.Equal("/leads(1ead0000-0000-0000-0000-000000000002)", (string?)post["originatingleadid@odata.bind"]);
            Assert.DoesNotContain(post.Properties(), p => p.Name.StartsWith("_") || (p.Name.Contains("@") && !p.Name.EndsWith("@odata.bind")));
            Assert.Equal("/contacts(" + created.Contact.Id + ")", (string?)created.Requests[1].Body["parentcontactid@odata.bind"]);
        }

        [Fact]
        public void Seed004_an_account_whose_only_contact_link_points_to_a_contact_is_still_reported()
        {
            // Lead 3 is linked (to Susanna), account-based on Litware; Susanna's parentcustomerid is a contact, not Litware:
            // the account has no contact, so it is reported, and the linked lead is not changed.
            var (leads, contacts) = Export();
            var outcomes = Linker(contacts).ProcessAll(leads);
            var report = Assert.Single(outcomes, o => o.Lead.Id == "1ead0000-0000-0000-0000-000000000003");
            Assert.Equal(OrphanAction.AccountWithoutContact, report.Action);
            Assert.Equal(Litware, report.AccountId);
            Assert.Empty(report.Requests);
        }

        [Fact]
        public void An_account_covered_by_a_contact_made_for_a_later_lead_is_not_reported_for_an_earlier_lead()
        {
            // Order must not matter: the linked lead of Adventure Works comes first, the orphan that creates its contact after.
            var first = new CrmRecord("lead");
            first.Add("leadid", "1ead0000-0000-0000-0000-0000000000b1");
            first.Add("_parentcontactid_value", "c1000000-0000-0000-0000-000000000001");
            first.Add("_parentaccountid_value", AdventureWorks);
            var (leads, contacts) = Export();
            var outcomes = Linker(contacts).ProcessAll(new[] { first }.Concat(leads));
            Assert.DoesNotContain(outcomes, o => o.Action == OrphanAction.AccountWithoutContact && o.AccountId == AdventureWorks);
        }

        [Fact]
        public void Salesforce_records_keep_provisional_ids_and_the_account_link_is_AccountId()
        {
            var linker = new OrphanedLeadLinker(MatchStrategy.EmailExact(), "ContactId", "Marketing_Only__c", "Account__c");
            var outcomes = linker.ProcessAll(new[] { TestData.Record("Lead", "00Q000000000001AAA", ("Email", "bo@x.com"), ("Account__c", "001000000000001AAA")) });
            var created = Assert.Single(outcomes);
            Assert.Equal(OrphanAction.CreatedMarketingContact, created.Action);
            Assert.StartsWith("003LTnew", created.Contact!.Id);
            Assert.Equal("001000000000001AAA", created.Contact["AccountId"]);
            Assert.Empty(created.Requests);
        }

        private static LeadCapture Capture(MatchStrategy? leadStrategy = null)
        {
            var (leads, contacts) = Export();
            var capture = new LeadCapture(MatchStrategy.EmailExact(), "parentcontactid", leadStrategy, dataverse: true);
            foreach (var r in leads.Concat(contacts)) capture.AddExisting(r);
            return capture;
        }

        private static CrmRecord Submission(params (string, object?)[] fields)
        {
            var r = new CrmRecord("Lead");
            foreach (var (n, v) in fields) r.Add(n, v);
            return r;
        }

        private static MatchStrategy EmailAndTopic() =>
            MatchStrategyFile.Parse(JObject.Parse(CustomFieldStrategyTests.EmailAndTopic), "lead-strategy.json", "lead-strategy");

        [Fact]
        public void Seed004_an_unlinked_lead_and_a_contact_both_match_the_lead_is_linked_and_the_contact_credited()
        {
            // "New leads can be associated with existing contacts when they are available." and "The new interaction is
            // still recorded and credited to the correct contact for lead-scoring purposes."
            // Lead 2 (Nancy, no contact) matches; make Nancy a contact too (she exists as both).
            var capture = Capture();
            var nancy = new CrmRecord("contact");
            nancy.Add("contactid", "c1000000-0000-0000-0000-000000000003");
            nancy.Add("emailaddress1", "nancy@adventure-works.com");
            capture.AddExisting(nancy);
            var o = capture.Capture(Submission(("emailaddress1", "Nancy@Adventure-Works.com"), ("telephone1", "+1 425 555 0101")));
            Assert.Equal(CaptureAction.UpdatedLead, o.Action);
            Assert.Equal("1ead0000-0000-0000-0000-000000000002", o.Lead.Id);
            Assert.Equal("c1000000-0000-0000-0000-000000000003", o.Lead["_parentcontactid_value"]);
            Assert.Equal("c1000000-0000-0000-0000-000000000003", o.CreditedToId);
            Assert.Equal("c1000000-0000-0000-0000-000000000003", o.LinkedContact!.Id);
            Assert.Equal(new[] { "telephone1", "parentcontactid" }, o.UpdatedFields.ToArray());
            var patch = Assert.Single(o.Requests);
            Assert.Equal("PATCH", patch.Method);
            Assert.Equal("leads(1ead0000-0000-0000-0000-000000000002)", patch.Url);
            Assert.Equal("W/\"700002\"", patch.IfMatch);
            Assert.Equal(@"{""telephone1"":""+1 425 555 0101"",""parentcontactid@odata.bind"":""/contacts(c1000000-0000-0000-0000-000000000003)""}", patch.Body.ToString(Newtonsoft.Json.Formatting.None));
        }

        [Fact]
        public void A_lead_already_linked_to_another_contact_keeps_its_link_and_its_contact_gets_the_credit()
        {
            // Lead 3 (Ana) is linked to Susanna; a contact with Ana's email also exists: the lead is not moved.
            var capture = Capture();
            var ana = new CrmRecord("contact");
            ana.Add("contactid", "c1000000-0000-0000-0000-000000000004");
            ana.Add("emailaddress1", "ana@litware.com");
            capture.AddExisting(ana);
            var o = capture.Capture(Submission(("emailaddress1", "ana@litware.com"), ("parentcontactid", "c1000000-0000-0000-0000-000000000004")));
            Assert.Equal(CaptureAction.UpdatedLead, o.Action);
            Assert.Equal("c1000000-0000-0000-0000-000000000002", o.Lead["_parentcontactid_value"]);
            Assert.Equal("c1000000-0000-0000-0000-000000000002", o.CreditedToId);
            Assert.Empty(o.UpdatedFields);
            Assert.Empty(o.Requests); // nothing changed: no request
            Assert.Contains("already linked to contact c1000000-0000-0000-0000-000000000002", o.Reason);
        }

        [Fact]
        public void Seed004_several_leads_per_contact_a_Product_B_submission_does_not_overwrite_the_Product_A_lead()
        {
            // "A given contact might have several leads associated with it, each representing a different level of interest
            // in a different product or offer." Leads are matched by email and topic; contacts by email.
            var capture = Capture(EmailAndTopic());
            var b = capture.Capture(Submission(("subject", "Product B"), ("firstname", "Yvonne"), ("lastname", "McKay"), ("emailaddress1", "yvonne@fourthcoffee.com")));
            Assert.Equal(CaptureAction.LinkedToContact, b.Action);
            Assert.NotEqual("1ead0000-0000-0000-0000-000000000001", b.Lead.Id);
            Assert.True(Guid.TryParse(b.Lead.Id, out _)); // no 00QLT provisional id for a Dataverse lead
            Assert.Equal("c1000000-0000-0000-0000-000000000001", b.Lead["_parentcontactid_value"]);
            Assert.Equal("c1000000-0000-0000-0000-000000000001", b.CreditedToId);
            var post = Assert.Single(b.Requests);
            Assert.Equal("POST", post.Method);
            Assert.Equal("leads", post.Url);
            Assert.Equal(b.Lead.Id, (string?)post.Body["leadid"]);
            Assert.Equal("Product B", (string?)post.Body["subject"]);
            Assert.Equal("/contacts(c1000000-0000-0000-0000-000000000001)", (string?)post.Body["parentcontactid@odata.bind"]);

            // "You can use landing page submissions to update existing lead records": Product A's submission updates lead 1.
            var a = capture.Capture(Submission(("subject", "product a"), ("emailaddress1", "yvonne@fourthcoffee.com"), ("telephone1", "+1 206 555 0199")));
            Assert.Equal(CaptureAction.UpdatedLead, a.Action);
            Assert.Equal("1ead0000-0000-0000-0000-000000000001", a.Lead.Id);
            Assert.Equal(new[] { "telephone1" }, a.UpdatedFields.ToArray());
            Assert.Equal("Product A", a.Lead["subject"]); // the same topic in another case is not a change

            // "You'll avoid creating duplicate leads": Product B again updates the lead the first B submission made.
            var again = capture.Capture(Submission(("subject", "Product B"), ("emailaddress1", "yvonne@fourthcoffee.com"), ("companyname", "Fourth Coffee")));
            Assert.Equal(CaptureAction.UpdatedLead, again.Action);
            Assert.Equal(b.Lead.Id, again.Lead.Id);
            Assert.Equal("c1000000-0000-0000-0000-000000000001", again.CreditedToId);
        }

        [Fact]
        public void With_one_strategy_for_leads_and_contacts_a_submission_updates_the_person_s_lead_whatever_the_topic()
        {
            // The default (no lead strategy): Dynamics' contact-centred matching by email; the topic is just updated.
            var o = Capture().Capture(Submission(("subject", "Product B"), ("emailaddress1", "yvonne@fourthcoffee.com")));
            Assert.Equal(CaptureAction.UpdatedLead, o.Action);
            Assert.Equal("Product B", o.Lead["subject"]);
        }

        [Fact]
        public void New_Dataverse_leads_get_the_same_GUID_on_a_rerun_and_distinct_ones_within_a_run()
        {
            var s1 = Submission(("subject", "Webinar"), ("emailaddress1", "new@contoso.com"));
            var first = Capture().Capture(s1);
            var rerun = Capture().Capture(s1);
            Assert.Equal(CaptureAction.CreatedLead, first.Action);
            Assert.Equal(first.Lead.Id, rerun.Lead.Id);
            var other = Capture().Capture(Submission(("subject", "Webinar"), ("emailaddress1", "other@contoso.com")));
            Assert.NotEqual(first.Lead.Id, other.Lead.Id);
            Assert.Equal("leadid", first.Lead.IdField);
        }

        [Fact]
        public void A_Dataverse_lead_without_an_id_gets_its_contact_but_no_request_to_an_unaddressable_url()
        {
            var linker = new OrphanedLeadLinker(MatchStrategy.EmailExact(), dataverse: true);
            var lead = new CrmRecord("lead");
            lead.Add("emailaddress1", "noid@x.com");
            var o = linker.ProcessAll(new[] { lead }).Single();
            Assert.Equal(OrphanAction.CreatedMarketingContact, o.Action);
            Assert.Equal(new[] { "POST contacts" }, o.Requests.Select(r => r.Method + " " + r.Url).ToArray());
            Assert.DoesNotContain(o.Requests, r => r.Url.Contains("()"));
        }
    }
}
