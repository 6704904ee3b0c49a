using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Issue 13, "Undo-CrmMerge: undoing an earlier run after a later run built on its survivors silently breaks the
    /// later run's key links; -EntryId undo can be repeated. Refuse (with a clear error naming the later run) or undo in
    /// the right order; each entry undone at most once." And the journal checks through the cmdlet.
    /// </summary>
    public class UndoOrderTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-undo", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private const string Data = @"
            function L($Id, $Name, $Created) { [pscustomobject]@{ Id = $Id; LastName = $Name; Company = 'Acme'; CreatedDate = $Created; PSTypeName = 'LeadTools.CrmRecord#Lead' } }
            $a = L '00Q000000000001AAA' 'Smith' '2023-01-01T00:00:00Z'
            $b = L '00Q000000000002AAA' 'Smyth' '2024-01-01T00:00:00Z'
            $c = L '00Q000000000003AAA' 'Smithe' '2025-01-01T00:00:00Z'
            $d = L '00Q000000000004AAA' 'Jones' '2023-06-01T00:00:00Z'
            $e = L '00Q000000000005AAA' 'Jonas' '2024-06-01T00:00:00Z'
            function RunOf($results) { @($results)[0].JournalEntryId.Split(':')[0] }
";

        private static string Keys(string state) =>
            string.Join("|", AlternateKeyStore.Load(Path.Combine(state, KeyStoreSession.FileName)).Entries.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id}>{e.Parent}:{e.How}:{e.Deleted}"));

        [Fact]
        public void UndoingAnEarlierRunAfterALaterRunBuiltOnItsSurvivorIsRefusedNamingTheLaterRun()
        {
            var state = Scratch();
            var r = Run(Data + @"
                $runA = RunOf (Merge-CrmRecord -Survivor $a -Duplicate $b -StatePath $state -Confirm:$false)
                $runB = RunOf (Merge-CrmRecord -Survivor $a -Duplicate $c -StatePath $state -Confirm:$false)
                $runA; $runB", ("state", state));
            Assert.Empty(r.Errors);
            var runA = (string)r.Output[0].BaseObject;
            var runB = (string)r.Output[1].BaseObject;
            var keysAfterBoth = Keys(state);

            var refused = Run($"Undo-CrmMerge -RunId {runA} -StatePath $state -ChangeFolder ($state + '/undoA') -Confirm:$false", ("state", state));
            var error = Assert.Single(refused.Errors);
            Assert.Equal("UndoOrderConflict", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains(runB, error.Exception.Message);
            Assert.Equal(keysAfterBoth, Keys(state)); // nothing changed
            Assert.False(File.Exists(MergeJournal.UndoneFileOf(state, runA)));
            Assert.False(Directory.Exists(Path.Combine(state, "undoA")));

            // In the right order both undo, and the store is as before both runs (ids only the merges learnt are forgotten).
            var ordered = Run($@"
                $null = Undo-CrmMerge -RunId {runB} -StatePath $state -Confirm:$false
                $null = Undo-CrmMerge -RunId {runA} -StatePath $state -Confirm:$false
                (Resolve-ContactKey 00Q000000000002AAA -StatePath $state).Known
                (Resolve-ContactKey 00Q000000000003AAA -StatePath $state).Known", ("state", state));
            Assert.Null(ordered.Exception);
            Assert.Empty(ordered.Errors);
            Assert.Equal(new object[] { false, false }, ordered.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void UndoingAMergeWhoseSurvivorWasConvertedSinceIsRefused()
        {
            var state = Scratch();
            var r = Run(Data + @"
                $run = RunOf (Merge-CrmRecord -Survivor $a -Duplicate $b -StatePath $state -Confirm:$false)
                $converted = $a | Convert-LeadRecord -StatePath $state
                $run
                $converted.ContactId", ("state", state));
            Assert.Empty(r.Errors);
            var run = (string)r.Output[0].BaseObject;
            var contact = (string)r.Output[1].BaseObject;
            var before = Keys(state);
            var refused = Run($"Undo-CrmMerge -RunId {run} -StatePath $state -Confirm:$false", ("state", state));
            var error = Assert.Single(refused.Errors);
            Assert.Equal("UndoOrderConflict", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("00Q000000000001AAA", error.Exception.Message);
            Assert.Contains(contact, error.Exception.Message);
            Assert.Equal(before, Keys(state));
            // The conversion's link still holds: both lead ids resolve to the contact.
            var check = Run("(Resolve-ContactKey 00Q000000000002AAA -StatePath $state).ContactKey", ("state", state));
            Assert.Equal(contact, check.Output.Single().BaseObject);
        }

        [Fact]
        public void AnEntryIsUndoneAtMostOnce()
        {
            var state = Scratch();
            var r = Run(Data + @"
                $groups = @(
                    [pscustomobject]@{ GroupId = 'g1'; Members = @($a, $b) }
                    [pscustomobject]@{ GroupId = 'g2'; Members = @($d, $e) }
                )
                RunOf ($groups | Merge-CrmRecord -StatePath $state -Confirm:$false)", ("state", state));
            var run = (string)r.Output.Single().BaseObject;
            var again = Run($@"
                (Undo-CrmMerge -RunId {run} -EntryId {run}:1 -StatePath $state -Confirm:$false).Count
                (Undo-CrmMerge -RunId {run} -EntryId {run}:1 -StatePath $state -Confirm:$false).Count
                (Undo-CrmMerge -RunId {run} -StatePath $state -Confirm:$false | ForEach-Object Id) -join ','
                Undo-CrmMerge -RunId {run} -StatePath $state -Confirm:$false", ("state", state));
            Assert.Equal(new[] { "AlreadyUndone", "AlreadyUndone" }, again.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
            Assert.Contains(run + ":1", again.Errors[0].Exception.Message);
            // First call: the two records of g1; the repeat: nothing; the whole run afterwards: only g2's two records.
            Assert.Equal(new object[] { 2, 0, "00Q000000000004AAA,00Q000000000005AAA" }, again.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ADamagedJournalIsStateCorruptNamingFileAndLine()
        {
            var state = Scratch();
            var r = Run(Data + "RunOf (Merge-CrmRecord -Survivor $a -Duplicate $b, $c -StatePath $state -Confirm:$false)", ("state", state));
            var run = (string)r.Output.Single().BaseObject;
            var journal = MergeJournal.FileOf(state, run);
            var lines = File.ReadAllLines(journal);
            File.WriteAllLines(journal, lines.Take(lines.Length - 1)); // the end marker cut off
            var keys = Keys(state);
            var refused = Run($"Undo-CrmMerge -RunId {run} -StatePath $state -Confirm:$false", ("state", state));
            var error = Assert.Single(refused.Errors);
            Assert.Equal("StateCorrupt", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains(journal + " line " + (lines.Length - 1), error.Exception.Message);
            Assert.Equal(keys, Keys(state));
        }
    }
}
