using System;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Records;
using LeadTools.Core.Sync;
using Xunit;

namespace LeadTools.Core.Tests.Sync
{
    /// <summary>
    /// Issue 13, "Sync state": a damaged sync state is refused at load with the file and line (StateCorrupt in the
    /// cmdlets), never taken for a first sync (that would insert every unlinked record again) and never rewritten.
    /// </summary>
    public class SyncStateValidationTests
    {
        // Line numbers below refer to this layout.
        private const string Good = "{\n" +                                                                 // 1
            "  \"schema\": \"LeadTools.SyncState\",\n" +                                                         // 2
            "  \"version\": 2,\n" +                                                                              // 3
            "  \"lastSync\": { \"Leads\": \"2026-01-01T00:00:00Z\" },\n" +                                       // 4
            "  \"watermarks\": { \"Local\": { \"Leads\": \"2026-01-01T00:00:00Z\" }, \"Salesforce\": { \"Leads\": \"2026-01-01T00:00:00Z\" } },\n" + // 5
            "  \"linkCounts\": { \"Lead\": 2 },\n" +                                                             // 6
            "  \"links\": {\n" +                                                                                 // 7
            "    \"Lead\": {\n" +                                                                                // 8
            "      \"L1\": \"00Q1\",\n" +                                                                        // 9
            "      \"L2\": \"00Q2\"\n" +                                                                         // 10
            "    }\n" +                                                                                          // 11
            "  }\n" +                                                                                            // 12
            "}\n";

        private static string Write(string text)
        {
            var path = Path.Combine(TestData.Scratch(), SyncState.FileName);
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void The_reference_layout_loads()
        {
            var state = SyncState.Load(Write(Good));
            Assert.Equal("00Q2", state.SalesforceIdOf("Lead", "L2"));
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), state.Watermark(SyncSide.Salesforce, "Leads"));
        }

        [Theory]
        [InlineData("\"links\": {\n", "\"links\": null, \"x\": {\n", 7, "links must be an object, not null")]
        [InlineData("\"links\": {\n", "\"links\": [], \"x\": {\n", 7, "links must be an object, not an array")]
        [InlineData("\"lastSync\": { \"Leads\": \"2026-01-01T00:00:00Z\" }", "\"lastSync\": null", 4, "lastSync must be an object, not null")]
        [InlineData("\"lastSync\": { \"Leads\": \"2026-01-01T00:00:00Z\" }", "\"lastSync\": { \"Leads\": null }", 4, "lastSync.Leads is not a date-time (null)")]
        [InlineData("\"Salesforce\": { \"Leads\": \"2026-01-01T00:00:00Z\" }", "\"Salesforce\": { \"Leads\": \"soon\" }", 5, "watermarks.Salesforce.Leads is not a date-time")]
        [InlineData("\"Local\": {", "\"Remote\": {", 5, "the sides are Local and Salesforce")]
        [InlineData("\"L2\": \"00Q2\"", "\"L2\": \"00Q1\"", 10, "local ids L1 and L2 are both linked to Salesforce id 00Q1")]
        [InlineData("\"L2\": \"00Q2\"", "\"L1\": \"00Q2\"", 10, "links.Lead.L1 is given twice")]
        [InlineData("\"L2\": \"00Q2\"", "\"L2\": \"\"", 10, "links.Lead.L2 is an empty Salesforce id")]
        [InlineData("\"L2\": \"00Q2\"", "\"L2\": null", 10, "links.Lead.L2 is not an id (null)")]
        [InlineData("\"L2\": \"00Q2\"", "\"\": \"00Q2\"", 10, "links.Lead has an empty local id")]
        [InlineData("\"linkCounts\": { \"Lead\": 2 }", "\"linkCounts\": { \"Lead\": -1 }", 6, "linkCounts.Lead must be a count")]
        [InlineData("\"version\": 2,", "\"version\": 2, \"pendingEvents\": null,", 3, "pendingEvents must be an array of event ids, not null")]
        [InlineData("\"version\": 2,", "\"version\": 2, \"pendingEvents\": [ \"E1\", 7 ],", 3, "pendingEvents must be an array of event ids, not one holding 7")]
        [InlineData("\"version\": 2,", "\"version\": 2, \"links\": {},", 7, "'links' is given twice")]
        public void A_damaged_structure_is_refused_naming_the_file_and_line(string find, string replace, int line, string message)
        {
            Assert.Contains(find, Good);
            var path = Write(Good.Replace(find, replace));
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains($"line {line},", ex.Message);
            Assert.Contains(message, ex.Message);
        }

        [Fact]
        public void Links_emptied_where_links_existed_are_refused_the_count_kept_in_the_state_tells()
        {
            // "links: [] where links existed": the link count saved beside the links says two were there.
            var path = Write(Good.Replace("    \"Lead\": {\n      \"L1\": \"00Q1\",\n      \"L2\": \"00Q2\"\n    }\n", ""));
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains("links.Lead holds 0 link(s), but the state counted 2", ex.Message);
            Assert.Contains("line 6,", ex.Message);
        }

        [Fact]
        public void A_link_line_deleted_is_refused_at_the_line_of_its_type()
        {
            var path = Write(Good.Replace("      \"L1\": \"00Q1\",\n", ""));
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains("links.Lead holds 1 link(s), but the state counted 2", ex.Message);
            Assert.Contains("line 8,", ex.Message);
        }

        [Fact]
        public void A_type_of_links_without_a_count_is_refused()
        {
            var path = Write(Good.Replace("\"linkCounts\": { \"Lead\": 2 }", "\"linkCounts\": { }"));
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains("links.Lead has no count", ex.Message);
        }

        [Theory]
        [InlineData("lastSync")]
        [InlineData("watermarks")]
        [InlineData("linkCounts")]
        [InlineData("links")]
        public void A_schema_2_state_missing_a_part_is_refused_never_taken_for_a_first_sync(string part)
        {
            var lines = Good.Split('\n').ToList();
            var at = lines.FindIndex(l => l.TrimStart().StartsWith("\"" + part + "\"", StringComparison.Ordinal));
            var text = part == "links" ? string.Join("\n", lines.Take(at)).TrimEnd().TrimEnd(',') + "\n}\n" : string.Join("\n", lines.Where((l, i) => i != at));
            var path = Write(text);
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains($"has no '{part}'", ex.Message);
            Assert.Contains(path, ex.Message);
        }

        [Fact]
        public void A_schema_1_state_with_links_and_no_last_sync_is_refused()
        {
            var path = Write("{ \"schema\": \"LeadTools.SyncState\", \"version\": 1, \"lastSync\": {}, \"links\": { \"Lead\": { \"L1\": \"00Q1\" } } }");
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains("holds links or watermarks but no lastSync time", ex.Message);
        }

        [Fact]
        public void A_schema_1_state_still_loads_its_one_time_as_both_sides_watermark()
        {
            var path = Write("{ \"schema\": \"LeadTools.SyncState\", \"version\": 1, \"lastSync\": { \"Leads\": \"2026-01-01T00:00:00Z\" }, \"links\": { \"Lead\": { \"L1\": \"00Q1\" } } }");
            var state = SyncState.Load(path);
            var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(t, state.Watermark(SyncSide.Local, "Leads"));
            Assert.Equal(t, state.Watermark(SyncSide.Salesforce, "Leads"));
            Assert.Equal("00Q1", state.SalesforceIdOf("Lead", "L1"));
        }

        [Fact]
        public void Invalid_utf8_in_an_id_is_refused_not_read_as_a_replacement_character()
        {
            var bytes = Encoding.UTF8.GetBytes(Good).ToList();
            var at = Encoding.UTF8.GetBytes(Good.Substring(0, Good.IndexOf("00Q2", StringComparison.Ordinal))).Length;
            bytes[at + 2] = 0xFF;
            var path = Path.Combine(TestData.Scratch(), SyncState.FileName);
            File.WriteAllBytes(path, bytes.ToArray());
            var ex = Assert.Throws<InvalidDataException>(() => SyncState.Load(path));
            Assert.Contains("not valid UTF-8", ex.Message);
            Assert.Contains(path, ex.Message);
        }

        [Fact]
        public void A_saved_state_records_its_link_counts_and_loads_back_equal()
        {
            var s = new SyncState();
            foreach (var n in SyncProfile.ObjectNames) s.SetLastSync(n, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            s.SetWatermark(SyncSide.Salesforce, "Leads", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
            for (var i = 0; i < 50; i++) s.Link("Lead", "L" + i, "00Q" + i);
            s.Link("Contact", "K1", "003A");
            s.SalesforceOrg = "00D000000000001";
            s.LocalInstance = "leadgen-eu";
            var path = Path.Combine(TestData.Scratch(), SyncState.FileName);
            s.Save(path);
            Assert.Contains("\"Lead\": 50", File.ReadAllText(path));
            var back = SyncState.Load(path);
            Assert.Equal(50, back.Links("Lead").Count());
            Assert.Equal(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), back.Watermark(SyncSide.Salesforce, "Leads"));
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), back.Watermark(SyncSide.Local, "Leads"));
            Assert.Equal("00D000000000001", back.SalesforceOrg);
            Assert.Equal("leadgen-eu", back.LocalInstance);
        }

        [Fact]
        public void A_damaged_state_is_not_rewritten_and_the_lock_is_released()
        {
            var text = Good.Replace("      \"L1\": \"00Q1\",\n", "");
            var path = Write(text);
            var folder = Path.GetDirectoryName(path)!;
            Assert.Throws<InvalidDataException>(() => SyncStateSession.Open(folder, forWrite: true));
            // Not StateLocked: the failed open released its lock.
            Assert.Throws<InvalidDataException>(() => SyncStateSession.Open(folder, forWrite: true));
            Assert.Equal(text, File.ReadAllText(path));
        }
    }
}
