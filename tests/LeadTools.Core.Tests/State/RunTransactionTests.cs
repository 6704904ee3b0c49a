using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Export;
using LeadTools.Core.Records;
using LeadTools.Core.State;

namespace LeadTools.Core.Tests.State
{
    /// <summary>The commit protocol without child processes: what each step leaves, what recovery makes of it.</summary>
    public class RunTransactionTests
    {
        private static ChangeSet Changes()
        {
            var changes = new ChangeSet();
            changes.Update("Lead", "00Q1", new[] { new System.Collections.Generic.KeyValuePair<string, object?>("Status", "Closed") });
            changes.Delete("Lead", "00Q2");
            return changes;
        }

        [Fact]
        public void ARunThatFailsBeforeItsCommitPointLeavesNothing()
        {
            var state = TestData.Scratch();
            var folder = Path.Combine(state, "changes");
            using (var run = RunTransaction.Begin(state, "r1", "Test", folder))
            {
                run.StageChanges(Changes());
                run.StageState("keystore.jsonl", p => File.WriteAllText(p, "new"));
                // no Commit: an exception in the command
            }
            Assert.Empty(Directory.GetDirectories(RunLedger.Folder(state)));
            Assert.False(File.Exists(Path.Combine(state, "keystore.jsonl")));
            Assert.False(Directory.Exists(folder));
        }

        [Fact]
        public void RecoveryRemovesStagingFoldersOfUncommittedRunsAndStaleTempFiles()
        {
            var state = TestData.Scratch();
            // A kill during staging: the staging folder stays.
            Directory.CreateDirectory(Path.Combine(RunLedger.Folder(state), ".r0.staging"));
            // A kill during a key-store save: its temp file stays.
            File.WriteAllText(Path.Combine(state, ".keystore.jsonl.0123456789ab.tmp"), "half");
            // A run killed after staging everything, just before its commit point (the transaction is never disposed).
            var folder = Path.Combine(state, "changes");
            var run = RunTransaction.Begin(state, "r1", "Test", folder);
            run.StageChanges(Changes());
            run.StageState("journal/r1.jsonl", p => File.WriteAllText(p, "journal"));
            run.StageState("keystore.jsonl", p => File.WriteAllText(p, "keys"));
            File.WriteAllText(Path.Combine(state, "keystore.jsonl"), "old keys");
            var staging = Path.Combine(RunLedger.Folder(state), ".r1.staging");
            Assert.True(RunLedger.NeedsRecovery(state));

            var notes = RunLedger.Recover(state);
            Assert.False(Directory.Exists(Path.Combine(RunLedger.Folder(state), ".r0.staging")));
            Assert.False(File.Exists(Path.Combine(state, ".keystore.jsonl.0123456789ab.tmp")));
            // r1 never reached its commit point (still staging): removed too; the old key store stays.
            Assert.False(Directory.Exists(staging));
            Assert.Equal("old keys", File.ReadAllText(Path.Combine(state, "keystore.jsonl")));
            Assert.Equal(2, notes.Count);
            Assert.All(notes, n => Assert.Contains("nothing of it was applied", n));
            Assert.False(RunLedger.NeedsRecovery(state));
        }

        [Fact]
        public void ACommittedRunIsCompleteWithItsManifestAndCanBeWrittenAgain()
        {
            var state = TestData.Scratch();
            var folder = Path.Combine(state, "changes");
            using (var run = RunTransaction.Begin(state, "r1", "Test", folder))
            {
                run.StageChanges(Changes());
                run.StageState("keystore.jsonl", p => File.WriteAllText(p, "keys"));
                Assert.Equal(new[] { Path.Combine(folder, "Lead-update.csv"), Path.Combine(folder, "Lead-delete.csv") }, run.Commit());
            }
            Assert.Equal("keys", File.ReadAllText(Path.Combine(state, "keystore.jsonl")));
            var manifest = ChangeManifest.Read(folder)!;
            Assert.True(manifest.Completed);
            Assert.Equal("r1", manifest.RunId);
            Assert.Equal(new long?[] { 1, 1 }, manifest.Files.Select(f => f.Records).ToArray());
            Assert.False(RunLedger.IsPending(state, "r1"));
            Assert.False(RunLedger.NeedsRecovery(state));
            // Another run into the same folder is refused; the same run may write it again.
            var ex = Assert.Throws<ChangeFolderInUseException>(() => ChangeManifest.CheckFolder(folder, "r2"));
            Assert.Equal("r1", ex.OtherRunId);
            ChangeManifest.CheckFolder(folder, "r1");
            var again = Path.Combine(state, "again");
            RunLedger.Republish(state, "r1", again);
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "Lead-delete.csv")), File.ReadAllBytes(Path.Combine(again, "Lead-delete.csv")));
        }

        [Fact]
        public void ADamagedRunRecordOrManifestIsRefusedNamingTheFile()
        {
            var state = TestData.Scratch();
            var folder = Path.Combine(state, "changes");
            using (var run = RunTransaction.Begin(state, "r1", "Test", folder))
            {
                run.StageChanges(Changes());
                run.Commit();
            }
            // A pending run whose record was damaged: recovery refuses it (StateCorrupt in the cmdlets) instead of guessing.
            var record = Path.Combine(RunLedger.RunFolder(state, "r1"), "run.json");
            File.WriteAllText(Path.Combine(RunLedger.RunFolder(state, "r1"), "pending"), "pending\n");
            File.WriteAllText(record, "{\"schema\":\"leadtools.run\",\"version\":1,\"run\":");
            var ex = Assert.Throws<InvalidDataException>(() => RunLedger.Recover(state));
            Assert.Contains(record, ex.Message);
            // A damaged manifest: the folder is not written into.
            File.WriteAllText(Path.Combine(folder, ChangeManifest.FileName), "{ not json");
            var inUse = Assert.Throws<ChangeFolderInUseException>(() => ChangeManifest.CheckFolder(folder, "r1"));
            Assert.Contains("damaged manifest", inUse.Message);
        }
    }
}
