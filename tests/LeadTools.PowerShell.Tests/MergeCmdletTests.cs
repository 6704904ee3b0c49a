using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Merge-CrmRecord and Undo-CrmMerge through the hosted engine.</summary>
    public class MergeCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-merge", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private const string Data = @"
            function L($Id, $Name, $Created, $Phone) { [pscustomobject]@{ Id = $Id; LastName = $Name; Phone = $Phone; CreatedDate = $Created; PSTypeName = 'LeadTools.CrmRecord#Lead' } }
            $a = L '00Q000000000001AAA' 'Smith' '2024-01-01T00:00:00Z' $null
            $b = L '00Q000000000002AAA' 'Smyth' '2025-01-01T00:00:00Z' '555-0100'
            $c = L '00Q000000000003AAA' 'Jones' '2023-01-01T00:00:00Z' $null
            $d = L '00Q000000000004AAA' 'Jonas' '2026-01-01T00:00:00Z' $null
            $related = @(
                [pscustomobject]@{ Id = '00T000000000001AAA'; WhoId = '00Q000000000002AAA'; Subject = 'Call'; PSTypeName = 'LeadTools.CrmRecord#Task' }
                [pscustomobject]@{ Id = '00v000000000001AAA'; CampaignId = '701A'; LeadId = '00Q000000000001AAA'; CreatedDate = '2025-01-01T00:00:00Z'; PSTypeName = 'LeadTools.CrmRecord#CampaignMember' }
                [pscustomobject]@{ Id = '00v000000000002AAA'; CampaignId = '701A'; LeadId = '00Q000000000002AAA'; CreatedDate = '2025-06-01T00:00:00Z'; PSTypeName = 'LeadTools.CrmRecord#CampaignMember' }
            )
            $groups = @(
                [pscustomobject]@{ GroupId = 'g1'; Members = @($a, $b); SuggestedSurvivorId = $null }
                [pscustomobject]@{ GroupId = 'g2'; Members = @($c, $d); SuggestedSurvivorId = '00Q000000000004AAA' }
            )
";

        [Fact]
        public void MergesGroupsFromThePipelineJournalsAndUndoes()
        {
            var state = Scratch();
            var changes = Path.Combine(state, "changes");
            var r = Run(Data + @"
                $results = $groups | Merge-CrmRecord -RelatedRecord $related -FieldRule @{ Phone = 'FillBlanks' } -StatePath $state -ChangeFolder $changes -Confirm:$false
                $results.Count
                $results[0].SurvivorId
                $results[0].Survivor.Phone
                $results[0].MembershipsDestroyed -join ','
                $results[1].SurvivorId
                (Resolve-ContactKey 00Q000000000002AAA -StatePath $state).ContactKey
                $run = $results[0].JournalEntryId.Split(':')[0]
                $restored = Undo-CrmMerge -RunId $run -StatePath $state -Confirm:$false
                $restored.Count
                ($restored | Where-Object Id -eq '00Q000000000001AAA').Phone -eq $null
                (Resolve-ContactKey 00Q000000000002AAA -StatePath $state).Known", ("state", state), ("changes", changes));
            // Restored: 4 leads, the moved task and the destroyed membership; the store forgets ids it only learnt from the merge.
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 2, "00Q000000000001AAA", "555-0100", "00v000000000002AAA", "00Q000000000004AAA", "00Q000000000001AAA", 6, true, false },
                r.Output.Select(o => o.BaseObject).ToArray());
            Assert.True(File.Exists(Path.Combine(changes, "Lead-delete.csv")));
            Assert.True(File.Exists(Path.Combine(changes, "CampaignMember-delete.csv")));
            Assert.True(File.Exists(Path.Combine(changes, "Task-update.csv")));
        }

        [Fact]
        public void BadGroupsGetErrorIdsAndTheRestMerge()
        {
            var state = Scratch();
            var r = Run(Data + @"
                $account = [pscustomobject]@{ Id = '001000000000001AAA'; Name = 'Acme'; PSTypeName = 'LeadTools.CrmRecord#Account' }
                $bad = @(
                    [pscustomobject]@{ GroupId = 'mixed'; Members = @($a, $account) }
                    [pscustomobject]@{ GroupId = 'unknown'; Members = @($a, $b); SurvivorId = '00Q000000000009AAA' }
                    [pscustomobject]@{ GroupId = 'ok'; Members = @($a, $b) }
                    [pscustomobject]@{ GroupId = 'twice'; Members = @($b, $c) }
                )
                ($bad | Merge-CrmRecord -StatePath $state -Confirm:$false).GroupId", ("state", state));
            Assert.Equal("ok", Assert.Single(r.Output).BaseObject);
            Assert.Equal(new[] { "MixedObjectTypes", "UnknownSurvivor", "RecordInTwoGroups" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        }

        [Fact]
        public void WhatIfShowsEverythingAndWritesNothing()
        {
            var state = Scratch();
            var r = Run(Data + "($groups | Merge-CrmRecord -RelatedRecord $related -StatePath $state -ChangeFolder ($state + '/c') -WhatIf).Count", ("state", state));
            Assert.Empty(r.Errors);
            Assert.Equal(2, Assert.Single(r.Output).BaseObject);
            Assert.False(Directory.Exists(Path.Combine(state, "journal")));
            Assert.False(Directory.Exists(Path.Combine(state, "c")));
            Assert.False(File.Exists(Path.Combine(state, KeyStoreSession.FileName)));
        }

        [Fact]
        public void ARunIsUndoneOnlyOnce()
        {
            var state = Scratch();
            var r = Run(Data + @"
                $run = ($groups[0] | Merge-CrmRecord -StatePath $state -Confirm:$false).JournalEntryId.Split(':')[0]
                $null = Undo-CrmMerge $run -StatePath $state -Confirm:$false
                Undo-CrmMerge $run -StatePath $state -Confirm:$false
                Undo-CrmMerge 'nope' -StatePath $state -Confirm:$false", ("state", state));
            Assert.Equal(new[] { "AlreadyUndone", "JournalNotFound" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray());
        }

        [Fact]
        public void InvalidRulesAreRefusedUpFront()
        {
            var r = Run(Data + "$groups | Merge-CrmRecord -SurvivorRule Tallest -StatePath $state -Confirm:$false", ("state", Scratch()));
            Assert.Equal("InvalidMergeRules", Assert.Single(r.Errors).FullyQualifiedErrorId.Split(',')[0]);
            Assert.Empty(r.Output);
        }
    }
}
