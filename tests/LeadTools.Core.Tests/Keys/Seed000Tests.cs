using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Keys
{
    /// <summary>
    /// Seed 000 (Salesforce Help 000389954, "How does the Marketing Cloud handle Lead conversion to a Contact"), rule by
    /// rule: each test quotes the sentence it asserts. The conversions here are the seed's case: done in Salesforce and
    /// seen in a lead export (IsConverted, ConvertedContactId, ConvertedDate), not only LeadTools' own offline ones.
    /// </summary>
    public class Seed000Tests
    {
        private static readonly DateTime Now = new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

        // Real-shaped ids: 15 characters + the 3-character case checksum Salesforce appends.
        private static readonly string Lead1 = AlternateKeyStore.To18("00Q5e00000Kd9QA")!;
        private static readonly string Lead2 = AlternateKeyStore.To18("00Q5e00000Lm2Tb")!;
        private static readonly string Contact1 = AlternateKeyStore.To18("0035e00000PqRcX")!;
        private static readonly string Contact2 = AlternateKeyStore.To18("0035e00000PqRbz")!;

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        /// <summary>A lead as a Data Loader export has it after a conversion in Salesforce (CSV: every value is text).</summary>
        private static CrmRecord ConvertedLeadExport(string leadId, string contactId, string date = "2026-11-02") =>
            Rec("Lead", leadId, ("FirstName", "Ada"), ("LastName", "Lovelace"), ("Company", "Acme"), ("IsConverted", "true"), ("ConvertedContactId", contactId),
                ("ConvertedAccountId", "0015e00000XyZaAAAV"), ("ConvertedDate", date), ("Status", "Closed - Converted"));

        [Fact]
        public void Checksum_MatchesEveryEighteenCharacterIdOfThePublicSalesforceExports()
        {
            // The 15 -> 18 rule is Salesforce's, not ours: every 18-character id in the public exports must agree with it.
            var ids = new List<string>();
            foreach (var file in Directory.GetFiles(Path.Combine(TestData.Exports, "salesforce"), "*.json", SearchOption.AllDirectories))
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "\"(?:Id|id)\"\\s*:\\s*\"([A-Za-z0-9]{18})\""))
                {
                    ids.Add(m.Groups[1].Value);
                }
            }
            // And the Data Loader files' quoted ids (ID, ACCOUNTID, OWNERID, ...).
            foreach (var file in Directory.GetFiles(Path.Combine(TestData.Exports, "salesforce", "forcedotcom_dataloader"), "*.csv"))
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file, System.Text.Encoding.Latin1), "\"(00[0-9A-Za-z]{16})\""))
                {
                    ids.Add(m.Groups[1].Value);
                }
            }
            Assert.True(ids.Count > 100, $"only {ids.Count} ids found");
            Assert.All(ids, id => Assert.Equal(id, AlternateKeyStore.To18(id.Substring(0, 15))));
        }

        [Fact]
        public void WhenYouCreateALead_TheLeadIdIsTheContactKey()
        {
            // Seed 000: "when you create a Lead, the ContactAlternateKey for the LeadID = ContactKey and the AlternateKeyValue
            // and ContactKey are equal."
            var store = new AlternateKeyStore();
            store.Register(Lead1, "Lead", Now);
            Assert.Equal(Lead1, store.Resolve(Lead1));
            Assert.Equal(KeyProvenance.Created, store.Find(Lead1)!.How);
            Assert.Null(store.Find(Lead1)!.Parent);
        }

        [Fact]
        public void WhenTheLeadIsConvertedInSalesforce_TheContactIdReplacesTheLeadId()
        {
            // Seed 000: "When you then convert the Lead to a Contact, the values change and the ContactID replaces the LeadID
            // and this then update All Contacts (view in Contact Builder) too". The lead was registered as its own key
            // before it was converted (the hard case: the store must move it, not keep it).
            var store = new AlternateKeyStore();
            store.Register(Lead1, "Lead", Now.AddDays(-60));
            var recorded = SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact1), Now)!;
            Assert.Equal(SalesforceConversionResult.Recorded, recorded.Result);
            Assert.Equal(Contact1, store.Resolve(Lead1));
            Assert.Equal(Contact1, store.Resolve(Contact1));
            var lead = store.Find(Lead1)!;
            Assert.Equal(KeyProvenance.Converted, lead.How);
            Assert.Equal(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), lead.At); // ConvertedDate, not the day it was read
            // All Contacts: one person, one ContactKey.
            var count = PersonQueries.Count(store, new[] { Pair(Lead1, "Lead"), Pair(Contact1, "Contact") });
            Assert.Equal(1, count.ContactKeys);
            Assert.Equal(1, count.Contacts);
            Assert.Equal(0, count.Leads);
            // Reading the same export again changes nothing.
            Assert.Equal(SalesforceConversionResult.AlreadyKnown, SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact1), Now)!.Result);
        }

        [Fact]
        public void ASalesforceConversionWithA15CharacterContactIdFindsTheKnownContact()
        {
            // Reports export 15-character ids; the contact is known by its 18-character id.
            var store = new AlternateKeyStore();
            store.Register(Contact1, "Contact", Now.AddDays(-90));
            SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact1.Substring(0, 15)), Now);
            Assert.Equal(Contact1, store.Resolve(Lead1));
            Assert.Equal(2, store.Count);
            // The contact existed before: the conversion does not make it "converted from" the lead.
            Assert.Equal(KeyProvenance.Created, store.Find(Contact1)!.How);
            Assert.Null(store.Find(Contact1)!.From);
        }

        [Fact]
        public void AConvertedLeadWithoutConvertedContactIdIsNotRegisteredAsItsOwnKey()
        {
            // Registered as its own key, a converted lead would later be judged Safe to delete.
            var store = new AlternateKeyStore();
            var lead = Rec("Lead", Lead1, ("IsConverted", true));
            var r = SalesforceConversions.Record(store, lead, Now)!;
            Assert.Null(r.Result);
            Assert.Contains("ConvertedContactId", r.Message);
            Assert.Equal(0, store.Count);
        }

        [Fact]
        public void ConvertLeadRecordsAlreadyConvertedRefusalStillRecordsTheSalesforceConversion()
        {
            var store = new AlternateKeyStore();
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now }, store);
            var ex = Assert.Throws<ConversionException>(() => converter.Convert(new ConversionRequest(ConvertedLeadExport(Lead1, Contact1))));
            Assert.Equal("AlreadyConverted", ex.ErrorId);
            Assert.Contains("recorded in the key store", ex.Message);
            Assert.Equal(Contact1, store.Resolve(Lead1));
        }

        [Fact]
        public void TheSamePersonAfterConversion_ProvisionalIdsAreReKeyedToSalesforcesIds()
        {
            // Seed 000: "When a Lead Converts to a Contact, their SalesforceID will change but they're still the same person
            // with the same information, same data, and same tracking so the Marketing Cloud will need to ensure we're still
            // mapping all of that correctly." A contact LeadTools created offline has a provisional id; once inserted,
            // Marketing Cloud knows it by Salesforce's id, so the key store must too.
            var store = new AlternateKeyStore();
            store.Register(Lead2, "Lead", Now);
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now }, store);
            var outcome = converter.Convert(new ConversionRequest(Rec("Lead", Lead1, ("LastName", "Lovelace"), ("Company", "Acme"))));
            var provisional = outcome.Contact.Id!;
            Assert.True(AlternateKeyStore.LooksProvisional(provisional));
            store.Merge(Lead2, provisional, "Lead", Now); // a duplicate lead merged into the new contact before the insert

            Assert.Equal(RekeyResult.Rekeyed, store.Rekey(provisional, Contact1, Now, out _));
            foreach (var id in new[] { Lead1, Lead2, provisional, Contact1 }) Assert.Equal(Contact1, store.Resolve(id));
            var real = store.Find(Contact1)!;
            Assert.Equal(KeyProvenance.Converted, real.How);
            Assert.Equal(Lead1, real.From);
            Assert.Equal(KeyProvenance.Rekeyed, store.Find(provisional)!.How);
            // A success file read twice changes nothing; a second, different id for the same provisional one is refused.
            Assert.Equal(RekeyResult.AlreadyRekeyed, store.Rekey(provisional, Contact1, Now, out _));
            Assert.Equal(RekeyResult.Conflict, store.Rekey(provisional, Contact2, Now.AddDays(1), out _));
            Assert.Null(store.Find(Contact2));
            // A real Salesforce id is never re-keyed.
            store.Register(Contact2, "Contact", Now);
            Assert.Equal(RekeyResult.NotProvisional, store.Rekey(Contact2, AlternateKeyStore.To18("0035e00000Zz1Aa")!, Now, out _));
            Assert.Equal(RekeyResult.NotInStore, store.Rekey("006LTaaaaaaaaaaaaa", AlternateKeyStore.To18("0065e00000Op1Aa")!, Now, out _));
            // The store saves and loads with the new provenance.
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            Assert.Equal(Contact1, AlternateKeyStore.Load(path).Resolve(provisional));
        }

        [Fact]
        public void ReKeyingWhenTheRealContactWasRegisteredFirstJoinsThem()
        {
            // The contact export after the insert was registered (Add-AlternateKey) before the success file was read.
            var store = new AlternateKeyStore();
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now }, store);
            var provisional = converter.Convert(new ConversionRequest(Rec("Lead", Lead1, ("LastName", "Lovelace"), ("Company", "Acme")))).Contact.Id!;
            store.Register(Contact1, "Contact", Now);
            Assert.Equal(2, PersonQueries.Count(store).ContactKeys);
            Assert.Equal(RekeyResult.Rekeyed, store.Rekey(provisional, Contact1, Now, out _));
            Assert.Equal(Contact1, store.Resolve(Lead1));
            Assert.Equal(1, PersonQueries.Count(store).ContactKeys);
            Assert.Equal(Lead1, store.Find(Contact1)!.From);
        }

        [Fact]
        public void ASalesforceConversionOfALeadLeadToolsConvertedOfflineReKeysTheProvisionalContact()
        {
            var store = new AlternateKeyStore();
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now }, store);
            var provisional = converter.Convert(new ConversionRequest(Rec("Lead", Lead1, ("LastName", "Lovelace"), ("Company", "Acme")))).Contact.Id!;
            var r = SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact1), Now)!;
            Assert.Equal(SalesforceConversionResult.Rekeyed, r.Result);
            Assert.Equal(Contact1, store.Resolve(provisional));
            Assert.Equal(Contact1, store.Resolve(Lead1));
            // The lead converted into a different real contact than the store says: a conflict, nothing changes.
            var r2 = SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact2), Now)!;
            Assert.Equal(SalesforceConversionResult.Conflict, r2.Result);
            Assert.Equal(Contact1, store.Resolve(Lead1));
            Assert.Null(store.Find(Contact2));
        }

        [Fact]
        public void ContactUtilization_CountsDistinctContactKeysByType()
        {
            // Seed 000: "This is usually a concern when it comes to Contact Utilization within Contact Builder." Ten records of
            // an org export are not ten Marketing Cloud contacts: a converted lead and its contact are one.
            var store = new AlternateKeyStore();
            var leads = Enumerable.Range(1, 6).Select(i => AlternateKeyStore.To18($"00Q5e00000Ab{i:000}")!).ToList();
            var contacts = Enumerable.Range(1, 4).Select(i => AlternateKeyStore.To18($"0035e00000Cd{i:000}")!).ToList();
            foreach (var l in leads) store.Register(l, "Lead", Now);
            foreach (var c in contacts) store.Register(c, "Contact", Now);
            SalesforceConversions.Record(store, ConvertedLeadExport(leads[0], contacts[0]), Now);
            SalesforceConversions.Record(store, ConvertedLeadExport(leads[1], contacts[1]), Now);
            store.Merge(leads[2], leads[3], "Lead", Now);
            store.Register("001LT0000000000001", "Account", Now); // a person account created offline, not yet inserted
            var all = PersonQueries.Count(store);
            Assert.Equal(11, all.Ids);
            Assert.Equal(8, all.ContactKeys); // 3 leads + 4 contacts + 1 person account
            Assert.Equal(3, all.Leads);
            Assert.Equal(4, all.Contacts);
            Assert.Equal(1, all.PersonAccounts);
            Assert.Equal(3, all.AlternateKeys);
            Assert.Equal(1, all.ProvisionalKeys);
            // Among the records of an export (with one the store does not know, and one id given twice in 15-character form).
            var export = leads.Select(l => Pair(l, "Lead")).Concat(contacts.Select(c => Pair(c, "Contact")))
                .Concat(new[] { Pair(AlternateKeyStore.To18("0035e00000Zz999")!, "Contact"), Pair(leads[0].Substring(0, 15), "Lead") }).ToList();
            var some = PersonQueries.Count(store, export);
            Assert.Equal(11, some.Ids);
            Assert.Equal(8, some.ContactKeys); // 3 leads + 4 contacts + the unknown contact
            Assert.Equal(5, some.Contacts);
            Assert.Equal(1, some.UnknownIds);
            Assert.Equal(3, some.AlternateKeys);
        }

        [Fact]
        public void DeletingTheConvertedLead_DeletesTheConvertedContact()
        {
            // Seed 000: "If you want to delete the converted Lead from the Marketing Cloud then you can refer to this article:
            // Marketing Cloud Contact Delete on Lead synchronized data extension deletes converted contact".
            var store = new AlternateKeyStore();
            store.Register(Contact1, "Contact", Now);
            SalesforceConversions.Record(store, ConvertedLeadExport(Lead1, Contact1), Now);
            var records = new Dictionary<string, CrmRecord> { [Contact1] = Rec("Contact", Contact1, ("FirstName", "Ada"), ("LastName", "Lovelace"), ("Email", "ada@acme.test")) };
            foreach (var id in new[] { Lead1, Lead1.Substring(0, 15) })
            {
                var check = PersonQueries.CheckDeletion(store, id, records);
                Assert.Equal(DeletionStatus.DeletesLiveContact, check.Status);
                Assert.False(check.IsSafe);
                Assert.Equal(Contact1, check.LiveRecordId);
                Assert.Equal("Contact", check.LiveRecordType);
                Assert.Contains("Ada Lovelace <ada@acme.test>", check.Reason);
                Assert.Contains($"Contact {Contact1}", check.Reason);
            }
        }

        [Fact]
        public void AMergedAwayLeadThatResolvesToALiveLeadIsNotSafe()
        {
            // In Marketing Cloud every lead is a contact too: deleting by the merged-away id deletes the surviving lead.
            var store = new AlternateKeyStore();
            store.Register(Lead1, "Lead", Now);
            store.Register(Lead2, "Lead", Now);
            store.Merge(Lead2, Lead1, "Lead", Now);
            var check = PersonQueries.CheckDeletion(store, Lead2);
            Assert.Equal(DeletionStatus.DeletesLiveContact, check.Status);
            Assert.Equal(Lead1, check.LiveRecordId);
            Assert.Equal("Lead", check.LiveRecordType);
            // The surviving lead itself deletes only itself.
            Assert.True(PersonQueries.CheckDeletion(store, Lead1).IsSafe);
        }

        [Fact]
        public void AnUnknownIdIsNotSafe()
        {
            var check = PersonQueries.CheckDeletion(new AlternateKeyStore(), Lead1);
            Assert.Equal(DeletionStatus.Unknown, check.Status);
            Assert.False(check.IsSafe);
        }

        [Fact]
        public void EmailSendsAndResultsAreNotTransferredButStayReachable()
        {
            // Seed 000: "Email Send and IER details are not transferred to the contact when converting lead but the data is not
            // deleted when we convert a lead and can be accessed by creating reports or by using a SOQL query." And its query:
            // "select et4ae5__Email__c,et4ae5__Contact_ID__c,et4ae5__Lead_ID__c from et4ae5__IndividualEmailResult__c".
            var store = new AlternateKeyStore();
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now }, store);
            var ier = Rec("et4ae5__IndividualEmailResult__c", "a0B5e00000Ie01AAAC", ("et4ae5__Email__c", "ada@acme.test"), ("et4ae5__Lead_ID__c", Lead1.Substring(0, 15)),
                ("et4ae5__Contact_ID__c", null), ("et4ae5__DateSent__c", "2026-03-01T10:00:00.000+0000"));
            var send = Rec("et4ae5__SendDefinition__c", "a0C5e00000Sd01AAAC", ("et4ae5__EmailName__c", "Spring webinar"), ("et4ae5__Lead__c", Lead1));
            converter.AddRelated(ier);
            converter.AddRelated(send);
            var outcome = converter.Convert(new ConversionRequest(Rec("Lead", Lead1, ("LastName", "Lovelace"), ("Company", "Acme"))));
            var changes = new ChangeSet();
            outcome.AddChanges(changes);
            // Not transferred: neither is moved or changed by the conversion...
            Assert.DoesNotContain(outcome.MovedChildren, c => c.ObjectType!.StartsWith("et4ae5__", StringComparison.Ordinal));
            Assert.Equal(Lead1.Substring(0, 15), ier.GetString("et4ae5__Lead_ID__c"));
            // ...not deleted (no delete file), and reachable from the contact through the key store.
            var folder = TestData.Scratch();
            changes.Write(folder);
            Assert.Empty(Directory.GetFiles(folder, "et4ae5__*"));
            var history = PersonQueries.History(store, outcome.Contact.Id!, new[] { ier, send });
            Assert.Equal(new[] { "a0B5e00000Ie01AAAC", "a0C5e00000Sd01AAAC" }, history.Select(h => h.Record.Id).OrderBy(x => x).ToArray());
        }

        [Fact]
        public void ConvertingIntoAnExistingUnregisteredContactDoesNotRecordItAsConvertedFromTheLead()
        {
            var store = new AlternateKeyStore();
            var converter = new LeadConverter(new ConversionOptions { ConvertedDate = Now, CreateOpportunity = false }, store);
            converter.AddExisting(Rec("Contact", Contact1, ("LastName", "Lovelace"), ("AccountId", "0015e00000XyZaAAAV")));
            converter.AddExisting(Rec("Account", "0015e00000XyZaAAAV", ("Name", "Acme")));
            converter.Convert(new ConversionRequest(Rec("Lead", Lead1, ("LastName", "Lovelace"), ("Company", "Acme"))) { ContactId = Contact1 });
            var contact = store.Find(Contact1)!;
            Assert.Equal(KeyProvenance.Created, contact.How);
            Assert.Null(contact.From);
            Assert.Equal(Contact1, store.Resolve(Lead1));
            Assert.Equal(KeyProvenance.Converted, store.Find(Lead1)!.How);
        }

        private static KeyValuePair<string, string?> Pair(string id, string? type) => new KeyValuePair<string, string?>(id, type);
    }
}
