using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;
using LeadTools.Core.Tags;
using Newtonsoft.Json.Linq;
using static LeadTools.Core.Tests.TestData;

namespace LeadTools.Core.Tests.Tags
{
    /// <summary>
    /// Seed 002 (ActiveCampaign: Salesforce person accounts), sentence by sentence. Each test quotes the seed's German
    /// sentence it asserts (with an English rendering); docs/seed-rules.md maps every sentence to its test. The data is
    /// built per test so that each holds the hard case the sentence is about.
    /// </summary>
    public class PersonAccountSeedTests
    {
        private const string RecordType = "012PERSONACCOUNT0AA";

        // ActiveCampaign tag ids as in an export: the six integration tags and one of the customer's.
        private static readonly (string Id, string Name)[] TagIds =
        {
            ("1", "created-from-salesforce-person-account"), ("2", "salesforce-lead-converted-to-person-account"), ("3", "added-to-salesforce-person-account"),
            ("4", "added-to-salesforce-contact"), ("5", "created-from-salesforce-contact"), ("6", "salesforce-lead-converted-to-contact"), ("7", "newsletter"),
        };

        private static TagConfig Config(Action<JObject>? edit = null)
        {
            var json = JObject.Parse(TagConfig.ExampleJson);
            json["defaultRecordTypeId"] = RecordType;
            edit?.Invoke(json);
            return TagConfig.Parse(json, "test");
        }

        private static readonly Action<JObject> Flagged = j => j["outbound"] = JObject.Parse("{\"mode\":\"Flagged\",\"field\":\"Sync_To_AC__c\",\"equals\":\"true\"}");

        private static CrmRecord AcContact(string id, string? email, string? udate, params (string Name, object? Value)[] fields)
        {
            var r = new CrmRecord("contact");
            r.Add("id", id);
            r.Add("email", email);
            r.Add("udate", udate);
            foreach (var (n, v) in fields) r.Add(n, v);
            return r;
        }

        private static CrmRecord PersonAccount(string id, string? email, string? lastModified, params (string Name, object? Value)[] fields)
        {
            var r = Record("Account", id, ("IsPersonAccount", true), ("PersonEmail", email), ("LastModifiedDate", lastModified));
            foreach (var (n, v) in fields) r.Add(n, v);
            return r;
        }

        /// <summary>The records of an export: the contacts with their tags (by name), the tag list, and Salesforce records.</summary>
        private sealed class Export
        {
            public readonly List<CrmRecord> Records = new List<CrmRecord>();
            private int _link = 100;

            public Export()
            {
                foreach (var (id, name) in TagIds) Records.Add(Record("tag", id, ("tag", name), ("tagType", "contact")));
            }

            public Export Contact(CrmRecord contact, params string[] tags)
            {
                Records.Add(contact);
                foreach (var t in tags) Tag(contact.Id!, t);
                return this;
            }

            public Export Tag(string contactId, string tagName)
            {
                var tagId = TagIds.Single(t => t.Name == tagName).Id;
                Records.Add(Record("contactTag", (++_link).ToString(), ("contact", contactId), ("tag", tagId)));
                return this;
            }

            /// <summary>A tag of the export under a name of its own (a German name, stray spaces) and links to it.</summary>
            public Export RawTag(string tagId, string name, params string[] contactIds)
            {
                Records.Add(Record("tag", tagId, ("tag", name), ("tagType", "contact")));
                foreach (var c in contactIds) Records.Add(Record("contactTag", (++_link).ToString(), ("contact", c), ("tag", tagId)));
                return this;
            }

            /// <summary>A contactTag link to a tag id that the export's tags do not have.</summary>
            public Export Link(string contactId, string tagId)
            {
                Records.Add(Record("contactTag", (++_link).ToString(), ("contact", contactId), ("tag", tagId)));
                return this;
            }

            public Export Salesforce(params CrmRecord[] records)
            {
                Records.AddRange(records);
                return this;
            }

            public List<TagDecision> Decide(TagConfig config)
            {
                var r = new TagReconciler(config);
                foreach (var record in Records) r.Add(record);
                return r.Decide().ToList();
            }

            public List<string> TagsOf(string contactId)
            {
                var names = TagIds.ToDictionary(t => t.Id, t => t.Name);
                return Records.Where(r => r.ObjectType == "contactTag" && r.GetString("contact") == contactId).Select(r => names[r.GetString("tag")!]).ToList();
            }

            /// <summary>
            /// What both systems hold once a runbook has applied every operation and change file: contactTags deleted and
            /// added, contacts updated and created, person accounts updated and inserted; each changed record stamped with
            /// the time of the apply, as ActiveCampaign and Salesforce do.
            /// </summary>
            public Export Apply(List<TagDecision> decisions, string at)
            {
                var after = new Export();
                after.Records.Clear();
                after._link = _link + 1000;
                var deleted = new HashSet<string>(decisions.SelectMany(d => d.Operations).Where(o => o.Action == "DeleteContactTag").Select(o => o.ContactTagId!));
                var newContact = 900;
                foreach (var r in Records)
                {
                    if (r.ObjectType == "contactTag" && deleted.Contains(r.Id!)) continue;
                    var copy = r.Clone();
                    var update = decisions.FirstOrDefault(d => d.ContactId != null && d.ContactId == r.Id && r.ObjectType == "contact")?.ContactUpdate;
                    if (update != null)
                    {
                        foreach (var f in update) copy.Set(f.Key, f.Value);
                        copy.Set("udate", at);
                    }
                    var paUpdate = decisions.FirstOrDefault(d => r.ObjectType == "Account" && d.PersonAccountUpdate?.Id == r.Id)?.PersonAccountUpdate;
                    if (paUpdate != null)
                    {
                        foreach (var f in paUpdate) copy.Set(f.Key, f.Value);
                        copy.Set("LastModifiedDate", at);
                    }
                    after.Records.Add(copy);
                }
                foreach (var d in decisions)
                {
                    foreach (var op in d.Operations.Where(o => o.Action == "AddContactTag")) after.Tag(op.ContactId!, op.TagName!);
                    if (d.ContactToCreate != null)
                    {
                        var id = (++newContact).ToString();
                        var created = new CrmRecord("contact");
                        created.Add("id", id);
                        foreach (var f in d.ContactToCreate) created.Set(f.Key, f.Value);
                        created.Set("udate", at);
                        after.Records.Add(created);
                        after.Tag(id, d.Operations.Single(o => o.Action == "CreateContact").TagName!);
                    }
                    if (d.PersonAccountToCreate != null)
                    {
                        var inserted = d.PersonAccountToCreate.Clone();
                        inserted.Set("Id", "001NEW" + d.ContactId);
                        inserted.Set("IsPersonAccount", true); // what the person-account record type makes it
                        inserted.Set("LastModifiedDate", at);
                        after.Records.Add(inserted);
                    }
                }
                return after;
            }
        }

        private static void AssertNothingLeft(List<TagDecision> again)
        {
            Assert.All(again, d =>
            {
                Assert.Empty(d.Operations);
                Assert.Null(d.PersonAccountUpdate);
                Assert.Null(d.PersonAccountToCreate);
                Assert.Null(d.ContactToCreate);
                Assert.False(d.Conflict);
            });
        }

        // ---- "Sie werden eine bidirektionale Synchronisierung zwischen Ihren ActiveCampaign-Kontaktfeldern und den
        //      Salesforce-Personenkontoobjektfeldern erstellen können." (a two-way sync between the ActiveCampaign contact
        //      fields and the person-account fields), with "Immer aktualisieren" (always update) as the default policy.

        [Fact]
        public void Seed002_Bidirektional_SalesforceChangedLast_ItsValueGoesToActiveCampaignNeverTheStaleOne()
        {
            // ActiveCampaign last changed in January, Salesforce in October: Salesforce's LastName is the newer one.
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-01-01T00:00:00-06:00", ("firstName", "Eve"), ("lastName", "Xisting")), "added-to-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("FirstName", "Eve"), ("LastName", "Existing"), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config()));
            Assert.Null(d.PersonAccountUpdate); // never the stale ActiveCampaign value over the newer Salesforce one
            Assert.Equal("Existing", d.ContactUpdate!["lastName"]);
            var op = Assert.Single(d.Operations);
            Assert.Equal("UpdateContact", op.Action);
            Assert.Equal("PUT", op.Method);
            Assert.Equal("/api/3/contacts/6", op.Path);
            Assert.Equal("{\"contact\":{\"lastName\":\"Existing\"}}", op.Body); // the API v3 request body
            Assert.Equal("001A", op.AccountId);
            Assert.Contains("Salesforce LastModifiedDate 2026-10-01 00:00:00 UTC", d.Reason);
        }

        [Fact]
        public void Seed002_Bidirektional_ActiveCampaignChangedLast_ItsValueGoesToSalesforce()
        {
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-11-01T00:00:00-06:00", ("firstName", "Evelyn"), ("lastName", "Existing")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("FirstName", "Eve"), ("LastName", "Existing"), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config()));
            Assert.Null(d.ContactUpdate);
            Assert.Empty(d.Operations);
            Assert.Equal("001A", d.PersonAccountUpdate!.Id);
            Assert.Equal(new[] { "Id", "FirstName" }, d.PersonAccountUpdate.Names.ToArray());
            Assert.Equal("Evelyn", d.PersonAccountUpdate["FirstName"]);
        }

        [Fact]
        public void Seed002_Bidirektional_TimesAreComparedAsInstantsNotAsTheTextOfDifferentOffsets()
        {
            // 2026-10-01T00:00-06:00 is 06:00 UTC: later than Salesforce's 03:00 UTC although its text sorts earlier.
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-10-01T00:00:00-06:00", ("firstName", "Evelyn")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T03:00:00.000+0000", ("FirstName", "Eve"), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config()));
            Assert.Equal("Evelyn", d.PersonAccountUpdate!["FirstName"]);
            Assert.Null(d.ContactUpdate);
        }

        [Theory]
        [InlineData(null, "2026-10-01T00:00:00.000+0000")]
        [InlineData("2026-10-01T00:00:00Z", null)]
        [InlineData("yesterday", "2026-10-01T00:00:00.000+0000")]
        [InlineData("2026-10-01T02:00:00+02:00", "2026-10-01T00:00:00.000+0000")] // the same instant
        public void Seed002_Bidirektional_WhenWhichSideChangedLastCannotBeToldNeitherIsOverwritten(string? udate, string? lastModified)
        {
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", udate, ("firstName", "Evelyn")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", lastModified, ("FirstName", "Eve"), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config()));
            Assert.Null(d.PersonAccountUpdate);
            Assert.Null(d.ContactUpdate);
            Assert.Contains("firstName/FirstName differ and which side changed last cannot be told", d.Reason);
        }

        [Fact]
        public void Seed002_Bidirektional_ABlankSideIsFilledFromTheOtherWhicheverChangedLast()
        {
            // Salesforce changed last but has no Phone; ActiveCampaign has no last name: each fills the other, no blank is written.
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-01-01T00:00:00Z", ("lastName", ""), ("phone", "555-0106")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("LastName", "Existing"), ("Phone", null), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config()));
            Assert.Equal("555-0106", d.PersonAccountUpdate!["Phone"]);
            Assert.False(d.PersonAccountUpdate.Has("LastName"));
            Assert.Equal("Existing", d.ContactUpdate!["lastName"]);
            Assert.False(d.ContactUpdate.Has("phone"));
        }

        [Fact]
        public void Seed002_Bidirektional_OnceBothSidesApplyTheChangesTheNextRunHasNothingToDo()
        {
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-01-01T00:00:00-06:00", ("firstName", "Eve"), ("lastName", "Xisting"), ("phone", "555-0106")), "added-to-salesforce-person-account")
                .Contact(AcContact("8", "ann@example.com", "2026-11-01T00:00:00Z", ("firstName", "Ann"), ("lastName", "Newer")), "created-from-salesforce-person-account")
                .Salesforce(
                    PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("FirstName", "Eve"), ("LastName", "Existing"), ("Phone", null)),
                    PersonAccount("001B", "ANN@example.com ", "2026-10-01T00:00:00.000+0000", ("FirstName", "Ann"), ("LastName", "Older"), ("ActiveCampaign_Contact_Id__c", "8")));
            var first = x.Decide(Config());
            Assert.Equal("Existing", first[0].ContactUpdate!["lastName"]);
            Assert.Equal("555-0106", first[0].PersonAccountUpdate!["Phone"]);
            Assert.Equal("6", first[0].PersonAccountUpdate!["ActiveCampaign_Contact_Id__c"]); // the link is written once known
            Assert.Equal("Newer", first[1].PersonAccountUpdate!["LastName"]);
            AssertNothingLeft(x.Apply(first, "2026-12-01T00:00:00Z").Decide(Config()));
        }

        // ---- "Bitte beachten Sie, dass die Standardeinstellung für diese Zuordnungen auf "Immer aktualisieren" gesetzt ist,
        //      aber bei Bedarf geändert werden kann." (the mappings default to "always update", which can be changed).

        [Fact]
        public void Seed002_ImmerAktualisieren_IsTheDefaultPolicyOfEveryMapping()
        {
            Assert.All(TagConfig.Default().FieldMapping, m => Assert.Equal(UpdatePolicy.AlwaysUpdate, m.Policy));
            var parsed = TagConfig.Parse(JObject.Parse("{\"fieldMapping\":[{\"from\":\"phone\",\"to\":\"Phone\"}]}"), "test");
            Assert.Equal(UpdatePolicy.AlwaysUpdate, Assert.Single(parsed.FieldMapping).Policy);
        }

        [Theory]
        [InlineData("UpdateIfBlank")]
        [InlineData("Never")]
        public void Seed002_ImmerAktualisieren_CanBeChanged_NeitherSideOverwritesAValue(string policy)
        {
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-11-01T00:00:00Z", ("lastName", "Newer"), ("phone", "555-0106")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("LastName", "Older"), ("Phone", null), ("ActiveCampaign_Contact_Id__c", "6")));
            var d = Assert.Single(x.Decide(Config(j => j["fieldMapping"] = JArray.Parse(
                $"[{{\"from\":\"lastName\",\"to\":\"LastName\",\"policy\":\"{policy}\"}},{{\"from\":\"phone\",\"to\":\"Phone\",\"policy\":\"{policy}\"}}]"))));
            Assert.Null(d.ContactUpdate);
            // UpdateIfBlank fills the blank Phone only; Never writes nothing at all.
            Assert.Equal(policy == "UpdateIfBlank" ? "555-0106" : null, d.PersonAccountUpdate?["Phone"] as string);
            Assert.False(d.PersonAccountUpdate?.Has("LastName") ?? false);
        }

        // ---- "Wählen Sie die Standard-Datensatzart, die zugewiesen wird, wenn ein neues Personenkonto in Salesforce erstellt
        //      wird" (choose the default record type assigned when a new person account is created in Salesforce).

        [Fact]
        public void Seed002_StandardDatensatzart_NewPersonAccountsGetItAndNotIsPersonAccount()
        {
            var x = new Export().Contact(AcContact("5", "rita@example.com", "2026-01-01T00:00:00Z", ("firstName", "Rita"), ("lastName", "Quest")), "added-to-salesforce-person-account");
            var pa = Assert.Single(x.Decide(Config())).PersonAccountToCreate!;
            Assert.Equal(RecordType, pa["RecordTypeId"]);
            Assert.False(pa.Has("IsPersonAccount")); // not writable on insert: the record type decides
            Assert.Equal("rita@example.com", pa["PersonEmail"]);
            Assert.Equal("5", pa["ActiveCampaign_Contact_Id__c"]);
        }

        [Fact]
        public void Seed002_StandardDatensatzart_WithoutOneNoPersonAccountIsRequestedAndTheContactSaysWhy()
        {
            var x = new Export()
                .Contact(AcContact("5", "rita@example.com", "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account", "added-to-salesforce-contact");
            var d = Assert.Single(x.Decide(Config(j => j["defaultRecordTypeId"] = null)));
            Assert.Null(d.PersonAccountToCreate);
            Assert.Equal("PersonAccountRecordTypeRequired", d.ProblemId);
            Assert.Contains("defaultRecordTypeId", d.Problem);
            // The rest of the decision still stands: the contact tag is cleaned up.
            Assert.Equal(new[] { "added-to-salesforce-contact" }, d.TagsToRemove);
        }

        // ---- "Sie können ein Personenkonto in Salesforce über Ihr ActiveCampaign-Konto erstellen. Fügen Sie das Tag
        //      "hinzugefügt-zu-salesforce-personenkonto" zu einem ActiveCampaign-Kontakt ... hinzu, um den
        //      Synchronisierungsprozess zu starten." (add the tag to a contact to create a person account).

        [Fact]
        public void Seed002_PersonenkontoErstellen_ContactsSharingAnEmailAreOneRequestTheOthersAnError()
        {
            var x = new Export()
                .Contact(AcContact("5", "Rita@Example.com", "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account")
                .Contact(AcContact("9", " rita@example.com ", "2026-01-02T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account");
            var d = x.Decide(Config());
            Assert.Single(d, e => e.PersonAccountToCreate != null);
            Assert.Equal("5", d[0].PersonAccountToCreate!["ActiveCampaign_Contact_Id__c"]);
            Assert.Null(d[1].PersonAccountToCreate);
            Assert.Equal("DuplicateContactEmail", d[1].ProblemId);
            Assert.Contains("contact 5", d[1].Problem);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        public void Seed002_PersonenkontoErstellen_NoneWithoutAnEmail(string? email)
        {
            var x = new Export().Contact(AcContact("5", email, "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account");
            var d = Assert.Single(x.Decide(Config()));
            Assert.Null(d.PersonAccountToCreate);
            Assert.Equal("PersonAccountWithoutEmail", d.ProblemId);
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
        }

        [Fact]
        public void Seed002_PersonenkontoErstellen_TheActiveCampaignIdColumnIsConfigurableAndMatchedBeforeTheEmail()
        {
            var config = Config(j => j["activeCampaignIdField"] = "AC_Id__pc");
            var request = new Export().Contact(AcContact("5", "rita@example.com", "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account");
            var pa = Assert.Single(request.Decide(config)).PersonAccountToCreate!;
            Assert.Equal("5", pa["AC_Id__pc"]);
            Assert.False(pa.Has("ActiveCampaign_Contact_Id__c"));
            // The person account that holds the contact's id is its own, although its email has changed since.
            var linked = new Export()
                .Contact(AcContact("5", "rita.new@example.com", "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-person-account")
                .Salesforce(PersonAccount("001R", "rita@example.com", "2025-01-01T00:00:00.000+0000", ("LastName", "Quest"), ("AC_Id__pc", "5")));
            var d = Assert.Single(linked.Decide(config));
            Assert.Null(d.PersonAccountToCreate);
            Assert.Equal("001R", d.AccountId);
            Assert.Equal("rita.new@example.com", d.PersonAccountUpdate!["PersonEmail"]);
            Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => Config(j => j["activeCampaignIdField"] = "AC Id"));
        }

        // ---- "Von Salesforce zu ActiveCampaign: created-from-salesforce-person-account, salesforce-lead-converted-to-person-account"
        //      with the outbound options "Alle Personenkonten, die von diesem Zeitpunkt an erstellt/aktualisiert wurden" and
        //      "Personenkonten, die über den Process Builder oder eine andere Kundenmethode markiert wurden".

        [Fact]
        public void Seed002_VonSalesforceZuActiveCampaign_ASelectedPersonAccountWithoutAContactIsCreatedAndTagged()
        {
            var x = new Export()
                .Contact(AcContact("4", "nora@example.com", "2026-01-01T00:00:00Z"), "newsletter")
                .Salesforce(
                    PersonAccount("001S", "sal@example.com", "2026-11-01T00:00:00.000+0000", ("FirstName", "Sal"), ("LastName", "Only"), ("Phone", "555-0108"), ("Sync_To_AC__c", true)),
                    PersonAccount("001T", "tom@example.com", "2026-11-01T00:00:00.000+0000", ("LastName", "NotFlagged"), ("Sync_To_AC__c", false)));
            var d = x.Decide(Config(Flagged));
            Assert.Equal(2, d.Count); // the contact, and one contact to create (the unflagged person account stays out)
            var create = d[1];
            Assert.Null(create.ContactId);
            Assert.Equal("001S", create.AccountId);
            Assert.Equal(new[] { "created-from-salesforce-person-account" }, create.TagsToAdd);
            var op = Assert.Single(create.Operations);
            Assert.Equal("CreateContact", op.Action);
            Assert.Equal("POST", op.Method);
            Assert.Equal("/api/3/contacts", op.Path);
            Assert.Equal("1", op.TagId);
            Assert.Equal("{\"contact\":{\"firstName\":\"Sal\",\"lastName\":\"Only\",\"email\":\"sal@example.com\",\"phone\":\"555-0108\"}}", op.Body);
            // Created and tagged, the next run finds the contact by email: it syncs as a person account, and the only change
            // left is the link (the new contact's id into the person account); after that, nothing.
            var after = x.Apply(d, "2026-12-01T00:00:00Z");
            var second = after.Decide(Config(Flagged));
            var link = Assert.Single(second, e => e.AccountId == "001S");
            Assert.Equal(SyncMode.PersonAccount, link.SyncMode);
            Assert.Empty(link.Operations);
            Assert.Equal(new[] { "Id", "ActiveCampaign_Contact_Id__c" }, link.PersonAccountUpdate!.Names.ToArray());
            Assert.Equal(link.ContactId, link.PersonAccountUpdate["ActiveCampaign_Contact_Id__c"]);
            AssertNothingLeft(after.Apply(second, "2026-12-02T00:00:00Z").Decide(Config(Flagged)));
        }

        [Fact]
        public void Seed002_VonSalesforceZuActiveCampaign_WithOutboundNoneNothingIsCreated()
        {
            var x = new Export().Salesforce(PersonAccount("001S", "sal@example.com", "2026-11-01T00:00:00.000+0000", ("LastName", "Only"), ("Sync_To_AC__c", true)));
            Assert.Empty(x.Decide(Config()));
        }

        [Fact]
        public void Seed002_VonSalesforceZuActiveCampaign_NoContactWithoutAnEmailAndOnePerEmail()
        {
            var x = new Export().Salesforce(
                PersonAccount("001S", null, "2026-11-01T00:00:00.000+0000", ("LastName", "Noemail")),
                PersonAccount("001T", "twin@example.com", "2026-11-01T00:00:00.000+0000", ("LastName", "Twin")),
                PersonAccount("001U", "TWIN@example.com", "2026-11-02T00:00:00.000+0000", ("LastName", "Twin")));
            var d = x.Decide(Config(j => j["outbound"] = JObject.Parse("{\"mode\":\"CreatedOrUpdatedSince\",\"since\":\"2026-06-01T00:00:00Z\"}")));
            Assert.Equal(new[] { "ContactWithoutEmail", null, "DuplicatePersonAccountEmail" }, d.Select(e => e.ProblemId).ToArray());
            Assert.Single(d, e => e.ContactToCreate != null);
        }

        [Fact]
        public void Seed002_VonSalesforceZuActiveCampaign_ALeadConvertedToAPersonAccountGetsTheLeadConvertedTag()
        {
            // The contact came over with the lead's email; the lead was converted to person account 001L.
            var x = new Export()
                .Contact(AcContact("3", "lena@old-mail.example", "2026-01-01T00:00:00Z", ("lastName", "Lead")))
                .Salesforce(
                    Record("Lead", "00QL", ("Email", "lena@old-mail.example"), ("IsConverted", true), ("ConvertedAccountId", "001L")),
                    PersonAccount("001L", "lena@new-mail.example", "2026-11-01T00:00:00.000+0000", ("LastName", "Lead"), ("Sync_To_AC__c", true)),
                    Record("Lead", "00QM", ("Email", "max@example.com"), ("IsConverted", "true"), ("ConvertedAccountId", "001M")),
                    PersonAccount("001M", "max@example.com", "2026-11-01T00:00:00.000+0000", ("LastName", "Max"), ("Sync_To_AC__c", true)));
            var d = x.Decide(Config(Flagged));
            Assert.Equal(new[] { "salesforce-lead-converted-to-person-account" }, d[0].TagsToAdd);
            Assert.Equal("001L", d[0].AccountId);
            Assert.Equal("2", d[0].Operations.Single(o => o.Action == "AddContactTag").TagId);
            Assert.Contains("converted from Salesforce lead 00QL", d[0].Reason);
            // A converted lead without an ActiveCampaign contact: created with the lead-converted tag.
            Assert.Equal("salesforce-lead-converted-to-person-account", d[1].Operations.Single(o => o.Action == "CreateContact").TagName);
            Assert.NotEqual("created-from-salesforce-person-account", d[0].TagsToAdd.Single());
        }

        // ---- "Salesforce-Datensätze können nur entweder als Personenkonto oder als Kontakt/Konto mit ActiveCampaign
        //      synchronisiert werden, nicht beides gleichzeitig." and "Umstellung von Salesforce-Kontakten auf Personenkonten"
        //      ("Dies kann vorkommen, wenn ein ActiveCampaign-Datensatz zuvor als Salesforce-Kontakt synchronisiert wurde und
        //      dann in ein Personenkonto umgewandelt wurde.").

        [Fact]
        public void Seed002_NichtBeides_AContactSyncedAsASalesforceContactWhosePersonAccountIsSelectedSwitchesAndLosesItsContactTags()
        {
            var x = new Export()
                .Contact(AcContact("3", "cora@example.com", "2026-01-01T00:00:00Z", ("firstName", "Cora"), ("lastName", "Tact")),
                    "created-from-salesforce-contact", "added-to-salesforce-contact", "newsletter")
                .Salesforce(PersonAccount("001C", "cora@example.com", "2026-11-01T00:00:00.000+0000", ("FirstName", "Cora"), ("LastName", "Tact"), ("Sync_To_AC__c", true)));
            var d = Assert.Single(x.Decide(Config(Flagged)));
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.True(d.Migrated);
            Assert.Equal(new[] { "created-from-salesforce-person-account" }, d.TagsToAdd);
            Assert.Equal(new[] { "created-from-salesforce-contact", "added-to-salesforce-contact" }, d.TagsToRemove);
            // The person-account tag first, then the contact tags go: at no point is it left with neither, and never with both after.
            Assert.Equal(new[] { "AddContactTag", "DeleteContactTag", "DeleteContactTag" }, d.Operations.Select(o => o.Action).ToArray());
            var after = x.Apply(new List<TagDecision> { d }, "2026-12-01T00:00:00Z");
            Assert.Equal(new[] { "newsletter", "created-from-salesforce-person-account" }, after.TagsOf("3").OrderBy(t => t == "newsletter" ? 0 : 1).ToArray());
            var again = Assert.Single(after.Decide(Config(Flagged)));
            Assert.Equal(SyncMode.PersonAccount, again.SyncMode);
            AssertNothingLeft(new List<TagDecision> { again });
        }

        [Fact]
        public void Seed002_NichtBeides_AnUnselectedPersonAccountLeavesTheContactSyncAsAContact()
        {
            var x = new Export()
                .Contact(AcContact("3", "cora@example.com", "2026-01-01T00:00:00Z"), "created-from-salesforce-contact")
                .Salesforce(PersonAccount("001C", "cora@example.com", "2026-11-01T00:00:00.000+0000", ("LastName", "Tact"), ("Sync_To_AC__c", false)));
            var d = Assert.Single(x.Decide(Config(Flagged)));
            Assert.Equal(SyncMode.Contact, d.SyncMode);
            Assert.Empty(d.Operations);
            Assert.Null(d.PersonAccountUpdate);
        }

        [Fact]
        public void Seed002_NichtBeides_TwoContactsOfOneEmailNeverShareAPersonAccount()
        {
            var x = new Export()
                .Contact(AcContact("6", "eve@example.com", "2026-11-01T00:00:00Z", ("lastName", "One")), "created-from-salesforce-person-account")
                .Contact(AcContact("16", "EVE@example.com", "2026-11-02T00:00:00Z", ("lastName", "Two")), "created-from-salesforce-person-account")
                .Salesforce(PersonAccount("001A", "eve@example.com", "2026-10-01T00:00:00.000+0000", ("LastName", "Zero")));
            var d = x.Decide(Config());
            Assert.Equal("001A", d[0].AccountId);
            Assert.Equal("One", d[0].PersonAccountUpdate!["LastName"]);
            Assert.Null(d[1].AccountId);
            Assert.Null(d[1].PersonAccountUpdate);
            Assert.Equal("DuplicateContactEmail", d[1].ProblemId);
        }

        // ---- "In diesem Szenario wird das auf das Personenkonto bezogene Tag als Quelle der Wahrheit betrachtet" and the
        //      cleanup automation ("Hinzufügen einer Aktion > Kontakte > Entfernen eines Tags: added-to-salesforce-contact,
        //      created-from-salesforce-contact, salesforce-lead-converted-to-contact").

        [Fact]
        public void Seed002_QuelleDerWahrheit_EveryContactTagOfTheAutomationIsRemovedAndNoOtherTag()
        {
            var x = new Export().Contact(AcContact("2", "bo@example.com", "2026-01-01T00:00:00Z"),
                "salesforce-lead-converted-to-person-account", "added-to-salesforce-contact", "created-from-salesforce-contact", "salesforce-lead-converted-to-contact", "newsletter");
            var d = Assert.Single(x.Decide(Config()));
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.Equal(new[] { "added-to-salesforce-contact", "created-from-salesforce-contact", "salesforce-lead-converted-to-contact" }, d.TagsToRemove);
            Assert.Equal(new[] { "newsletter", "salesforce-lead-converted-to-person-account" }, x.Apply(new List<TagDecision> { d }, "2026-12-01T00:00:00Z").TagsOf("2").OrderBy(t => t).ToArray());
        }

        // ---- "Fügen Sie das Tag "hinzugefügt-zu-salesforce-personenkonto" zu einem ActiveCampaign-Kontakt entweder manuell
        //      oder durch eine Automation hinzu, um den Synchronisierungsprozess zu starten." The German text names the request
        //      tag in German: German tag names are accepted alongside the English ones.

        [Fact]
        public void Seed002_HinzugefuegtZuSalesforcePersonenkonto_TheGermanRequestTagRequestsAPersonAccount()
        {
            var x = new Export()
                .Contact(AcContact("5", "rita@example.com", "2026-01-01T00:00:00Z", ("lastName", "Quest")), "added-to-salesforce-contact")
                .RawTag("30", "hinzugefügt-zu-salesforce-personenkonto", "5");
            var d = Assert.Single(x.Decide(Config()));
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            Assert.Equal(new[] { "added-to-salesforce-contact" }, d.TagsToRemove);
            Assert.Equal(RecordType, d.PersonAccountToCreate!["RecordTypeId"]);
        }

        [Fact]
        public void Seed002_DeutscheTagNamen_TheConfigurationTakesAListOfNamesPerTag()
        {
            var config = Config(j =>
            {
                j["personAccountTags"] = JArray.Parse("[[\"created-from-salesforce-person-account\", \"erstellt-aus-salesforce-personenkonto\"], \"salesforce-lead-converted-to-person-account\", \"added-to-salesforce-person-account\"]");
                j["contactTags"] = JArray.Parse("[[\"added-to-salesforce-contact\", \"hinzugefügt-zu-salesforce-kontakt\"], \"created-from-salesforce-contact\", \"salesforce-lead-converted-to-contact\"]");
                j["outbound"] = JObject.Parse("{\"mode\":\"Flagged\",\"field\":\"Sync_To_AC__c\"}");
            });
            var x = new Export()
                .Contact(AcContact("2", "bo@example.com", "2026-01-01T00:00:00Z"))
                .Contact(AcContact("3", "cora@example.com", "2026-01-01T00:00:00Z"))
                .RawTag("40", "erstellt-aus-salesforce-personenkonto", "2")
                .RawTag("41", "hinzugefügt-zu-salesforce-kontakt", "2", "3")
                .Salesforce(PersonAccount("001C", "cora@example.com", "2026-11-01T00:00:00.000+0000", ("Sync_To_AC__c", true)));
            x.Records.RemoveAll(r => r.ObjectType == "tag" && r.GetString("tag") == "created-from-salesforce-person-account"); // a German account: only the German name exists
            var d = x.Decide(config);
            Assert.Equal(SyncMode.PersonAccount, d[0].SyncMode);
            Assert.True(d[0].Conflict);
            Assert.Equal(new[] { "hinzugefügt-zu-salesforce-kontakt" }, d[0].TagsToRemove);
            // The sync writes a tag's own (first) name, and finds its id under the German name when only that is in the export.
            Assert.Equal("created-from-salesforce-person-account", d[1].TagsToAdd.Single());
            Assert.Equal("40", d[1].Operations.Single(o => o.Action == "AddContactTag").TagId);
            Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => Config(j => j["personAccountTags"] = JArray.Parse("[[]]")));
        }

        [Fact]
        public void Seed002_TagNamenGetrimmt_ANameWithStraySpacesInTheExportIsTheSameTag()
        {
            var x = new Export()
                .Contact(AcContact("2", "bo@example.com", "2026-01-01T00:00:00Z"), "created-from-salesforce-person-account")
                .RawTag("50", "  added-to-salesforce-contact ", "2");
            var d = Assert.Single(x.Decide(Config()));
            Assert.True(d.Conflict);
            Assert.Equal(new[] { "added-to-salesforce-contact" }, d.TagsToRemove);
            Assert.Equal("50", d.Operations.Single().TagId);
        }

        [Fact]
        public void Seed002_UnbekannteTagIds_ALinkToATagTheExportDoesNotHaveIsReported()
        {
            var x = new Export()
                .Contact(AcContact("2", "bo@example.com", "2026-01-01T00:00:00Z"), "created-from-salesforce-person-account")
                .Link("2", "99");
            var d = Assert.Single(x.Decide(Config()));
            Assert.Equal(SyncMode.PersonAccount, d.SyncMode);
            var unknown = Assert.Single(d.UnknownTagLinks);
            Assert.Contains("tag 99", unknown);
            Assert.Contains("not in the export's tags", d.Reason);
        }

        [Fact]
        public void Seed002_Tags_TheTagsTheSyncAddsMustBePersonAccountTagsOrTheConfigurationIsRefused()
        {
            var ex = Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => Config(j => j["leadConvertedTag"] = "salesforce-lead-converted-to-contact"));
            Assert.Contains("'leadConvertedTag'", ex.Message);
            ex = Assert.Throws<LeadTools.Core.Conversion.ConfigurationException>(() => Config(j => j["fromSalesforceTag"] = "newsletter"));
            Assert.Contains("'fromSalesforceTag'", ex.Message);
        }
    }
}
