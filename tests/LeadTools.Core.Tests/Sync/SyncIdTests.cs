using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.Sync;
using Xunit;

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>
    /// The ids Salesforce assigns to pushed records: insert result files, the write-back of the CRM id to the local
    /// record (Ids.1), linking through the external id on the next run, and pruning links of records that are gone.
    /// </summary>
    public sealed class SyncIdTests : IDisposable
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private const string Early = "2026-01-10T00:00:00.000Z";
        private const string AfterRun = "2026-02-01T00:05:00.000Z";
        // Valid 18-character ids with the right key prefixes (00Q Lead, 003 Contact).
        private const string NewLeadId = "00Q5e000001AbCdEAK";
        private const string OtherLeadId = "00Q5e000001XyZwEAK";
        private const string ContactId = "0035e000002QrStEAK";

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "lt-syncids-" + Guid.NewGuid().ToString("N"));

        public SyncIdTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static CrmRecord R(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static SyncState StateAfterLastSync()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, Last);
            return s;
        }

        private string Write(string name, string text)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        private static CrmRecord PushableLead() => R("Lead", "L1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("ModifiedDate", Early));

        // ---- Insert result files --------------------------------------------------------------------------------

        [Fact]
        public void Data_Loader_success_file_gives_links_by_id_prefix()
        {
            var path = Write("success080124.csv", $"\"ID\",\"LEADGEN_ID__C\",\"LASTNAME\",\"STATUS\"\r\n\"{NewLeadId}\",\"L1\",\"Ng\",\"Item Created\"\r\n\"{ContactId}\",\"K7\",\"Ito\",\"Item Created\"\r\n");
            var issues = new List<RecordIssue>();
            var links = SyncInsertResults.Read(path, "LeadGen_Id__c", issues.Add);
            Assert.Empty(issues);
            Assert.Equal(new[] { $"Lead L1 = {NewLeadId}", $"Contact K7 = {ContactId}" }, links.Select(l => l.ToString()));
        }

        [Fact]
        public void Bulk_api_results_skip_failed_rows_with_a_warning_naming_the_line()
        {
            var path = Write("results.csv", $"\"sf__Id\",\"sf__Created\",\"sf__Error\",LeadGen_Id__c\n{NewLeadId},true,,L1\n,false,REQUIRED_FIELD_MISSING:Company,L2\n");
            var issues = new List<RecordIssue>();
            var links = SyncInsertResults.Read(path, "LeadGen_Id__c", issues.Add);
            Assert.Equal("L1", Assert.Single(links).LocalId);
            var issue = Assert.Single(issues);
            Assert.True(issue.IsWarning);
            Assert.Equal(3, issue.Line);
            Assert.Contains("L2", issue.Message);
            Assert.Contains("REQUIRED_FIELD_MISSING", issue.Message);
        }

        [Fact]
        public void Object_type_comes_from_the_file_name_when_the_id_prefix_says_nothing()
        {
            var path = Write("Lead-insert-success.csv", "Id,LeadGen_Id__c\nNEW1,L1\n");
            var links = SyncInsertResults.Read(path, "LeadGen_Id__c", i => throw new Xunit.Sdk.XunitException(i.ToString()));
            Assert.Equal("Lead", Assert.Single(links).ObjectType);
        }

        [Fact]
        public void A_result_file_without_the_external_id_column_is_a_header_error()
        {
            var path = Write("success.csv", $"ID,STATUS\n{NewLeadId},Item Created\n");
            var issues = new List<RecordIssue>();
            Assert.Empty(SyncInsertResults.Read(path, "LeadGen_Id__c", issues.Add));
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.BadHeader, issue.Kind);
            Assert.Contains("LeadGen_Id__c", issue.Message);
            Assert.Equal(path, issue.File);
        }

        [Fact]
        public void Rows_without_ids_or_type_are_errors_and_the_rest_proceed()
        {
            var path = Write("success.csv", $"ID,LeadGen_Id__c\n,L1\nNEW9,L2\n{NewLeadId},\n{OtherLeadId},L4\n");
            var issues = new List<RecordIssue>();
            var links = SyncInsertResults.Read(path, "LeadGen_Id__c", issues.Add);
            Assert.Equal("L4", Assert.Single(links).LocalId);
            Assert.Equal(new[] { (RecordIssueKind.MissingId, 2L), (RecordIssueKind.ObjectTypeUnknown, 3L), (RecordIssueKind.MissingId, 4L) }, issues.Select(i => (i.Kind, i.Line)));
        }

        [Fact]
        public void A_missing_result_file_is_reported()
        {
            var issues = new List<RecordIssue>();
            Assert.Empty(SyncInsertResults.Read(Path.Combine(_dir, "nope.csv"), "LeadGen_Id__c", issues.Add));
            Assert.Equal(RecordIssueKind.FileNotFound, Assert.Single(issues).Kind);
        }

        // ---- Write-back -----------------------------------------------------------------------------------------

        [Fact]
        public void Ids_1_insert_results_write_the_crm_id_back_and_the_lead_is_not_pushed_again()
        {
            var local = new List<CrmRecord> { PushableLead() };
            var first = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), StateAfterLastSync(), Now);
            Assert.Equal(SyncOperation.Insert, Assert.Single(first.Changes).Operation);

            // Data Loader inserted it; the Salesforce snapshot of the next run was taken before the insert, the local lead was edited since.
            local[0].Set("ModifiedDate", AfterRun);
            var options = new SyncRunOptions { InsertResults = { new SyncLink("Lead", "L1", NewLeadId) } };
            var second = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), first.State, Now.AddDays(1), options);
            var c = Assert.Single(second.Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Update, "Lead", "L1"), (c.Side, c.Operation, c.ObjectType, c.Id));
            Assert.StartsWith("Ids.1", c.Step);
            Assert.Equal(NewLeadId, c.FieldsAfter["CrmId"]);
            Assert.Null(c.FieldsBefore["CrmId"]);
            Assert.Equal(NewLeadId, second.State.SalesforceIdOf("Lead", "L1"));

            // Applied: nothing more to do.
            local[0].Set("CrmId", NewLeadId);
            Assert.Empty(SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), second.State, Now.AddDays(2)).Changes);
        }

        [Fact]
        public void Without_results_the_next_run_links_the_pushed_lead_through_the_external_id()
        {
            var local = new List<CrmRecord> { PushableLead() };
            var first = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), StateAfterLastSync(), Now);
            var sf = new[] { R("Lead", NewLeadId, ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("LeadGen_Id__c", "L1"), ("LastModifiedDate", AfterRun)) };
            var second = SyncEngine.Run(local, sf, SyncProfile.Default(), first.State, Now.AddDays(1));
            var c = Assert.Single(second.Changes);
            Assert.Equal((SyncSide.Local, "L1", NewLeadId), (c.Side, c.Id, c.FieldsAfter["CrmId"]));
            Assert.Equal(NewLeadId, second.State.SalesforceIdOf("Lead", "L1"));
        }

        [Fact]
        public void A_linked_record_still_missing_its_crm_id_gets_the_write_back_on_every_run_until_applied()
        {
            var state = StateAfterLastSync();
            state.Link("Contact", "K1", ContactId);
            var local = new[] { R("Contact", "K1", ("LastName", "Ito"), ("ModifiedDate", "2025-06-01T00:00:00.000Z")) };
            for (var run = 0; run < 2; run++)
            {
                var result = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now.AddDays(run));
                Assert.StartsWith("Ids.1", Assert.Single(result.Changes).Step);
                state = result.State;
            }
        }

        [Fact]
        public void Events_of_a_lead_linked_by_an_insert_result_are_pushed_in_the_same_run()
        {
            var local = new[]
            {
                R("Lead", "L1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("ModifiedDate", "2025-06-01T00:00:00.000Z")),
                R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("Name", "/pricing"), ("EventDate", Early)),
            };
            var without = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), StateAfterLastSync(), Now);
            Assert.DoesNotContain(without.Changes, c => c.Operation == SyncOperation.Event);
            var with = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), StateAfterLastSync(), Now, new SyncRunOptions { InsertResults = { new SyncLink("Lead", "L1", NewLeadId) } });
            var ev = Assert.Single(with.Changes, c => c.Operation == SyncOperation.Event);
            Assert.Equal(NewLeadId, ev.FieldsAfter["WhoId"]);
        }

        // ---- Pruning ----------------------------------------------------------------------------------------------

        [Fact]
        public void Prune_removes_links_of_records_gone_from_either_snapshot_and_keeps_fresh_results()
        {
            var state = StateAfterLastSync();
            state.Link("Lead", "L1", NewLeadId);      // both present: kept
            state.Link("Lead", "L2", OtherLeadId);    // local record deleted: pruned
            state.Link("Contact", "K1", ContactId);   // Salesforce record deleted: pruned
            var local = new[]
            {
                R("Lead", "L1", ("LastName", "Ng"), ("CrmId", NewLeadId), ("ModifiedDate", "2025-06-01T00:00:00.000Z")),
                R("Contact", "K1", ("LastName", "Ito"), ("CrmId", ContactId), ("ModifiedDate", "2025-06-01T00:00:00.000Z")),
                R("Lead", "L9", ("LastName", "Silva"), ("ModifiedDate", "2025-06-01T00:00:00.000Z")),
            };
            var sf = new[] { R("Lead", NewLeadId, ("LastName", "Ng"), ("LastModifiedDate", "2025-06-01T00:00:00.000Z")) };
            const string FreshId = "00Q5e000003FrEsEAK";
            var options = new SyncRunOptions { PruneLinks = true, InsertResults = { new SyncLink("Lead", "L9", FreshId) } };

            var result = SyncEngine.Run(local, sf, SyncProfile.Default(), state, Now, options);

            Assert.Equal(new[] { $"Contact K1 = {ContactId}", $"Lead L2 = {OtherLeadId}" }, result.PrunedLinks.Select(l => l.ToString()));
            Assert.Equal(NewLeadId, result.State.SalesforceIdOf("Lead", "L1"));
            Assert.Equal(FreshId, result.State.SalesforceIdOf("Lead", "L9"));
            Assert.Null(result.State.SalesforceIdOf("Lead", "L2"));
            Assert.Null(result.State.LocalIdOf("Contact", ContactId));
        }

        [Fact]
        public void Without_prune_no_link_is_removed()
        {
            var state = StateAfterLastSync();
            state.Link("Lead", "L2", OtherLeadId);
            var result = SyncEngine.Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now);
            Assert.Empty(result.PrunedLinks);
            Assert.Equal(OtherLeadId, result.State.SalesforceIdOf("Lead", "L2"));
        }

        [Fact]
        public void Unlink_removes_both_directions()
        {
            var s = new SyncState();
            s.Link("Lead", "L1", NewLeadId);
            s.Unlink("Lead", "L1");
            s.Unlink("Lead", "nope");
            Assert.Null(s.SalesforceIdOf("Lead", "L1"));
            Assert.Null(s.LocalIdOf("Lead", NewLeadId));
        }
    }
}

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>How the engine holds large snapshots: whole records only where a step needs them, a second pass when needed.</summary>
    public class SyncSnapshotPassTests
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

        private sealed class CountingSnapshot : IReadOnlyCollection<CrmRecord>
        {
            private readonly List<CrmRecord> _records;
            public CountingSnapshot(IEnumerable<CrmRecord> records) => _records = records.ToList();
            public int Count => _records.Count;
            public int Passes { get; private set; }
            public IEnumerator<CrmRecord> GetEnumerator()
            {
                Passes++;
                return _records.GetEnumerator();
            }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private static SyncState State()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, Last);
            return s;
        }

        private static IEnumerable<CrmRecord> ManyLocalLeads(int n) => Enumerable.Range(0, n).Select(i =>
            TestData.Record("Lead", "L" + i.ToString("D4"), ("LastName", "N" + i), ("Company", "C"), ("Email", $"p{i}@example.com"), ("Title", "T"), ("CrmId", "00Q" + i.ToString("D15")), ("ModifiedDate", "2025-12-01T00:00:00.000Z")));

        private static IEnumerable<CrmRecord> ManySalesforceLeads(int n, int edited) => Enumerable.Range(0, n).Select(i =>
            TestData.Record("Lead", "00Q" + i.ToString("D15"), ("LastName", "N" + i), ("Company", "C"), ("Email", $"p{i}@example.com"), ("Title", i == edited ? "VP" : "T"),
                ("LastModifiedDate", i == edited ? "2026-01-15T00:00:00.000Z" : "2025-12-01T00:00:00.000Z")));

        [Fact]
        public void An_unchanged_local_lead_that_a_modified_salesforce_lead_links_to_is_fetched_on_a_second_pass()
        {
            var local = new CountingSnapshot(ManyLocalLeads(500));
            var result = SyncEngine.Run(local, ManySalesforceLeads(500, edited: 321), SyncProfile.Default(), State(), Now);
            var c = Assert.Single(result.Changes);
            Assert.Equal((SyncSide.Local, "L0321", "VP"), (c.Side, c.Id, c.FieldsAfter["Title"]));
            Assert.Equal(2, local.Passes);
        }

        [Fact]
        public void Without_modified_salesforce_people_the_local_snapshot_is_read_once()
        {
            var local = new CountingSnapshot(ManyLocalLeads(500));
            var result = SyncEngine.Run(local, ManySalesforceLeads(500, edited: -1), SyncProfile.Default(), State(), Now);
            Assert.Empty(result.Changes);
            Assert.Equal(1, local.Passes);
        }

        [Fact]
        public void A_modified_local_lead_is_resolved_against_its_unchanged_salesforce_lead()
        {
            var local = ManyLocalLeads(300).ToList();
            local[42].Set("Title", "Chief");
            local[42].Set("ModifiedDate", "2026-01-20T00:00:00.000Z");
            // The Salesforce record is fetched on a second pass: rule L8 reports the held-back edit by name...
            var result = SyncEngine.Run(local, ManySalesforceLeads(300, edited: -1), SyncProfile.Default(), State(), Now);
            Assert.Empty(result.Changes);
            Assert.Contains("local edits not sent to Salesforce: Title", Assert.Single(result.Skipped).Reason);
            // ...and with pushLinkedEdits the edit is resolved against it.
            var profile = SyncProfile.Parse(Newtonsoft.Json.Linq.JObject.Parse(@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""pushLinkedEdits"": true } } }"), "p.json");
            var c = Assert.Single(SyncEngine.Run(local, ManySalesforceLeads(300, edited: -1), profile, State(), Now).Changes);
            Assert.Equal((SyncSide.Salesforce, "00Q000000000000042", "Chief"), (c.Side, c.Id, c.FieldsAfter["Title"]));
        }

        [Theory]
        [InlineData("2026-01-15T09:30:00.000Z")]
        [InlineData("2026-01-15T09:30:00Z")]
        [InlineData("2026-01-15T09:30:00.1234567Z")]
        [InlineData("2026-01-15T10:30:00.000+0100")]
        [InlineData("2026-01-15T04:30:00.000-05:00")]
        [InlineData("2024-02-29T23:59:59.999+0000")]
        public void Iso_fast_path_agrees_with_the_general_parser(string text)
        {
            Assert.True(SyncEngine.TryParseIso(text, out var fast));
            var compactOffset = System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{4}$");
            var general = DateTimeOffset.Parse(compactOffset ? text.Insert(text.Length - 2, ":") : text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(general.UtcTicks, fast.UtcTicks);
        }

        [Theory]
        [InlineData("2026-01-15")]
        [InlineData("2026-01-15T09:30:00")]
        [InlineData("2026-02-30T09:30:00Z")]
        [InlineData("2026-01-15T25:30:00Z")]
        [InlineData("2026-01-15 09:30:00Z")]
        [InlineData("2026-01-15T09:30:00.Z")]
        [InlineData("2026-01-15T09:30:00Zx")]
        public void Iso_fast_path_leaves_other_shapes_to_the_general_parser(string text) => Assert.False(SyncEngine.TryParseIso(text, out _));
    }
}

namespace LeadTools.Core.Tests.Sync
{
    public class SyncPendingEventTests
    {
        private static readonly DateTimeOffset Last = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        private const string LeadSfId = "00Q5e000001AbCdEAK";

        [Fact]
        public void Events_2_an_event_whose_lead_had_no_salesforce_id_is_pushed_once_the_lead_has_one()
        {
            var state = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) state.SetLastSync(n, Last);
            var lead = TestData.Record("Lead", "L1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("ModifiedDate", "2026-01-10T00:00:00.000Z"));
            var ev = TestData.Record("Event", "E1", ("LeadId", "L1"), ("Object", "Form"), ("Name", "Demo request"), ("EventDate", "2026-01-10T00:00:00.000Z"));
            var first = SyncEngine.Run(new[] { lead, ev }, Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now);
            Assert.StartsWith("Events.2", Assert.Single(first.Skipped).Step);
            Assert.Contains("E1", first.State.PendingEvents);

            // Saved and loaded: the pending event survives in the state file.
            var dir = TestData.Scratch();
            first.State.Save(System.IO.Path.Combine(dir, SyncState.FileName));
            var loaded = SyncState.Load(System.IO.Path.Combine(dir, SyncState.FileName));
            Assert.Contains("E1", loaded.PendingEvents);

            lead.Set("CrmId", LeadSfId);
            var second = SyncEngine.Run(new[] { lead, ev }, Array.Empty<CrmRecord>(), SyncProfile.Default(), loaded, Now.AddDays(1));
            var pushed = Assert.Single(second.Changes);
            Assert.Equal((SyncOperation.Event, LeadSfId), (pushed.Operation, pushed.FieldsAfter["WhoId"]));
            Assert.Empty(second.State.PendingEvents);
            Assert.Empty(SyncEngine.Run(new[] { lead, ev }, Array.Empty<CrmRecord>(), SyncProfile.Default(), second.State, Now.AddDays(2)).Changes);
        }

        [Fact]
        public void A_pending_event_gone_from_the_snapshot_is_forgotten()
        {
            var state = new SyncState();
            state.PendingEvents.Add("E-gone");
            var result = SyncEngine.Run(Array.Empty<CrmRecord>(), Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now);
            Assert.Empty(result.State.PendingEvents);
        }
    }
}

namespace LeadTools.Core.Tests.Sync
{
    public class SyncTypeCaseTests
    {
        [Fact]
        public void Lower_case_object_types_sync_like_their_standard_names()
        {
            var state = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) state.SetLastSync(n, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var local = new[]
            {
                TestData.Record("lead", "L1", ("LastName", "Ng"), ("Title", "CTO"), ("CrmId", "00Q000000000001AAA"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")),
                TestData.Record("lead", "L2", ("LastName", "Ito"), ("Title", "CEO"), ("CrmId", "00Q000000000002AAA"), ("ModifiedDate", "2026-01-20T00:00:00.000Z")),
            };
            var sf = new[]
            {
                TestData.Record("Lead", "00Q000000000001AAA", ("LastName", "Ng"), ("Title", "VP"), ("LastModifiedDate", "2026-01-10T00:00:00.000Z")),
                TestData.Record("Lead", "00Q000000000002AAA", ("LastName", "Ito"), ("Title", "CFO"), ("LastModifiedDate", "2025-12-01T00:00:00.000Z")),
            };
            var result = SyncEngine.Run(local, sf, SyncProfile.Default(), state, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
            Assert.Equal(new[] { "Local L1 VP" },
                result.Changes.Select(c => $"{c.Side} {c.Id} {c.FieldsAfter["Title"]}").OrderBy(x => x, StringComparer.Ordinal));
            // L2 (lower-case type) is found as a linked lead: its local edit is held back by rule L8 and named.
            Assert.Contains(result.Skipped, c => c.Id == "L2" && c.Step.StartsWith("Leads.8b", StringComparison.Ordinal) && c.Reason.Contains("Title"));
        }
    }
}

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>Edge cases found in review of the streaming engine and the id write-back.</summary>
    public class SyncReviewTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

        private static SyncState State()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            return s;
        }

        private static IEnumerable<CrmRecord> Once(IEnumerable<CrmRecord> records)
        {
            foreach (var r in records) yield return r;
        }

        private sealed class OneShot : IEnumerable<CrmRecord>
        {
            private List<CrmRecord>? _records;
            public OneShot(IEnumerable<CrmRecord> records) => _records = records.ToList();
            public IEnumerator<CrmRecord> GetEnumerator()
            {
                var r = _records ?? new List<CrmRecord>();
                _records = null;
                return r.GetEnumerator();
            }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private static CrmRecord[] Local() => new[]
        {
            TestData.Record("Lead", "L1", ("LastName", "Ng"), ("Email", "ng@acme.test"), ("Title", "CTO"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")),
        };

        private static CrmRecord[] Salesforce() => new[]
        {
            TestData.Record("Lead", "00Q000000000001AAA", ("LastName", "Ng"), ("Email", "ng@acme.test"), ("Title", "VP"), ("LastModifiedDate", "2026-01-10T00:00:00.000Z")),
        };

        [Fact]
        public void A_snapshot_that_can_be_read_only_once_is_buffered_and_matched_as_a_list_would_be()
        {
            var expected = SyncEngine.Run(Local(), Salesforce(), SyncProfile.Default(), State(), Now);
            var oneShot = SyncEngine.Run(new OneShot(Local()), new OneShot(Salesforce()), SyncProfile.Default(), State(), Now);
            var iterator = SyncEngine.Run(Once(Local()), Once(Salesforce()), SyncProfile.Default(), State(), Now);
            string Show(SyncResult r) => string.Join(";", r.Changes.Select(c => $"{c.Side} {c.Operation} {c.Id} {string.Join(",", c.FieldsAfter.Select(f => f.Key + "=" + f.Value))}"));
            Assert.Equal("Local Update L1 Title=VP,CrmId=00Q000000000001AAA", Show(expected));
            Assert.Equal(Show(expected), Show(oneShot));
            Assert.Equal(Show(expected), Show(iterator));
        }

        [Fact]
        public void A_second_record_with_the_same_id_is_ignored_and_reported_the_first_is_used()
        {
            var local = new[]
            {
                TestData.Record("Lead", "L1", ("LastName", "Ng"), ("Title", "CTO"), ("CrmId", "00Q000000000001AAA"), ("ModifiedDate", "2026-01-20T00:00:00.000Z")),
                TestData.Record("Lead", "L1", ("LastName", "Ng"), ("Title", "Intern"), ("CrmId", "00Q000000000002AAA"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")),
            };
            var sf = new[]
            {
                TestData.Record("Lead", "00Q000000000001AAA", ("LastName", "Ng"), ("Title", "VP"), ("LastModifiedDate", "2026-01-10T00:00:00.000Z")),
                TestData.Record("Lead", "00Q000000000001AAA", ("LastName", "Ng"), ("Title", "Other"), ("LastModifiedDate", "2026-01-10T00:00:00.000Z")),
            };
            var result = SyncEngine.Run(local, sf, SyncProfile.Default(), State(), Now);
            var c = Assert.Single(result.Changes);
            Assert.Equal((SyncSide.Salesforce, "00Q000000000001AAA", "CTO"), (c.Side, c.Id, c.FieldsAfter["Title"]));
            Assert.Equal(new[] { "Local L1", "Salesforce 00Q000000000001AAA" }, result.Skipped.Where(s => s.Step.StartsWith("Snapshot.1")).Select(s => $"{s.Side} {s.Id}"));
            Assert.DoesNotContain(result.Changes, x => x.Operation == SyncOperation.Insert);
        }

        [Theory]
        [InlineData("0001-01-01T00:00:00+01:00")]
        [InlineData("9999-12-31T23:30:00-01:00")]
        [InlineData("2026-01-15T09:30:00+99:00")]
        [InlineData("2026-01-15T09:30:00+14:60")]
        public void Iso_fast_path_refuses_times_out_of_range_and_the_sync_goes_on(string text)
        {
            Assert.False(SyncEngine.TryParseIso(text, out _));
            var local = new[] { TestData.Record("Lead", "L1", ("LastName", "Ng"), ("Company", "A"), ("Email", "ng@acme.test"), ("ModifiedDate", text)) };
            // A time that cannot be read counts as modified (as before): the lead is pushed.
            var result = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), State(), Now);
            Assert.Equal(SyncOperation.Insert, Assert.Single(result.Changes).Operation);
        }

        [Fact]
        public void Pruning_comes_before_the_write_back_so_no_id_of_a_deleted_record_is_written()
        {
            var state = State();
            state.Link("Lead", "L1", "00Q000000000009AAA");
            var local = new[] { TestData.Record("Lead", "L1", ("LastName", "Ng"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")) };
            var pruned = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now, new SyncRunOptions { PruneLinks = true });
            Assert.Empty(pruned.Changes);
            Assert.Single(pruned.PrunedLinks);
            var kept = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now);
            Assert.StartsWith("Ids.1", Assert.Single(kept.Changes).Step);
        }

        [Fact]
        public void Ids_1_does_not_give_a_crm_id_that_another_local_record_holds()
        {
            var state = State();
            state.Link("Lead", "L1", "00Q000000000001AAA");
            var local = new[]
            {
                TestData.Record("Lead", "L1", ("LastName", "Ng"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")),
                TestData.Record("Lead", "L2", ("LastName", "Ng"), ("CrmId", "00Q000000000001AAA"), ("ModifiedDate", "2025-12-01T00:00:00.000Z")),
            };
            var result = SyncEngine.Run(local, Array.Empty<CrmRecord>(), SyncProfile.Default(), state, Now);
            Assert.Empty(result.Changes);
            var skip = Assert.Single(result.Skipped);
            Assert.StartsWith("Ids.1", skip.Step);
            Assert.Contains("L2", skip.Reason);
        }

        private sealed class Shrinking : IReadOnlyCollection<CrmRecord>
        {
            private readonly List<CrmRecord> _records;
            private int _passes;
            public Shrinking(IEnumerable<CrmRecord> records) => _records = records.ToList();
            public int Count => _records.Count;
            public IEnumerator<CrmRecord> GetEnumerator() => (_passes++ == 0 ? _records : new List<CrmRecord>()).GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        [Fact]
        public void A_snapshot_that_changes_between_the_two_readings_stops_the_run_with_a_clear_error()
        {
            var ex = Assert.Throws<InvalidOperationException>(() => SyncEngine.Run(new Shrinking(Local()), Salesforce(), SyncProfile.Default(), State(), Now));
            Assert.Contains("changed while it was read", ex.Message);
            Assert.Contains("local Lead L1", ex.Message);
        }

        [Fact]
        public void A_hand_edited_state_with_comments_and_numeric_ids_loads()
        {
            var dir = TestData.Scratch();
            var path = System.IO.Path.Combine(dir, SyncState.FileName);
            System.IO.File.WriteAllText(path, "// edited by hand\n{ \"schema\": \"LeadTools.SyncState\", /* v1 */ \"version\": 1, \"lastSync\": { \"Accounts\": \"2026-01-01T00:00:00Z\" }, \"links\": { \"Account\": { \"A1\": 42 } } }\n// end\n");
            var state = SyncState.Load(path);
            Assert.Equal("42", state.SalesforceIdOf("Account", "A1"));
        }
    }
}
