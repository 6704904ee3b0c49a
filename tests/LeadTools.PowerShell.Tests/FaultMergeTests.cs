using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Merge;
using LeadTools.Core.State;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Merge-CrmRecord and Undo-CrmMerge killed at the commit points (the same protocol as Convert-LeadRecord).</summary>
    public class MergeFaultTests
    {
        private static void Data(string dir)
        {
            File.WriteAllLines(Path.Combine(dir, "Lead.jsonl"), Enumerable.Range(1, 12).Select(i =>
                $"{{\"attributes\":{{\"type\":\"Lead\"}},\"Id\":\"00Q0000000000{i:D2}AAA\",\"LastName\":\"L{(i + 1) / 2}\",\"Email\":\"p{(i + 1) / 2}@x.test\",\"CreatedDate\":\"2024-01-{i:D2}T00:00:00Z\"}}"));
            File.WriteAllLines(Path.Combine(dir, "Task.jsonl"), Enumerable.Range(1, 12).Select(i =>
                $"{{\"attributes\":{{\"type\":\"Task\"}},\"Id\":\"00T0000000000{i:D2}AAA\",\"WhoId\":\"00Q0000000000{i:D2}AAA\",\"Subject\":\"Call {i}\"}}"));
        }

        // Six groups of two leads (same email): the older survives, the task of the other moves.
        private static string MergeCommand(string dir, string state, string changes) =>
            $"$r = @(Import-CrmRecord '{Path.Combine(dir, "Lead.jsonl")}'); $groups = for ($i = 0; $i -lt 12; $i += 2) {{ [pscustomobject]@{{ Members = @($r[$i], $r[$i + 1]) }} }}; " +
            $"$groups | Merge-CrmRecord -RelatedRecord @(Import-CrmRecord '{Path.Combine(dir, "Task.jsonl")}') -StatePath '{state}' -ChangeFolder '{changes}' -Confirm:$false | Out-Null";

        private static string[] Journals(string state) =>
            Directory.Exists(MergeJournal.Folder(state)) ? Directory.GetFiles(MergeJournal.Folder(state)).Select(f => Path.GetFileName(f)!).ToArray() : Array.Empty<string>();

        [Fact]
        public void MergeKilledAtEachCommitPointEndsNeverHappenedOrCompleted()
        {
            var dir = FaultHarness.Scratch("merge");
            Data(dir);
            var refState = Path.Combine(dir, "ref-state");
            var refChanges = Path.Combine(dir, "ref-changes");
            FaultHarness.RunClean(MergeCommand(dir, refState, refChanges));
            var refKeys = FaultHarness.Keys(refState);
            var refFolder = FaultHarness.Folder(refChanges);
            Assert.Contains("Lead-delete.csv", refFolder);
            Assert.Contains("Task-update.csv", refFolder);
            foreach (var point in FaultInjection.Points)
            {
                var state = Path.Combine(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var exit = FaultHarness.RunShell(MergeCommand(dir, state, changes), point);
                Assert.True(exit == 137, $"{point}: the child was not killed at its commit point (exit {exit})");
                var next = FaultHarness.Run("Resolve-ContactKey -Id 00Q000000000002AAA -StatePath $state | Out-Null", ("state", state));
                Assert.Empty(next.Errors);
                Assert.Single(next.Warnings);
                Assert.Empty(FaultHarness.Leftovers(state));
                if (point == "stage-file" || point == "staged")
                {
                    Assert.Equal("(none)", FaultHarness.Keys(state));
                    Assert.Empty(Journals(state));
                    Assert.Equal("(none)", FaultHarness.Folder(changes));
                }
                else
                {
                    Assert.Equal(refKeys, FaultHarness.Keys(state));
                    var journal = Assert.Single(Journals(state));
                    Assert.Equal(6, MergeJournal.Read(Path.Combine(MergeJournal.Folder(state), journal!)).Count);
                    Assert.Equal(refFolder, FaultHarness.Folder(changes));
                }
            }
        }

        [Fact]
        public void UndoKilledAtEachCommitPointEndsNeverHappenedOrCompleted()
        {
            var dir = FaultHarness.Scratch("undo");
            Data(dir);
            var outcomes = new List<string>();
            // The protocol is Convert-LeadRecord's and Merge-CrmRecord's (killed at every point); here one point before the commit and two after.
            foreach (var point in new[] { "staged", "committed", "publish-file" })
            {
                var state = Path.Combine(dir, point + "-state");
                FaultHarness.RunClean(MergeCommand(dir, state, Path.Combine(dir, point + "-merge")));
                var run = Path.GetFileNameWithoutExtension(Assert.Single(Journals(state)))!;
                var merged = FaultHarness.Keys(state);
                var undo = Path.Combine(dir, point + "-undo");
                var exit = FaultHarness.RunShell($"Undo-CrmMerge -RunId {run} -StatePath '{state}' -ChangeFolder '{undo}' -Confirm:$false | Out-Null", point);
                Assert.True(exit == 137, $"{point}: the child was not killed at its commit point (exit {exit})");
                // The next run: undo again. Never happened: it undoes now. Completed: AlreadyUndone, and the files are there.
                var again = FaultHarness.Run($"(Undo-CrmMerge -RunId {run} -StatePath $state -ChangeFolder ($state + '/undo2') -Confirm:$false).Count", ("state", state));
                Assert.Single(again.Warnings);
                Assert.Empty(FaultHarness.Leftovers(state));
                var keys = FaultHarness.Keys(state);
                Assert.DoesNotContain("Merged", keys); // either way the merge is undone now, once
                if (point == "staged")
                {
                    Assert.Empty(again.Errors);
                    Assert.Equal(18, again.Output.Single().BaseObject); // per merge: survivor, loser, the loser's moved task
                    Assert.Equal("(none)", FaultHarness.Folder(undo));
                    outcomes.Add(point + ": never happened");
                }
                else
                {
                    Assert.Equal("AlreadyUndone", Assert.Single(again.Errors).FullyQualifiedErrorId.Split(',')[0]);
                    Assert.Contains("manifest completed=True", FaultHarness.Folder(undo));
                    Assert.Contains("Lead-undelete.csv", FaultHarness.Folder(undo));
                    outcomes.Add(point + ": completed");
                }
                Assert.NotEqual(merged, keys);
            }
            Assert.Equal(new[] { "staged: never happened", "committed: completed", "publish-file: completed" }, outcomes);
        }
    }
}
