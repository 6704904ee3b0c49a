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
    /// The watermark (issue 15, first bullet; seed 003 "modified since the last sync"): taken from the snapshots, per
    /// side and object, never from the wall clock of the run, so an edit made between the export and the run is taken by
    /// the next run. And partial runs (issue 13, "Sync state"): a snapshot not read completely moves nothing.
    /// </summary>
    public class SyncWatermarkTests
    {
        // Last night's exports were taken at 10:00; the sync ran at 12:00; tonight's exports at 10:00 the next day.
        private static readonly DateTimeOffset Run1 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Run2 = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        private const string BeforeExport = "2026-03-01T09:00:00.000Z";
        private const string BetweenExportAndRun = "2026-03-01T10:30:00.000Z";

        private static CrmRecord R(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static SyncState Synced()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
            return s;
        }

        private static List<CrmRecord> Local1() => new List<CrmRecord>
        {
            R("Lead", "L1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("Title", "VP"), ("CrmId", "00Q1"), ("ModifiedDate", BeforeExport)),
        };

        private static List<CrmRecord> Salesforce1() => new List<CrmRecord>
        {
            R("Lead", "00Q1", ("LastName", "Ng"), ("Company", "Acme"), ("Email", "ng@acme.test"), ("Title", "VP"), ("LastModifiedDate", BeforeExport)),
        };

        [Fact]
        public void An_edit_in_salesforce_between_the_export_and_the_run_is_pulled_by_the_next_run()
        {
            // Seed 003: "Obtain all leads modified in Salesforce since the last sync."
            var first = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), Synced(), Run1);
            Assert.Empty(first.Changes);
            // At 10:30, after the export and before the run, a sales rep changes the title in Salesforce.
            var sf2 = Salesforce1();
            sf2[0].Set("Title", "CTO");
            sf2[0].Set("LastModifiedDate", BetweenExportAndRun);
            var second = SyncEngine.Run(Local1(), sf2, SyncProfile.Default(), first.State, Run2);
            var c = Assert.Single(second.Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Update, "L1"), (c.Side, c.Operation, c.Id));
            Assert.Equal("CTO", c.FieldsAfter["Title"]);
        }

        [Fact]
        public void A_local_lead_created_between_the_export_and_the_run_is_pushed_by_the_next_run()
        {
            // Seed 003: "Find all leads in Lead Gen & CRM modified since the last sync." ... "If Last Name, Company, and Email are set, push it."
            var first = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), Synced(), Run1);
            var local2 = Local1();
            local2.Add(R("Lead", "L2", ("LastName", "Ito"), ("Company", "Bolt"), ("Email", "ito@bolt.test"), ("ModifiedDate", BetweenExportAndRun)));
            var second = SyncEngine.Run(local2, Salesforce1(), SyncProfile.Default(), first.State, Run2);
            var c = Assert.Single(second.Changes);
            Assert.Equal((SyncSide.Salesforce, SyncOperation.Insert, "L2"), (c.Side, c.Operation, c.FieldsAfter["LeadGen_Id__c"]));
        }

        [Fact]
        public void A_local_event_that_happened_between_the_export_and_the_run_is_pushed_by_the_next_run()
        {
            // Seed 003: "Pull down all Lead Gen & CRM events that have happened since the last sync."
            var local1 = Local1();
            local1.Add(R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("Name", "/pricing"), ("EventDate", BeforeExport)));
            var first = SyncEngine.Run(local1, Salesforce1(), SyncProfile.Default(), Synced(), Run1);
            Assert.Equal("E1", Assert.Single(first.Changes).FieldsAfter["LeadGen_Id__c"]);
            var local2 = Local1();
            local2.Add(R("Event", "E1", ("LeadId", "L1"), ("Object", "PageVisit"), ("Name", "/pricing"), ("EventDate", BeforeExport)));
            local2.Add(R("Event", "E2", ("LeadId", "L1"), ("Object", "EmailOpen"), ("Name", "March"), ("EventDate", BetweenExportAndRun)));
            var second = SyncEngine.Run(local2, Salesforce1(), SyncProfile.Default(), first.State, Run2);
            Assert.Equal("E2", Assert.Single(second.Changes).FieldsAfter["LeadGen_Id__c"]);
        }

        [Fact]
        public void The_watermark_is_the_newest_modification_time_seen_per_side_and_object()
        {
            var local = Local1();
            local.Add(R("Campaign", "C1", ("Name", "Spring"), ("CrmId", "701A"), ("ModifiedDate", "2026-02-20T00:00:00Z")));
            var sf = Salesforce1();
            sf.Add(R("Lead", "00Q2", ("LastName", "Ito"), ("Email", "ito@bolt.test"), ("LastModifiedDate", "2026-02-25T08:00:00+0000")));
            var result = SyncEngine.Run(local, sf, SyncProfile.Default(), Synced(), Run1);
            Assert.Equal(DateTimeOffset.Parse(BeforeExport), result.State.Watermark(SyncSide.Local, "Leads"));
            Assert.Equal(DateTimeOffset.Parse("2026-02-20T00:00:00Z"), result.State.Watermark(SyncSide.Local, "Campaigns"));
            Assert.Equal(DateTimeOffset.Parse(BeforeExport), result.State.Watermark(SyncSide.Salesforce, "Leads"));
            // Nothing seen: the old watermark stays.
            Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), result.State.Watermark(SyncSide.Salesforce, "Campaigns"));
            // The wall clock is kept only as the time of the run.
            Assert.Equal(Run1, result.State.LastSync("Leads"));
        }

        [Fact]
        public void A_modification_time_in_the_future_does_not_carry_the_watermark_past_the_run()
        {
            var sf = Salesforce1();
            sf[0].Set("LastModifiedDate", "2099-01-01T00:00:00Z");
            var result = SyncEngine.Run(Local1(), sf, SyncProfile.Default(), Synced(), Run1);
            Assert.Equal(Run1, result.State.Watermark(SyncSide.Salesforce, "Leads"));
        }

        [Fact]
        public void A_snapshot_file_caps_the_watermark_at_its_own_write_time()
        {
            var dir = TestData.Scratch();
            var path = Path.Combine(dir, "sf.jsonl");
            File.WriteAllText(path, "{\"ObjectType\":\"Lead\",\"Id\":\"00Q1\",\"LastName\":\"Ng\",\"LastModifiedDate\":\"2026-03-05T00:00:00Z\"}\n");
            var written = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, written);
            var result = SyncEngine.Run(Local1(), new SyncSnapshot(path, _ => { }), SyncProfile.Default(), Synced(), Run2);
            Assert.Equal(new DateTimeOffset(written), result.State.Watermark(SyncSide.Salesforce, "Leads"));
        }

        [Fact]
        public void An_explicit_snapshot_time_is_both_sides_watermark()
        {
            var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
            var result = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), Synced(), Run1, new SyncRunOptions { SnapshotTime = at });
            foreach (var key in new[] { "Leads", "Contacts", "Campaigns", "Accounts", "Opportunities" })
            {
                Assert.Equal(at, result.State.Watermark(SyncSide.Local, key));
                Assert.Equal(at, result.State.Watermark(SyncSide.Salesforce, key));
            }
        }

        [Fact]
        public void The_watermark_never_moves_back_and_an_older_snapshot_replayed_changes_nothing()
        {
            var sf2 = Salesforce1();
            sf2[0].Set("Title", "CTO");
            sf2[0].Set("LastModifiedDate", BetweenExportAndRun);
            var newer = SyncEngine.Run(Local1(), sf2, SyncProfile.Default(), Synced(), Run2);
            Assert.Single(newer.Changes);
            // Yesterday's export by mistake: its stale title must not come back.
            var sfOld = Salesforce1();
            sfOld[0].Set("Title", "Intern");
            var replay = SyncEngine.Run(Local1(), sfOld, SyncProfile.Default(), newer.State, Run2.AddHours(1));
            Assert.Empty(replay.Changes);
            Assert.Equal(DateTimeOffset.Parse(BetweenExportAndRun), replay.State.Watermark(SyncSide.Salesforce, "Leads"));
        }

        // ---- Partial runs (issue 13) --------------------------------------------------------------------------

        [Fact]
        public void A_partial_run_moves_no_watermark_so_the_next_complete_run_takes_the_unread_records()
        {
            var state = Synced();
            var partial = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), state, Run1, new SyncRunOptions { SalesforceSnapshotIncomplete = true });
            Assert.True(partial.SalesforceSnapshotIncomplete);
            foreach (var key in SyncEngine.WatermarkKeys.Where(k => k != "Events"))
            {
                Assert.Equal(state.Watermark(SyncSide.Local, key), partial.State.Watermark(SyncSide.Local, key));
                Assert.Equal(state.Watermark(SyncSide.Salesforce, key), partial.State.Watermark(SyncSide.Salesforce, key));
            }
            // The record on the unread line (older than everything read) comes with the next complete snapshot.
            var sf = Salesforce1();
            sf.Add(R("Lead", "00Q7", ("LastName", "Silva"), ("Company", "Cargo"), ("Email", "silva@cargo.test"), ("LastModifiedDate", "2026-02-10T00:00:00Z")));
            var complete = SyncEngine.Run(Local1(), sf, SyncProfile.Default(), partial.State, Run2);
            var c = Assert.Single(complete.Changes);
            Assert.Equal((SyncSide.Local, SyncOperation.Insert, "00Q7"), (c.Side, c.Operation, c.FieldsAfter["CrmId"]));
        }

        [Fact]
        public void A_partial_local_snapshot_inserts_nothing_locally_the_match_may_be_on_an_unread_line()
        {
            var sf = Salesforce1();
            sf.Add(R("Lead", "00Q7", ("LastName", "Silva"), ("Company", "Cargo"), ("Email", "silva@cargo.test"), ("LastModifiedDate", BeforeExport)));
            sf.Add(R("Campaign", "701A", ("Name", "Spring"), ("LastModifiedDate", BeforeExport)));
            var result = SyncEngine.Run(Local1(), sf, SyncProfile.Default(), Synced(), Run1, new SyncRunOptions { LocalSnapshotIncomplete = true });
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Local && c.Operation == SyncOperation.Insert);
            Assert.Contains(result.Skipped, s => s.Id == "00Q7" && s.Reason.Contains("not read completely"));
            Assert.Contains(result.Skipped, s => s.Id == "701A" && s.Reason.Contains("not read completely"));
        }

        [Fact]
        public void A_partial_salesforce_snapshot_pushes_no_insert()
        {
            var local = Local1();
            local.Add(R("Lead", "L2", ("LastName", "Ito"), ("Company", "Bolt"), ("Email", "ito@bolt.test"), ("ModifiedDate", BeforeExport)));
            var result = SyncEngine.Run(local, Salesforce1(), SyncProfile.Default(), Synced(), Run1, new SyncRunOptions { SalesforceSnapshotIncomplete = true });
            Assert.DoesNotContain(result.Changes, c => c.Side == SyncSide.Salesforce && c.Operation == SyncOperation.Insert);
            Assert.Contains(result.Skipped, s => s.Id == "L2" && s.Reason.Contains("Salesforce snapshot was not read completely"));
        }

        [Fact]
        public void A_partial_snapshot_prunes_no_link_of_a_record_that_was_not_read()
        {
            var state = Synced();
            state.Link("Lead", "L1", "00Q1");
            state.Link("Lead", "L9", "00Q9");
            // L9 is on an unread line of the local snapshot; 00Q9 is in Salesforce's.
            var sf = Salesforce1();
            sf.Add(R("Lead", "00Q9", ("LastName", "Okafor"), ("LastModifiedDate", BeforeExport)));
            var partial = SyncEngine.Run(Local1(), sf, SyncProfile.Default(), state, Run1, new SyncRunOptions { PruneLinks = true, LocalSnapshotIncomplete = true });
            Assert.Empty(partial.PrunedLinks);
            Assert.Equal("00Q9", partial.State.SalesforceIdOf("Lead", "L9"));
            // The same snapshots read completely: L9 is gone, its link pruned.
            var complete = SyncEngine.Run(Local1(), sf, SyncProfile.Default(), state, Run1, new SyncRunOptions { PruneLinks = true });
            Assert.Equal("L9", Assert.Single(complete.PrunedLinks).LocalId);
        }

        [Fact]
        public void Pending_events_not_read_in_a_partial_local_snapshot_stay_pending()
        {
            var state = Synced();
            state.PendingEvents.Add("E9");
            var partial = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), state, Run1, new SyncRunOptions { LocalSnapshotIncomplete = true });
            Assert.Contains("E9", partial.State.PendingEvents);
            var complete = SyncEngine.Run(Local1(), Salesforce1(), SyncProfile.Default(), state, Run1);
            Assert.DoesNotContain("E9", complete.State.PendingEvents);
        }

        [Theory]
        [InlineData("{\"ObjectType\":\"Lead\",\"Id\":\"L1\"}\n{\"ObjectType\":\"Lead\",\"Id\":\"L2\",\"LastName\":\n{\"ObjectType\":\"Lead\",\"Id\":\"L3\"}\n", "local.jsonl", true)]
        [InlineData("{ \"totalSize\": 4, \"done\": false, \"nextRecordsUrl\": \"/services/data/v62.0/query/01g-2000\", \"records\": [ { \"attributes\": { \"type\": \"Lead\" }, \"Id\": \"00Q1\" } ] }", "page.json", true)]
        [InlineData("{\"ObjectType\":\"Lead\",\"Id\":\"L1\"}\n{\"ObjectType\":\"Lead\",\"Id\":\"L1\"}\n", "dup.jsonl", false)]
        [InlineData("{\"ObjectType\":\"Lead\",\"Id\":\"L1\"}\n", "good.jsonl", false)]
        public void A_snapshot_file_says_whether_it_was_read_completely(string content, string name, bool incomplete)
        {
            var path = Path.Combine(TestData.Scratch(), name);
            File.WriteAllText(path, content);
            var issues = new List<RecordIssue>();
            var snapshot = new SyncSnapshot(path, issues.Add);
            var records = snapshot.ToList();
            Assert.Equal(incomplete, snapshot.Incomplete);
            if (incomplete) Assert.NotEmpty(issues);
        }
    }
}
