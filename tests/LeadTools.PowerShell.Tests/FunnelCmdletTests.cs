using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>The funnel cmdlets through the hosted engine.</summary>
    public class FunnelCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-funnel", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private static string Export => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "funnel-export.json");

        [Fact]
        public void NewConfigWritesAValidFileAndRefusesToOverwrite()
        {
            var path = Path.Combine(Scratch(), "funnel.json");
            var r = Run("(New-FunnelStatusConfig -Path $p).Name; (Import-FunnelStatusConfig $p).ResolvedMerged; New-FunnelStatusConfig -Path $p", ("p", path));
            Assert.Equal(new object[] { "funnel.json", "Resolved - Merged" }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal("FileExists,LeadTools.PowerShell.Commands.NewFunnelStatusConfigCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void NewConfigWhatIfWritesNothing()
        {
            var folder = Scratch();
            var r = Run("New-FunnelStatusConfig -Path ($f + '/x.json') -WhatIf", ("f", folder));
            Assert.Empty(r.Errors);
            Assert.Empty(Directory.GetFiles(folder));
        }

        [Fact]
        public void ConfigErrorsNameTheKey()
        {
            var path = Path.Combine(Scratch(), "funnel.json");
            File.WriteAllText(path, "{ \"schemaVersion\": 1, \"leadStatuses\": [ { \"value\": \"Working\", \"active\": true } ], \"contactStatuses\": [ { \"value\": \"Active Opportunity\", \"active\": false } ], \"survivingResponse\": \"Middle\" }");
            var r = Run("Import-FunnelStatusConfig $p; Import-CrmRecord $e | Test-FunnelIntegrity -Config $p", ("p", path), ("e", Export));
            Assert.Equal("InvalidFunnelConfig,LeadTools.PowerShell.Commands.ImportFunnelStatusConfigCommand", r.Errors[0].FullyQualifiedErrorId);
            Assert.Contains("'survivingResponse'", r.Errors[0].Exception.Message);
            // -Config takes the path too; its error is a parameter-binding error naming the key.
            Assert.Contains("survivingResponse", r.Errors[1].Exception.Message);
            Assert.StartsWith("ParameterArgumentTransformationError", r.Errors[1].FullyQualifiedErrorId);
        }

        [Fact]
        public void IntegrityOverAWholeExportWithoutConfigWarnsAndUsesTheExample()
        {
            var r = Run("Import-CrmRecord $e | Test-FunnelIntegrity | ForEach-Object { $_.PersonId + ':' + $_.Kind }", ("e", Export));
            Assert.Empty(r.Errors);
            Assert.Contains("built-in example", Assert.Single(r.Warnings).Message);
            Assert.Equal(new object[] { "00Q000000000002AAA:MultipleActiveResponses", "00Q000000000003AAA:ActiveStatusWithoutResponse" }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void MergeOutcomeExplainsItself()
        {
            var r = Run(@"
                $records = Import-CrmRecord $e
                $l1 = $records | Where-Object Id -eq '00Q000000000001AAA'
                $l2 = $records | Where-Object Id -eq '00Q000000000002AAA'
                $o = $records | Get-MergeOutcome -Survivor $l1 -Duplicate $l2 -WarningAction SilentlyContinue
                $o.Row; $o.DestroyedMemberships.Count; $o.SurvivingResponseId; $o.Reason", ("e", Export));
            Assert.Empty(r.Errors);
            Assert.Equal("5.3-3", r.Output[0].BaseObject);
            Assert.Equal(1, r.Output[1].BaseObject); // both in campaign 701...001: the newer membership is destroyed
            Assert.Equal("00v000000000001AAA", r.Output[2].BaseObject);
            Assert.Contains("Row 5.3-3", (string)r.Output[3].BaseObject);
        }
    }
}
