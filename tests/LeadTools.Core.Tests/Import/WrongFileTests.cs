using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;

namespace LeadTools.Core.Tests.Import
{
    /// <summary>
    /// Issue 13, "Import: every wrong file gets an error". Each test quotes the issue's sentence it reproduces.
    /// </summary>
    public class WrongFileTests
    {
        private const string Lead = "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}";
        private const string Csv = "Id,LastName\r\n00Q000000000001AAA,Müller\r\n00Q000000000002AAA,Dupont\r\n";

        private static string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(TestData.Scratch(), name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private static string LeadLine(int i) => $"{{\"attributes\":{{\"type\":\"Lead\"}},\"Id\":\"00Q{i:D12}AAA\",\"LastName\":\"Name {i}\"}}";

        // ------------------------------------------------------------------ UTF-16 / UTF-32 without a byte-order mark

        public static IEnumerable<object[]> WideEncodings() => new[]
        {
            new object[] { "utf16le" }, new object[] { "utf16be" }, new object[] { "utf32le" }, new object[] { "utf32be" },
        };

        private static Encoding Wide(string name) => name switch
        {
            "utf16le" => new UnicodeEncoding(false, false),
            "utf16be" => new UnicodeEncoding(true, false),
            "utf32le" => new UTF32Encoding(false, false),
            _ => new UTF32Encoding(true, false),
        };

        [Theory]
        [MemberData(nameof(WideEncodings))]
        public void WideTextWithoutAByteOrderMarkIsDetectedAndRead(string encoding)
        {
            // "UTF-16 without a BOM: ASCII content is read as one record with NUL-interleaved names and no error ...
            //  Detect UTF-16/32 by NUL patterns and read it, or refuse with the right advice."
            var csv = Write("Lead.csv", Wide(encoding).GetBytes(Csv));
            var (records, issues) = TestData.Read(csv);
            Assert.Empty(issues);
            Assert.Equal(new[] { "Müller", "Dupont" }, records.Select(r => (string)r["LastName"]!).ToArray());
            Assert.Equal("Id", records[0].NameAt(0));

            var json = Write("leads.json", Wide(encoding).GetBytes("[" + Lead + "]"));
            (records, issues) = TestData.Read(json);
            Assert.Empty(issues);
            Assert.Equal("One", Assert.Single(records)["LastName"]);
        }

        [Fact]
        public void WideTextReadWithAnEightBitEncodingIsRefusedWithTheRightAdvice()
        {
            // "the advice for UTF-16 with accents (-Encoding windows1252) produces garbage"
            var csv = Write("Lead.csv", new UnicodeEncoding(false, false).GetBytes(Csv));
            var (records, issues) = TestData.Read(csv, new ImportOptions { Encoding = Text.Windows1252Encoding.Instance });
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Contains("UTF-16", issue.Message);
            Assert.Contains("-Encoding utf16", issue.Message);
            Assert.DoesNotContain("pass -Encoding windows1252", issue.Message);
        }

        // ------------------------------------------------------------------ binary content, NUL bytes, size cap

        [Fact]
        public void AFileOfNulBytesIsRefused()
        {
            // "A file of NUL bytes (or any binary file) gives 0 records and no error"
            var path = Write("Lead.csv", new byte[10000]);
            var (records, issues) = TestData.Read(path);
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.BinaryContent, issue.Kind);
            Assert.Contains("NUL", issue.Message);
        }

        [Fact]
        public void ABinaryFileIsRefused()
        {
            var random = new Random(7);
            var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D }.Concat(Enumerable.Range(0, 5000).Select(_ => (byte)random.Next(256))).ToArray();
            var (records, issues) = TestData.Read(Write("Lead.json", bytes));
            Assert.Empty(records);
            Assert.Equal(RecordIssueKind.BinaryContent, Assert.Single(issues).Kind);
        }

        [Fact]
        public void DevZeroIsRefusedAtOnce()
        {
            // "/dev/zero grows memory without limit"
            if (!File.Exists("/dev/zero")) return; // Windows has no /dev/zero; the NUL tests above cover it there.
            var before = GC.GetTotalMemory(false);
            var (records, issues) = TestData.Read("/dev/zero");
            Assert.Empty(records);
            Assert.Equal(RecordIssueKind.BinaryContent, Assert.Single(issues).Kind);
        }

        [Fact]
        public void TextWithAZeroFilledTailKeepsTheRecordsBeforeIt()
        {
            // A file cut by a crash on some file systems ends in zeros: the records before them are kept, the zeros named.
            var text = Encoding.UTF8.GetBytes(Csv + "00Q000000000003AAA,Trois\r\n00Q000000000004AAA,Qu");
            var (records, issues) = TestData.Read(Write("Lead.csv", text.Concat(new byte[70000]).ToArray()));
            Assert.Equal(3, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.BinaryContent, issue.Kind);
            Assert.Equal(5, issue.Line);
        }

        [Fact]
        public void AnEndlessCsvFieldIsCutOffAtTheDocumentedCap()
        {
            // "cap a header/token at a documented size"
            var options = new ImportOptions { MaxValueLength = 1000 };
            var csv = Csv + "00Q000000000003AAA,\"" + new string('x', 200000) + "\"\r\n";
            var (records, issues) = TestData.ReadText("Lead.csv", csv, options);
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.ValueTooLong, issue.Kind);
            Assert.Equal(4, issue.Line);
            Assert.Contains("1000", issue.Message);

            (records, issues) = TestData.ReadText("Lead.csv", new string('h', 5000) + "\n1\n", options);
            Assert.Empty(records);
            Assert.Equal(RecordIssueKind.ValueTooLong, Assert.Single(issues).Kind);
        }

        [Fact]
        public void AnEndlessJsonValueIsCutOffAtTheDocumentedCap()
        {
            var options = new ImportOptions { MaxValueLength = 1000 };
            // Escaped quotes inside the value do not end it.
            var json = "[" + Lead + ",\n{\"Id\":\"00Q000000000002AAA\",\"LastName\":\"" + string.Concat(Enumerable.Repeat("abc\\\"def", 20000)) + "\"}]";
            var (records, issues) = TestData.ReadText("leads.json", json, options);
            Assert.Single(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.ValueTooLong, issue.Kind);
            Assert.Equal(2, issue.Line);

            var lines = Lead + "\n" + "{\"Id\":\"" + new string('9', 5000) + "\"}\n";
            (records, issues) = TestData.ReadText("leads.jsonl", lines, options);
            Assert.Single(records);
            issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.ValueTooLong, issue.Kind);
            Assert.Equal(2, issue.Line);
        }

        [Fact]
        public void TheCapIsLargeByDefault()
        {
            Assert.Equal(64 * 1024 * 1024, new ImportOptions().MaxValueLength);
            var (records, issues) = TestData.ReadText("leads.json", "[{\"Id\":\"00Q000000000002AAA\",\"Description\":\"" + new string('d', 300000) + "\"}]");
            Assert.Empty(issues);
            Assert.Equal(300000, ((string)records[0]["Description"]!).Length);
        }

        // ------------------------------------------------------------------ JSON that is not records

        [Theory]
        [InlineData("42", "a number")]
        [InlineData("\"x\"", "a string")]
        [InlineData("null", "null")]
        [InlineData("true", "a boolean")]
        [InlineData("  -1.5e3  \n", "a number")]
        public void AJsonScalarIsRefused(string content, string what)
        {
            // "A JSON scalar (`42`, `"x"`, `null`) is read as a header-only CSV with no error"
            var (records, issues) = TestData.ReadText("Lead.json", content);
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.UnrecognisedFormat, issue.Kind);
            Assert.Contains(what, issue.Message);
        }

        [Theory]
        [InlineData("Lead.json", "{}")]
        [InlineData("Lead.json", "{\n}\n")]
        [InlineData("Lead.jsonl", "{}\n")]
        [InlineData("Lead.json", "[{}]")]
        public void AnEmptyObjectIsNotARecord(string name, string content)
        {
            // "`{}` gives an empty record"
            var (records, issues) = TestData.ReadText(name, content);
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Contains("no fields", issue.Message);
        }

        // ------------------------------------------------------------------ one invalid byte

        [Fact]
        public void OneInvalidByteKeepsEveryCsvRowBeforeIt()
        {
            // "One invalid UTF-8 byte drops up to 64 KB of good records before it (0 of 1,499 CSV rows ...)"
            var sb = new StringBuilder("Id,LastName\n");
            for (var i = 1; i <= 1499; i++) sb.Append($"00Q{i:D12}AAA,Name {i}\n");
            var bytes = Encoding.UTF8.GetBytes(sb.ToString()).Concat(Encoding.ASCII.GetBytes("00Q000000001500AAA,M")).Concat(new byte[] { 0xFC }).Concat(Encoding.ASCII.GetBytes("ller\n00Q000000001501AAA,After\n")).ToArray();
            var (records, issues) = TestData.Read(Write("Lead.csv", bytes));
            Assert.Equal(1499, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(1501, issue.Line);
            Assert.Contains("0xFC", issue.Message);
            Assert.Contains("1499 record(s)", issue.Message);
        }

        [Fact]
        public void OneInvalidByteKeepsEveryJsonLineBeforeIt()
        {
            // "... 349 of 499 JSONL lines"
            var sb = new StringBuilder();
            for (var i = 1; i <= 499; i++) sb.Append(LeadLine(i)).Append('\n');
            var bytes = Encoding.UTF8.GetBytes(sb.ToString()).Concat(new byte[] { (byte)'{', 0xE9, (byte)'}', (byte)'\n' }).Concat(Encoding.UTF8.GetBytes(LeadLine(501) + "\n")).ToArray();
            var (records, issues) = TestData.Read(Write("leads.jsonl", bytes));
            Assert.Equal(499, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(500, issue.Line);
        }

        [Fact]
        public void OneInvalidByteKeepsEveryJsonRecordBeforeIt()
        {
            var sb = new StringBuilder("[\n");
            for (var i = 1; i <= 999; i++) sb.Append(LeadLine(i)).Append(",\n");
            var bytes = Encoding.UTF8.GetBytes(sb.ToString()).Concat(Encoding.ASCII.GetBytes("{\"Id\":\"00Q000000001000AAA\",\"LastName\":\"M")).Concat(new byte[] { 0xFC }).Concat(Encoding.ASCII.GetBytes("ller\"}\n]")).ToArray();
            var (records, issues) = TestData.Read(Write("leads.json", bytes));
            Assert.Equal(999, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(1001, issue.Line);
        }

        [Fact]
        public void AnInvalidByteAfterAUtf8ByteOrderMarkIsStillReported()
        {
            // With a byte-order mark the reader must not fall back to a lenient decoder that turns the byte into U+FFFD.
            var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes("Id,LastName\n00Q000000000001AAA,M")).Concat(new byte[] { 0xFC }).Concat(Encoding.ASCII.GetBytes("ller\n")).ToArray();
            var (records, issues) = TestData.Read(Write("Lead.csv", bytes));
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(2, issue.Line);
        }

        // ------------------------------------------------------------------ CSV cut short

        [Fact]
        public void ACsvCutInsideItsLastFieldIsReported()
        {
            // "A CSV cut inside its last field is accepted silently ... must be reported (at least a warning naming the line)"
            var (records, issues) = TestData.ReadText("Lead.csv", "Id,LastName\r\n00Q000000000001AAA,Müller\r\n00Q000000000002AAA,Dup");
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.True(issue.IsWarning);
            Assert.Equal(RecordIssueKind.TruncatedCsv, issue.Kind);
            Assert.Equal(3, issue.Line);
            Assert.Equal(2, issue.RecordNumber);
        }

        [Fact]
        public void ACsvEndingWithALineEndGivesNoWarning()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", Csv);
            Assert.Equal(2, records.Count);
            Assert.Empty(issues);
        }

        [Fact]
        public void AnOpenQuoteAtTheEndIsAnErrorNamingTheLine()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", Csv + "00Q000000000003AAA,\"Dup\r\nont");
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.MalformedCsv, issue.Kind);
            Assert.Equal(4, issue.Line);
            Assert.Equal(3, issue.RecordNumber);
        }

        // ------------------------------------------------------------------ duplicate keys

        [Theory]
        [InlineData("{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\"LastName\":\"A\",\"Id\":\"00Q000000000003AAA\"}", "'Id'")]
        [InlineData("{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\"LastName\":\"A\",\"lastname\":\"B\"}", "'LastName' and 'lastname'")]
        public void DuplicateKeysInOneObjectSkipTheRecord(string bad, string named)
        {
            // "Duplicate keys in one JSON object (`Id` twice, `LastName` and `lastname`) silently overwrite: error
            //  DuplicateField naming record and keys, the record skipped."
            foreach (var (name, content) in new[]
            {
                ("leads.json", "[" + Lead + ",\n" + bad + ",\n" + LeadLine(4) + "]"),
                ("leads.jsonl", Lead + "\n" + bad + "\n" + LeadLine(4) + "\n"),
                ("rest.json", "{\"totalSize\":3,\"done\":true,\"records\":[" + Lead + ",\n" + bad + ",\n" + LeadLine(4) + "]}"),
            })
            {
                var (records, issues) = TestData.ReadText(name, content);
                Assert.Equal(new[] { "00Q000000000001AAA", "00Q000000000004AAA" }, records.Select(r => r.Id).ToArray());
                var issue = Assert.Single(issues);
                Assert.Equal(RecordIssueKind.DuplicateField, issue.Kind);
                Assert.Equal(2, issue.RecordNumber);
                Assert.Equal(2, issue.Line);
                Assert.Contains(named, issue.Message);
            }
        }

        // ------------------------------------------------------------------ unreadable and locked files

        [Fact]
        public void AnUnreadableFileIsAnErrorAndTheNextFileIsRead()
        {
            // "An unreadable file (permissions) ends the whole call with a raw UnauthorizedAccessException and later
            //  files are never read: error per file, the rest flows." (Injected: the tests may run as root.)
            var folder = TestData.Scratch();
            var locked = Path.Combine(folder, "a.json");
            var open = Path.Combine(folder, "b.json");
            File.WriteAllText(locked, "[" + Lead + "]");
            File.WriteAllText(open, "[" + LeadLine(2) + "]");
            var issues = new List<RecordIssue>();
            var reader = new RecordReader(new ImportOptions(), issues.Add)
            {
                OpenFile = p => p == locked ? throw new UnauthorizedAccessException($"Access to the path '{p}' is denied.") : RecordReader.DefaultOpen(p),
            };
            var records = reader.ReadFiles(new[] { locked, open }).ToList();
            Assert.Equal("00Q000000000002AAA", Assert.Single(records).Id);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.FileUnreadable, issue.Kind);
            Assert.Equal(locked, issue.File);
            Assert.Contains("denied", issue.Message);
        }

        [Fact]
        public void ALockedFileHasItsOwnKind()
        {
            // "A locked file is reported as FileNotFound: give it its own ErrorId."
            var folder = TestData.Scratch();
            var locked = Path.Combine(folder, "a.json");
            var open = Path.Combine(folder, "b.json");
            File.WriteAllText(locked, "[" + Lead + "]");
            File.WriteAllText(open, "[" + LeadLine(2) + "]");
            using (new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var issues = new List<RecordIssue>();
                var records = new RecordReader(new ImportOptions(), issues.Add).ReadFiles(new[] { locked, open }).ToList();
                Assert.Equal("00Q000000000002AAA", Assert.Single(records).Id);
                var issue = Assert.Single(issues);
                Assert.Equal(RecordIssueKind.FileLocked, issue.Kind);
                Assert.Equal(locked, issue.File);
            }
        }

        // ------------------------------------------------------------------ message details

        [Fact]
        public void ACutInsideARecordNamesThatRecord()
        {
            // "record number one too high for a cut inside a record"
            var (_, issues) = TestData.ReadText("leads.json", "[\n" + Lead + ",\n{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q0000");
            Assert.Equal(2, Assert.Single(issues).RecordNumber);
            (_, issues) = TestData.ReadText("leads.json", "[\n" + Lead + ",\n");
            Assert.Equal(2, Assert.Single(issues).RecordNumber); // cut between records: the record that never came
        }

        [Fact]
        public void MalformedJsonMessagesCarryNoRawControlCharacters()
        {
            // "a raw NUL in a MalformedJson message"
            var (_, issues) = TestData.ReadText("leads.json", "[\n" + Lead + ",\n\u0001\u0002]");
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.MalformedJson, issue.Kind);
            Assert.DoesNotContain(issue.Message, c => c < ' ');
            Assert.Contains("U+0001", issue.Message);
        }

        [Fact]
        public void JsonLinesProblemsNameTheirOwnLine()
        {
            // "wrong line numbers for JSONL WrongValueType/NestingTooDeep"
            var deep = "{\"Id\":\"00Q000000000003AAA\",\"X\":" + new string('[', 100) + new string(']', 100) + "}";
            var (records, issues) = TestData.ReadText("leads.jsonl", Lead + "\n\n42\n" + deep + "\n" + LeadLine(5) + "\n");
            Assert.Equal(2, records.Count);
            Assert.Equal(2, issues.Count);
            Assert.Equal(RecordIssueKind.WrongValueType, issues[0].Kind);
            Assert.Equal(3, issues[0].Line);
            Assert.Equal(RecordIssueKind.NestingTooDeep, issues[1].Kind);
            Assert.Equal(4, issues[1].Line);
        }

        [Fact]
        public void DuplicateIdNamesTheFirstFileByItsPath()
        {
            // "DuplicateId names only the file name (give the path)"
            var a = Path.Combine(TestData.Scratch(), "leads.json");
            var b = Path.Combine(TestData.Scratch(), "leads.json");
            File.WriteAllText(a, "[" + Lead + "]");
            File.WriteAllText(b, "[" + Lead + "]");
            var issues = new List<RecordIssue>();
            new RecordReader(new ImportOptions(), issues.Add).ReadFiles(new[] { a, b }).ToList();
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.DuplicateId, issue.Kind);
            Assert.Contains(a + " record 1", issue.Message);
        }
    }
}
