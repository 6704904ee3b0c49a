using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Seed 001's funnel rules through the cmdlets (issue 14): the group conversion, the journal, warnings, properties.</summary>
    public class FunnelSeedCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-funnel-seed", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private const string Setup = @"
            $config = Import-FunnelStatusConfig $cfg
            $contact = [pscustomobject]@{ Id = '003000000000001AAA'; LastName = 'Lovelace'; AccountId = '001000000000001AAA'; Status = 'Nurture' }
            $account = [pscustomobject]@{ Id = '001000000000001AAA'; Name = 'Acme' }
            $l1 = [pscustomobject]@{ Id = '00Q000000000001AAA'; LastName = 'Lovelace'; Company = 'Acme'; Status = 'Working'; ContactId = '003000000000001AAA' }
            $l2 = [pscustomobject]@{ Id = '00Q000000000002AAA'; LastName = 'Lovelace'; Company = 'Acme'; Status = 'Marketing Qualified'; ContactId = '003000000000001AAA' }
            $related = @(
                [pscustomobject]@{ Id = '00vA00000000001AAA'; CampaignId = '701A'; LeadId = '00Q000000000001AAA'; CreatedDate = '2026-01-10T00:00:00Z'; FCRM__FCR_Response_Status__c = 'Working'; FCRM__FCR_Response_Date__c = '2026-01-10T00:00:00Z' },
                [pscustomobject]@{ Id = '00vB00000000001AAA'; CampaignId = '701B'; LeadId = '00Q000000000002AAA'; CreatedDate = '2026-03-01T00:00:00Z'; FCRM__FCR_Response_Status__c = 'Marketing Qualified'; FCRM__FCR_Response_Date__c = '2026-03-01T00:00:00Z' },
                [pscustomobject]@{ Id = '00vC00000000001AAA'; CampaignId = '701C'; ContactId = '003000000000001AAA'; CreatedDate = '2026-04-01T00:00:00Z'; FCRM__FCR_Opportunity__c = '006000000000001AAA' },
                [pscustomobject]@{ Id = '00vD00000000001AAA'; CampaignId = '701C'; LeadId = '00Q000000000002AAA'; CreatedDate = '2025-01-01T00:00:00Z' }
            )
            foreach ($r in $related) { $r.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#CampaignMember') }
            $opp = [pscustomobject]@{ Id = '006000000000001AAA'; Name = 'Acme-'; IsClosed = $true }
            $opp.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Opportunity')
            $contact.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Contact'); $account.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Account')
        ";

        private static string ConfigFile()
        {
            var path = Path.Combine(Scratch(), "funnel.json");
            var json = Newtonsoft.Json.Linq.JObject.Parse(LeadTools.Core.Funnel.FunnelConfig.ExampleJson);
            json["systemCampaignId"] = "701SYSTEM";
            File.WriteAllText(path, json.ToString());
            return path;
        }

        [Theory]
        [InlineData("$l1, $l2")]
        [InlineData("$l2, $l1")]
        public void SeveralLeadsIntoOneContactAreOneGroupWhateverThePipelineOrder(string order)
        {
            // Seed 001: "A lead or contact can only have ONE active response at a time."
            var state = Scratch();
            var r = Run(Setup + $@"
                $res = {order} | Convert-LeadRecord -Config $config -ExistingRecord $contact, $account -RelatedRecord ($related + $opp) -DoNotCreateOpportunity -StatePath $state -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
                $res.Count
                ($res | ForEach-Object FunnelRow) -join ','
                ($res | ForEach-Object {{ $_.Contact.Status }}) -join ','
                $res[0].Funnel.SurvivingResponseId
                ($res | ForEach-Object {{ $_.ResponsesResolved }} | ForEach-Object MemberId) -join ','
                ($res | ForEach-Object MembershipsDestroyed) -join ','
                @($w).Count
                ($res | ForEach-Object MembershipsArchived) -join ','
                ($res | ForEach-Object MembershipsReinserted | ForEach-Object CampaignId) -join ','
                ($res | ForEach-Object JournalEntryId) -join ','
            ", ("cfg", ConfigFile()), ("state", state));
            Assert.True(r.Errors.Count == 0, string.Join("\n", r.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            var o = r.Output.Select(x => x?.BaseObject?.ToString()).ToArray();
            Assert.Equal("2", o[0]);
            Assert.Equal("5.4-5,5.4-5", o[1]);
            Assert.Equal("Working,Working", o[2]); // the oldest active response (00vA) sets it, for both leads
            Assert.Equal("00vA00000000001AAA", o[3]);
            Assert.Equal("00vB00000000001AAA,00vB00000000001AAA", o[4]); // the same group outcome on both results
            Assert.Equal("00vC00000000001AAA", o[5]); // the contact's newer membership of 701C, linked to an opportunity
            Assert.Equal("0", o[6]); // no warning
            Assert.Equal("00vC00000000001AAA", o[7]); // archived into its (closed) opportunity
            Assert.Equal("701SYSTEM", o[8]); // and re-inserted in the system campaign
            Assert.Matches("^[^,]+:1,$", o[9]); // one journal entry, on the group's first lead
            var journal = Assert.Single(Directory.GetFiles(Path.Combine(state, "journal")));
            Assert.Contains("00vC00000000001AAA", File.ReadAllText(journal));
        }

        [Fact]
        public void MergeWarnsWhenTheOpportunityNeededForArchivingWasNotPassed()
        {
            var state = Scratch();
            var r = Run(@"
                $a = [pscustomobject]@{ Id = '0031'; LastName = 'A'; Status = 'Nurture'; CreatedDate = '2020-01-01T00:00:00Z' }
                $b = [pscustomobject]@{ Id = '0032'; LastName = 'A'; Status = 'Nurture'; CreatedDate = '2021-01-01T00:00:00Z' }
                $a.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Contact'); $b.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Contact')
                $m1 = [pscustomobject]@{ Id = '00v1'; CampaignId = '701A'; ContactId = '0031'; CreatedDate = '2025-01-01T00:00:00Z' }
                $m2 = [pscustomobject]@{ Id = '00v2'; CampaignId = '701A'; ContactId = '0032'; CreatedDate = '2026-01-01T00:00:00Z'; FCRM__FCR_Opportunity__c = '006X' }
                $m1.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#CampaignMember'); $m2.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#CampaignMember')
                $res = Merge-CrmRecord -Survivor $a -Duplicate $b -RelatedRecord $m1, $m2 -Config $cfg -StatePath $state -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
                $res.MembershipsDestroyed -join ','
                $res.MembershipsArchived.Count
                ($w | ForEach-Object Message) -join ' | '
                $res.Reason
            ", ("cfg", ConfigFile()), ("state", state));
            Assert.True(r.Errors.Count == 0, string.Join("\n", r.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            var o = r.Output.Select(x => x?.BaseObject?.ToString()).ToArray();
            Assert.Equal("00v2", o[0]);
            Assert.Equal("0", o[1]);
            Assert.Contains("006X", o[2]);
            Assert.Contains("was not among the related records", o[2]);
            Assert.Contains("was not given (-RelatedRecord), so it was not archived", o[3]);
        }

        private static string Export => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "funnel-export.json");

        [Fact]
        public void GetMergeOutcomeTakesGroupsFromThePipelineLikeMergeCrmRecord()
        {
            var r = Run(@"
                $records = Import-CrmRecord $e
                $l1 = $records | Where-Object Id -eq '00Q000000000001AAA'
                $l2 = $records | Where-Object Id -eq '00Q000000000002AAA'
                $groups = @(
                    [pscustomobject]@{ GroupId = 'g1'; Members = @($l1, $l2); SuggestedSurvivorId = '00Q000000000001AAA' },
                    [pscustomobject]@{ GroupId = 'g2'; Members = @($l2, $l1) }
                )
                $single = $records | Get-MergeOutcome -Survivor $l1 -Duplicate $l2 -WarningAction SilentlyContinue
                $out = $groups | Get-MergeOutcome -RelatedRecord $records -WarningAction SilentlyContinue
                $out.Count
                ($out | ForEach-Object { $_.GroupId + '=' + $_.Row + '/' + $_.SurvivorId + '/' + $_.SurvivingResponseId }) -join ' '
                $single.Row + '/' + $single.SurvivingResponseId
                $bad = [pscustomobject]@{ GroupId = 'g3'; Members = @($l1) } | Get-MergeOutcome -RelatedRecord $records -WarningAction SilentlyContinue
            ", ("e", Export));
            var o = r.Output.Select(x => x?.BaseObject?.ToString()).ToArray();
            Assert.Equal("2", o[0]);
            // The same group in another order, without a suggested survivor: the default rule picks the same survivor, the same outcome.
            Assert.Matches("^g1=5\\.3-3/00Q000000000001AAA/00v000000000001AAA g2=5\\.3-3/00Q000000000001AAA/00v000000000001AAA$", o[1]);
            Assert.Equal("5.3-3/00v000000000001AAA", o[2]);
            Assert.Equal("GroupTooSmall,LeadTools.PowerShell.Commands.GetMergeOutcomeCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void ImportFunnelStatusConfigAcceptsAHashtableAndMinusConfigToo()
        {
            var r = Run(@"
                $h = @{
                    schemaVersion = 1
                    leadStatuses = @( @{ value = 'Working'; active = $true; order = 1 }, @{ value = 'Nurture'; active = $false } )
                    contactStatuses = @( @{ value = 'Working'; active = $true }, @{ value = 'Active Opportunity'; active = $false } )
                    systemCampaignId = '701SYS'
                    passive = @{ org = $false; mergingUser = $true }
                }
                $c = Import-FunnelStatusConfig -InputObject $h
                $c.SystemCampaignId; $c.PassiveMergingUser; $c.LeadStatuses.Count
                $fromJson = [pscustomobject]@{ schemaVersion = 1; leadStatuses = @([pscustomobject]@{ value = 'Working'; active = $true }); contactStatuses = @([pscustomobject]@{ value = 'Active Opportunity'; active = $false }) }
                (Import-FunnelStatusConfig -InputObject $fromJson).LeadStatuses[0].Value
                Import-FunnelStatusConfig -InputObject @{ schemaVersion = 1; leadStatuses = @(@{ value = 'Working' }); contactStatuses = @() }
                (Import-CrmRecord $e | Test-FunnelIntegrity -Config $h | ForEach-Object Kind) -join ','
            ", ("e", Export));
            var o = r.Output.Select(x => x?.BaseObject?.ToString()).ToArray();
            Assert.Equal("701SYS", o[0]);
            Assert.Equal("True", o[1]);
            Assert.Equal("2", o[2]);
            Assert.Equal("Working", o[3]);
            var error = Assert.Single(r.Errors);
            Assert.Equal("InvalidFunnelConfig,LeadTools.PowerShell.Commands.ImportFunnelStatusConfigCommand", error.FullyQualifiedErrorId);
            Assert.Contains("'leadStatuses[0].active'", error.Exception.Message);
            Assert.Empty(r.Warnings); // -Config took the hashtable: no fallback to the built-in example
        }

        [Fact]
        public void GetMergePlanReportsTheMembershipsEachMergeWouldDestroy()
        {
            var folder = Scratch();
            var r = Run(@"
                $a = [pscustomobject]@{ Id = '00Q1'; LastName = 'A'; Status = 'Nurture'; CreatedDate = '2020-01-01T00:00:00Z' }
                $b = [pscustomobject]@{ Id = '00Q2'; LastName = 'A'; Status = 'Nurture'; CreatedDate = '2021-01-01T00:00:00Z' }
                $a.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Lead'); $b.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#Lead')
                $m1 = [pscustomobject]@{ Id = '00v1'; CampaignId = '701A'; LeadId = '00Q1'; CreatedDate = '2025-01-01T00:00:00Z' }
                $m2 = [pscustomobject]@{ Id = '00v2'; CampaignId = '701A'; LeadId = '00Q2'; CreatedDate = '2026-01-01T00:00:00Z' }
                $m1.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#CampaignMember'); $m2.PSObject.TypeNames.Insert(0, 'LeadTools.CrmRecord#CampaignMember')
                $plan = [pscustomobject]@{ GroupId = 'g1'; Members = @($a, $b) } | Get-MergePlan -RelatedRecord $m1, $m2 -OutputFolder $out
                ($plan | ForEach-Object MembershipsDestroyed) -join ','
            ", ("out", folder));
            Assert.Empty(r.Errors);
            Assert.Equal("00v2", r.Output.Last().BaseObject.ToString());
            Assert.Contains("00v2,701A,00Q2", File.ReadAllText(Path.Combine(folder, "0-memberships-destroyed.csv")));
        }
    }
}
