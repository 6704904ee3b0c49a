using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using LeadTools.Core.State;
using LeadTools.Core.Sync;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// The trust brief for the two sync cmdlets: "kill -9 and injected write failures at every commit point, damaged state
    /// files, failing inputs. After any single fault, the next run must see 'never happened' or 'completed': nothing lost."
    /// A kill between the change files and the sync state used to leave change files an admin may load while the
    /// watermarks and links did not move, so the next run produced the same inserts again (duplicates in Salesforce).
    /// Each child process (the built shell) is killed with SIGKILL at a commit point, or gets an injected write failure
    /// there; the next run must end equal to a fault-free reference run ("completed") or to the state before the run,
    /// byte for byte, with no change file ("never happened").
    /// </summary>
    public class SyncFaultTests
    {
        // Last night's snapshots: two linked leads.
        private const string BaseLocal = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L1"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CTO"", ""CrmId"": ""00Q000000000001AAA"", ""ModifiedDate"": ""2026-01-20T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L2"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""CEO"", ""CrmId"": ""00Q000000000002AAA"", ""ModifiedDate"": ""2025-12-01T00:00:00.000Z"" }
]";

        private const string BaseSalesforce = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000001AAA"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""VP"", ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000002AAA"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""CFO"", ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" }
]";

        // Tonight's: two new local leads (inserts pushed to Salesforce: the duplicates a replayed run would create), a local
        // edit of L1 (an update for Salesforce) and a Salesforce edit of L2 (an update for the local side).
        private const string TonightLocal = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L1"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CIO"", ""CrmId"": ""00Q000000000001AAA"", ""ModifiedDate"": ""2026-02-02T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L2"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""CFO"", ""CrmId"": ""00Q000000000002AAA"", ""ModifiedDate"": ""2026-01-21T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L3"", ""LastName"": ""Silva"", ""Company"": ""Cargo"", ""Email"": ""silva@cargo.test"", ""ModifiedDate"": ""2026-02-01T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L4"", ""LastName"": ""Okafor"", ""Company"": ""Delta"", ""Email"": ""okafor@delta.test"", ""ModifiedDate"": ""2026-02-01T00:00:00.000Z"" }
]";

        private const string TonightSalesforce = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000001AAA"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CTO"", ""LastModifiedDate"": ""2026-01-21T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000002AAA"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""Chair"", ""Phone"": ""555-0102"", ""LastModifiedDate"": ""2026-02-01T00:00:00.000Z"" }
]";

        /// <summary>A scratch folder with both nights' snapshots and last night's state (state0) already synced.</summary>
        private static string Setup(string name)
        {
            var dir = FaultHarness.Scratch(name);
            File.WriteAllText(Path.Combine(dir, "base-local.json"), BaseLocal);
            File.WriteAllText(Path.Combine(dir, "base-sf.json"), BaseSalesforce);
            File.WriteAllText(Path.Combine(dir, "local.json"), TonightLocal);
            File.WriteAllText(Path.Combine(dir, "sf.json"), TonightSalesforce);
            // The snapshots were exported at these times (the watermark never passes a file's write time).
            File.SetLastWriteTimeUtc(Path.Combine(dir, "base-local.json"), new DateTime(2026, 1, 25, 0, 0, 0, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(Path.Combine(dir, "base-sf.json"), new DateTime(2026, 1, 25, 0, 0, 0, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(Path.Combine(dir, "local.json"), new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(Path.Combine(dir, "sf.json"), new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc));
            FaultHarness.RunClean($"$null = Sync-CrmRecord -LocalPath '{dir}/base-local.json' -SalesforcePath '{dir}/base-sf.json' -StatePath '{dir}/state0' -ChangeFolder '{dir}/night0'");
            Assert.True(File.Exists(Path.Combine(dir, "state0", SyncState.FileName)));
            return dir;
        }

        private static string Command(string dir, string state, string changes) =>
            $"Sync-CrmRecord -LocalPath '{dir}/local.json' -SalesforcePath '{dir}/sf.json' -StatePath '{state}' -ChangeFolder '{changes}' | Out-Null";

        /// <summary>A copy of last night's state folder (the state file only: what an admin's folder holds before tonight's run).</summary>
        private static string CopyState(string dir, string name)
        {
            var state = Path.Combine(dir, name);
            Directory.CreateDirectory(state);
            File.Copy(Path.Combine(dir, "state0", SyncState.FileName), Path.Combine(state, SyncState.FileName));
            return state;
        }

        /// <summary>What the state says (links, watermarks, pending records and events), without the run's clock time.</summary>
        private static string StateOf(string state)
        {
            var s = SyncState.Load(Path.Combine(state, SyncState.FileName));
            var parts = new List<string>();
            foreach (var type in s.LinkedTypes.OrderBy(t => t, StringComparer.Ordinal))
            {
                parts.Add(type + ":" + string.Join(",", s.Links(type).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)));
            }
            foreach (var side in new[] { SyncSide.Local, SyncSide.Salesforce })
            {
                parts.Add(side + "@" + string.Join(",", s.Watermarks(side).OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key + "=" + w.Value.ToString("o"))));
            }
            parts.Add("pendingRecords=" + string.Join(",", s.PendingRecords.OrderBy(p => p, StringComparer.Ordinal)));
            parts.Add("pendingEvents=" + string.Join(",", s.PendingEvents.OrderBy(p => p, StringComparer.Ordinal)));
            return string.Join("|", parts);
        }

        /// <summary>Staging folders or pending runs left in a ledger.</summary>
        internal static string[] Leftovers(string state, string ledger) =>
            Directory.Exists(Path.Combine(state, ledger))
                ? Directory.GetDirectories(Path.Combine(state, ledger)).Where(d => Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal) || File.Exists(Path.Combine(d, "pending"))).ToArray()
                : Array.Empty<string>();

        /// <summary>Runs the shell with a fault; returns the exit code and what it wrote to stderr and stdout.</summary>
        internal static (int Exit, string Output) RunShell(string command, string? fault)
        {
            var config = AppContext.BaseDirectory.Contains(Path.DirectorySeparatorChar + "Release" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "Release" : "Debug";
            var shell = Path.Combine(Paths.RepoRoot, "src", "LeadTools.Shell", "bin", config, "net10.0", "leadtools.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(shell);
            info.ArgumentList.Add("-Command");
            info.ArgumentList.Add(command);
            info.Environment["LEADTOOLS_MODULE"] = Paths.ModuleManifest;
            if (fault != null) info.Environment[FaultInjection.EnvironmentVariable] = fault;
            else info.Environment.Remove(FaultInjection.EnvironmentVariable);
            var output = new System.Text.StringBuilder();
            using var p = Process.Start(info)!;
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(180_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("The child run did not end: " + command);
            }
            p.WaitForExit();
            lock (output) return (p.ExitCode, output.ToString());
        }

        /// <summary>Runs a command that must end with a terminating error; returns its error id and message.</summary>
        internal static (string Id, string Message) Terminating(string command, params (string Name, object? Value)[] variables)
        {
            var r = FaultHarness.Run("try { " + command + " | Out-Null; 'no error' } catch { $_.FullyQualifiedErrorId.Split(',')[0]; $_.Exception.Message }", variables);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()!).ToArray();
            Assert.True(output.Length == 2, "expected a terminating error, got: " + string.Join(" / ", output));
            return (output[0], output[1]);
        }

        private static (string State, string Changes, string[] Inserts) Reference(string dir)
        {
            var state = CopyState(dir, "ref-state");
            var changes = Path.Combine(dir, "ref-changes");
            FaultHarness.RunClean(Command(dir, state, changes));
            var inserts = File.ReadAllLines(Path.Combine(changes, "Lead-insert.csv"));
            return (StateOf(state), FaultHarness.Folder(changes), inserts);
        }

        /// <summary>The Salesforce inserts the next run over the same snapshots would push (ids), written to a fresh folder.</summary>
        private static string NextRunInserts(string dir, string state, string name)
        {
            var r = FaultHarness.Run($"Sync-CrmRecord -LocalPath '{dir}/local.json' -SalesforcePath '{dir}/sf.json' -StatePath $state -ChangeFolder '{dir}/{name}' | Where-Object {{ $_.Side -eq 'Salesforce' -and $_.Operation -eq 'Insert' }} | ForEach-Object {{ [string]$_.FieldsAfter['LeadGen_Id__c'] }}", ("state", state));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            return string.Join(",", r.Output.Select(o => o.BaseObject.ToString()));
        }

        private static void AssertNeverHappened(string dir, string state, string changes, (string State, string Changes, string[] Inserts) reference, string point)
        {
            // The state file is last night's, byte for byte; no change file an admin could load.
            Assert.True(File.ReadAllBytes(Path.Combine(dir, "state0", SyncState.FileName)).SequenceEqual(File.ReadAllBytes(Path.Combine(state, SyncState.FileName))), point + ": the state file changed");
            Assert.True(FaultHarness.Folder(changes) == "(none)", point + ": the change folder holds " + FaultHarness.Folder(changes));
            // The run again: the same changes as the fault-free run (nothing was lost: L3 and L4 are pushed).
            FaultHarness.RunClean(Command(dir, state, changes));
            Assert.Equal(reference.State, StateOf(state));
            Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
        }

        private static void AssertCompleted(string dir, string state, string changes, (string State, string Changes, string[] Inserts) reference, string point)
        {
            Assert.Equal(reference.State, StateOf(state));
            Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
            Assert.Contains("manifest completed=True", FaultHarness.Folder(changes));
            // The next run over the same snapshots pushes no insert again (no duplicate L3 / L4 in Salesforce).
            Assert.True(NextRunInserts(dir, state, point + "-next") == string.Empty, point + ": the next run pushes the inserts again");
        }

        [Fact]
        public void SyncCrmRecordKilledAtEveryCommitPointEndsNeverHappenedOrCompleted()
        {
            var dir = Setup("sync-kill");
            var reference = Reference(dir);
            // The hard case is there: the fault-free run pushes two inserts, and the same snapshots run again push none.
            Assert.Equal(3, reference.Inserts.Length);
            Assert.Contains("Local-changes.jsonl", reference.Changes);
            Assert.Contains("Lead-update.csv", reference.Changes);
            var refState = Path.Combine(dir, "ref-state");
            Assert.Equal(string.Empty, NextRunInserts(dir, refState, "ref-next"));
            var outcomes = new List<string>();
            foreach (var point in FaultInjection.Points)
            {
                var state = CopyState(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var (exit, output) = RunShell(Command(dir, state, changes), point);
                Assert.True(exit == 137, $"{point}: the child was not killed at its commit point (exit {exit}): {output}");
                // The next command that opens the state (read-only Get-CrmSyncState here) finishes the run, with a warning.
                var next = FaultHarness.Run("$null = Get-CrmSyncState -StatePath $state", ("state", state));
                Assert.Empty(next.Errors);
                var warning = Assert.Single(next.Warnings);
                Assert.Empty(Leftovers(state, RunLedger.SyncLedger));
                Assert.False(Directory.Exists(Path.Combine(state, RunLedger.KeyStoreLedger)));
                var committed = point != "stage-file" && point != "staged";
                if (committed)
                {
                    Assert.Contains("has now been completed", warning.Message);
                    AssertCompleted(dir, state, changes, reference, point);
                    outcomes.Add(point + ": completed");
                }
                else
                {
                    Assert.Contains("before it was committed", warning.Message);
                    AssertNeverHappened(dir, state, changes, reference, point);
                    outcomes.Add(point + ": never happened");
                }
            }
            Assert.Equal(FaultInjection.Points.Count, outcomes.Count);
        }

        [Fact]
        public void SyncCrmRecordWithAnInjectedWriteFailureAtEveryCommitPointEndsNeverHappenedOrCompleted()
        {
            var dir = Setup("sync-io");
            var reference = Reference(dir);
            foreach (var point in FaultInjection.Points)
            {
                var state = CopyState(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var (exit, output) = RunShell(Command(dir, state, changes), "io:" + point);
                Assert.True(exit != 0 && exit != 137, $"{point}: exit {exit}");
                var committed = point != "stage-file" && point != "staged";
                // Before the commit point: StateWriteFailed and nothing left; after it: RunPending, the run kept for the next one.
                Assert.Contains(committed ? "RunPending" : "StateWriteFailed", output);
                Assert.Contains("Injected write failure", output);
                // The sync itself does the recovery here (the next night's run, same snapshots: the fault's run is either
                // completed first, and then nothing is pushed again, or never happened, and then it is pushed now).
                var nextChanges = Path.Combine(dir, point + "-next");
                var next = FaultHarness.Run($"Sync-CrmRecord -LocalPath '{dir}/local.json' -SalesforcePath '{dir}/sf.json' -StatePath $state -ChangeFolder $changes | Where-Object {{ $_.Side -eq 'Salesforce' -and $_.Operation -eq 'Insert' }} | ForEach-Object {{ [string]$_.FieldsAfter['LeadGen_Id__c'] }}",
                    ("state", state), ("changes", nextChanges));
                Assert.Null(next.Exception);
                Assert.Empty(next.Errors);
                Assert.Empty(Leftovers(state, RunLedger.SyncLedger));
                var pushedAgain = string.Join(",", next.Output.Select(o => o.BaseObject.ToString()));
                Assert.Equal(reference.State, StateOf(state));
                if (committed)
                {
                    Assert.Contains("has now been completed", Assert.Single(next.Warnings).Message);
                    Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
                    Assert.Equal(string.Empty, pushedAgain);
                    Assert.Equal("(none)", FaultHarness.Folder(nextChanges));
                }
                else
                {
                    // Staging was removed at once (the failure was reported): nothing to recover, no warning.
                    Assert.Empty(next.Warnings);
                    Assert.Equal("(none)", FaultHarness.Folder(changes));
                    Assert.Equal("L3,L4", pushedAgain);
                    Assert.Equal(reference.Changes, FaultHarness.Folder(nextChanges));
                }
            }
        }

        [Fact]
        public void ADamagedStateWithAChangeFolderIsRefusedWritesNoChangeFileAndIsNotRewritten()
        {
            var dir = Setup("sync-damaged");
            var state = CopyState(dir, "state");
            var path = Path.Combine(state, SyncState.FileName);
            // One link line deleted by hand: the count kept beside the links tells.
            var text = File.ReadAllText(path);
            var damaged = System.Text.RegularExpressions.Regex.Replace(text, "\\s*\"L2\": \"00Q000000000002AAA\",?", string.Empty);
            Assert.NotEqual(text, damaged);
            File.WriteAllText(path, damaged);
            var before = File.ReadAllBytes(path);
            var changes = Path.Combine(dir, "changes");
            var error = Terminating("Sync-CrmRecord -LocalPath $l -SalesforcePath $s -StatePath $state -ChangeFolder $changes", ("l", Path.Combine(dir, "local.json")), ("s", Path.Combine(dir, "sf.json")), ("state", state), ("changes", changes));
            Assert.Equal("StateCorrupt", error.Id);
            Assert.Contains("line ", error.Message);
            Assert.True(before.SequenceEqual(File.ReadAllBytes(path)));
            Assert.Equal("(none)", FaultHarness.Folder(changes));
            Assert.Empty(Leftovers(state, RunLedger.SyncLedger));
        }

        [Fact]
        public void ADamagedStagedStateOfACommittedRunIsNeverPutInPlace()
        {
            var dir = Setup("sync-damaged-staged");
            var state = CopyState(dir, "state");
            var changes = Path.Combine(dir, "changes");
            var (exit, _) = RunShell(Command(dir, state, changes), "committed");
            Assert.Equal(137, exit);
            var run = Assert.Single(Directory.GetDirectories(Path.Combine(state, RunLedger.SyncLedger)));
            var staged = Assert.Single(Directory.GetFiles(run, "state-*"));
            // The disk (or an editor) damages the committed run's new state before the next run completes it.
            var bytes = File.ReadAllBytes(staged);
            bytes[bytes.Length / 2] ^= 0x20;
            File.WriteAllBytes(staged, bytes);
            var before = File.ReadAllBytes(Path.Combine(state, SyncState.FileName));
            var error = Terminating($"Sync-CrmRecord -LocalPath '{dir}/local.json' -SalesforcePath '{dir}/sf.json' -StatePath $state -ChangeFolder '{dir}/next'", ("state", state));
            Assert.Equal("StateCorrupt", error.Id);
            Assert.Contains(Path.GetFileName(staged), error.Message);
            Assert.Contains("damaged", error.Message);
            // Last night's state stays in place, byte for byte; the run is still pending (not guessed), no change file out.
            Assert.True(before.SequenceEqual(File.ReadAllBytes(Path.Combine(state, SyncState.FileName))));
            Assert.True(File.Exists(Path.Combine(run, "pending")));
            Assert.Equal("(none)", FaultHarness.Folder(changes));
            Assert.Equal("(none)", FaultHarness.Folder(Path.Combine(dir, "next")));
        }

        [Fact]
        public void ADamagedRunRecordOfAPendingSyncRunIsStateCorruptAndTheStateIsKept()
        {
            var dir = Setup("sync-damaged-record");
            var state = CopyState(dir, "state");
            var (exit, _) = RunShell(Command(dir, state, Path.Combine(dir, "changes")), "committed");
            Assert.Equal(137, exit);
            var run = Assert.Single(Directory.GetDirectories(Path.Combine(state, RunLedger.SyncLedger)));
            File.WriteAllText(Path.Combine(run, "run.json"), "{ \"schema\": \"leadtools.run\", \"version\": 1, \"run\": ");
            var before = File.ReadAllBytes(Path.Combine(state, SyncState.FileName));
            var r = FaultHarness.Run("try { Get-CrmSyncState -StatePath $state } catch { $_.FullyQualifiedErrorId.Split(',')[0]; $_.Exception.Message }", ("state", state));
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal("StateCorrupt", output[0]);
            Assert.Contains("run.json", output[1]);
            Assert.True(before.SequenceEqual(File.ReadAllBytes(Path.Combine(state, SyncState.FileName))));
        }

        [Fact]
        public void ASecondSyncIntoAChangeFolderHoldingAnotherRunsFilesIsRefusedAndMovesNoWatermark()
        {
            var dir = Setup("sync-folder");
            var state = CopyState(dir, "state");
            // Tonight's run into last night's folder (its files may not be loaded yet): refused before anything is saved.
            var night0 = Path.Combine(dir, "night0");
            var folderBefore = FaultHarness.Folder(night0);
            Assert.Contains("manifest completed=True", folderBefore);
            var before = File.ReadAllBytes(Path.Combine(state, SyncState.FileName));
            var error = Terminating("Sync-CrmRecord -LocalPath $l -SalesforcePath $s -StatePath $state -ChangeFolder $f", ("l", Path.Combine(dir, "local.json")), ("s", Path.Combine(dir, "sf.json")), ("state", state), ("f", night0));
            Assert.Equal("ChangeFolderInUse", error.Id);
            Assert.Contains("Sync-CrmRecord", error.Message);
            Assert.Equal(folderBefore, FaultHarness.Folder(night0));
            Assert.True(before.SequenceEqual(File.ReadAllBytes(Path.Combine(state, SyncState.FileName))));
            // A folder with files LeadTools did not write: refused too.
            var foreign = Path.Combine(dir, "foreign");
            Directory.CreateDirectory(foreign);
            File.WriteAllText(Path.Combine(foreign, "Lead-insert.csv"), "Id,LastName\n");
            error = Terminating("Sync-CrmRecord -LocalPath $l -SalesforcePath $s -StatePath $state -ChangeFolder $f", ("l", Path.Combine(dir, "local.json")), ("s", Path.Combine(dir, "sf.json")), ("state", state), ("f", foreign));
            Assert.Equal("ChangeFolderInUse", error.Id);
            Assert.Contains("no LeadTools manifest", error.Message);
            Assert.Equal("Id,LastName\n", File.ReadAllText(Path.Combine(foreign, "Lead-insert.csv")));
            Assert.True(before.SequenceEqual(File.ReadAllBytes(Path.Combine(state, SyncState.FileName))));
            // Into a new folder it runs, and pushes L3 and L4: the refusals lost nothing.
            Assert.Equal("L3,L4", NextRunInserts(dir, state, "night1"));
        }

        [Fact]
        public void ExportCrmChangeSetWritesASyncRunsFilesAgain()
        {
            var dir = Setup("sync-export");
            var night0 = Path.Combine(dir, "night0");
            var manifest = ChangeManifest.Read(night0)!;
            Assert.Equal("Sync-CrmRecord", manifest.Command);
            Assert.True(Directory.Exists(RunLedger.RunFolder(Path.Combine(dir, "state0"), manifest.RunId, RunLedger.SyncLedger)));
            var again = Path.Combine(dir, "again");
            var r = FaultHarness.Run("Export-CrmChangeSet -RunId $run -Path $f -StatePath $state | ForEach-Object Name", ("run", manifest.RunId), ("f", again), ("state", Path.Combine(dir, "state0")));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(manifest.Files.Select(f => f.Name), r.Output.Select(o => o.BaseObject.ToString()));
            Assert.Equal(FaultHarness.Folder(night0), FaultHarness.Folder(again));
        }
    }

    /// <summary>
    /// Sync-PersonAccountTags writes two things an admin acts on: the ActiveCampaign operations (-OperationPath, request
    /// bodies a runbook posts) and the Salesforce change files (-ChangeFolder). Killed or failing at any commit point,
    /// the next run must see both written completely or neither: an operations file from the last run stays byte for
    /// byte when the run never happened.
    /// </summary>
    public class TagSyncFaultTests
    {
        private static string AcTags => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "ac-tags.json");

        private static string SfPersonAccounts => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "sf-person-accounts.json");

        private const string LastWeeksOperations = "[ { \"Action\": \"DeleteContactTag\", \"ContactId\": \"99\", \"note\": \"last week's, already posted\" } ]\n";

        private static string Setup(string name)
        {
            var dir = FaultHarness.Scratch(name);
            File.WriteAllText(Path.Combine(dir, "tags.json"), "{ \"schemaVersion\": 1, \"defaultRecordTypeId\": \"012000000000PAAAAA\" }");
            return dir;
        }

        private static string Command(string dir, string state, string changes, string ops) =>
            $"Import-CrmRecord '{AcTags}', '{SfPersonAccounts}' | Sync-PersonAccountTags -ConfigPath '{dir}/tags.json' -StatePath '{state}' -ChangeFolder '{changes}' -OperationPath '{ops}' | Out-Null";

        private static string Ops(string path) => File.Exists(path) ? File.ReadAllText(path) : "(none)";

        private static (string Changes, string Ops) Reference(string dir)
        {
            var changes = Path.Combine(dir, "ref-changes");
            var ops = Path.Combine(dir, "ref-ops.json");
            FaultHarness.RunClean(Command(dir, Path.Combine(dir, "ref-state"), changes, ops));
            return (FaultHarness.Folder(changes), Ops(ops));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void KilledOrFailingAtEveryCommitPointEndsNeverHappenedOrCompleted(bool injectedWriteFailure)
        {
            var dir = Setup(injectedWriteFailure ? "tags-io" : "tags-kill");
            var reference = Reference(dir);
            // The hard case is there: a person account to insert, an update, and operations with request bodies.
            Assert.Contains("Account-insert.csv", reference.Changes);
            Assert.Contains("Account-update.csv", reference.Changes);
            Assert.Contains("DeleteContactTag", reference.Ops);
            Assert.Contains("/api/3/contactTags/", reference.Ops);
            foreach (var point in FaultInjection.Points)
            {
                var state = Path.Combine(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var ops = Path.Combine(dir, point + "-ops.json");
                File.WriteAllText(ops, LastWeeksOperations);
                var (exit, output) = SyncFaultTests.RunShell(Command(dir, state, changes, ops), (injectedWriteFailure ? "io:" : string.Empty) + point);
                var committed = point != "stage-file" && point != "staged";
                if (injectedWriteFailure)
                {
                    Assert.True(exit != 0 && exit != 137, $"{point}: exit {exit}");
                    Assert.Contains(committed ? "RunPending" : "StateWriteFailed", output);
                }
                else Assert.True(exit == 137, $"{point}: the child was not killed at its commit point (exit {exit}): {output}");
                // The next run (new folder and file): the interrupted one is finished first.
                var nextChanges = Path.Combine(dir, point + "-next");
                var nextOps = Path.Combine(dir, point + "-next-ops.json");
                var next = FaultHarness.Run(Command(dir, state, nextChanges, nextOps));
                Assert.Null(next.Exception);
                Assert.Empty(next.Errors);
                Assert.Empty(SyncFaultTests.Leftovers(state, RunLedger.TagLedger));
                Assert.Equal(reference.Changes, FaultHarness.Folder(nextChanges));
                Assert.Equal(reference.Ops, Ops(nextOps));
                if (committed)
                {
                    Assert.Contains("has now been completed", Assert.Single(next.Warnings).Message);
                    Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
                    Assert.Equal(reference.Ops, Ops(ops));
                }
                else
                {
                    if (injectedWriteFailure) Assert.Empty(next.Warnings); // staging removed when the failure was reported
                    else Assert.Contains("before it was committed", Assert.Single(next.Warnings).Message);
                    Assert.True(FaultHarness.Folder(changes) == "(none)", point + ": the change folder holds " + FaultHarness.Folder(changes));
                    Assert.Equal(LastWeeksOperations, Ops(ops));
                }
            }
        }

        [Fact]
        public void AChangeFolderHoldingAnotherRunsFilesIsRefusedAndTheOperationsFileIsNotWritten()
        {
            var dir = Setup("tags-folder");
            var state = Path.Combine(dir, "state");
            var changes = Path.Combine(dir, "changes");
            FaultHarness.RunClean(Command(dir, state, changes, Path.Combine(dir, "ops1.json")));
            var before = FaultHarness.Folder(changes);
            var ops = Path.Combine(dir, "ops2.json");
            File.WriteAllText(ops, LastWeeksOperations);
            var error = SyncFaultTests.Terminating(Command(dir, state, changes, ops));
            Assert.Equal("ChangeFolderInUse", error.Id);
            Assert.Contains("Sync-PersonAccountTags", error.Message);
            Assert.Equal(before, FaultHarness.Folder(changes));
            Assert.Equal(LastWeeksOperations, Ops(ops));
            Assert.Empty(SyncFaultTests.Leftovers(state, RunLedger.TagLedger));
        }

        [Fact]
        public void AnOperationsFileInsideTheChangeFolderIsOneOfTheRunsFilesInItsManifest()
        {
            var dir = Setup("tags-inside");
            var changes = Path.Combine(dir, "changes");
            FaultHarness.RunClean(Command(dir, Path.Combine(dir, "state"), changes, Path.Combine(changes, "ac-operations.json")));
            var manifest = ChangeManifest.Read(changes)!;
            Assert.True(manifest.Completed);
            Assert.Equal(new[] { "Account-insert.csv", "Account-update.csv", "inserts-tree.json", "ac-operations.json" }.OrderBy(n => n, StringComparer.Ordinal),
                manifest.Files.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));
            var entry = manifest.Files.Single(f => f.Name == "ac-operations.json");
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                Assert.Equal(Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(Path.Combine(changes, "ac-operations.json")))).ToLowerInvariant(), entry.Sha256);
            }
            Assert.True(entry.Records > 0);
            // Export-CrmChangeSet writes the operations again with the rest.
            var again = Path.Combine(dir, "again");
            var r = FaultHarness.Run("Export-CrmChangeSet -RunId $run -Path $f -StatePath $state | Out-Null", ("run", manifest.RunId), ("f", again), ("state", Path.Combine(dir, "state")));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(FaultHarness.Folder(changes), FaultHarness.Folder(again));
        }
    }
}
