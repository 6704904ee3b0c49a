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
    }
}
