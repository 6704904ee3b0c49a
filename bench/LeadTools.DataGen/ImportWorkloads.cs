using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using Newtonsoft.Json;

namespace LeadTools.DataGen
{
    /// <summary>
    /// The in-process benchmark workloads over Core (SPEC 9.5), shared by the benchmark and its smoke test:
    /// the import parse, the floor it is measured against (a bare token scan with the same JSON parser),
    /// the bulk read-and-write route, and a C# stand-in for the peers' group-by-email.
    /// </summary>
    public static class ImportWorkloads
    {
        private const int BufferSize = 64 * 1024;

        /// <summary>Reads <paramref name="path"/> through <see cref="RecordReader"/> and counts records; <paramref name="issues"/> counts errors reported.</summary>
        public static long CoreImport(string path, out long issues)
        {
            long errors = 0;
            var reader = new RecordReader(new ImportOptions(), issue =>
            {
                if (!issue.IsWarning) errors++;
            });
            long n = 0;
            foreach (var record in reader.ReadFile(path))
            {
                if (record.Count > 0) n++;
            }
            issues = errors;
            return n;
        }

        /// <summary>
        /// The floor: every token of the file read with Newtonsoft's <see cref="JsonTextReader"/> and nothing
        /// built (same buffer size and value handling as the import: no date guessing, decimals exact).
        /// Returns the number of tokens; <paramref name="objects"/> counts objects at depth 1 (records of a JSON array).
        /// </summary>
        public static long TokenScan(string path, out long objects)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan))
            using (var text = new StreamReader(stream, new UTF8Encoding(false), true, BufferSize))
            using (var json = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal, MaxDepth = null, SupportMultipleContent = true })
            {
                long tokens = 0, records = 0;
                while (json.Read())
                {
                    tokens++;
                    if (json.TokenType == JsonToken.StartObject && json.Depth <= 1) records++;
                }
                objects = records;
                return tokens;
            }
        }

        /// <summary>The bulk route without PowerShell: read <paramref name="input"/> and write <paramref name="output"/> (format from its extension).</summary>
        public static long CoreBulkExport(string input, string output)
        {
            var reader = new RecordReader(new ImportOptions(), _ => { });
            using (var writer = RecordWriter.Create(output, new ExportOptions()))
            {
                foreach (var record in reader.ReadFile(input)) writer.Write(record);
                writer.Complete();
                return writer.RecordCount;
            }
        }

        /// <summary>
        /// What the Python and jq peers compute, through Core: read the leads, normalise Email (trim, lower
        /// case), group, count the groups with more than one lead. Returns that count.
        /// </summary>
        public static long CoreGroupByEmail(string path, out long records)
        {
            var reader = new RecordReader(new ImportOptions(), _ => { });
            var groups = new Dictionary<string, int>(StringComparer.Ordinal);
            long n = 0;
            foreach (var record in reader.ReadFile(path))
            {
                n++;
                var email = record.GetString("Email");
                if (email == null) continue;
                var key = email.Trim().ToLowerInvariant();
                groups.TryGetValue(key, out var c);
                groups[key] = c + 1;
            }
            records = n;
            long dup = 0;
            foreach (var kv in groups)
            {
                if (kv.Value > 1) dup++;
            }
            return dup;
        }
    }
}
