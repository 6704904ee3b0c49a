using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Issue 13, "Export must never replace good data with nothing": "If the input failed (error records during the
    /// run) the existing target must stay, unless the user asks for a partial write."
    /// </summary>
    public class ExportSafetyTests
    {
        private const string Good = "Id,LastName\r\n00Q000000000009AAA,Good\r\n";
        private const string Lead = "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}";

        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private static (string Folder, string Target) WithGoodTarget()
        {
            var folder = Scratch();
            var target = Path.Combine(folder, "Lead.csv");
            File.WriteAllText(target, Good);
            return (folder, target);
        }

        private static void AssertOnlyTheGoodFile(string folder, string target)
        {
            Assert.Equal(Good, File.ReadAllText(target));
            Assert.Equal(new[] { target }, Directory.GetFiles(folder)); // no temporary file left either
        }

        [Fact]
        public void SourcePathTypoKeepsTheExistingFile()
        {
            // "Export-CrmRecord -SourcePath typo.json -Path Lead.csv turns an existing good file into a 2-byte file"
            var (folder, target) = WithGoodTarget();
            var r = Run("Export-CrmRecord -SourcePath $src -Path $p", ("src", Path.Combine(folder, "typo.json")), ("p", target));
            Assert.Contains("FileNotFound,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            Assert.Contains("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            AssertOnlyTheGoodFile(folder, target);
        }

        [Fact]
        public void FailingUpstreamImportKeepsTheExistingFile()
        {
            // "Import-CrmRecord typo.json | Export-CrmRecord existing.csv ... do the same"
            var (folder, target) = WithGoodTarget();
            var r = Run("Import-CrmRecord $src | Export-CrmRecord $p", ("src", Path.Combine(folder, "typo.json")), ("p", target));
            Assert.Contains("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            AssertOnlyTheGoodFile(folder, target);
        }

        [Fact]
        public void TruncatedInputKeepsTheExistingFileAndAllowPartialWritesWhatWasRead()
        {
            // "... and truncated input do the same"
            var (folder, target) = WithGoodTarget();
            var cut = Path.Combine(Scratch(), "cut.json");
            File.WriteAllText(cut, "[\n" + Lead + ",\n{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q0000");
            var r = Run("Import-CrmRecord $src | Export-CrmRecord $p", ("src", cut), ("p", target));
            Assert.Contains("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            AssertOnlyTheGoodFile(folder, target);

            r = Run("Export-CrmRecord -SourcePath $src -Path $p", ("src", cut), ("p", target));
            Assert.Contains("TruncatedJson,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            Assert.Contains("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            AssertOnlyTheGoodFile(folder, target);

            // "unless the user asks for a partial write"
            r = Run("Import-CrmRecord $src | Export-CrmRecord $p -AllowPartial -PassThru | ForEach-Object RecordCount", ("src", cut), ("p", target));
            Assert.DoesNotContain("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            Assert.Equal(1L, Assert.Single(r.Output).BaseObject);
            Assert.Contains("00Q000000000001AAA", File.ReadAllText(target));
        }

        [Fact]
        public void AFailedRunCreatesNoNewFile()
        {
            var folder = Scratch();
            var target = Path.Combine(folder, "Lead.json");
            var r = Run("Export-CrmRecord -SourcePath $src -Path $p", ("src", Path.Combine(folder, "typo.csv")), ("p", target));
            Assert.Contains("InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand", r.ErrorIds);
            Assert.Empty(Directory.GetFiles(folder));
        }

        [Fact]
        public void NoRecordsAtAllKeepTheExistingFileWithAWarning()
        {
            // "Export must never replace good data with nothing": an empty pipeline is not a reason to empty the file.
            var (folder, target) = WithGoodTarget();
            var empty = Path.Combine(Scratch(), "Lead.json");
            File.WriteAllText(empty, "[]");
            var r = Run("@() | Export-CrmRecord $p; Export-CrmRecord -SourcePath $src -Path $p", ("src", empty), ("p", target));
            Assert.Empty(r.Errors);
            Assert.Equal(2, r.Warnings.Count);
            Assert.All(r.Warnings, w => Assert.Contains("-AllowPartial", w.Message));
            AssertOnlyTheGoodFile(folder, target);

            // Asked for: the file is emptied.
            r = Run("@() | Export-CrmRecord $p -AllowPartial", ("p", target));
            Assert.Empty(r.Errors);
            Assert.NotEqual(Good, File.ReadAllText(target));
        }

        [Fact]
        public void ACleanRunStillReplacesTheFile()
        {
            var (_, target) = WithGoodTarget();
            var src = Path.Combine(Scratch(), "Lead.json");
            File.WriteAllText(src, "[" + Lead + "]");
            var r = Run("Import-CrmRecord $src | Export-CrmRecord $p", ("src", src), ("p", target));
            Assert.Empty(r.Errors);
            Assert.Contains("00Q000000000001AAA", File.ReadAllText(target));
        }

        [Fact]
        public void ErrorsBeforeThePipelineDoNotCount()
        {
            // Only errors during this Export-CrmRecord's own pipeline stop it: an earlier, unrelated failure does not.
            var (_, target) = WithGoodTarget();
            var src = Path.Combine(Scratch(), "Lead.json");
            File.WriteAllText(src, "[" + Lead + "]");
            var r = Run("Import-CrmRecord nope.json; Import-CrmRecord $src | Export-CrmRecord $p", ("src", src), ("p", target));
            Assert.Equal(new[] { "FileNotFound,LeadTools.PowerShell.Commands.ImportCrmRecordCommand" }, r.ErrorIds.ToArray());
            Assert.Contains("00Q000000000001AAA", File.ReadAllText(target));
        }
    }
}
