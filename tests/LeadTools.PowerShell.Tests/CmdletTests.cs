using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>The cmdlets through the real PowerShell binder and pipeline, against the built module.</summary>
    public class CmdletTests
    {
        private static string Export(string relative) => Path.Combine(Paths.Exports, relative.Replace('/', Path.DirectorySeparatorChar));

        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        [Fact]
        public void ImportedRecordsArePSCustomObjectsWithTypeNames()
        {
            var r = Run("$r = Import-CrmRecord -Path $p; $r.Count; $r[0] -is [pscustomobject]; $r[0].PSObject.TypeNames[0]; $r[0].LastName; $r[0].lastname",
                ("p", Export("salesforce/trailheadapps_easy-spaces-lwc/Leads.json")));
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 11, true, "LeadTools.CrmRecord#Lead", "Patterfield", "Patterfield" }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void WhereObjectAndForEachObjectWorkOnRecords()
        {
            var r = Run("Import-CrmRecord $p | Where-Object Status -like 'Open*' | ForEach-Object { $_.Email }",
                ("p", Export("salesforce/trailheadapps_easy-spaces/Lead_Data.csv")));
            Assert.Empty(r.Errors);
            Assert.NotEmpty(r.Output);
            Assert.All(r.Output, o => Assert.Contains("@", (string)o.BaseObject));
        }

        [Fact]
        public void PathsBindByValueAndWildcards()
        {
            var folder = Export("salesforce/salesforcecli_plugin-data/commonChild");
            // Join-Path is not in the bare engine; the pattern is built in the script.
            var r = Run("($a, $b | Import-CrmRecord).Count; (Import-CrmRecord ($folder + '/C*.json')).Count",
                ("a", Path.Combine(folder, "Account.json")), ("b", Path.Combine(folder, "Task.json")), ("folder", folder));
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 4, 1 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void LiteralPathBindsByPropertyName()
        {
            var r = Run("([pscustomobject]@{ PSPath = $p }, [pscustomobject]@{ FullName = $p2 } | Import-CrmRecord).Count",
                ("p", Export("salesforce/trailheadapps_ecars/Leads.json")), ("p2", Export("salesforce/trailheadapps_ecars/Contacts.json")));
            Assert.Empty(r.Errors);
            Assert.Equal(3, r.Output.Single().BaseObject);
        }

        [Fact]
        public void BadInputGivesErrorRecordsWithIdsAndTheRestFlows()
        {
            var folder = Scratch();
            File.WriteAllText(Path.Combine(folder, "Lead.csv"), "Id,LastName\n00Q000000000001AAA,One\n00Q000000000002AAA,Two,extra\n00Q000000000003AAA,Three\n");
            var r = Run("Import-CrmRecord $good, $missing | ForEach-Object { $_.LastName }",
                ("good", Path.Combine(folder, "Lead.csv")), ("missing", Path.Combine(folder, "nope.json")));
            Assert.Equal(new object[] { "One", "Three" }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal(new[] { "RaggedRow,LeadTools.PowerShell.Commands.ImportCrmRecordCommand", "FileNotFound,LeadTools.PowerShell.Commands.ImportCrmRecordCommand" }, r.ErrorIds.ToArray());
            var ragged = r.Errors[0];
            Assert.Contains("Lead.csv: line 3, record 2", ragged.Exception.Message);
            Assert.Equal(ErrorCategory.InvalidData, ragged.CategoryInfo.Category);
        }

        [Fact]
        public void ExportTakesHashtablesAndPSCustomObjects()
        {
            var path = Path.Combine(Scratch(), "leads.json");
            var r = Run(@"
                @{ Id = '00Q000000000001AAA'; LastName = 'Hash' },
                [ordered]@{ Id = '00Q000000000002AAA'; LastName = 'Ordered'; Company = 'Acme' },
                [pscustomobject]@{ Id = '00Q000000000003AAA'; LastName = 'Custom'; Tags = @('a','b') } |
                    Export-CrmRecord -Path $p -ObjectType Lead -PassThru
                $back = Import-CrmRecord $p
                $back.Count; $back[1].Company; $back[2].Tags.Count; $back[2].PSObject.TypeNames[0]", ("p", path));
            Assert.Empty(r.Errors);
            var summary = r.Output[0].BaseObject;
            Assert.Equal("CrmExportResult", summary.GetType().Name);
            Assert.Equal(new object[] { 3, "Acme", 2, "LeadTools.CrmRecord#Lead" }, r.Output.Skip(1).Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ImportExportRoundTripKeepsFieldOrderAndValues()
        {
            var path = Path.Combine(Scratch(), "contacts.jsonl");
            var r = Run(@"
                $in = Import-CrmRecord $src
                $in | Export-CrmRecord $p
                $out = Import-CrmRecord $p
                for ($i = 0; $i -lt $in.Count; $i++) {
                    $a = @($in[$i].PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value })
                    $b = @($out[$i].PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value })
                    if (($a -join '|') -ne ($b -join '|')) { 'DIFF ' + $i }
                }
                $out.Count", ("src", Export("salesforce/trailheadapps_coral-cloud/data-Contact.json")), ("p", path));
            Assert.Empty(r.Errors);
            Assert.Equal(156, Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void WhatIfWritesNothing()
        {
            var folder = Scratch();
            var r = Run("Import-CrmRecord $src | Export-CrmRecord -Path $p -WhatIf", ("src", Export("salesforce/trailheadapps_ecars/Leads.json")), ("p", Path.Combine(folder, "out.csv")));
            Assert.Empty(r.Errors);
            Assert.Empty(Directory.GetFiles(folder));
        }

        [Fact]
        public void NoClobberRefusesWithAnErrorId()
        {
            var path = Path.Combine(Scratch(), "out.csv");
            File.WriteAllText(path, "keep");
            var r = Run("Import-CrmRecord $src | Export-CrmRecord -Path $p -NoClobber", ("src", Export("salesforce/trailheadapps_ecars/Leads.json")), ("p", path));
            // A cmdlet's terminating error ends its statement; the error is in the error stream.
            Assert.Equal("FileExists,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Equal("keep", File.ReadAllText(path));
        }

        [Fact]
        public void AFailingPipelineLeavesNoFileBehind()
        {
            var folder = Scratch();
            var r = Run("1..3 | ForEach-Object { if ($_ -eq 3) { throw 'source failed' }; [pscustomobject]@{ Id = '00Q00000000000' + $_ + 'AAA'; LastName = 'x' } } | Export-CrmRecord -Path $p -ObjectType Lead",
                ("p", Path.Combine(folder, "out.json")));
            Assert.NotNull(r.Exception);
            Assert.Empty(Directory.GetFiles(folder));
        }

        [Fact]
        public void FormulaLikeValuesWarnAndEscape()
        {
            var folder = Scratch();
            var r = Run("[pscustomobject]@{ Id = '00Q000000000001AAA'; LastName = '=HYPERLINK(\"http://evil\")' } | Export-CrmRecord -Path $p -ObjectType Lead; " +
                        "[pscustomobject]@{ Id = '00Q000000000001AAA'; LastName = '=1+1' } | Export-CrmRecord -Path $q -ObjectType Lead -EscapeFormula",
                ("p", Path.Combine(folder, "a.csv")), ("q", Path.Combine(folder, "b.csv")));
            Assert.Empty(r.Errors);
            Assert.Equal(2, r.Warnings.Count);
            Assert.Contains("-EscapeFormula", r.Warnings[0].Message);
            Assert.Contains("'=1+1", File.ReadAllText(Path.Combine(folder, "b.csv")));
        }

        [Fact]
        public void NonRecordInputIsAnErrorAndTheRestIsWrittenOnlyWithAllowPartial()
        {
            // Issue 13: an error during the run means the file would be incomplete: nothing is written unless asked.
            var path = Path.Combine(Scratch(), "out.json");
            var r = Run("'just text', @{ Id = '00Q000000000001AAA'; LastName = 'A' } | Export-CrmRecord -Path $p -ObjectType Lead", ("p", path));
            Assert.Equal(new[] { "InputNotRecord,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", "InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand" }, r.ErrorIds.ToArray());
            Assert.False(File.Exists(path));
            r = Run("'just text', @{ Id = '00Q000000000001AAA'; LastName = 'A' } | Export-CrmRecord -Path $p -ObjectType Lead -AllowPartial; (Import-CrmRecord $p).Count", ("p", path));
            Assert.Equal("InputNotRecord,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Equal(1, Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void BulkRouteConvertsWithoutObjects()
        {
            var path = Path.Combine(Scratch(), "accounts.csv");
            var r = Run("Export-CrmRecord -SourcePath $src -Path $p -Encoding utf8 -PassThru | ForEach-Object RecordCount", ("src", Export("salesforce/trailheadapps_coral-cloud/data-Contact-large.json")), ("p", path));
            Assert.Empty(r.Errors);
            Assert.Equal(992L, Assert.Single(r.Output).BaseObject);
            var lines = File.ReadAllLines(path);
            Assert.Equal(993, lines.Length);
            Assert.Contains("LastName", lines[0].Split(','));
            Assert.DoesNotContain("attributes", lines[0]);
        }

        [Fact]
        public void EncodingParameterReadsWindows1252()
        {
            var r = Run("(Import-CrmRecord $p -Encoding windows1252).Count", ("p", Export("salesforce/forcedotcom_dataloader/accountData.csv")));
            Assert.Empty(r.Errors);
            Assert.Equal(423, Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void EveryCmdletDeclaresOutputTypeAndLiteralPath()
        {
            var r = Run("Get-Command -Module LeadTools | ForEach-Object { $_.Name + ':' + $_.OutputType.Count + ':' + $_.Parameters.ContainsKey('LiteralPath') }");
            Assert.Empty(r.Errors);
            Assert.NotEmpty(r.Output);
            Assert.All(r.Output, o => Assert.DoesNotContain(":0:", (string)o.BaseObject));
            Assert.Contains("Import-CrmRecord:2:True", r.Output.Select(o => (string)o.BaseObject)); // PSObject, or CompactCrmRecord with -Compact
            Assert.Contains("Export-CrmRecord:1:True", r.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void UnknownEncodingIsRefusedUpFront()
        {
            var r = Run("Import-CrmRecord $p -Encoding klingon", ("p", Export("salesforce/trailheadapps_ecars/Leads.json")));
            Assert.Equal("UnknownEncoding,LeadTools.PowerShell.Commands.ImportCrmRecordCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Empty(r.Output);
        }
    }
}
