using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Import
{
    /// <summary>
    /// The reader keeps each record's <c>attributes</c> object flat until it is asked for, and checks ids without
    /// keeping them as strings: neither may show. Records must look exactly as a full parse made them.
    /// </summary>
    public class AttributesAndIdsTests
    {
        private const string Attributes = "{\"type\":\"Lead\",\"url\":\"/services/data/v59.0/sobjects/Lead/00Q000000000001AAA\",\"n\":1.50,\"b\":true,\"z\":null,\"type\":\"Lead\"}";

        [Fact]
        public void AttributesComeOutAsTheJObjectAFullParseMakes()
        {
            var (records, issues) = TestData.ReadText("leads.json", "[{\"attributes\":" + Attributes + ",\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}]");
            Assert.Empty(issues);
            var record = Assert.Single(records);
            Assert.Equal("Lead", record.ObjectType);
            var expected = (JObject)JObject.Parse("{\"a\":" + Attributes + "}")["a"]!;

            var viaIndexer = Assert.IsType<JObject>(record["attributes"]);
            Assert.True(JToken.DeepEquals(expected, viaIndexer), viaIndexer.ToString());
            Assert.Equal(new[] { "type", "url", "n", "b", "z" }, viaIndexer.Properties().Select(p => p.Name).ToArray());
            Assert.Equal(1.50m, viaIndexer["n"]!.Value<decimal>());
            Assert.Equal(JTokenType.Null, viaIndexer["z"]!.Type);

            // Built once: every way of reading the field gives the same object, and changes to it stay.
            Assert.Same(viaIndexer, record.ValueAt(0));
            Assert.True(record.TryGet("ATTRIBUTES", out var viaTryGet));
            Assert.Same(viaIndexer, viaTryGet);
            Assert.Same(viaIndexer, record.First().Value);
            viaIndexer["extra"] = "kept";
            Assert.Equal("kept", ((JObject)record["attributes"]!)["extra"]!.ToString());
        }

        [Fact]
        public void EveryPublicReadBuildsTheObject()
        {
            var json = "[{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\"}]";
            Assert.IsType<JObject>(TestData.ReadText("a.json", json).Records[0].ValueAt(0));
            Assert.IsType<JObject>(TestData.ReadText("b.json", json).Records[0].First().Value);
            Assert.IsType<JObject>(TestData.ReadText("c.json", json).Records[0]["attributes"]);
            Assert.Null(TestData.ReadText("d.json", json).Records[0].GetString("attributes"));
        }

        [Fact]
        public void ClonesBuildTheirOwnObject()
        {
            var record = TestData.ReadText("leads.json", "[{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000001AAA\"}]").Records[0];
            var copy = record.Clone();
            var original = (JObject)record["attributes"]!;
            var copied = (JObject)copy["attributes"]!;
            Assert.NotSame(original, copied);
            Assert.True(JToken.DeepEquals(original, copied));
            copied["type"] = "Contact";
            Assert.Equal("Lead", ((JObject)record["attributes"]!)["type"]!.ToString());
        }

        [Fact]
        public void NestedValuesInsideAttributesAreStillRead()
        {
            var attributes = "{\"type\":\"Lead\",\"extra\":{\"deep\":[1,2]},\"url\":\"/x\"}";
            var (records, issues) = TestData.ReadText("leads.json", "[{\"attributes\":" + attributes + ",\"Id\":\"00Q000000000001AAA\"}]");
            Assert.Empty(issues);
            Assert.Equal("Lead", records[0].ObjectType);
            Assert.True(JToken.DeepEquals(JObject.Parse(attributes), (JObject)records[0]["attributes"]!));
        }

        [Fact]
        public void TreeReferenceIdsAreReadWithoutAnId()
        {
            var (records, issues) = TestData.ReadText("Account.json", "{\"records\":[{\"attributes\":{\"type\":\"Account\",\"referenceId\":\"AccountRef1\"},\"Name\":\"Acme\"}]}");
            Assert.Empty(issues);
            Assert.Equal("AccountRef1", records[0].ReferenceId);
            Assert.Equal("AccountRef1", records[0].Id);
        }

        [Fact]
        public void AttributesTypeMustBeText()
        {
            var (records, issues) = TestData.ReadText("leads.json", "[{\"attributes\":{\"type\":5},\"Id\":\"00Q000000000001AAA\"},{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\"}]");
            Assert.Single(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.WrongValueType, issue.Kind);
            Assert.Contains("attributes.type must be text, not Integer", issue.Message);
        }

        [Fact]
        public void AttributesRoundTripThroughExport()
        {
            var source = "[{\"attributes\":{\"type\":\"Lead\",\"url\":\"/services/data/v59.0/sobjects/Lead/00Q000000000001AAA\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\"}]";
            var (records, _) = TestData.ReadText("leads.json", source);
            var path = Path.Combine(TestData.Scratch(), "out.json");
            using (var writer = RecordWriter.Create(path, new ExportOptions { Format = RecordFormat.JsonArray }))
            {
                foreach (var r in records) writer.Write(r);
                writer.Complete();
            }
            Assert.True(JToken.DeepEquals(JArray.Parse(source), JArray.Parse(File.ReadAllText(path))), File.ReadAllText(path));
        }

        [Theory]
        [InlineData("ascending")]
        [InlineData("descending")]
        [InlineData("shuffled")]
        [InlineData("mostly ascending")]
        public void DuplicateIdsAreFoundInAnyOrder(string order)
        {
            var random = new Random(7);
            var ids = Enumerable.Range(0, 3000).Select(i => "00Q5e00000" + i.ToString("D5") + "AAA").ToList();
            // Case-only differences, other lengths, ids that cannot be packed: all distinct from each other.
            ids.AddRange(new[] { "00q5e0000000000AAA", "a", "a0", "0a", "A", "Z", "z", "00Q5e0000000000", "id-with-dash", "ÄÖ", "0123456789012345678901234" });
            var records = ids.Concat(ids.Where((_, i) => i % 7 == 0)).ToList(); // every 7th id again
            switch (order)
            {
                case "descending":
                    records = records.OrderByDescending(x => x, StringComparer.Ordinal).ToList();
                    break;
                case "shuffled":
                    records = records.OrderBy(_ => random.Next()).ToList();
                    break;
                case "mostly ascending":
                    records = records.OrderBy(x => x, StringComparer.Ordinal).ToList();
                    for (var i = 0; i < records.Count; i += 50)
                    {
                        var j = random.Next(records.Count);
                        (records[i], records[j]) = (records[j], records[i]);
                    }
                    break;
            }
            var seen = new SeenIds();
            var reference = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var n = 0; n < records.Count; n++)
            {
                var id = records[n];
                var added = seen.TryAdd(id, n + 1, out var first);
                if (reference.TryGetValue(id, out var expectedFirst))
                {
                    Assert.False(added, id);
                    Assert.Equal(expectedFirst, first);
                }
                else
                {
                    Assert.True(added, id);
                    reference.Add(id, n + 1);
                }
            }
        }

        [Fact]
        public void PackedIdsAreOneToOne()
        {
            var ids = new[] { "0", "00", "000", "1", "01", "10", "z", "zz", "0000000000", "00000000000", "0000000000z", "z000000000", "zzzzzzzzzzzzzzzzzzzz" };
            var keys = ids.Select(id => Assert.IsType<bool>(SeenIds.TryPack(id, out var key)) ? key : throw new InvalidOperationException(id)).ToList();
            Assert.Equal(ids.Length, keys.Distinct().Count());
            Assert.False(SeenIds.TryPack("zzzzzzzzzzzzzzzzzzzzz", out _));
            Assert.False(SeenIds.TryPack("a-b", out _));
        }

        [Fact]
        public void ADuplicateOutOfOrderNamesWhereTheFirstCopyWas()
        {
            string Lead(string id) => "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"" + id + "\"}";
            var json = "[" + string.Join(",", Lead("00Q000000000002AAA"), Lead("00Q000000000003AAA"), Lead("00Q000000000001AAA"), Lead("00Q000000000002AAA"), Lead("00Q000000000001AAA")) + "]";
            var (records, issues) = TestData.ReadText("leads.json", json);
            Assert.Equal(3, records.Count);
            Assert.Equal(2, issues.Count);
            Assert.All(issues, i => Assert.Equal(RecordIssueKind.DuplicateId, i.Kind));
            Assert.Contains("leads.json record 1", issues[0].Message);
            Assert.Equal(4, issues[0].RecordNumber);
            Assert.Contains("leads.json record 3", issues[1].Message);
        }
    }
}
