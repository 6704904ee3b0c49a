using System;
using System.IO;
using System.Linq;
using System.Text;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Issue 13, "Import: every wrong file gets an error", through Import-CrmRecord: ErrorIds, and the other files still flow.</summary>
    public class ImportWrongFileTests
    {
        private const string Lead = "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}";
        private const string Lead2 = "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\"LastName\":\"Two\"}";

        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        [Fact]
        public void ALockedFileIsFileLockedAndTheNextFileIsRead()
        {
            // "A locked file is reported as FileNotFound: give it its own ErrorId." / "error per file, the rest flows"
            var folder = Scratch();
            var a = Path.Combine(folder, "a.json");
            var b = Path.Combine(folder, "b.json");
            File.WriteAllText(a, "[" + Lead + "]");
            File.WriteAllText(b, "[" + Lead2 + "]");
            using (new FileStream(a, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var r = Run("Import-CrmRecord -Path $a, $b | ForEach-Object Id", ("a", a), ("b", b));
                Assert.Equal("FileLocked,LeadTools.PowerShell.Commands.ImportCrmRecordCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
                Assert.Contains("a.json", r.Errors[0].Exception.Message);
                Assert.Equal(new object[] { "00Q000000000002AAA" }, r.Output.Select(o => o.BaseObject).ToArray());
            }
        }

        [Fact]
        public void WrongFilesGetTheirErrorIdsAndTheGoodOneIsRead()
        {
            var folder = Scratch();
            var zeros = Path.Combine(folder, "Lead.csv");
            File.WriteAllBytes(zeros, new byte[8192]);
            var scalar = Path.Combine(folder, "scalar.json");
            File.WriteAllText(scalar, "42");
            var dup = Path.Combine(folder, "dup.json");
            File.WriteAllText(dup, "[{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000003AAA\",\"LastName\":\"A\",\"lastname\":\"B\"}]");
            var wide = Path.Combine(folder, "wide.json");
            File.WriteAllBytes(wide, new UnicodeEncoding(false, false).GetBytes("[" + Lead2 + "]"));
            var r = Run("Import-CrmRecord -LiteralPath $files | ForEach-Object Id", ("files", new[] { zeros, scalar, dup, wide }));
            Assert.Equal(new[]
            {
                "BinaryContent,LeadTools.PowerShell.Commands.ImportCrmRecordCommand",
                "UnrecognisedFormat,LeadTools.PowerShell.Commands.ImportCrmRecordCommand",
                "DuplicateField,LeadTools.PowerShell.Commands.ImportCrmRecordCommand",
            }, r.ErrorIds.ToArray());
            Assert.Equal(new object[] { "00Q000000000002AAA" }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ACsvCutShortIsAWarningNamingTheLine()
        {
            var path = Path.Combine(Scratch(), "Lead.csv");
            File.WriteAllText(path, "Id,LastName\r\n00Q000000000001AAA,One\r\n00Q000000000002AAA,Tw");
            var r = Run("(Import-CrmRecord $p).Count", ("p", path));
            Assert.Empty(r.Errors);
            Assert.Equal(2, Assert.Single(r.Output).BaseObject);
            Assert.Contains("line 3", Assert.Single(r.Warnings).Message);
        }
    }
}
