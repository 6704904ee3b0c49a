using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Records
{
    /// <summary>
    /// Records held compactly (Import-CrmRecord -Compact) must give back exactly what was read: every value type,
    /// every field, in order, with edits kept.
    /// </summary>
    public class PackedRecordTests
    {
        private static CrmRecord Sample()
        {
            var r = new CrmRecord("Lead");
            r.Add("Id", "00Q000000000001AAA");
            r.Add("LastName", "Müller-Łukasz 山田 \U0001F600");
            r.Add("Empty", "");
            r.Add("NumberOfEmployees", 42L);
            r.Add("Negative", long.MinValue);
            r.Add("AnnualRevenue", 1.50m);
            r.Add("Score", 0.1 + 0.2);
            r.Add("IsConverted", true);
            r.Add("HasOptedOut", false);
            r.Add("Fax", null);
            r.Add("attributes", JObject.Parse("{\"type\":\"Lead\",\"url\":\"/x\",\"n\":1.50,\"deep\":{\"a\":[1,\"b\",null]}}"));
            r.Add("Tags", JArray.Parse("[\"a\",2,true]"));
            r.Add("When", new DateTime(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc));
            r.Add("Long", new string('x', 100_000));
            return r;
        }

        [Fact]
        public void Every_value_comes_back_as_read_with_its_type()
        {
            var original = Sample();
            var packed = PackedRecord.Pack(original, new RecordShapeCache());
            Assert.Equal(original.Count, packed.Count);
            Assert.Equal("Lead", packed.ObjectType);
            for (var i = 0; i < original.Count; i++)
            {
                Assert.Equal(original.NameAt(i), packed.NameAt(i));
                var expected = original.ValueAt(i);
                var actual = packed.ValueAt(i);
                if (expected is JToken token)
                {
                    Assert.True(JToken.DeepEquals(token, (JToken)actual!), original.NameAt(i));
                    Assert.Equal(token.ToString(), ((JToken)actual!).ToString());
                }
                else
                {
                    Assert.Equal(expected, actual);
                    Assert.Equal(expected?.GetType(), actual?.GetType());
                }
            }
            // decimal keeps its scale (1.50 stays 1.50, as Salesforce wrote it)
            Assert.Equal("1.50", ((decimal)packed.ValueAt(packed.IndexOf("AnnualRevenue"))!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void The_unpacked_record_equals_the_original_field_by_field()
        {
            var original = Sample();
            var back = PackedRecord.Pack(original, new RecordShapeCache()).ToCrmRecord();
            Assert.Equal(original.Names, back.Names);
            Assert.Equal("Lead", back.ObjectType);
            Assert.Equal(original.Id, back.Id);
            for (var i = 0; i < original.Count; i++)
            {
                if (original.ValueAt(i) is JToken t) Assert.True(JToken.DeepEquals(t, (JToken)back.ValueAt(i)!));
                else Assert.Equal(original.ValueAt(i), back.ValueAt(i));
            }
        }

        [Fact]
        public void Names_are_found_case_insensitively_exact_case_first()
        {
            var r = new CrmRecord("Lead");
            r.Add("email", "lower@x.com");
            r.Add("Email", "upper@x.com");
            var packed = PackedRecord.Pack(r, new RecordShapeCache());
            Assert.Equal(1, packed.IndexOf("Email"));
            Assert.Equal(0, packed.IndexOf("email"));
            Assert.Equal(0, packed.IndexOf("EMAIL"));
            Assert.Equal(-1, packed.IndexOf("Phone"));
        }

        [Fact]
        public void A_value_set_later_is_kept_and_the_others_stay()
        {
            var packed = PackedRecord.Pack(Sample(), new RecordShapeCache());
            var last = packed.IndexOf("LastName");
            packed.SetAt(last, "Smith");
            packed.SetAt(packed.IndexOf("Fax"), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            Assert.Equal("Smith", packed.ValueAt(last));
            Assert.Equal(42L, packed.ValueAt(packed.IndexOf("NumberOfEmployees")));
            Assert.Equal("Smith", packed.ToCrmRecord()["LastName"]);
            Assert.IsType<DateTimeOffset>(packed.ToCrmRecord()["Fax"]);
            Assert.Throws<ArgumentOutOfRangeException>(() => packed.SetAt(packed.Count, "x"));
        }

        [Fact]
        public void Records_of_one_layout_share_one_shape_and_other_layouts_get_their_own()
        {
            var shapes = new RecordShapeCache();
            PackedRecord Make(params string[] names)
            {
                var r = new CrmRecord("Lead");
                foreach (var n in names) r.Add(n, "v");
                return PackedRecord.Pack(r, shapes);
            }
            var a = Make("Id", "Email");
            var b = Make("Id", "Email");
            var c = Make("Email", "Id");
            var d = Make("Id", "Email");
            Assert.Same(a.Shape, b.Shape);
            Assert.NotSame(a.Shape, c.Shape);
            Assert.Same(a.Shape, d.Shape);
            Assert.Equal("Email", c.NameAt(0));
        }

        [Fact]
        public void Every_record_of_a_real_export_survives_packing()
        {
            var root = TestData.Exports;
            var reader = new RecordReader(new ImportOptions(), _ => { });
            var shapes = new RecordShapeCache();
            var files = Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Concat(Directory.GetFiles(root, "*.csv", SearchOption.AllDirectories)).ToList();
            Assert.NotEmpty(files);
            var records = 0;
            foreach (var file in files)
            {
                foreach (var record in reader.ReadFile(file))
                {
                    var back = PackedRecord.Pack(record, shapes).ToCrmRecord();
                    Assert.Equal(record.Names, back.Names);
                    for (var i = 0; i < record.Count; i++)
                    {
                        var expected = record.ValueAt(i);
                        if (expected is JToken t) Assert.True(JToken.DeepEquals(t, (JToken)back.ValueAt(i)!), $"{file} #{record.SourceRecordNumber} {record.NameAt(i)}");
                        else Assert.Equal(expected, back.ValueAt(i));
                    }
                    records++;
                }
            }
            Assert.True(records > 100, $"only {records} records read");
        }
    }
}
