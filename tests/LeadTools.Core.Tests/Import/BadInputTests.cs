using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;

namespace LeadTools.Core.Tests.Import
{
    /// <summary>SPEC 9.2: every kind of bad input names the file, the position and the problem; the rest still flows.</summary>
    public class BadInputTests
    {
        private const string Lead = "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}";

        [Fact]
        public void MalformedJsonStopsTheFileAtTheFaultAndKeepsEarlierRecords()
        {
            var json = "{\"records\":[\n" + Lead + ",\n{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\" \"LastName\":\"Two\"}\n]}";
            var (records, issues) = TestData.ReadText("leads.json", json);
            Assert.Single(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.MalformedJson, issue.Kind);
            Assert.Equal(3, issue.Line);
            Assert.True(issue.Column > 0);
            Assert.EndsWith("leads.json", issue.File);
            Assert.Contains("leads.json: line 3, column", issue.ToString());
        }

        [Fact]
        public void TruncatedJsonIsNamedAsSuch()
        {
            var json = "{\"records\":[\n" + Lead + ",\n{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q0000000000";
            var (records, issues) = TestData.ReadText("cut.json", json);
            Assert.Single(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.TruncatedJson, issue.Kind);
            Assert.Equal(3, issue.Line);
        }

        [Fact]
        public void MalformedJsonLinesSkipOnlyTheBadLine()
        {
            var lines = Lead + "\n{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\n" + Lead.Replace("001AAA", "003AAA") + "\n";
            var (records, issues) = TestData.ReadText("leads.jsonl", lines);
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(2, issue.Line);
            Assert.Equal(2, issue.RecordNumber);
        }

        [Fact]
        public void WrongEncodingIsReportedWithLineAndAdvice()
        {
            var path = Path.Combine(TestData.Scratch(), "Lead.csv");
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("Id,LastName\n00Q000000000001AAA,Smith\n00Q000000000002AAA,M").Concat(new byte[] { 0xFC }).Concat(Encoding.ASCII.GetBytes("ller\n")).ToArray());
            var (_, issues) = TestData.Read(path);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(3, issue.Line);
            Assert.Contains("0xFC", issue.Message);
            Assert.Contains("windows1252", issue.Message);

            var (records, again) = TestData.Read(path, new ImportOptions { Encoding = Text.Windows1252Encoding.Instance });
            Assert.Empty(again);
            Assert.Equal("Müller", records[1]["LastName"]);
        }

        [Fact]
        public void RaggedRowsAreSkippedWithTheirLine()
        {
            var csv = "Id,LastName,Email\n00Q000000000001AAA,One,a@x.com\n00Q000000000002AAA,Two\n00Q000000000003AAA,\"Three\nwith a line break\",c@x.com\n00Q000000000004AAA,Four,d@x.com,extra\n";
            var (records, issues) = TestData.ReadText("Lead.csv", csv);
            Assert.Equal(new[] { "00Q000000000001AAA", "00Q000000000003AAA" }, records.Select(r => r.Id).ToArray());
            Assert.Equal(2, issues.Count);
            Assert.All(issues, i => Assert.Equal(RecordIssueKind.RaggedRow, i.Kind));
            Assert.Equal(3, issues[0].Line);
            Assert.Equal(2, issues[0].RecordNumber);
            Assert.Equal(6, issues[1].Line); // the quoted line break moves the next row down a line
            Assert.Contains("4 fields but the header has 3", issues[1].Message);
        }

        [Fact]
        public void UnclosedQuoteIsReported()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", "Id,LastName\n00Q000000000001AAA,One\n00Q000000000002AAA,\"Two\n");
            Assert.Single(records);
            Assert.Equal(RecordIssueKind.MalformedCsv, Assert.Single(issues).Kind);
        }

        [Fact]
        public void MissingIdIsReportedWhenTheFileHasIds()
        {
            var json = "[" + Lead + ",{\"attributes\":{\"type\":\"Lead\"},\"LastName\":\"NoId\"}," + Lead.Replace("001AAA", "003AAA") + "]";
            var (records, issues) = TestData.ReadText("leads.json", json);
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.MissingId, issue.Kind);
            Assert.Equal(2, issue.RecordNumber);
        }

        [Fact]
        public void CsvRowWithBlankIdIsMissingId()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", "Id,LastName\n00Q000000000001AAA,One\n,Two\n");
            Assert.Single(records);
            Assert.Equal(RecordIssueKind.MissingId, Assert.Single(issues).Kind);
        }

        [Fact]
        public void FilesWithoutIdsReadFine()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", "LastName,Company\nOne,Acme\nTwo,Beta\n");
            Assert.Equal(2, records.Count);
            Assert.Empty(issues);
        }

        [Fact]
        public void DuplicateIdsAcrossFilesAreReportedOnce()
        {
            var folder = TestData.Scratch();
            File.WriteAllText(Path.Combine(folder, "a.json"), "[" + Lead + "]");
            File.WriteAllText(Path.Combine(folder, "b.json"), "[" + Lead + "," + Lead.Replace("001AAA", "002AAA") + "]");
            var issues = new System.Collections.Generic.List<RecordIssue>();
            var records = new RecordReader(new ImportOptions(), issues.Add).ReadFiles(new[] { Path.Combine(folder, "a.json"), Path.Combine(folder, "b.json") }).ToList();
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.DuplicateId, issue.Kind);
            Assert.EndsWith("b.json", issue.File);
            Assert.Contains("a.json record 1", issue.Message);
        }

        [Fact]
        public void UnknownObjectTypesAreReported()
        {
            var (records, issues) = TestData.ReadText("x.json", "[{\"attributes\":{\"type\":\"Le ad\"},\"Id\":\"1\"}," + Lead + "]");
            Assert.Single(records);
            Assert.Equal(RecordIssueKind.ObjectTypeUnknown, Assert.Single(issues).Kind);

            var (none, untyped) = TestData.ReadText("extract.csv", "Name,Phone\nAcme,1\nBeta,2\n");
            Assert.Empty(none);
            var issue = Assert.Single(untyped);
            Assert.Equal(RecordIssueKind.ObjectTypeUnknown, issue.Kind);
            Assert.Contains("-ObjectType", issue.Message);
        }

        [Fact]
        public void TypeComesFromIdPrefixWhenNothingElseSaysIt()
        {
            var (records, issues) = TestData.ReadText("extract.csv", "Id,Name\n001000000000001AAA,Acme\n");
            Assert.Empty(issues);
            Assert.Equal("Account", records[0].ObjectType);
        }

        [Fact]
        public void WrongValueTypesAreReportedPerRecord()
        {
            var json = "{\"records\":[42," + Lead + ",{\"attributes\":{\"type\":\"Lead\"},\"Id\":{\"x\":1}},{\"attributes\":{\"type\":7},\"Id\":\"00Q000000000009AAA\"}]}";
            var (records, issues) = TestData.ReadText("r.json", json);
            Assert.Single(records);
            Assert.Equal(3, issues.Count);
            Assert.All(issues, i => Assert.Equal(RecordIssueKind.WrongValueType, i.Kind));
            Assert.Equal(new long[] { 1, 3, 4 }, issues.Select(i => i.RecordNumber).ToArray());
        }

        [Fact]
        public void AbsurdNestingSkipsOnlyThatRecord()
        {
            var deep = new string('[', 500) + new string(']', 500);
            var json = "[" + Lead + ",{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\"Deep\":" + deep + "}," + Lead.Replace("001AAA", "003AAA") + "]";
            var (records, issues) = TestData.ReadText("deep.json", json);
            Assert.Equal(2, records.Count);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.NestingTooDeep, issue.Kind);
            Assert.Equal(2, issue.RecordNumber);
        }

        [Fact]
        public void EmptyFilesAreReported()
        {
            foreach (var (name, content) in new[] { ("Lead.csv", ""), ("Lead.json", "  \n "), ("Lead.jsonl", "") })
            {
                var (records, issues) = TestData.ReadText(name, content);
                Assert.Empty(records);
                Assert.Equal(RecordIssueKind.EmptyFile, Assert.Single(issues).Kind);
            }
        }

        [Fact]
        public void MissingFilesAreReported()
        {
            var (records, issues) = TestData.Read(Path.Combine(TestData.Scratch(), "nope.json"));
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.FileNotFound, issue.Kind);
            Assert.EndsWith("nope.json", issue.File);
        }

        [Fact]
        public void BadHeadersAreReported()
        {
            Assert.Equal(RecordIssueKind.BadHeader, Assert.Single(TestData.ReadText("Lead.csv", "Id,Name,name\n1,a,b\n").Issues).Kind);
            Assert.Equal(RecordIssueKind.BadHeader, Assert.Single(TestData.ReadText("Lead.csv", "Id,,Email\n1,a,b\n").Issues).Kind);
        }

        [Fact]
        public void CliErrorRepliesAreReported()
        {
            var (records, issues) = TestData.ReadText("q.json", "{\"status\":1,\"name\":\"INVALID_TYPE\",\"message\":\"sObject type 'Leed' is not supported.\"}");
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.ApiErrorResponse, issue.Kind);
            Assert.Contains("Leed", issue.Message);
        }

        [Fact]
        public void ObjectTypeFiltersFilesThatStateTypes()
        {
            var options = new ImportOptions { ObjectType = "Contact" };
            var (records, _) = TestData.Read(TestData.Export("salesforce/salesforcecli_plugin-data/accounts-contacts-tree.json"), options);
            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.Equal("Contact", r.ObjectType));
            var (tags, _) = TestData.Read(TestData.Export("activecampaign/getContact.json"), new ImportOptions { ObjectType = "contactLists" });
            Assert.Equal(2, tags.Count);
        }
    }
}
