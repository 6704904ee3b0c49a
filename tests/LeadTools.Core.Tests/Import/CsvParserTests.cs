using System.Collections.Generic;
using System.IO;
using LeadTools.Core.Import;

namespace LeadTools.Core.Tests.Import
{
    public class CsvParserTests
    {
        private static List<List<string>> Parse(string text, char delimiter = ',')
        {
            var parser = new CsvParser(new StringReader(text), delimiter);
            var rows = new List<List<string>>();
            var row = new List<string>();
            while (parser.ReadRow(row)) rows.Add(new List<string>(row));
            return rows;
        }

        [Fact]
        public void QuotesDoubledQuotesAndLineBreaks()
        {
            var rows = Parse("a,\"b,c\",\"d \"\"e\"\"\"\r\n\"x\r\ny\",,z\r\n");
            Assert.Equal(new[] { "a", "b,c", "d \"e\"" }, rows[0]);
            Assert.Equal(new[] { "x\r\ny", "", "z" }, rows[1]);
        }

        [Fact]
        public void LineEndingsOfEveryKindAndBlankLines()
        {
            var rows = Parse("a,b\n1,2\r\n\r\n3,4\r5,6");
            Assert.Equal(4, rows.Count);
            Assert.Equal(new[] { "5", "6" }, rows[3]);
        }

        [Fact]
        public void TracksTheLineEachRowStartsOn()
        {
            var parser = new CsvParser(new StringReader("h\n\"a\nb\"\nc\n"));
            var row = new List<string>();
            parser.ReadRow(row);
            parser.ReadRow(row);
            Assert.Equal(2, parser.RowLine);
            parser.ReadRow(row);
            Assert.Equal(4, parser.RowLine);
        }

        [Theory]
        [InlineData("a,b;c", ',')]
        [InlineData("a;b;c", ';')]
        [InlineData("a\tb", '\t')]
        [InlineData("single", ',')]
        public void DetectsTheDelimiterFromTheHeader(string header, char expected) => Assert.Equal(expected, CsvParser.DetectDelimiter(header));

        [Fact]
        public void SemicolonFilesFromEuropeanExcelRead()
        {
            var (records, issues) = TestData.ReadText("Lead.csv", "LastName;Company\nMüller;ACME GmbH\n");
            Assert.Empty(issues);
            Assert.Equal("ACME GmbH", records[0]["company"]);
        }

        [Fact]
        public void NullMarkersBecomeNull()
        {
            var (records, _) = TestData.ReadText("Lead.csv", "LastName,Email,Phone\nA,#N/A,\n");
            Assert.Null(records[0]["Email"]);
            Assert.Null(records[0]["Phone"]);
            Assert.True(records[0].Has("Phone"));
        }
    }
}
