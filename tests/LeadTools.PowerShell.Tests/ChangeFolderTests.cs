using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.State;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Issue 13: "If the change folder cannot be written (an existing file in the way ...) ... the state says done while
    /// the CRM files were never produced"; "A change folder gets a manifest (run id, files, record counts, completed
    /// flag) written last; a later run into the same folder must not mix its files with an earlier run's (today
    /// Lead-update.csv of run 1 sits beside Lead-delete.csv of run 2)"; "Add a -RunId-style way to regenerate the change
    /// files of a committed run."
    /// </summary>
    public class ChangeFolderTests
    {
        private const string Leads = @"
            $leads = @(
                [pscustomobject]@{ Id = '00Q000000000001AAA'; FirstName = 'Ada'; LastName = 'Lovelace'; Company = 'Acme'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
                [pscustomobject]@{ Id = '00Q000000000002AAA'; FirstName = 'Alan'; LastName = 'Turing'; Company = 'Bletchley'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
            )
            function L($Id, $Name, $Created) { [pscustomobject]@{ Id = $Id; LastName = $Name; CreatedDate = $Created; PSTypeName = 'LeadTools.CrmRecord#Lead' } }";

        [Fact]
        public void AFolderInTheWayOfAChangeFileLeavesTheRunNeverHappened()
        {
            var state = FaultHarness.Scratch("inway");
            var changes = Path.Combine(state, "changes");
            Directory.CreateDirectory(Path.Combine(changes, "Lead-update.csv")); // "an existing file in the way"
            var r = FaultHarness.Run(Leads + "$leads | Convert-LeadRecord -StatePath $state -ChangeFolder $changes", ("state", state), ("changes", changes));
            Assert.Equal("ChangeFolderInUse", Assert.Single(r.Errors).FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("Lead-update.csv", r.Errors[0].Exception.Message);
            Assert.False(File.Exists(Path.Combine(state, KeyStoreSession.FileName))); // no conversion recorded
            // With the folder cleared the same leads convert: nothing was refused as AlreadyConverted.
            Directory.Delete(Path.Combine(changes, "Lead-update.csv"));
            var again = FaultHarness.Run(Leads + "($leads | Convert-LeadRecord -StatePath $state -ChangeFolder $changes).Count", ("state", state), ("changes", changes));
            Assert.Empty(again.Errors);
            Assert.Equal(2, again.Output.Single().BaseObject);
            Assert.True(ChangeManifest.Read(changes)!.Completed);
        }

        [Fact]
        public void ASecondRunIntoTheSameFolderIsRefusedInsteadOfMixingFiles()
        {
            var state = FaultHarness.Scratch("mix");
            var changes = Path.Combine(state, "changes");
            var r = FaultHarness.Run(Leads + @"
                $run1 = (Merge-CrmRecord -Survivor (L '00Q000000000011AAA' 'Smith' '2023-01-01') -Duplicate (L '00Q000000000012AAA' 'Smyth' '2024-01-01') -StatePath $state -ChangeFolder $changes -Confirm:$false).JournalEntryId.Split(':')[0]
                $run1
                $leads | Convert-LeadRecord -StatePath $state -ChangeFolder $changes", ("state", state), ("changes", changes));
            var run1 = (string)r.Output[0].BaseObject;
            var error = Assert.Single(r.Errors);
            Assert.Equal("ChangeFolderInUse", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains(run1, error.Exception.Message);
            // The folder holds run 1's files only, as its manifest lists them; the conversion did not happen.
            var manifest = ChangeManifest.Read(changes)!;
            Assert.Equal(run1, manifest.RunId);
            Assert.True(manifest.Completed);
            Assert.Equal(manifest.Files.Select(f => f.Name).Append(ChangeManifest.FileName).OrderBy(n => n, StringComparer.Ordinal),
                Directory.GetFiles(changes).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(1, manifest.Files.Single(f => f.Name == "Lead-delete.csv").Records);
            Assert.Null(AlternateKeyStore.Load(Path.Combine(state, KeyStoreSession.FileName)).Find("00Q000000000001AAA"));
        }

        [Fact]
        public void ExportCrmChangeSetWritesACommittedRunsFilesAgain()
        {
            var state = FaultHarness.Scratch("regen");
            var changes = Path.Combine(state, "changes");
            var again = Path.Combine(state, "again");
            var r = FaultHarness.Run(Leads + @"
                $run = ($leads | Convert-LeadRecord -StatePath $state -ChangeFolder $changes)[0].RunId
                (Export-CrmChangeSet -RunId $run -Path $again -StatePath $state | ForEach-Object Name) -join ','
                Export-CrmChangeSet -RunId 'nope' -Path ($state + '/x') -StatePath $state", ("state", state), ("changes", changes), ("again", again));
            Assert.Equal(new[] { "RunNotFound" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
            Assert.Contains("Contact-insert.csv", (string)r.Output.Single().BaseObject);
            Assert.Equal(FaultHarness.Folder(changes), FaultHarness.Folder(again));
            // A folder is re-written only for its own run.
            var other = FaultHarness.Run(Leads + @"
                $run = (Merge-CrmRecord -Survivor (L '00Q000000000011AAA' 'Smith' '2023-01-01') -Duplicate (L '00Q000000000012AAA' 'Smyth' '2024-01-01') -StatePath $state -Confirm:$false).JournalEntryId.Split(':')[0]
                Export-CrmChangeSet -RunId $run -Path $again -StatePath $state", ("state", state), ("again", again));
            Assert.Equal("NoChangeFiles", Assert.Single(other.Errors).FullyQualifiedErrorId.Split(',')[0]);
        }
    }
}
