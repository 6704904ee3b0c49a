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
    /// <summary>
    /// Issue 15: "A lead converted in Salesforce creates a duplicate local contact; the local lead must be marked as a
    /// contact and linked." Seed 003: "For every lead in the Salesforce list, attempt to find the lead in Lead Gen &amp;
    /// CRM by CRM ID or email address" and "If the lead is a contact, do not push it": the local system models a contact
    /// as a lead that is a contact (IsContact). And issue 15 / seed 002: "Leads without a company may sync for
    /// person-account conversion (a profile/config option in Sync-CrmRecord too)".
    /// </summary>
    public class SyncConversionTests
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private const string Before = "2025-12-01T00:00:00.000Z";
        private const string Early = "2026-01-10T00:00:00.000Z";
        private const string Converted = "2026-01-15T00:00:00.000Z";
        private const string Later = "2026-01-20T00:00:00.000Z";
        private const string MarkedStep = "Leads.2a lead converted in Salesforce: local lead marked as a contact";

        private static CrmRecord R(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static SyncState State()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, Last);
            return s;
        }

        private static SyncResult Run(IEnumerable<CrmRecord> local, IEnumerable<CrmRecord> sf, SyncState? state = null, SyncProfile? profile = null, DateTimeOffset? now = null) =>
            SyncEngine.Run(local.ToList(), sf.ToList(), profile ?? SyncProfile.Default(), state ?? State(), now ?? Now);

        private static CrmRecord LocalLead(string id = "L1", string crm = "00QA", string modified = Before, string title = "VP") =>
            R("Lead", id, ("FirstName", "Ada"), ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ada@acme.example"), ("Title", title), ("Phone", "111"), ("CrmId", crm), ("ModifiedDate", modified));

        private static CrmRecord ConvertedLead(string id = "00QA", string contact = "003A", string convertedDate = "2026-01-15", string title = "VP", string email = "ada@acme.example") =>
            R("Lead", id, ("FirstName", "Ada"), ("LastName", "Ng"), ("Company", "Acme"), ("Email", email), ("Title", title), ("Phone", "111"), ("IsConverted", true),
                ("ConvertedContactId", contact), ("ConvertedAccountId", "001A"), ("ConvertedDate", convertedDate), ("LastModifiedDate", Converted));

        private static CrmRecord Contact(string id = "003A", string title = "VP", string phone = "111", string modified = Converted, params (string, object?)[] more) =>
            R("Contact", id, new[] { ("FirstName", (object?)"Ada"), ("LastName", "Ng"), ("Email", "ada@acme.example"), ("Title", title), ("Phone", phone), ("LastModifiedDate", modified) }.Concat(more).ToArray());

        private static void AssertNoLocalContactCreated(SyncResult result) =>
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Local && c.Operation == SyncOperation.Insert && c.ObjectType == "Contact");

        private static SyncChange Marked(SyncResult result, string leadId = "L1") =>
            Assert.Single(result.Changes, c => c.Side == SyncSide.Local && c.ObjectType == "Lead" && c.Id == leadId && c.Step == MarkedStep);

        // ---- the contact in the same snapshot as the converted lead ---------------------------------------------

        [Fact]
        public void A_lead_converted_in_Salesforce_marks_the_local_lead_as_a_contact_and_links_it_no_duplicate_contact()
        {
            // Issue 15: "A lead converted in Salesforce creates a duplicate local contact; the local lead must be marked as
            // a contact and linked." The contact was edited in Salesforce after the conversion (Phone): its value is applied.
            var local = new[] { LocalLead() };
            var sf = new[] { ConvertedLead(), Contact(phone: "222", modified: Later) };
            var result = Run(local, sf);
            AssertNoLocalContactCreated(result);
            var marked = Marked(result);
            Assert.Equal(true, marked.FieldsAfter["IsContact"]);
            Assert.Equal("003A", marked.FieldsAfter["CrmId"]);
            Assert.Equal("222", marked.FieldsAfter["Phone"]);
            Assert.Contains("converted into contact 003A", marked.Reason);
            // Nothing is pushed for the converted lead (Salesforce refuses updates of converted leads), nothing for the contact.
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Salesforce);
            // The link moved: the local lead is the contact's local record, no longer linked as a lead.
            Assert.Equal("003A", result.State.SalesforceIdOf("Contact", "L1"));
            Assert.Null(result.State.SalesforceIdOf("Lead", "L1"));
        }

        [Fact]
        public void A_converted_lead_found_by_email_as_Leads_2_finds_leads_is_marked_too()
        {
            // Seed 003: "attempt to find the lead in Lead Gen & CRM by CRM ID or email address".
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ada@acme.example"), ("ModifiedDate", Before)) };
            var result = Run(local, new[] { ConvertedLead(), Contact() });
            AssertNoLocalContactCreated(result);
            Assert.Equal("003A", Marked(result).FieldsAfter["CrmId"]);
        }

        // ---- the contact in a later run than the conversion ------------------------------------------------------

        [Fact]
        public void The_contact_arriving_in_a_later_run_than_the_conversion_is_the_marked_lead_not_a_new_contact()
        {
            // Issue 15, "the local lead must be marked as a contact and linked": the first snapshot has the converted lead but
            // not its contact yet; the contact comes in the next one, with a time older than that run's watermark.
            var local = new List<CrmRecord> { LocalLead() };
            var sf = new List<CrmRecord> { ConvertedLead(), R("Contact", "003Z", ("LastName", "Other"), ("Email", "o@x.example"), ("LastModifiedDate", Later)) };
            var first = Run(local, sf);
            var marked = Marked(first);
            Assert.Equal("003A", marked.FieldsAfter["CrmId"]);
            Assert.Contains(SyncState.PendingKey(SyncSide.Salesforce, "Contact", "003A"), first.State.PendingRecords);
            SyncTestApply.Apply(first, local, sf, SyncProfile.Default(), Now.AddSeconds(1));

            // The contact: Salesforce changed its Title after the conversion; its time is older than the watermark.
            sf.Add(Contact(title: "Director", modified: Converted));
            var second = Run(local, sf, first.State, now: Now.AddMinutes(1));
            AssertNoLocalContactCreated(second);
            var update = Assert.Single(second.Changes);
            Assert.Equal((SyncSide.Local, "Lead", "L1", "Director"), (update.Side, update.ObjectType, update.Id, update.FieldsAfter["Title"]));
            Assert.StartsWith("Contacts.3 resolve field conflicts (a lead converted in Salesforce, marked as this contact", update.Step);
            SyncTestApply.Apply(second, local, sf, SyncProfile.Default(), Now.AddMinutes(1).AddSeconds(1));
            Assert.Empty(Run(local, sf, second.State, now: Now.AddMinutes(2)).Changes);
        }

        [Fact]
        public void A_conversion_an_earlier_snapshot_showed_before_this_version_is_still_taken_up_when_the_contact_comes()
        {
            // "the lead already marked converted in an earlier snapshot": the converted lead is older than the watermark
            // (not modified since the last sync), the local lead is still linked to it, and the contact is new.
            var state = State();
            state.Link("Lead", "L1", "00QA");
            var result = Run(new[] { LocalLead() }, new[] { ConvertedLead(), Contact(modified: Later) }, state);
            AssertNoLocalContactCreated(result);
            Assert.Equal("003A", Marked(result).FieldsAfter["CrmId"]);
            Assert.Equal("003A", result.State.SalesforceIdOf("Contact", "L1"));
        }

        [Fact]
        public void A_lead_that_vanished_from_the_export_is_recognised_by_the_external_id_its_contact_carries()
        {
            // "the lead vanishes from the snapshot": the export leaves converted leads out; Salesforce's lead field mapping
            // carried LeadGen_Id__c onto the contact, naming the local lead linked to the lead that is gone.
            var result = Run(new[] { LocalLead() }, new[] { Contact(modified: Later, more: ("LeadGen_Id__c", "L1")) });
            AssertNoLocalContactCreated(result);
            var marked = Marked(result);
            Assert.Equal("003A", marked.FieldsAfter["CrmId"]);
            Assert.Contains("no longer in the export", marked.Reason);
        }

        [Fact]
        public void An_email_alone_is_no_proof_of_a_conversion_when_the_lead_is_not_in_the_export()
        {
            // Decision (README): Salesforce holds a lead and a contact of one person side by side; without the converted
            // lead or the external id, the contact is created as seed 003 says ("If the lead does not exist, create the lead").
            var result = Run(new[] { LocalLead() }, new[] { Contact(modified: Later) });
            Assert.Single(result.Changes, c => c.Side == SyncSide.Local && c.Operation == SyncOperation.Insert && c.ObjectType == "Contact");
            Assert.DoesNotContain(result.Changes, c => c.ObjectType == "Lead");
        }

        // ---- never linked ---------------------------------------------------------------------------------------

        [Fact]
        public void A_converted_lead_never_linked_locally_behaves_as_before_its_contact_is_created_and_the_lead_is_not()
        {
            // "If the lead does not exist, create the lead in Lead Gen & CRM": the person is a contact now, so the contact is
            // created (once) and the converted lead is not created as a second local record of the same person.
            var local = new[] { R("Lead", "L9", ("LastName", "Ito"), ("Company", "B"), ("Email", "ito@b.example"), ("CrmId", "00QZ"), ("ModifiedDate", Before)) };
            var result = Run(local, new[] { ConvertedLead(), Contact() });
            var insert = Assert.Single(result.Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Insert, "Contact"), (insert.Side, insert.Operation, insert.ObjectType));
            Assert.Contains(result.Skipped, s => s.Id == "00QA" && s.Step == "Leads.4 lead converted in Salesforce: not created locally");
            Assert.Null(result.State.SalesforceIdOf("Contact", "L9"));
        }

        // ---- two leads into one contact, and a contact that already exists locally --------------------------------

        [Fact]
        public void Two_linked_leads_converted_into_one_contact_the_first_converted_is_marked_the_other_held_and_reported()
        {
            // A merge during the conversion: never silently drop one. The lead converted first keeps the contact.
            var local = new List<CrmRecord> { LocalLead("L1", "00QA"), LocalLead("L2", "00QB") };
            var sf = new List<CrmRecord> { ConvertedLead("00QA", convertedDate: "2026-01-16"), ConvertedLead("00QB", convertedDate: "2026-01-15"), Contact() };
            var result = Run(local, sf);
            AssertNoLocalContactCreated(result);
            Assert.Equal("003A", Marked(result, "L2").FieldsAfter["CrmId"]);
            Assert.DoesNotContain(result.Changes, c => c.Id == "L1");
            var held = Assert.Single(result.Skipped, s => s.Id == "L1");
            Assert.Contains("Merge L1 into L2", held.Reason);
            Assert.Contains(SyncState.PendingKey(SyncSide.Local, "Lead", "L1"), result.State.PendingRecords);
            Assert.Null(result.State.SalesforceIdOf("Contact", "L1"));
            Assert.Equal("L2", result.State.LocalIdOf("Contact", "003A"));
            // Applied and run again: nothing changes, and the held lead is still reported.
            SyncTestApply.Apply(result, local, sf, SyncProfile.Default(), Now.AddSeconds(1));
            var second = Run(local, sf, result.State, now: Now.AddMinutes(1));
            Assert.Empty(second.Changes);
            Assert.Contains(second.Skipped, s => s.Id == "L1" && s.Reason.Contains("Merge L1 into L2"));
        }

        [Fact]
        public void An_event_of_the_held_lead_goes_to_the_contact_never_to_the_converted_lead_Salesforce_refuses_it()
        {
            // Seed 003, Events: "If the event's lead has a CRM ID ... push it as an activity". The held lead's CRM id is a
            // converted Salesforce lead, which takes no new activity (Salesforce moved its activities to the contact on
            // conversion): the event of the held lead L1 and of the marked lead L2 both go to contact 003A, the person they are.
            var local = new List<CrmRecord>
            {
                LocalLead("L1", "00QA"), LocalLead("L2", "00QB"),
                R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("Name", "/pricing"), ("EventDate", Later)),
                R("Event", "E2", ("LeadId", "L2"), ("Object", "EmailOpen"), ("Name", "Jan"), ("EventDate", Later)),
            };
            var sf = new List<CrmRecord> { ConvertedLead("00QA", convertedDate: "2026-01-16"), ConvertedLead("00QB", convertedDate: "2026-01-15"), Contact() };
            var result = Run(local, sf);
            var events = result.Changes.Where(c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Event).OrderBy(c => c.FieldsAfter["Subject"]).ToList();
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Equal("003A", e.FieldsAfter["WhoId"]));
            Assert.DoesNotContain(result.Changes, c => c.FieldsAfter.Values.Any(v => (v as string) == "00QA" || (v as string) == "00QB"));
            Assert.Contains("converted into contact 003A", events.Single(e => (string?)e.FieldsAfter["Subject"] == "Page visit").Reason);
            // The held lead stays held (pending, reported), the event is not pending: pushed once.
            Assert.Contains(SyncState.PendingKey(SyncSide.Local, "Lead", "L1"), result.State.PendingRecords);
            Assert.DoesNotContain("E1", result.State.PendingEvents);
        }

        [Fact]
        public void A_local_contact_already_holding_the_salesforce_contact_keeps_it_the_lead_is_held_and_reported()
        {
            // "the local side already has a contact with that Salesforce id": one local record per Salesforce contact.
            var local = new[] { LocalLead(), R("Contact", "K1", ("LastName", "Ng"), ("Email", "ada@acme.example"), ("Title", "VP"), ("CrmId", "003A"), ("ModifiedDate", Before)) };
            var result = Run(local, new[] { ConvertedLead(), Contact(title: "CTO", modified: Later) });
            AssertNoLocalContactCreated(result);
            Assert.DoesNotContain(result.Changes, c => c.Id == "L1");
            var update = Assert.Single(result.Changes);
            Assert.Equal(("Contact", "K1", "CTO"), (update.ObjectType, update.Id, update.FieldsAfter["Title"]));
            var held = Assert.Single(result.Skipped, s => s.Id == "L1");
            Assert.Contains("local contact K1 already stands for", held.Reason);
            Assert.Equal("K1", result.State.LocalIdOf("Contact", "003A"));
        }

        [Fact]
        public void An_unlinked_local_contact_found_by_email_keeps_the_salesforce_contact_the_lead_is_held_and_reported()
        {
            // Seed 003 finds records "by CRM ID or email address": the local contact with the contact's email is its local
            // record (Contacts.2 links it); the lead is the same person, reported to be merged, never a second link.
            var local = new[] { LocalLead(), R("Contact", "K1", ("LastName", "Ng"), ("Email", "ada@acme.example"), ("Title", "VP"), ("ModifiedDate", Before)) };
            var result = Run(local, new[] { ConvertedLead(), Contact(modified: Later) });
            AssertNoLocalContactCreated(result);
            Assert.DoesNotContain(result.Changes, c => c.Id == "L1");
            Assert.Equal("003A", Assert.Single(result.Changes, c => c.Id == "K1").FieldsAfter["CrmId"]);
            Assert.Contains(result.Skipped, s => s.Id == "L1" && s.Reason.Contains("Merge L1 into K1"));
            Assert.Equal("K1", result.State.LocalIdOf("Contact", "003A"));
        }

        [Fact]
        public void A_lead_converted_into_a_person_account_is_not_marked_person_accounts_are_not_supported()
        {
            // Seed 003: "Lead Gen & CRM does not support personal accounts."
            var result = Run(new[] { LocalLead() }, new[] { ConvertedLead(), Contact(more: ("IsPersonAccount", true)) });
            Assert.Empty(result.Changes);
            Assert.Contains(result.Skipped, s => s.Id == "L1" && s.Reason.Contains("person account"));
        }

        [Fact]
        public void A_partial_local_snapshot_marks_nothing_and_creates_no_contact_the_next_complete_run_converts()
        {
            // A local record of that contact may be on an unread line: nothing is decided on half a snapshot.
            var local = new[] { LocalLead() };
            var sf = new[] { ConvertedLead(), Contact(modified: Later) };
            var partial = SyncEngine.Run(local, sf, SyncProfile.Default(), State(), Now, new SyncRunOptions { LocalSnapshotIncomplete = true });
            Assert.Empty(partial.Changes);
            Assert.Contains(partial.Skipped, s => s.Id == "L1" && s.Reason.Contains("not read completely"));
            Assert.Null(partial.State.SalesforceIdOf("Contact", "L1"));
            var complete = Run(local, sf, partial.State);
            AssertNoLocalContactCreated(complete);
            Assert.Equal("003A", Marked(complete).FieldsAfter["CrmId"]);
        }

        // ---- local edits ------------------------------------------------------------------------------------------

        [Fact]
        public void A_local_edit_since_the_last_sync_is_not_lost_to_the_value_the_conversion_copied_it_goes_to_the_contact()
        {
            // Issue 15 asks that local edits after the watermark are not lost. The local Title edit (Early, after the last
            // sync) was held back by rule L8b ("If the lead already has a CRM ID, do not push it"); the conversion (later)
            // copied the old Salesforce value onto the contact: that is not a Salesforce edit. The contact's own edit
            // after the conversion (Phone) is.
            var local = new[] { LocalLead(modified: Early, title: "CEO") };
            var sf = new[] { ConvertedLead(title: "VP"), Contact(title: "VP", phone: "222", modified: Later) };
            var result = Run(local, sf);
            var marked = Marked(result);
            Assert.False(marked.FieldsAfter.ContainsKey("Title"));
            Assert.Equal("222", marked.FieldsAfter["Phone"]);
            var push = Assert.Single(result.Changes, c => c.Side == SyncSide.Salesforce);
            Assert.Equal(("Contact", "003A", "CEO"), (push.ObjectType, push.Id, push.FieldsAfter["Title"]));
            Assert.False(push.FieldsAfter.ContainsKey("Phone"));
        }

        [Fact]
        public void A_salesforce_edit_of_the_lead_before_its_conversion_reaches_the_unchanged_local_lead()
        {
            // "If the lead exists, resolve field conflicts in every lead field": the local lead was not edited since the
            // last sync, so a difference is Salesforce's edit (made before the conversion) and is taken.
            var local = new[] { LocalLead(modified: Before, title: "VP") };
            var result = Run(local, new[] { ConvertedLead(title: "Director"), Contact(title: "Director") });
            Assert.Equal("Director", Marked(result).FieldsAfter["Title"]);
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Salesforce);
        }

        [Fact]
        public void A_local_edit_made_before_a_conversion_whose_contact_comes_a_run_later_is_not_lost()
        {
            var local = new List<CrmRecord> { LocalLead(modified: Early, title: "CEO") };
            var sf = new List<CrmRecord> { ConvertedLead(title: "VP") };
            var first = Run(local, sf);
            Assert.False(Marked(first).FieldsAfter.ContainsKey("Title"));
            SyncTestApply.Apply(first, local, sf, SyncProfile.Default(), Now.AddSeconds(1));
            sf.Add(Contact(title: "VP", modified: Later));
            var second = Run(local, sf, first.State, now: Now.AddMinutes(1));
            Assert.DoesNotContain(second.Changes, c => c.Side == SyncSide.Local && c.FieldsAfter.ContainsKey("Title"));
            var push = Assert.Single(second.Changes, c => c.Side == SyncSide.Salesforce);
            Assert.Equal(("003A", "CEO"), (push.Id, push.FieldsAfter["Title"]));
        }

        // ---- idempotency, state, later runs -------------------------------------------------------------------

        [Fact]
        public void A_second_run_after_the_changes_are_applied_changes_nothing_and_the_state_file_stays_valid()
        {
            var local = new List<CrmRecord> { LocalLead(modified: Early, title: "CEO"), LocalLead("L2", "00QB"), R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("Name", "/p"), ("EventDate", Later)) };
            var sf = new List<CrmRecord> { ConvertedLead(), ConvertedLead("00QB", convertedDate: "2026-01-16"), Contact(phone: "222", modified: Later) };
            var first = Run(local, sf);
            // The event of the converted lead goes to its contact (Salesforce takes no activity on a converted lead).
            Assert.Equal("003A", Assert.Single(first.Changes, c => c.Operation == SyncOperation.Event).FieldsAfter["WhoId"]);
            var folder = TestData.Scratch();
            var path = Path.Combine(folder, SyncState.FileName);
            first.State.Save(path);
            var loaded = SyncState.Load(path);
            Assert.Equal("003A", loaded.SalesforceIdOf("Contact", "L1"));
            Assert.Null(loaded.SalesforceIdOf("Lead", "L1"));
            Assert.Null(loaded.SalesforceIdOf("Contact", "L2"));
            Assert.Contains(SyncState.PendingKey(SyncSide.Local, "Lead", "L2"), loaded.PendingRecords);
            SyncTestApply.Apply(first, local, sf, SyncProfile.Default(), Now.AddSeconds(1));
            var second = Run(local, sf, loaded, now: Now.AddMinutes(1));
            Assert.Empty(second.Changes);
            SyncTestApply.Apply(second, local, sf, SyncProfile.Default(), Now.AddMinutes(1).AddSeconds(1));
            Assert.Empty(Run(local, sf, second.State, now: Now.AddMinutes(2)).Changes);
            // -PruneLinks keeps the contact link of the lead that stands for it.
            var pruned = SyncEngine.Run(local, sf, SyncProfile.Default(), second.State, Now.AddMinutes(3), new SyncRunOptions { PruneLinks = true });
            Assert.DoesNotContain(pruned.PrunedLinks, l => l.LocalId == "L1");
        }

        [Fact]
        public void After_the_conversion_a_contact_edit_in_salesforce_updates_the_marked_lead_and_it_is_never_pushed_as_a_lead()
        {
            // "If the lead is a contact, do not push it."
            var local = new List<CrmRecord> { LocalLead() };
            var sf = new List<CrmRecord> { ConvertedLead(), Contact() };
            var first = Run(local, sf);
            SyncTestApply.Apply(first, local, sf, SyncProfile.Default(), Now.AddSeconds(1));
            sf.RemoveAll(r => r.Id == "003A");
            sf.Add(Contact(title: "CFO", modified: "2026-02-01T00:00:30.000Z"));
            local[0].Set("Phone", "999");
            var second = Run(local, sf, first.State, now: Now.AddMinutes(1));
            Assert.DoesNotContain(second.Changes, c => c.Side == SyncSide.Salesforce && c.ObjectType == "Lead");
            Assert.DoesNotContain(second.Changes, c => c.Operation == SyncOperation.Insert);
            var update = Assert.Single(second.Changes, c => c.Side == SyncSide.Local);
            Assert.Equal(("Lead", "L1", "CFO"), (update.ObjectType, update.Id, update.FieldsAfter["Title"]));
        }

        [Fact]
        public void A_local_lead_carrying_the_contact_id_as_its_crm_id_stands_for_that_contact_without_a_state_link()
        {
            // The local platform's own shape of a converted lead (IsContact, the contact's CRM id), e.g. a first sync.
            var local = new[] { R("Lead", "L1", ("LastName", "Ng"), ("Email", "ada@acme.example"), ("Title", "VP"), ("IsContact", true), ("CrmId", "003A"), ("ModifiedDate", Before)) };
            var result = Run(local, new[] { Contact(title: "CTO", modified: Later) }, new SyncState());
            AssertNoLocalContactCreated(result);
            var update = Assert.Single(result.Changes);
            Assert.Equal(("Lead", "L1", "CTO"), (update.ObjectType, update.Id, update.FieldsAfter["Title"]));
            Assert.Equal("003A", result.State.SalesforceIdOf("Contact", "L1"));
        }

        public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 200).Select(i => new object[] { i });

        [Theory]
        [MemberData(nameof(Seeds))]
        public void Property_conversions_never_duplicate_a_linked_lead_and_a_second_run_changes_nothing(int seed)
        {
            // Random linked leads, some converted in Salesforce (some two into one contact), contacts present or not,
            // local contacts holding some contact ids, local edits before and after the last sync.
            var rnd = new Random(seed);
            string T() => new[] { Before, Early, Converted, Later }[rnd.Next(4)];
            string Pick(params string[] v) => v[rnd.Next(v.Length)];
            var local = new List<CrmRecord>();
            var sf = new List<CrmRecord>();
            var contactIds = new HashSet<string>();
            for (var i = 0; i < rnd.Next(1, 7); i++)
            {
                var linked = rnd.Next(4) != 0;
                local.Add(R("Lead", "L" + i, ("LastName", Pick("Ng", "Ito")), ("Company", "C"), ("Email", "p" + i + "@x.example"), ("Title", Pick("VP", "CEO", "CTO")),
                    ("Phone", Pick("1", "2")), ("CrmId", linked ? "00Q" + i : null), ("ModifiedDate", T())));
                var converted = rnd.Next(2) == 0;
                var contact = "003" + rnd.Next(4);
                sf.Add(R("Lead", "00Q" + i, ("LastName", Pick("Ng", "Ito")), ("Company", "C"), ("Email", rnd.Next(3) == 0 ? "other" + i + "@x.example" : "p" + i + "@x.example"),
                    ("Title", Pick("VP", "CEO", "CTO")), ("Phone", Pick("1", "2")), ("IsConverted", converted), ("ConvertedContactId", converted ? contact : null),
                    ("ConvertedDate", converted ? "2026-01-1" + rnd.Next(10) : null), ("LastModifiedDate", T())));
                if (converted) contactIds.Add(contact);
            }
            foreach (var c in contactIds.OrderBy(c => c))
            {
                if (rnd.Next(4) != 0) sf.Add(R("Contact", c, ("LastName", Pick("Ng", "Ito")), ("Email", "c" + c + "@x.example"), ("Title", Pick("VP", "CEO", "CTO")), ("Phone", Pick("1", "2")), ("LastModifiedDate", T())));
                if (rnd.Next(5) == 0) local.Add(R("Contact", "K" + c, ("LastName", "Ng"), ("Email", "c" + c + "@x.example"), ("CrmId", c), ("ModifiedDate", T())));
            }
            var state = rnd.Next(2) == 0 ? State() : new SyncState();
            var profile = SyncProfile.Default();
            var first = Run(local, sf, state, profile);
            // No Salesforce contact that a found local lead was converted into is created locally.
            var held = new HashSet<string>(local.Where(r => r.ObjectType == "Lead" && r.GetString("CrmId") != null)
                .Select(r => sf.Single(x => x.Id == r.GetString("CrmId"))).Where(x => true.Equals(x["IsConverted"])).Select(x => x.GetString("ConvertedContactId")!));
            Assert.DoesNotContain(first.Changes, c => c.Side == SyncSide.Local && c.Operation == SyncOperation.Insert && c.ObjectType == "Contact" && held.Contains(c.FieldsAfter["CrmId"]!.ToString()!));
            // Every Salesforce contact has at most one local record in the state's links.
            foreach (var c in contactIds) Assert.True(first.State.LocalIdOf("Contact", c) == null || first.State.Links("Contact").Count(l => l.Value == c) == 1);
            var path = Path.Combine(TestData.Scratch(), SyncState.FileName);
            first.State.Save(path);
            var loaded = SyncState.Load(path);
            SyncTestApply.Apply(first, local, sf, profile, Now.AddSeconds(1));
            var second = Run(local, sf, loaded, profile, Now.AddMinutes(1));
            Assert.True(second.Changes.Count(c => c.Operation != SyncOperation.Event) == 0, $"seed {seed}: " + string.Join("\n", second.Changes.Select(c => c + " " + string.Join(",", c.FieldsAfter.Select(f => f.Key + "=" + f.Value)))) + "\nFIRST:\n" + string.Join("\n", first.Changes.Select(c => c + " " + string.Join(",", c.FieldsAfter.Select(f => f.Key + "=" + f.Value)))));
            SyncTestApply.Apply(second, local, sf, profile, Now.AddMinutes(1).AddSeconds(1));
            Assert.Empty(Run(local, sf, second.State, profile, Now.AddMinutes(2)).Changes);
        }

        // ---- leads without a company (seed 002, issue 15's last bullet) --------------------------------------------

        private static SyncProfile Profile(string leads) => SyncProfile.Parse(JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": " + leads + " } }"), "p.json");

        private static readonly CrmRecord[] NoCompany =
        {
            R("Lead", "L5", ("LastName", "Haddad"), ("Email", "noor@example.net"), ("ModifiedDate", Early)),
            R("Lead", "L6", ("LastName", "Haddad"), ("Company", ""), ("Email", "n2@example.net"), ("ModifiedDate", Early)),
        };

        [Fact]
        public void Seed003_If_Last_Name_Company_and_Email_are_set_push_it_by_default_a_lead_without_a_company_is_not_pushed()
        {
            // Seed 003: "If Last Name, Company, and Email are set, push it."
            var result = Run(NoCompany, Array.Empty<CrmRecord>());
            Assert.Empty(result.Changes);
            Assert.Equal(2, result.Skipped.Count(s => s.Step == "Leads.8c Last Name, Company and Email not all set: not pushed" && s.Reason.Contains("Company")));
        }

        [Fact]
        public void Seed002_Lead_Synchronisierung_ohne_Firmenname_fuer_Personenkontenkonversion_zulassen_pushWithoutCompany_pushes_it()
        {
            // Seed 002: "Lead-Synchronisierung ohne Firmenname für Personenkontenkonversion zulassen." (Allow lead sync
            // without a company name for person-account conversion.)
            var result = Run(NoCompany, Array.Empty<CrmRecord>(), profile: Profile(@"{ ""pushWithoutCompany"": true }"));
            Assert.Equal(2, result.Changes.Count);
            Assert.All(result.Changes, c =>
            {
                Assert.Equal((SyncSide.Salesforce, SyncOperation.Insert, "Lead"), (c.Side, c.Operation, c.ObjectType));
                Assert.Equal("Leads.8c Last Name and Email set, no Company (pushWithoutCompany: person-account conversion): pushed", c.Step);
            });
            // A lead with a company is pushed as always; Last Name and Email are still required.
            var more = new[]
            {
                R("Lead", "L7", ("LastName", "Okafor"), ("Company", "Brightline"), ("Email", "a@b.example"), ("ModifiedDate", Early)),
                R("Lead", "L8", ("LastName", "Okafor"), ("ModifiedDate", Early)),
            };
            var mixed = Run(more, Array.Empty<CrmRecord>(), profile: Profile(@"{ ""pushWithoutCompany"": true }"));
            Assert.Equal("L7", Assert.Single(mixed.Changes).FieldsAfter["LeadGen_Id__c"]);
            var skip = Assert.Single(mixed.Skipped);
            Assert.Equal(("L8", "Leads.8c Last Name and Email not all set: not pushed"), (skip.Id, skip.Step));
            Assert.Contains("Email", skip.Reason);
        }

        [Theory]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Contacts"": { ""pushWithoutCompany"": true } } }", "objects.Contacts.pushWithoutCompany")]
        [InlineData(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""pushWithoutCompany"": ""yes"" } } }", "objects.Leads.pushWithoutCompany")]
        public void PushWithoutCompany_is_a_boolean_setting_of_leads_only(string json, string key)
        {
            var ex = Assert.Throws<ConfigurationException>(() => SyncProfile.Parse(JObject.Parse(json), "p.json"));
            Assert.Equal(key, ex.Key);
            Assert.False(SyncProfile.Default().Object("Leads").PushWithoutCompany);
        }
    }

    /// <summary>Applies a sync result's change sets in memory, as the two systems would (see SyncIdempotencyTests).</summary>
    internal static class SyncTestApply
    {
        public static void Apply(SyncResult result, List<CrmRecord> local, List<CrmRecord> sf, SyncProfile profile, DateTimeOffset stamp)
        {
            var time = stamp.UtcDateTime.ToString(RecordValue.UtcDateTimeFormat);
            var newId = 0;
            foreach (var c in result.Changes)
            {
                if (c.Operation == SyncOperation.Event) continue;
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
                if (c.Side == SyncSide.Salesforce)
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
