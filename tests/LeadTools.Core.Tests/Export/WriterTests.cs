using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Export
{
    public class WriterTests
    {
        private static CrmRecord Lead(string id, params (string Name, object? Value)[] fields)
        {
            var r = new CrmRecord("Lead");
            r.Add("Id", id);
            foreach (var (n, v) in fields) r.Add(n, v);
            return r;
        }

        [Fact]
        public void AnUncompletedWriteLeavesTheOldFileAndNoTemporaryFile()
        {
            var folder = TestData.Scratch();
            var path = Path.Combine(folder, "leads.json");
            File.WriteAllText(path, "old content");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q1", ("LastName", "A")));
                // no Complete: the pipeline failed or was stopped
            }
            Assert.Equal("old content", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void CompletingReplacesTheFile()
        {
            var folder = TestData.Scratch();
            var path = Path.Combine(folder, "leads.json");
            File.WriteAllText(path, "old content");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q1", ("LastName", "A")));
                writer.Complete();
            }
            Assert.StartsWith("[", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void NoClobberRefusesAnExistingFile()
        {
            var path = Path.Combine(TestData.Scratch(), "leads.csv");
            File.WriteAllText(path, "keep");
            Assert.Throws<IOException>(() => RecordWriter.Create(path, new ExportOptions { ExistingFile = ExistingFile.Fail }));
            Assert.Equal("keep", File.ReadAllText(path));
        }

        [Fact]
        public void CsvWritesNullAsNaAndMissingAsEmptyAndPadsLateColumns()
        {
            var path = Path.Combine(TestData.Scratch(), "leads.csv");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q1", ("LastName", "A"), ("Email", null)));
                writer.Write(Lead("00Q2", ("LastName", "B, \"Jr\""), ("Phone", "555")));
                writer.Complete();
            }
            var lines = File.ReadAllLines(path);
            Assert.Equal("Id,LastName,Email,Phone", lines[0]);
            Assert.Equal("00Q1,A,#N/A,", lines[1]);
            Assert.Equal("00Q2,\"B, \"\"Jr\"\"\",,555", lines[2]);
            var (back, issues) = TestData.Read(path);
            Assert.Empty(issues);
            Assert.Null(back[0]["Email"]);
            Assert.Equal("B, \"Jr\"", back[1]["LastName"]);
        }

        [Fact]
        public void CsvDateTimesAreUtcIso()
        {
            var path = Path.Combine(TestData.Scratch(), "leads.csv");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q1",
                    ("CreatedDate", "2011-07-07T00:37:00.000+0200"),
                    ("Stamp", "2019-12-02T04:45:17-06:00"),
                    ("Date", "2010-01-01"),
                    ("Obj", new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc))));
                writer.Complete();
            }
            Assert.Equal("00Q1,2011-07-06T22:37:00.000Z,2019-12-02T10:45:17.000Z,2010-01-01,2020-05-06T07:08:09.000Z", File.ReadAllLines(path)[1]);
        }

        [Fact]
        public void CsvFlattensRelationshipsLikeDataLoader()
        {
            var path = Path.Combine(TestData.Scratch(), "contacts.csv");
            var c = new CrmRecord("Contact");
            c.Add("attributes", JObject.Parse("{\"type\":\"Contact\"}"));
            c.Add("Id", "0031");
            c.Add("Account", JObject.Parse("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Acme\"}"));
            c.Add("Tags", JArray.Parse("[\"a\",\"b\"]"));
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(c);
                writer.Complete();
            }
            var lines = File.ReadAllLines(path);
            Assert.Equal("Id,Account.Name,Tags", lines[0]);
            Assert.Equal("0031,Acme,\"[\"\"a\"\",\"\"b\"\"]\"", lines[1]);
        }

        [Theory]
        [InlineData("=HYPERLINK(\"http://x\")", true)]
        [InlineData("@SUM(A1)", true)]
        [InlineData("+cmd|' /C calc'!A0", true)]
        [InlineData("-2+3+cmd|' /C calc'!A0", true)]
        [InlineData("\tTab", true)]
        [InlineData("+1 (408) 505-1578", false)]
        [InlineData("-12.50", false)]
        [InlineData("plain", false)]
        [InlineData("", false)]
        // Issue 13: "`+1-1`, `-2-3` are not safe numbers for Excel" (Excel shows 0 and -5).
        [InlineData("+1-1", true)]
        [InlineData("-2-3", true)]
        [InlineData("+1-408-555-0100", true)]
        [InlineData("+1 -1", true)]
        [InlineData("-(1)", true)]
        [InlineData("+1/2", true)]
        [InlineData("--5", true)]
        [InlineData("+2*3", true)]
        [InlineData("- call back Tuesday", true)]
        [InlineData("+44 20 7946 0958", false)]
        [InlineData("-1,234.50", false)]
        [InlineData("+12", false)]
        [InlineData("-", false)]
        public void FormulaLikeValues(string value, bool formula) => Assert.Equal(formula, FormulaGuard.IsFormulaLike(value));

        [Fact]
        public void FormulasAreReportedAndEscapedOnRequest()
        {
            foreach (var escape in new[] { false, true })
            {
                var path = Path.Combine(TestData.Scratch(), "leads.csv");
                using var writer = RecordWriter.Create(path, new ExportOptions { EscapeFormula = escape });
                writer.Write(Lead("00Q1", ("LastName", "=1+1"), ("Phone", "+1 555 0100")));
                writer.Complete();
                Assert.Equal(1, writer.Formulas.Count);
                Assert.Equal("LastName", writer.Formulas.Findings[0].Field);
                Assert.Equal("00Q1", writer.Formulas.Findings[0].Id);
                Assert.Equal(escape ? "00Q1,'=1+1,+1 555 0100" : "00Q1,=1+1,+1 555 0100", File.ReadAllLines(path)[1]);
            }
        }

        [Fact]
        public void HeaderCellsAreCheckedToo()
        {
            // Issue 13: "header cells must be checked too".
            foreach (var escape in new[] { false, true })
            {
                var path = Path.Combine(TestData.Scratch(), "leads.csv");
                using var writer = RecordWriter.Create(path, new ExportOptions { EscapeFormula = escape });
                writer.Write(Lead("00Q1", ("=HYPERLINK(\"http://evil\")", "x")));
                writer.Write(Lead("00Q2", ("=HYPERLINK(\"http://evil\")", "y"), ("@cmd", "z"))); // a later column: the header is rewritten
                writer.Complete();
                Assert.Equal(2, writer.Formulas.Count);
                Assert.All(writer.Formulas.Findings, f => Assert.Equal(FormulaGuard.HeaderField, f.Field));
                Assert.Contains("header cell", writer.Formulas.Findings[0].ToString());
                var header = File.ReadAllLines(path)[0];
                Assert.Equal(escape ? "Id,\"'=HYPERLINK(\"\"http://evil\"\")\",'@cmd" : "Id,\"=HYPERLINK(\"\"http://evil\"\")\",@cmd", header);
            }
        }

        [Fact]
        public void DataLoaderFilesKeepValuesUnchanged()
        {
            // Issue 13: "files meant for Data Loader (never escape, warn only)": "- call back Tuesday" must reach Salesforce as it is.
            var path = Path.Combine(TestData.Scratch(), "Lead.csv");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q000000000001AAA", ("Description", "- call back Tuesday"), ("Phone", "+1-408-555-0100")));
                writer.Complete();
                Assert.Equal(2, writer.Formulas.Count);
            }
            var (records, issues) = TestData.Read(path);
            Assert.Equal("- call back Tuesday", records[0]["Description"]);
            Assert.Equal("+1-408-555-0100", records[0]["Phone"]);
            Assert.Empty(issues);
        }

        [Fact]
        public void ASpreadsheetCopyReadBackWarnsAboutTheApostrophes()
        {
            // Issue 13: "With -EscapeFormula the apostrophe stays on re-import": the values are kept as they are in the
            // file (LeadTools does not guess), and reading such a file says it was written for a spreadsheet.
            var path = Path.Combine(TestData.Scratch(), "Lead.csv");
            using (var writer = RecordWriter.Create(path, new ExportOptions { EscapeFormula = true }))
            {
                writer.Write(Lead("00Q000000000001AAA", ("Description", "- call back Tuesday")));
                writer.Write(Lead("00Q000000000002AAA", ("Description", "=1+1")));
                writer.Complete();
            }
            var (records, issues) = TestData.Read(path);
            Assert.Equal("'- call back Tuesday", records[0]["Description"]);
            var warning = Assert.Single(issues);
            Assert.True(warning.IsWarning);
            Assert.Equal(RecordIssueKind.SpreadsheetEscapedValues, warning.Kind);
            Assert.Equal(2, warning.Line); // the first one
            Assert.Contains("2 value(s)", warning.Message);
            Assert.Contains("Data Loader", warning.Message);
        }

        [Fact]
        public void RestShapeReadsBackWithCountAndTypes()
        {
            var path = Path.Combine(TestData.Scratch(), "out.json");
            using (var writer = RecordWriter.Create(path, new ExportOptions { Format = RecordFormat.SalesforceRest }))
            {
                writer.Write(Lead("00Q1", ("LastName", "A")));
                writer.Write(Lead("00Q2", ("LastName", "B")));
                writer.Complete();
            }
            var json = JObject.Parse(File.ReadAllText(path));
            Assert.Equal(2, (int)json["totalSize"]!);
            Assert.True((bool)json["done"]!);
            Assert.Equal("Lead", (string)json["records"]![0]!["attributes"]!["type"]!);
        }

        [Fact]
        public void TreeExportWritesReferencesAndAPlanForSeveralTypes()
        {
            var folder = TestData.Scratch();
            var account = new CrmRecord("Account");
            account.Add("Id", "001000000000001AAA");
            account.Add("Name", "Acme");
            var contact = new CrmRecord("Contact");
            contact.Add("Id", "003000000000001AAA");
            contact.Add("LastName", "Smith");
            contact.Add("AccountId", "001000000000001AAA");
            var plan = Path.Combine(folder, "plan.json");
            using (var writer = RecordWriter.Create(plan, new ExportOptions { Format = RecordFormat.SfTree }))
            {
                writer.Write(contact);
                writer.Write(account);
                writer.Complete();
                Assert.Equal(2, writer.ExtraFiles.Count);
            }
            var planJson = JArray.Parse(File.ReadAllText(plan));
            Assert.Equal("Account", (string)planJson[0]!["sobject"]!); // parents first
            Assert.True((bool)planJson[0]!["saveRefs"]!);
            Assert.True((bool)planJson[1]!["resolveRefs"]!);
            var contacts = JObject.Parse(File.ReadAllText(Path.Combine(folder, "plan-Contact.json")));
            Assert.Equal("@AccountRef1", (string)contacts["records"]![0]!["AccountId"]!);
            Assert.Null(contacts["records"]![0]!["Id"]);

            var issues = new System.Collections.Generic.List<RecordIssue>();
            var back = new RecordReader(new ImportOptions { ResolveReferences = true }, issues.Add).ReadFiles(new[] { plan }).ToList();
            Assert.Empty(issues);
            Assert.Equal("AccountRef1", back.Single(r => r.ObjectType == "Contact")["AccountId"]);
        }

        [Fact]
        public void JsonLinesAreOneRecordPerLine()
        {
            var path = Path.Combine(TestData.Scratch(), "out.jsonl");
            using (var writer = RecordWriter.Create(path, new ExportOptions()))
            {
                writer.Write(Lead("00Q1", ("LastName", "A")));
                writer.Write(Lead("00Q2", ("LastName", "B")));
                writer.Complete();
            }
            var lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Equal("{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q1\",\"LastName\":\"A\"}", lines[0]);
        }
    }
}
