using System;
using System.IO;
using System.Linq;
using LeadTools.Core.State;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.State
{
    /// <summary>
    /// The sync cmdlets' runs live in ledgers of their own (sync-runs/, tag-runs/), each recovered only under its own
    /// lock. Recovery deletes staging folders, so one ledger's recovery must never touch another's: a conversion opening
    /// the key store while a sync is staging would otherwise delete the sync's staging folder under it.
    /// </summary>
    public class RunLedgerSeparationTests
    {
        [Fact]
        public void KeyStoreRecoveryLeavesALiveSyncStagingFolderAndAPendingSyncRunAlone()
        {
            var state = TestData.Scratch();
            // A sync run being staged right now (its command holds the sync lock, not the key-store lock).
            var staging = RunTransaction.Begin(state, "s1", "Sync-CrmRecord", null, RunLedger.SyncLedger);
            staging.StageState("syncstate.json", p => File.WriteAllText(p, "{\"new\":1}"));
            // A committed sync run, killed before completion.
            var pendingFolder = CommittedButPending(state, "s0", "{\"older\":1}");
            Assert.True(RunLedger.NeedsRecovery(state, RunLedger.SyncLedger));
            Assert.False(RunLedger.NeedsRecovery(state));

            var notes = RunLedger.Recover(state); // the key store's ledger
            Assert.Empty(notes);
            Assert.True(Directory.Exists(Path.Combine(RunLedger.Folder(state, RunLedger.SyncLedger), ".s1.staging")));
            Assert.True(File.Exists(Path.Combine(pendingFolder, "pending")));
            Assert.False(File.Exists(Path.Combine(state, "syncstate.json")));

            // The sync's own ledger: the pending run is completed, and only that (s1 is still staging: its command
            // holds the lock, so in practice no other recovery runs; here it is removed as never committed).
            staging.Dispose();
            notes = RunLedger.Recover(state, RunLedger.SyncLedger);
            Assert.Contains(notes, n => n.Contains("s0") && n.Contains("completed"));
            Assert.Equal("{\"older\":1}", File.ReadAllText(Path.Combine(state, "syncstate.json")));
            Assert.False(RunLedger.NeedsRecovery(state, RunLedger.SyncLedger));
        }

        [Fact]
        public void AStagedStateFileThatNoLongerMatchesItsHashIsRefusedAndNothingIsPutInPlace()
        {
            var state = TestData.Scratch();
            File.WriteAllText(Path.Combine(state, "syncstate.json"), "last night");
            var folder = CommittedButPending(state, "s0", "tonight");
            File.WriteAllText(Path.Combine(folder, "state-0-syncstate.json"), "tonighT");
            var ex = Assert.Throws<InvalidDataException>(() => RunLedger.Recover(state, RunLedger.SyncLedger));
            Assert.Contains("state-0-syncstate.json", ex.Message);
            Assert.Contains("damaged", ex.Message);
            Assert.Equal("last night", File.ReadAllText(Path.Combine(state, "syncstate.json")));
            Assert.True(RunLedger.IsPending(state, "s0", RunLedger.SyncLedger));
        }

        [Fact]
        public void ARunRecordWrittenBeforeHashesAndOutputsExistedStillCompletes()
        {
            var state = TestData.Scratch();
            var folder = CommittedButPending(state, "s0", "tonight");
            var recordPath = Path.Combine(folder, "run.json");
            var record = JObject.Parse(File.ReadAllText(recordPath));
            record.Remove("outputs");
            foreach (JObject s in (JArray)record["state"]!) s.Remove("sha256");
            File.WriteAllText(recordPath, record.ToString());
            RunLedger.Recover(state, RunLedger.SyncLedger);
            Assert.Equal("tonight", File.ReadAllText(Path.Combine(state, "syncstate.json")));
            Assert.False(RunLedger.IsPending(state, "s0", RunLedger.SyncLedger));
        }

        [Fact]
        public void AnOutputIsWrittenOnCompletionAndTheRunFindsItsLedger()
        {
            var state = TestData.Scratch();
            var target = Path.Combine(state, "out", "ops.json");
            using (var run = RunTransaction.Begin(state, "t1", "Sync-PersonAccountTags", null, RunLedger.TagLedger))
            {
                run.StageOutput(target, 2, p => File.WriteAllText(p, "[1,2]"));
                Assert.False(File.Exists(target));
                run.Commit();
            }
            Assert.Equal("[1,2]", File.ReadAllText(target));
            Assert.Equal(RunLedger.TagLedger, RunLedger.LedgerOf(state, "t1"));
            Assert.Null(RunLedger.LedgerOf(state, "nope"));
            Assert.Null(RunLedger.LedgerOf(state, "../t1"));
            var loaded = RunLedger.Load(state, "t1", RunLedger.TagLedger);
            Assert.Equal(target, Assert.Single(loaded.Outputs).Key);
        }

        // A sync run committed (renamed into sync-runs/ with its pending mark) but not completed, as a kill at "committed" leaves it.
        private static string CommittedButPending(string state, string runId, string content)
        {
            using var run = RunTransaction.Begin(state, runId, "Sync-CrmRecord", null, RunLedger.SyncLedger);
            run.StageState("syncstate.json", p => File.WriteAllText(p, content));
            var staging = Path.Combine(RunLedger.Folder(state, RunLedger.SyncLedger), "." + runId + ".staging");
            // What Commit writes before its rename, without completing: the record and the pending mark.
            File.WriteAllText(Path.Combine(staging, "run.json"), run.Record.ToJson().ToString());
            File.WriteAllText(Path.Combine(staging, "pending"), "pending\n");
            var folder = RunLedger.RunFolder(state, runId, RunLedger.SyncLedger);
            Directory.Move(staging, folder);
            return folder;
        }
    }
}
