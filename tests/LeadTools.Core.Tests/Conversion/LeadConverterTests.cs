using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Conversion
{
    public class LeadConverterTests
    {
        private static readonly DateTime Day = new DateTime(2026, 11, 24, 15, 30, 0, DateTimeKind.Utc);

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static CrmRecord Lead(string id = "00Q000000000001AAA", string? company = "Acme Inc") =>
            Rec("Lead", id, ("FirstName", "Ada"), ("LastName", "Lovelace"), ("Email", "ada@acme.test"), ("Phone", "555-0100"), ("Company", company),
                ("Street", "1 Main St"), ("City", "London"), ("LeadSource", "Web"), ("HasOptedOutOfEmail", true), ("Status", "Working"), ("OwnerId", "005000000000001AAA"),
                ("Lead_Score__c", 42L));

        private static (LeadConverter Converter, AlternateKeyStore Keys) Converter(ConversionOptions? options = null)
        {
            var keys = new AlternateKeyStore();
            var o = options ?? new ConversionOptions();
            o.ConvertedDate = Day;
            return (new LeadConverter(o, keys), keys);
        }

        [Fact]
        public void ConvertsIntoNewContactAccountAndOpportunity()
        {
            var (converter, keys) = Converter();
            var o = converter.Convert(new ConversionRequest(Lead()));
            Assert.True(o.ContactIsNew && o.AccountIsNew && !o.IsPersonAccount);
            Assert.Equal("Acme Inc", o.Account["Name"]);
            Assert.Equal("1 Main St", o.Account["BillingStreet"]);
            Assert.Equal("Web", o.Account["AccountSource"]);
            Assert.Equal("Ada", o.Contact["FirstName"]);
            Assert.Equal("1 Main St", o.Contact["MailingStreet"]);
            Assert.Equal(o.Account.Id, o.Contact["AccountId"]);
            Assert.Equal("005000000000001AAA", o.Contact["OwnerId"]);
            Assert.StartsWith("003LT", o.Contact.Id);
            Assert.StartsWith("001LT", o.Account.Id);
            Assert.Equal(18, o.Contact.Id!.Length);
            Assert.Equal("Acme Inc-", o.Opportunity!["Name"]);
            Assert.Equal("Prospecting", o.Opportunity["StageName"]);
            // The lead.
            Assert.Equal(true, o.Lead["IsConverted"]);
            Assert.Equal("Closed - Converted", o.Lead["Status"]);
            Assert.Equal(o.Contact.Id, o.Lead["ConvertedContactId"]);
            Assert.Equal(o.Opportunity.Id, o.Lead["ConvertedOpportunityId"]);
            Assert.Equal("2026-11-24", o.Lead["ConvertedDate"]); // a date without a time
            // The key store: the contact id replaces the lead id as ContactKey.
            Assert.Equal(o.Contact.Id, keys.Resolve("00Q000000000001AAA"));
            Assert.Contains("converted into new contact", o.Notes[0]);
        }

        [Fact]
        public void ProvisionalIdsAreStablePerLead()
        {
            Assert.Equal(LeadConverter.ProvisionalId("003", "00Q1"), LeadConverter.ProvisionalId("003", "00Q1"));
            Assert.NotEqual(LeadConverter.ProvisionalId("003", "00Q1"), LeadConverter.ProvisionalId("003", "00Q2"));
            Assert.Equal("Contact", ObjectTypes.FromSalesforceId(LeadConverter.ProvisionalId("003", "00Q1")));
        }

        [Fact]
        public void IntoAnExistingContactOnlyBlanksAreFilledAndIdsAndOptOutsAreLeftAlone()
        {
            var (converter, keys) = Converter();
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "Acme Corporation"), ("Phone", null)));
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("FirstName", "Augusta"), ("LastName", "Lovelace"),
                ("Email", null), ("LeadSource", "Partner"), ("HasOptedOutOfEmail", false), ("OwnerId", "005000000000009AAA")));
            var o = converter.Convert(new ConversionRequest(Lead()) { ContactId = "003000000000001AAA" });
            Assert.False(o.ContactIsNew);
            Assert.False(o.AccountIsNew);
            Assert.Equal("001000000000001AAA", o.Account.Id); // the contact's account
            Assert.Equal("Augusta", o.Contact["FirstName"]);
            Assert.Equal("ada@acme.test", o.Contact["Email"]);
            Assert.Equal("Partner", o.Contact["LeadSource"]);
            Assert.Equal(false, o.Contact["HasOptedOutOfEmail"]);
            Assert.Equal("005000000000009AAA", o.Contact["OwnerId"]);
            Assert.Equal("Acme Corporation", o.Account["Name"]);
            Assert.Equal("555-0100", o.Account["Phone"]);
            Assert.Contains("Contact.Email", o.FilledFields);
            Assert.DoesNotContain("Contact.LeadSource", o.FilledFields);
            Assert.Equal("003000000000001AAA", keys.Resolve("00Q000000000001AAA"));
        }

        [Fact]
        public void OverwriteLeadSourceReplacesIt()
        {
            var (converter, _) = Converter(new ConversionOptions { OverwriteLeadSource = true });
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("LastName", "L"), ("LeadSource", "Partner")));
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "A")));
            var o = converter.Convert(new ConversionRequest(Lead()) { ContactId = "003000000000001AAA", AccountId = "001000000000001AAA" });
            Assert.Equal("Web", o.Contact["LeadSource"]);
        }

        [Fact]
        public void RefusalsSayWhy()
        {
            var (converter, keys) = Converter();
            var converted = Lead();
            converted.Set("IsConverted", "true");
            Assert.Equal("AlreadyConverted", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(converted))).ErrorId);
            converter.Convert(new ConversionRequest(Lead("00Q000000000002AAA")));
            Assert.Equal("AlreadyConverted", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(Lead("00Q000000000002AAA")))).ErrorId);
            Assert.Equal("LeadHasNoCompany", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(Lead("00Q000000000003AAA", company: null)))).ErrorId);
            Assert.Equal("ContactNotFound", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(Lead("00Q000000000004AAA")) { ContactId = "003000000000404AAA" })).ErrorId);
            Assert.Equal("NotALead", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(Rec("Contact", "0031")))).ErrorId);
            var noId = Lead();
            noId.Remove("Id");
            Assert.Equal("MissingLeadId", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(noId))).ErrorId);
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "A")));
            converter.AddExisting(Rec("Account", "001000000000002AAA", ("Name", "B")));
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("LastName", "X")));
            Assert.Equal("ContactAccountMismatch", Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(Lead("00Q000000000005AAA")) { ContactId = "003000000000001AAA", AccountId = "001000000000002AAA" })).ErrorId);
            // A stale export: the key store knows the lead was converted in an earlier run.
            var (second, _) = (new LeadConverter(new ConversionOptions(), keys), 0);
            Assert.Contains("key store", Assert.Throws<ConversionException>(() => second.Convert(new ConversionRequest(Lead("00Q000000000002AAA")))).Message);
        }

        [Fact]
        public void LeadsWithoutCompanyBecomePersonAccountsWhenAllowed()
        {
            var (converter, keys) = Converter(new ConversionOptions { AllowPersonAccount = true, PersonAccountRecordTypeId = "012000000000001AAA", CreateOpportunity = false });
            var o = converter.Convert(new ConversionRequest(Lead(company: "")));
            Assert.True(o.IsPersonAccount);
            Assert.Equal(true, o.Account["IsPersonAccount"]);
            Assert.Equal("012000000000001AAA", o.Account["RecordTypeId"]);
            Assert.Equal("ada@acme.test", o.Account["PersonEmail"]);
            Assert.Equal("Lovelace", o.Account["LastName"]);
            Assert.Equal(o.Contact.Id, o.Account["PersonContactId"]);
            Assert.Null(o.Opportunity);
            Assert.Null(o.Lead["ConvertedOpportunityId"]);
            Assert.Equal(o.Contact.Id, keys.Resolve("00Q000000000001AAA"));
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var folder = TestData.Scratch();
            var files = changes.Write(folder).Select(Path.GetFileName).ToArray();
            Assert.Equal(new[] { "Lead-update.csv", "Account-insert.csv", "inserts-tree.json" }, files); // the person contact comes with the account
        }

        [Fact]
        public void CampaignMembersAndActivitiesMoveToTheContact()
        {
            var (converter, _) = Converter();
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("LastName", "L")));
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "A")));
            converter.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "7011"), ("LeadId", "00Q000000000001AAA")));
            converter.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "7012"), ("LeadId", "00Q000000000001AAA")));
            converter.AddRelated(Rec("CampaignMember", "00v3", ("CampaignId", "7012"), ("ContactId", "003000000000001AAA")));
            converter.AddRelated(Rec("Task", "00T1", ("WhoId", "00Q000000000001AAA"), ("Subject", "Call")));
            converter.AddRelated(Rec("Task", "00T2", ("WhoId", "00Q000000000009AAA")));
            var o = converter.Convert(new ConversionRequest(Lead()) { ContactId = "003000000000001AAA" });
            Assert.Equal(new[] { "00v1", "00T1" }, o.MovedChildren.Select(c => c.Id).ToArray());
            Assert.Equal("003000000000001AAA", o.MovedChildren[0]["ContactId"]);
            Assert.Equal("00Q000000000001AAA", o.MovedChildren[0]["LeadId"]); // kept, as Salesforce does
            Assert.Equal("003000000000001AAA", o.MovedChildren[1]["WhoId"]);
            Assert.Contains(o.Notes, n => n.Contains("00v2") && n.Contains("already a member"));
        }

        [Fact]
        public void CustomMappingAddsAndDropsFields()
        {
            var path = Path.Combine(TestData.Scratch(), "mapping.json");
            File.WriteAllText(path, "{ \"schemaVersion\": 1, \"Contact\": { \"Lead_Score__c\": \"Lead_Score__c\", \"Phone\": null } }");
            var (converter, _) = Converter(new ConversionOptions { Mapping = FieldMapping.Load(path) });
            var o = converter.Convert(new ConversionRequest(Lead()));
            Assert.Equal(42L, o.Contact["Lead_Score__c"]);
            Assert.False(o.Contact.Has("Phone"));
        }

        [Theory]
        [InlineData("{ \"Contactt\": {} }", "'Contactt' is not a conversion target")]
        [InlineData("{ \"Contact\": { \"Email\": 5 } }", "'Contact.Email' must name a Contact field")]
        [InlineData("{ \"Contact\": [] }", "'Contact' must be an object")]
        [InlineData("{ \"schemaVersion\": 2 }", "schemaVersion must be 1")]
        [InlineData("{ \"Contact\": { \"Bad Name\": \"X\" } }", "'Contact.Bad Name'")]
        [InlineData("{ \"Contact\": ", "not valid JSON")]
        public void MappingErrorsNameTheKey(string json, string expected)
        {
            var path = Path.Combine(TestData.Scratch(), "mapping.json");
            File.WriteAllText(path, json);
            var ex = Assert.Throws<ConfigurationException>(() => FieldMapping.Load(path));
            Assert.Contains(expected, ex.Message);
            Assert.Contains("mapping.json", ex.Message);
        }

        [Fact]
        public void ChangeFilesHoldInsertsAndOnlyChangedFieldsOfUpdates()
        {
            var (converter, _) = Converter();
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "Acme"), ("Phone", null), ("Website", "acme.test")));
            var changes = new ChangeSet();
            converter.Convert(new ConversionRequest(Lead()) { AccountId = "001000000000001AAA" }).AddChanges(changes);
            var folder = TestData.Scratch();
            var files = changes.Write(folder).Select(Path.GetFileName).ToArray();
            Assert.Equal(new[] { "Lead-update.csv", "Account-update.csv", "Contact-insert.csv", "Opportunity-insert.csv", "inserts-tree.json", "inserts-tree-Contact.json", "inserts-tree-Opportunity.json" }, files);
            // The tree files link the new opportunity to the existing account by id, and carry no Id of their own.
            var opp = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(folder, "inserts-tree-Opportunity.json")));
            Assert.Null(opp["records"]![0]!["Id"]);
            var account = File.ReadAllLines(Path.Combine(folder, "Account-update.csv"));
            Assert.Equal("Id,BillingStreet,BillingCity,Phone,AccountSource", account[0]); // blanks filled; Name and Website kept
            var lead = File.ReadAllLines(Path.Combine(folder, "Lead-update.csv"));
            Assert.Equal("Id,IsConverted,Status,ConvertedContactId,ConvertedAccountId,ConvertedOpportunityId,ConvertedDate", lead[0]);
        }

        [Fact]
        public void WithFunnelRulesTheConversionMergeDecidesStatusAndResponses()
        {
            // SPEC 5.4 row 1: lead and contact active responses from different campaigns: the oldest survives.
            var analyzer = new LeadTools.Core.Funnel.FunnelAnalyzer(LeadTools.Core.Funnel.FunnelConfig.Example());
            var (converter, keys) = Converter(new ConversionOptions { Funnel = analyzer, CreateOpportunity = false });
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("LastName", "Lovelace"), ("Status", "Working")));
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "Acme")));
            converter.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("ContactId", "003000000000001AAA"), ("FCRM__FCR_Response_Status__c", "Working"), ("FCRM__FCR_Response_Date__c", "2026-02-01T00:00:00Z")));
            converter.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701B"), ("LeadId", "00Q000000000001AAA"), ("FCRM__FCR_Response_Status__c", "Marketing Qualified"), ("FCRM__FCR_Response_Date__c", "2026-01-01T00:00:00Z")));
            var lead = Lead();
            lead.Set("Status", "Marketing Qualified");
            var o = converter.Convert(new ConversionRequest(lead) { ContactId = "003000000000001AAA" });
            Assert.Equal("5.4-1", o.Funnel!.Row);
            Assert.Equal("Marketing Qualified", o.Contact["Status"]);
            var contactResponse = o.MovedChildren.Single(c => c.Id == "00v1");
            Assert.Equal("Resolved - Merged", contactResponse["FCRM__FCR_Response_Status__c"]);
            var moved = o.MovedChildren.Single(c => c.Id == "00v2");
            Assert.Equal("003000000000001AAA", moved["ContactId"]);
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var folder = TestData.Scratch();
            changes.Write(folder);
            var members = File.ReadAllLines(Path.Combine(folder, "CampaignMember-update.csv"));
            Assert.Contains(members, l => l.StartsWith("00v1,", StringComparison.Ordinal) && l.Contains("Resolved - Merged"));
            // Seed 001: "do not explicitly update the contact status post lead conversion - let Funnel Metrics configuration
            // handle those updates": the expected status is on the result, not in the change files (filled blanks are).
            var contactUpdate = File.ReadAllLines(Path.Combine(folder, "Contact-update.csv"));
            Assert.DoesNotContain("Status", contactUpdate[0].Split(','));
            Assert.Contains("Email", contactUpdate[0].Split(','));
        }

        [Fact]
        public void WithWriteContactStatusTheDecidedContactStatusIsInTheChangeFiles()
        {
            var analyzer = new LeadTools.Core.Funnel.FunnelAnalyzer(LeadTools.Core.Funnel.FunnelConfig.Example());
            var (converter, _) = Converter(new ConversionOptions { Funnel = analyzer, CreateOpportunity = false, WriteContactStatus = true });
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("LastName", "Lovelace"), ("Status", "Working")));
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "Acme")));
            converter.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("ContactId", "003000000000001AAA"), ("FCRM__FCR_Response_Status__c", "Working"), ("FCRM__FCR_Response_Date__c", "2026-02-01T00:00:00Z")));
            converter.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701B"), ("LeadId", "00Q000000000001AAA"), ("FCRM__FCR_Response_Status__c", "Marketing Qualified"), ("FCRM__FCR_Response_Date__c", "2026-01-01T00:00:00Z")));
            var lead = Lead();
            lead.Set("Status", "Marketing Qualified");
            var o = converter.Convert(new ConversionRequest(lead) { ContactId = "003000000000001AAA" });
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var folder = TestData.Scratch();
            changes.Write(folder);
            var contact = File.ReadAllLines(Path.Combine(folder, "Contact-update.csv"));
            Assert.Contains("Status", contact[0].Split(','));
            Assert.Equal("Marketing Qualified", contact[1].Split(',')[Array.IndexOf(contact[0].Split(','), "Status")]);
        }

        [Fact]
        public void WithFunnelRulesASameCampaignMembershipIsDestroyed()
        {
            var analyzer = new LeadTools.Core.Funnel.FunnelAnalyzer(LeadTools.Core.Funnel.FunnelConfig.Example());
            var (converter, _) = Converter(new ConversionOptions { Funnel = analyzer, CreateOpportunity = false });
            converter.AddExisting(Rec("Contact", "003000000000001AAA", ("AccountId", "001000000000001AAA"), ("LastName", "L"), ("Status", "Working")));
            converter.AddExisting(Rec("Account", "001000000000001AAA", ("Name", "Acme")));
            converter.AddRelated(Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("ContactId", "003000000000001AAA"), ("CreatedDate", "2026-02-01T00:00:00Z"), ("FCRM__FCR_Response_Status__c", "Working"), ("FCRM__FCR_Response_Date__c", "2026-02-01T00:00:00Z")));
            converter.AddRelated(Rec("CampaignMember", "00v2", ("CampaignId", "701A"), ("LeadId", "00Q000000000001AAA"), ("CreatedDate", "2026-01-01T00:00:00Z"), ("FCRM__FCR_Response_Status__c", "Working"), ("FCRM__FCR_Response_Date__c", "2026-01-01T00:00:00Z")));
            var lead = Lead();
            var o = converter.Convert(new ConversionRequest(lead) { ContactId = "003000000000001AAA" });
            Assert.Equal("5.4-2", o.Funnel!.Row);
            Assert.Equal("00v1", Assert.Single(o.DestroyedMemberships).Id); // the older (the lead's) membership survives
            Assert.Equal("003000000000001AAA", o.MovedChildren.Single(c => c.Id == "00v2")["ContactId"]);
        }
    }
}
