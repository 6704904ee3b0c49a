using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Export
{
    /// <summary>
    /// <c>sf data import tree</c> files. Records get <c>attributes {type, referenceId}</c> (kept, or
    /// <c>LeadRef1</c>...), lose their <c>Id</c> (an insert cannot carry one), and lookups that hold the id of
    /// another exported record become <c>@Ref</c> references. One object type: one tree file at the path. Several:
    /// one file per type beside it (<c>name-Account.json</c>) and a plan at the path that imports them parents first.
    /// </summary>
    internal sealed class TreeRecordWriter : RecordWriter
    {
        private readonly List<(CrmRecord Record, string Type)> _records = new List<(CrmRecord, string)>();

        public TreeRecordWriter(string path, ExportOptions options)
            : base(path, options, RecordFormat.SfTree)
        {
            // Fail early on an existing file under NoClobber, as the streaming writers do.
            using (new AtomicFileWriter(path, options.ExistingFile))
            {
            }
        }

        protected override void WriteCore(CrmRecord record, string? objectType)
        {
            if (objectType == null)
            {
                throw new InvalidOperationException($"Record {RecordCount} has no object type; a tree file needs one (pass -ObjectType).");
            }
            _records.Add((record, objectType));
        }

        protected override void CompleteCore()
        {
            var references = new Dictionary<string, string>(StringComparer.Ordinal);
            var refOf = new Dictionary<CrmRecord, string>();
            var counters = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var provisionalRefs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (record, type) in _records)
            {
                var reference = record.ReferenceId;
                // A record created offline is referred to by its provisional id, so the import's result (refId -> id) says
                // which Salesforce id replaced which provisional one (Update-ContactKey).
                var ownId = RecordValue.ToScalarText(record["Id"]);
                if (reference == null && Keys.AlternateKeyStore.LooksProvisional(ownId) && provisionalRefs.Add(ownId!)) reference = ownId;
                if (reference == null)
                {
                    counters.TryGetValue(type, out var n);
                    counters[type] = ++n;
                    reference = type + "Ref" + n;
                }
                refOf[record] = reference;
                var id = RecordValue.ToScalarText(record["Id"]);
                if (id != null && !references.ContainsKey(id)) references.Add(id, reference);
            }

            var types = _records.Select(r => r.Type).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var dependsOn = types.ToDictionary(t => t, t => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
            var typeOfRef = _records.ToDictionary(r => refOf[r.Record], r => r.Type, StringComparer.Ordinal);
            var bodies = types.ToDictionary(t => t, t => new JArray(), StringComparer.OrdinalIgnoreCase);
            foreach (var (record, type) in _records)
            {
                var obj = new JObject { ["attributes"] = new JObject { ["type"] = type, ["referenceId"] = refOf[record] } };
                for (var i = 0; i < record.Count; i++)
                {
                    var name = record.NameAt(i);
                    if (string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase)) continue;
                    var value = record.ValueAt(i);
                    if (value is string s && (name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("__c", StringComparison.OrdinalIgnoreCase)))
                    {
                        var target = references.TryGetValue(s, out var r) ? r : s.StartsWith("@", StringComparison.Ordinal) ? s.Substring(1) : null;
                        if (target != null && typeOfRef.TryGetValue(target, out var targetType))
                        {
                            value = "@" + target;
                            if (!string.Equals(targetType, type, StringComparison.OrdinalIgnoreCase)) dependsOn[type].Add(targetType);
                        }
                    }
                    obj[name] = ToToken(value);
                }
                bodies[type].Add(obj);
            }

            if (types.Count <= 1)
            {
                WriteJson(Path, new JObject { ["records"] = types.Count == 0 ? new JArray() : bodies[types[0]] });
                return;
            }

            var ordered = new List<string>();
            var visiting = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Visit(string t)
            {
                if (ordered.Contains(t, StringComparer.OrdinalIgnoreCase) || !visiting.Add(t)) return;
                foreach (var d in dependsOn[t]) Visit(d);
                ordered.Add(t);
            }
            foreach (var t in types) Visit(t);

            var folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
            var stem = System.IO.Path.GetFileNameWithoutExtension(Path);
            var plan = new JArray();
            var referenced = new HashSet<string>(dependsOn.Values.SelectMany(v => v), StringComparer.OrdinalIgnoreCase);
            foreach (var t in ordered)
            {
                var file = stem + "-" + t + ".json";
                WriteJson(System.IO.Path.Combine(folder, file), new JObject { ["records"] = bodies[t] });
                ExtraFiles.Add(System.IO.Path.Combine(folder, file));
                plan.Add(new JObject
                {
                    ["sobject"] = t,
                    ["saveRefs"] = referenced.Contains(t),
                    ["resolveRefs"] = dependsOn[t].Count > 0,
                    ["files"] = new JArray(file),
                });
            }
            WriteJson(Path, plan);
        }

        private static JToken ToToken(object? value) => value switch
        {
            JToken t => t,
            DateTime dt => new JValue(RecordValue.FormatDateTime(dt)),
            DateTimeOffset dto => new JValue(RecordValue.ToText(dto)),
            _ => new JValue(value),
        };

        private void WriteJson(string path, JToken content)
        {
            using (var file = new AtomicFileWriter(path, Options.ExistingFile))
            {
                using (var text = new StreamWriter(file.Stream, Encoding, 64 * 1024, leaveOpen: true))
                using (var json = new JsonTextWriter(text) { Formatting = Formatting.Indented })
                {
                    content.WriteTo(json);
                    json.Flush();
                    text.Write('\n');
                }
                file.Commit();
            }
        }
    }
}
