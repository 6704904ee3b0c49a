using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Issue 16 through the cmdlets: the safe default strategy, the group-size warning and Merge-CrmRecord's group-size guard.</summary>
    public class MatchSafetyCmdletTests
    {
        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        // Two John Smiths at acme.com: different mailboxes, phones and streets; same title and company.
        private const string Namesakes = @"
            $a = [pscustomobject]@{ Id = '00Q000000000001AAA'; FirstName = 'John'; LastName = 'Smith'; Email = 'john.smith@acme.com'; Phone = '(415) 555-0100'; Company = 'Acme Inc'; Title = 'VP Sales'; Street = '1 Market St'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
            $b = [pscustomobject]@{ Id = '00Q000000000002AAA'; FirstName = 'John'; LastName = 'Smith'; Email = 'john.smith2@acme.com'; Phone = '(415) 555-0199'; Company = 'Acme'; Title = 'VP Sales'; Street = '99 Mission St'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
";

        [Fact]
        public void The_default_strategy_vetoes_namesakes_that_Salesforce_rule_merges()
        {
            var r = Run(Namesakes + @"
                @($a, $b | Find-CrmDuplicate).Count
                @($a, $b | Find-CrmDuplicate -Strategy SalesforceStandard).Count
                $t = Test-CrmMatch $a $b
                $t.Strategy
                $t.IsMatch
                $t.Veto");
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 0, 1, "SafeMerge", false, "DifferentMailbox" }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void A_group_above_MaxGroupSize_is_written_with_a_warning_naming_it()
        {
            var r = Run(@"
                $recs = 1..4 | ForEach-Object { [pscustomobject]@{ Id = ('00Q00000000000{0}AAA' -f $_); FirstName = 'Pat'; LastName = 'Lee'; Email = 'pat@example.com'; PSTypeName = 'LeadTools.CrmRecord#Lead' } }
                $g = @($recs | Find-CrmDuplicate -Strategy EmailExact -MaxGroupSize 3)
                $g.Count
                $g[0].Count");
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 1, 4 }, r.Output.Select(o => o.BaseObject).ToArray());
            var warning = Assert.Single(r.Warnings).Message;
            Assert.Contains("Group 1 has 4 members, more than -MaxGroupSize 3", warning);
            Assert.Contains("00Q000000000001AAA", warning);
        }

        [Fact]
        public void Merge_refuses_a_group_above_MaxGroupSize_unless_Force()
        {
            var state = Path.Combine(Path.GetTempPath(), "leadtools-ps-guard", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(state);
            var r = Run(@"
                function L($n) { [pscustomobject]@{ Id = ('00Q0000000000{0:00}AAA' -f $n); LastName = 'Lee'; CreatedDate = ('2024-01-{0:00}T00:00:00Z' -f $n); PSTypeName = 'LeadTools.CrmRecord#Lead' } }
                $big = [pscustomobject]@{ GroupId = 'big'; Members = @(1..11 | ForEach-Object { L $_ }) }
                $small = [pscustomobject]@{ GroupId = 'small'; Members = @(L 20; L 21) }
                $done = @($big, $small | Merge-CrmRecord -StatePath $state -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue)
                $done.Count
                $done[0].SurvivorId
                $e.Count
                $e[0].FullyQualifiedErrorId.Split(',')[0]
                $e[0].Exception.Message
                $forced = @($big | Merge-CrmRecord -StatePath $state -Force -Confirm:$false)
                $forced.Count
                $forced[0].DeletedIds.Count
                $four = @([pscustomobject]@{ GroupId = 'four'; Members = @(30..33 | ForEach-Object { L $_ }) } | Merge-CrmRecord -StatePath $state -MaxGroupSize 3 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e2)
                $four.Count
                $e2[0].FullyQualifiedErrorId.Split(',')[0]", ("state", state));
            Assert.Equal(new object?[] { 1, "00Q000000000020AAA", 1, "GroupTooLarge", "Group big has 11 records, more than -MaxGroupSize 10: not merged. A group this large is usually different people chained together; check it (Find-CrmDuplicate's pairs and rules), then merge it with -Force or a larger -MaxGroupSize.", 1, 10, 0, "GroupTooLarge" },
                r.Output.Select(o => o?.BaseObject).ToArray());
        }
    }
}
