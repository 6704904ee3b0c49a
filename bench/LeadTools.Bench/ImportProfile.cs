using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Bench
{
    /// <summary>
    /// Where the import's time goes (<c>--profile</c>): the same file read in stages, each adding one layer of
    /// what <see cref="RecordReader"/> does, best of N runs each. The difference between two stages is the cost
    /// of the layer between them.
    /// </summary>
    internal static class ImportProfile
    {
        private const int BufferSize = 64 * 1024;

        /// <summary>Above this many records, holding every PSObject (stage 8) needs several GB: not run.</summary>
        public const long HoldLimit = 200_000;

        /// <summary>Managed heap held per record by stage 8 (bytes).</summary>
        private static double KeptBytesPerRecord;

        public static string Run(string file, int repeat, ISet<int>? only, out long records)
        {
            var stages = new List<(string Name, Func<long> Work)>
            {
                ("1 token scan, plain UTF-8 (the floor)", () => Scan(file, new UTF8Encoding(false), false)),
                ("2 + strict UTF-8, import's reader settings", () => Scan(file, TextEncodings.StrictUtf8, true)),
                ("3 + build CrmRecords (fields, nested attributes as JObject)", () => Build(file)),
                ("4 RecordReader, duplicate-id check off", () => Read(file, false)),
                ("5 RecordReader as Import-CrmRecord uses it", () => Read(file, true)),
                ("6 + a PSObject per record, note properties only", () => ToPSObjects(file, false)),
                ("7 + the LeadTools type names on each PSObject (what Import-CrmRecord emits; set in the object's own field)", () => ToPSObjects(file, true)),
                ("8 stage 7 with every PSObject kept in a list (what $x = Import-CrmRecord holds)", () => ToPSObjects(file, true, keep: true)),
                ("9 stage 7 as the module built PSObjects before (new PSObject(): note properties also in the engine's table)", () => ToPSObjects(file, true, legacy: true)),
            };
            var sb = new StringBuilder();
            records = -1;
            double? first = null;
            foreach (var (name, work) in stages)
            {
                if (only != null && !only.Contains(name[0] - '0')) continue;
                if (name.StartsWith("8", StringComparison.Ordinal) && records > HoldLimit)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{name}: not run above {HoldLimit:N0} records; ");
                    continue;
                }
                var best = double.MaxValue;
                var bestPause = 0.0;
                var bestGen2 = 0;
                long n = 0;
                for (var i = 0; i < Math.Max(2, repeat); i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var pause = GC.GetTotalPauseDuration();
                    var gen2 = GC.CollectionCount(2);
                    var sw = Stopwatch.StartNew();
                    n = work();
                    var ms = sw.Elapsed.TotalMilliseconds;
                    if (ms < best)
                    {
                        best = ms;
                        bestPause = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds;
                        bestGen2 = GC.CollectionCount(2) - gen2;
                    }
                }
                first ??= best;
                records = n;
                sb.Append(CultureInfo.InvariantCulture, $"{name}: {best:F0} ms ({best / first.Value:F2}x; GC pauses {bestPause:F0} ms, {bestGen2} gen2); ");
            }
            if (KeptBytesPerRecord > 0) sb.Append(CultureInfo.InvariantCulture, $"stage 8 holds {KeptBytesPerRecord / 1024:F1} KiB of managed heap per record");
            return sb.ToString().TrimEnd(' ', ';');
        }

        private static JsonTextReader Open(string file, Encoding encoding, bool importSettings, out StreamReader text)
        {
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            text = new StreamReader(stream, encoding, true, BufferSize);
            var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal, MaxDepth = null };
            if (importSettings) reader.PropertyNameTable = new DefaultJsonNameTable();
            return reader;
        }

        private static long Scan(string file, Encoding encoding, bool importSettings)
        {
            var reader = Open(file, encoding, importSettings, out var text);
            using (text)
            {
                long objects = 0;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonToken.StartObject && reader.Depth == 1) objects++;
                }
                return objects;
            }
        }

        private static long Build(string file)
        {
            var reader = Open(file, TextEncodings.StrictUtf8, true, out var text);
            using (text)
            {
                long n = 0;
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonToken.StartObject)
                {
                    var record = new CrmRecord();
                    while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                    {
                        var name = (string)reader.Value!;
                        reader.Read();
                        record.Add(name, reader.TokenType == JsonToken.StartObject || reader.TokenType == JsonToken.StartArray ? JToken.ReadFrom(reader) : reader.Value);
                    }
                    if (record.Count > 0) n++;
                }
                return n;
            }
        }

        // A replica of RecordConversion.ToPSObject (internal to the module): one PSCustomObject per record made with
        // PowerShell 7's PSObject(int capacity) constructor (legacy: new PSObject(), as before), a note property per
        // field, nested objects as nested PSObjects, the type names in front.
        private static long ToPSObjects(string file, bool typeNames, bool keep = false, bool legacy = false)
        {
            var reader = new RecordReader(new ImportOptions(), _ => { });
            var kept = keep ? new List<System.Management.Automation.PSObject>() : null;
            var before = keep ? GC.GetTotalMemory(true) : 0;
            long n = 0;
            foreach (var record in reader.ReadFile(file))
            {
                var pso = legacy ? new System.Management.Automation.PSObject() : new System.Management.Automation.PSObject(record.Count);
                if (typeNames && !legacy && SetTypeNames != null)
                {
                    SetTypeNames(pso, new[] { "LeadTools.CrmRecord#" + record.ObjectType, "LeadTools.CrmRecord", "System.Management.Automation.PSCustomObject", "System.Object" });
                }
                else if (typeNames)
                {
                    pso.TypeNames.Insert(0, "LeadTools.CrmRecord");
                    pso.TypeNames.Insert(0, "LeadTools.CrmRecord#" + record.ObjectType);
                }
                for (var i = 0; i < record.Count; i++)
                {
                    pso.Properties.Add(new System.Management.Automation.PSNoteProperty(record.NameAt(i), ToPSValue(record.ValueAt(i), legacy)));
                }
                if (pso.Properties.Match("Id").Count > 0) n++;
                kept?.Add(pso);
            }
            if (kept != null)
            {
                var after = GC.GetTotalMemory(true);
                KeptBytesPerRecord = (after - before) / (double)Math.Max(1, kept.Count);
                GC.KeepAlive(kept);
            }
            return n;
        }

        // As RecordConversion sets type names: into the PSObject's own field, not the engine's table.
        private static readonly Action<System.Management.Automation.PSObject, IEnumerable<string>>? SetTypeNames = FindTypeNamesSetter();

        private static Action<System.Management.Automation.PSObject, IEnumerable<string>>? FindTypeNamesSetter()
        {
            var field = typeof(System.Management.Automation.PSObject).GetField("_typeNames", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
            var constructor = field?.FieldType.GetConstructor(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, null, new[] { typeof(IEnumerable<string>) }, null);
            if (field == null || constructor == null) return null;
            var target = System.Linq.Expressions.Expression.Parameter(typeof(System.Management.Automation.PSObject), "target");
            var names = System.Linq.Expressions.Expression.Parameter(typeof(IEnumerable<string>), "names");
            return System.Linq.Expressions.Expression.Lambda<Action<System.Management.Automation.PSObject, IEnumerable<string>>>(
                System.Linq.Expressions.Expression.Assign(System.Linq.Expressions.Expression.Field(target, field), System.Linq.Expressions.Expression.New(constructor, names)), target, names).Compile();
        }

        private static object? ToPSValue(object? value, bool legacy)
        {
            if (value is JObject obj)
            {
                var pso = legacy ? new System.Management.Automation.PSObject() : new System.Management.Automation.PSObject(obj.Count);
                foreach (var p in obj.Properties()) pso.Properties.Add(new System.Management.Automation.PSNoteProperty(p.Name, ToPSValue(p.Value, legacy)));
                return pso;
            }
            return value is JValue v ? v.Value : value;
        }

        private static long Read(string file, bool checkDuplicateIds)
        {
            var reader = new RecordReader(new ImportOptions { CheckDuplicateIds = checkDuplicateIds }, _ => { });
            return reader.ReadFile(file).LongCount();
        }
    }
}
