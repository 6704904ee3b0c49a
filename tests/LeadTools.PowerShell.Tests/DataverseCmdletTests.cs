using System;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Seed 004 through the cmdlets on Dataverse Web API exports: the cmdlets' defaults fit the Web API shape
    /// (_parentcontactid_value, _parentaccountid_value, @odata annotations), and the results come as Web API requests.
    /// </summary>
    public class DataverseCmdletTests
    {
        private const string Leads = @"{
  ""@odata.context"": ""https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#leads(subject,firstname,lastname,emailaddress1,_parentcontactid_value,_parentaccountid_value)"",
  ""value"": [
    { ""@odata.etag"": ""W/\""8001\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000001"", ""subject"": ""Product A"", ""firstname"": ""Yvonne"", ""lastname"": ""McKay"", ""emailaddress1"": ""yvonne@fourthcoffee.com"",
      ""_parentcontactid_value@OData.Community.Display.V1.FormattedValue"": ""Yvonne McKay"", ""_parentcontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""contact"",
      ""_parentcontactid_value"": ""c1000000-0000-0000-0000-000000000001"", ""_parentaccountid_value"": null },
    { ""@odata.etag"": ""W/\""8002\"""", ""leadid"": ""1ead0000-0000-0000-0000-000000000002"", ""subject"": ""Coffee machines"", ""firstname"": ""Nancy"", ""lastname"": ""Anderson"", ""emailaddress1"": ""nancy@adventure-works.com"",
      ""_parentcontactid_value"": null,
      ""_parentaccountid_value@Microsoft.Dynamics.CRM.lookuplogicalname"": ""account"", ""_parentaccountid_value"": ""8d390c24-9c72-e511-80d4-00155d2a68d1"" }
  ]
}";

        private const string Contacts = @"{
  ""@odata.context"": ""https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#contacts(firstname,lastname,emailaddress1)"",
  ""value"": [
    { ""@odata.etag"": ""W/\""9001\"""", ""contactid"": ""c1000000-0000-0000-0000-000000000001"", ""firstname"": ""Yvonne"", ""lastname"": ""McKay"", ""emailaddress1"": ""yvonne@fourthcoffee.com"" }
  ]
}";

        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-dataverse", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "leads.json"), Leads);
            File.WriteAllText(Path.Combine(dir, "contacts.json"), Contacts);
            File.WriteAllText(Path.Combine(dir, "lead-per-topic.json"), @"{ ""schemaVersion"": 1, ""fields"": { ""Topic"": ""subject"" },
  ""rules"": [ { ""name"": ""Email+Topic"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" }, { ""field"": ""Topic"", ""method"": ""Exact"" } ] } ] }");
            return dir;
        }

        private static ScriptResult Run(string script, string dir) =>
            TestHost.Run(script, new System.Collections.Generic.Dictionary<string, object?> { ["d"] = dir });

        private static object?[] Values(ScriptResult r) => r.Output.Select(o => o?.BaseObject).ToArray();

        [Fact]
        public void Connect_OrphanedLead_defaults_fit_a_Web_API_export_and_write_the_requests()
        {
            // Seed 004: "Segments, customer journeys ... require that each lead has a contact associated with it" and
            // "each account must be associated with one or more contact records". With the cmdlet's defaults only:
            // lead 1 (linked through _parentcontactid_value) is left alone; lead 2 (account-based, no contact) gets a
            // marketing-only contact attached to its account, and the account is not reported.
            var dir = Scratch();
            var r = Run(@"
                $results = Import-CrmRecord ($d + '/leads.json'), ($d + '/contacts.json') | Connect-OrphanedLead -Strategy EmailExact -RequestPath ($d + '/requests.json')
                @($results).Count
                $results[0].Action; $results[0].LeadId; $results[0].ContactId; $results[0].Contact.msdyncrm_marketingonly; $results[0].Contact._parentcustomerid_value
                $results[0].Lead._parentcontactid_value -eq $results[0].ContactId
                @($results[0].Requests).Count; $results[0].Requests[0].Method + ' ' + $results[0].Requests[0].Url; $results[0].Requests[1].Method + ' ' + $results[0].Requests[1].Url; $results[0].Requests[1].IfMatch", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var v = Values(r);
            Assert.Equal(1, v[0]);
            Assert.Equal("CreatedMarketingContact", v[1]);
            Assert.Equal("1ead0000-0000-0000-0000-000000000002", v[2]);
            var contactId = (string)v[3]!;
            Assert.True(Guid.TryParse(contactId, out _), contactId);
            Assert.Equal(true, v[4]);
            Assert.Equal("8d390c24-9c72-e511-80d4-00155d2a68d1", v[5]);
            Assert.Equal(true, v[6]);
            Assert.Equal(2, v[7]);
            Assert.Equal("POST contacts", v[8]);
            Assert.Equal("PATCH leads(1ead0000-0000-0000-0000-000000000002)", v[9]);
            Assert.Equal("W/\"8002\"", v[10]);

            var file = JArray.Parse(File.ReadAllText(Path.Combine(dir, "requests.json")));
            Assert.Equal(2, file.Count);
            Assert.Equal("POST", (string?)file[0]["method"]);
            Assert.Equal("/accounts(8d390c24-9c72-e511-80d4-00155d2a68d1)", (string?)file[0]["body"]!["parentcustomerid_account@odata.bind"]);
            Assert.Equal(contactId, (string?)file[0]["body"]!["contactid"]);
            Assert.Equal("/contacts(" + contactId + ")", (string?)file[1]["body"]!["parentcontactid@odata.bind"]);
            Assert.Equal("W/\"8002\"", (string?)file[1]["headers"]!["If-Match"]);
            Assert.DoesNotContain("003LT", File.ReadAllText(Path.Combine(dir, "requests.json")));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }

        [Fact]
        public void WhatIf_writes_no_request_file_and_Salesforce_records_refuse_a_request_file()
        {
            var dir = Scratch();
            var r = Run(@"
                $null = Import-CrmRecord ($d + '/leads.json') | Connect-OrphanedLead -RequestPath ($d + '/requests.json') -WhatIf
                [System.IO.File]::Exists($d + '/requests.json')
                @{ Id = '00Q000000000001AAA'; Email = 'a@b.com'; ObjectType = 'Lead' } | Connect-OrphanedLead -RequestPath ($d + '/sf.json')", dir);
            Assert.Equal(false, Values(r)[0]);
            Assert.Equal("RequestPathNeedsDataverse,LeadTools.PowerShell.Commands.ConnectOrphanedLeadCommand", r.Exception is System.Management.Automation.IContainsErrorRecord e ? e.ErrorRecord.FullyQualifiedErrorId : r.Errors.Single().FullyQualifiedErrorId);
            Assert.False(File.Exists(Path.Combine(dir, "sf.json")));
        }

        [Fact]
        public void Add_CrmLead_one_lead_per_product_linked_to_the_contact_with_Web_API_requests()
        {
            // Seed 004: "A given contact might have several leads associated with it, each representing a different level
            // of interest in a different product or offer." Leads by email and topic, contacts by email.
            var dir = Scratch();
            var r = Run(@"
                $existing = Import-CrmRecord ($d + '/leads.json'), ($d + '/contacts.json')
                $subs = @(
                    @{ subject = 'Product B'; firstname = 'Yvonne'; lastname = 'McKay'; emailaddress1 = 'yvonne@fourthcoffee.com' }
                    @{ subject = 'Product A'; emailaddress1 = 'yvonne@fourthcoffee.com'; telephone1 = '+1 206 555 0199' }
                )
                $results = $subs | Add-CrmLead -ExistingRecord $existing -Strategy EmailExact -LeadStrategy ($d + '/lead-per-topic.json') -RequestPath ($d + '/requests.json')
                foreach ($x in $results) { $x.Action + '|' + $x.CreditedToId + '|' + $x.LinkedContactId + '|' + $x.Requests[0].Method }
                $results[0].Lead._parentcontactid_value; $results[1].LeadId; $existing[0].telephone1", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var v = Values(r);
            Assert.Equal("LinkedToContact|c1000000-0000-0000-0000-000000000001|c1000000-0000-0000-0000-000000000001|POST", v[0]);
            Assert.Equal("UpdatedLead|c1000000-0000-0000-0000-000000000001||PATCH", v[1]);
            Assert.Equal("c1000000-0000-0000-0000-000000000001", v[2]);
            Assert.Equal("1ead0000-0000-0000-0000-000000000001", v[3]); // Product A's lead, not overwritten by Product B
            Assert.Null(v[4]); // the input records are not changed
            var file = JArray.Parse(File.ReadAllText(Path.Combine(dir, "requests.json")));
            Assert.Equal(new[] { "POST leads", "PATCH leads(1ead0000-0000-0000-0000-000000000001)" }, file.Select(t => (string?)t["method"] + " " + (string?)t["url"]).ToArray());
            Assert.Equal("/contacts(c1000000-0000-0000-0000-000000000001)", (string?)file[0]["body"]!["parentcontactid@odata.bind"]);
            Assert.Equal("Product B", (string?)file[0]["body"]!["subject"]);
            Assert.Equal(@"{""telephone1"":""+1 206 555 0199""}", file[1]["body"]!.ToString(Newtonsoft.Json.Formatting.None));
        }
    }
}
